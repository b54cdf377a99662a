//! The group budget: while a ticket's relay still waits in the outbox (paced, or held back
//! by a 429), the student's next messages are merged into it — texts joined, a text added to
//! a waiting photo's or document's caption — so nothing is dropped and order is kept; the
//! card shows how many student messages wait.

use crate::message::Outbound;
use crate::service::conversation::turn::Turn;
use crate::service::{Service, ServiceError};
use crate::store::{Tx, relay, tickets::Ticket};

/// Merged texts stay below Telegram's 4,096 characters (and captions below 1,024).
const MERGED_TEXT: usize = 4000;
const MERGED_CAPTION: usize = 1000;

impl Service {
    /// Merges `message` into the ticket's newest relay still waiting in the outbox, if that
    /// is the ticket's last waiting row and nobody is sending it; the card shows the backlog.
    pub(crate) async fn merge_relay(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
        ticket: &Ticket,
        message: &Outbound,
        source: Option<i64>,
    ) -> Result<bool, ServiceError> {
        let lane = message.lane();
        let pending = relay::pending_for_ticket(tx, &lane, ticket.id).await?;
        let Some(last) = pending.last().filter(|r| r.claimed_until == 0) else {
            return Ok(false);
        };
        let Ok(waiting) = last.message() else {
            return Ok(false);
        };
        let Some(merged) = merge(waiting, message, source) else {
            return Ok(false);
        };
        let backlog: usize = pending
            .iter()
            .map(|r| r.message().map_or(0, |m| sources_in(&m)))
            .sum::<usize>()
            + 1;
        let redraw = self.card_update(tx, ticket.id, 0).await?.map(Box::new);
        let merged = Outbound::Tracked {
            message: Box::new(merged),
            on_sent: redraw,
            on_failure: None,
        };
        if !relay::rewrite_pending(tx, last.id, &merged).await? {
            return Ok(false);
        }
        let backlog = i64::try_from(backlog).unwrap_or(i64::MAX);
        let Some(card) = self.card_update(tx, ticket.id, backlog).await? else {
            return Ok(true);
        };
        match relay::pending_card_edit(tx, &card.lane(), ticket.id).await? {
            Some(row) if relay::rewrite_pending(tx, row.id, &card).await? => {}
            _ => turn.out.push(card),
        }
        Ok(true)
    }
}

/// Sets the student messages a relay into a topic carries.
pub(crate) fn with_sources(out: Outbound, list: Vec<i64>) -> Outbound {
    match out {
        Outbound::ToTicket {
            ticket,
            topic_name,
            group,
            message,
            card,
            ..
        } => Outbound::ToTicket {
            ticket,
            topic_name,
            group,
            message,
            card,
            sources: list,
        },
        other => other,
    }
}

/// How many student messages a stored relay row carries.
fn sources_in(out: &Outbound) -> usize {
    match out {
        Outbound::ToTicket { sources, .. } => sources.len(),
        Outbound::Tracked { message, .. } => sources_in(message),
        _ => 0,
    }
}

/// `waiting` (a student relay into a topic) with `next` added, or `None` when they do not
/// merge (a notice, a file after anything, or too long together).
fn merge(waiting: Outbound, next: &Outbound, source: Option<i64>) -> Option<Outbound> {
    let waiting = match waiting {
        Outbound::Tracked { message, .. } => *message,
        other => other,
    };
    let Outbound::ToTicket {
        ticket,
        topic_name,
        group,
        message,
        card: false,
        mut sources,
    } = waiting
    else {
        return None;
    };
    if sources.is_empty() {
        return None;
    }
    let Outbound::Text { text: added, .. } = next else {
        return None;
    };
    // The new text without its "[#N] name:" label, which the waiting relay already has.
    let added = added
        .split_once('\n')
        .map_or(added.as_str(), |(_, body)| body);
    let message = match *message {
        Outbound::Text {
            chat_id,
            text,
            buttons,
            contact_button,
            thread_id,
        } if text.chars().count() + added.chars().count() < MERGED_TEXT => Outbound::Text {
            chat_id,
            text: format!("{text}\n{added}"),
            buttons,
            contact_button,
            thread_id,
        },
        Outbound::Photo {
            chat_id,
            file,
            caption,
            buttons,
        } if caption.chars().count() + added.chars().count() < MERGED_CAPTION => Outbound::Photo {
            chat_id,
            file,
            caption: format!("{caption}\n{added}"),
            buttons,
        },
        Outbound::Document {
            chat_id,
            file,
            caption,
        } if caption.chars().count() + added.chars().count() < MERGED_CAPTION => {
            Outbound::Document {
                chat_id,
                file,
                caption: format!("{caption}\n{added}"),
            }
        }
        _ => return None,
    };
    sources.extend(source);
    Some(Outbound::ToTicket {
        ticket,
        topic_name,
        group,
        message: Box::new(message),
        card: false,
        sources,
    })
}
