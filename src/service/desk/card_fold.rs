//! Fewer sends per new ticket: while a ticket's card still waits in the outbox (the group's
//! budget holds it back), what the student writes is folded into the card — shown on it, and
//! the card mapped as the copy of their messages — instead of relayed as messages of its own,
//! and a redraw of the card rewrites the waiting card instead of editing it once it is sent.
//! A new ticket then costs its group two sends (the topic and the card), whatever its student
//! wrote meanwhile.

use crate::message::{Inbound, Lane, Outbound};
use crate::service::{Service, ServiceError};
use crate::store::{
    Tx, relay,
    relay::PendingRow,
    tickets::{self, Ticket},
};

/// Folded words stay well below Telegram's 4,096 characters with the card around them.
const FOLDED_WORDS: usize = 2500;

impl Service {
    /// Folds the student's `text` into their ticket's card if the card, and nothing else of
    /// the ticket, still waits unclaimed in the outbox; false when it does not (relay it).
    pub(crate) async fn fold_into_card(
        &self,
        tx: &mut Tx,
        ticket: &Ticket,
        inbound: &Inbound,
        text: &str,
    ) -> Result<bool, ServiceError> {
        let Some((row, sources)) = self.waiting_card(tx, ticket).await? else {
            return Ok(false);
        };
        let words = match ticket.first_words.as_str() {
            "" => text.to_string(),
            before => format!("{before}\n{text}"),
        };
        if words.chars().count() > FOLDED_WORDS {
            return Ok(false);
        }
        let mut folded = ticket.clone();
        folded.first_words = words;
        if folded.faq_hint.is_none() {
            folded.faq_hint = self.faq_for(text);
        }
        let mut sources = sources;
        sources.extend(inbound.message_id);
        if !self.rewrite_card(tx, &folded, &row, sources).await? {
            return Ok(false);
        }
        tickets::set_first_words(tx, ticket.id, &folded.first_words).await?;
        if let Some(name) = &folded.faq_hint {
            tickets::hint_faq(tx, ticket.id, name).await?;
        }
        Ok(true)
    }

    /// The ticket's card redrawn: the waiting card rewritten when it is not sent yet (no
    /// send), else an edit of the sent card.
    pub(crate) async fn card_redraw(
        &self,
        tx: &mut Tx,
        ticket_id: i64,
    ) -> Result<Option<Outbound>, ServiceError> {
        if let Some(ticket) = tickets::ticket(tx, ticket_id).await?
            && let Some((row, sources)) = self.waiting_card(tx, &ticket).await?
            && self.rewrite_card(tx, &ticket, &row, sources).await?
        {
            return Ok(None);
        }
        self.card_update(tx, ticket_id, 0).await
    }

    /// The ticket's card row if it is the ticket's only row waiting, unclaimed, in its group's
    /// lane, with the student messages it already stands for.
    async fn waiting_card(
        &self,
        tx: &mut Tx,
        ticket: &Ticket,
    ) -> Result<Option<(PendingRow, Vec<i64>)>, ServiceError> {
        let Some(group) = self.group_of(ticket) else {
            return Ok(None);
        };
        let pending = relay::pending_for_ticket(tx, &Lane::Chat(group), ticket.id).await?;
        let [row] = pending.as_slice() else {
            return Ok(None);
        };
        if row.claimed_until != 0 {
            return Ok(None);
        }
        match row.message() {
            Ok(Outbound::ToTicket {
                card: true,
                sources,
                ..
            }) => Ok(Some((row.clone(), sources))),
            _ => Ok(None),
        }
    }

    /// Rewrites the waiting card `row` as `ticket`'s card now; false when a sender claimed it.
    async fn rewrite_card(
        &self,
        tx: &mut Tx,
        ticket: &Ticket,
        row: &PendingRow,
        sources: Vec<i64>,
    ) -> Result<bool, ServiceError> {
        let Some(group) = self.group_of(ticket) else {
            return Ok(false);
        };
        let (text, buttons) = self.card(tx, ticket, 0).await?;
        let card = Outbound::text(group, text, buttons);
        let Some(card) = self.to_topic(ticket, card).map(Outbound::as_card) else {
            return Ok(false);
        };
        let card = crate::service::desk::relay_merge::with_sources(card, sources);
        Ok(relay::rewrite_pending(tx, row.id, &card).await?)
    }
}
