//! After a ticket is closed: the student may rate it (1-5, optional) and reopen it within
//! `TICKET_REOPEN_WINDOW`, with the buttons under the closing message.

use crate::dialogue::texts::html_to_plain;
use crate::dialogue::{Locale, Text};
use crate::domain::callback::{AfterClose, Callback};
use crate::domain::ticket::TicketStatus;
use crate::message::{OutButton, Outbound};
use crate::service::conversation::turn::Turn;
use crate::service::{Service, ServiceError, conversation::render};
use crate::store::{
    Tx, audit,
    tickets::{self, Ticket},
};

impl Service {
    /// The student's "ticket closed" message, with the button that reopens it.
    pub(crate) fn closed_notice(&self, locale: Locale, chat_id: i64, ticket: i64) -> Vec<Outbound> {
        let text = Text::new("ticket-closed").arg("ticket", ticket.to_string());
        let mut out = render::text(&self.tree, locale, chat_id, &text);
        if let Some(Outbound::Text { buttons, .. }) = out.last_mut() {
            let stars = (1..=5)
                .map(|n| OutButton {
                    text: format!("{n} ⭐"),
                    data: Callback::AfterClose {
                        ticket,
                        choice: AfterClose::Rate(n),
                    },
                })
                .collect();
            buttons.push(stars);
            buttons.push(self.reopen_row(locale, ticket));
        }
        out
    }

    /// A rating or "reopen" pressed by the student under a closing message.
    pub(crate) async fn after_close_button(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
        id: i64,
        choice: AfterClose,
        message_id: Option<i64>,
    ) -> Result<(), ServiceError> {
        let ticket = tickets::ticket(tx, id).await?;
        let Some(ticket) = ticket.filter(|t| t.chat_id == turn.chat.chat_id) else {
            turn.notice = Some(Text::new("stale-button"));
            return Ok(());
        };
        let done = match choice {
            AfterClose::Reopen => {
                self.reopen(tx, turn, &ticket).await?;
                true
            }
            AfterClose::Rate(rating) => self.rate(tx, turn, &ticket, i64::from(rating)).await?,
        };
        if !done {
            turn.notice = Some(Text::new("stale-button"));
            return Ok(());
        }
        if let Some(message_id) = message_id {
            let chat_id = turn.chat.chat_id;
            // A rating keeps the way back: the reopen button stays under the message.
            let edit = match choice {
                AfterClose::Rate(_) => Outbound::SetButtons {
                    chat_id,
                    message_id,
                    buttons: vec![self.reopen_row(turn.locale(), id)],
                },
                AfterClose::Reopen => Outbound::ClearButtons {
                    chat_id,
                    message_id,
                },
            };
            turn.out.insert(0, edit);
        }
        Ok(())
    }

    /// The row with the button that reopens ticket `ticket`.
    fn reopen_row(&self, locale: Locale, ticket: i64) -> Vec<OutButton> {
        vec![OutButton {
            text: html_to_plain(&self.tree.texts.get(locale, "ticket-reopen")),
            data: Callback::AfterClose {
                ticket,
                choice: AfterClose::Reopen,
            },
        }]
    }

    /// Keeps the student's rating of a closed ticket, once; false when it was not taken.
    async fn rate(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
        ticket: &Ticket,
        rating: i64,
    ) -> Result<bool, ServiceError> {
        if !tickets::rate(tx, ticket.id, turn.chat.chat_id, rating).await? {
            return Ok(false);
        }
        audit::record(
            tx,
            &self.actor(turn),
            "ticket_rated",
            &format!("ticket:{}", ticket.id),
            &rating.to_string(),
            turn.now,
        )
        .await?;
        let thanks = Text::new("ticket-rated").arg("ticket", ticket.id.to_string());
        self.say(turn, thanks);
        Ok(true)
    }

    /// Reopens `ticket` if it finished within the window: the student, the topic and the
    /// card are told; otherwise the student is pointed to a new ticket.
    async fn reopen(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
        ticket: &Ticket,
    ) -> Result<(), ServiceError> {
        let since = turn.now.saturating_sub(self.agents.reopen_window_ms);
        let id = ticket.id.to_string();
        if !tickets::reopen(tx, ticket.id, since, turn.now).await? {
            let key = if ticket.status == TicketStatus::Open
                || ticket.status == TicketStatus::InProgress
            {
                "ticket-still-open"
            } else {
                "ticket-reopen-expired"
            };
            self.say(turn, Text::new(key).arg("ticket", id));
            return Ok(());
        }
        audit::record(
            tx,
            &self.actor(turn),
            "ticket_reopened",
            &format!("ticket:{}", ticket.id),
            "",
            turn.now,
        )
        .await?;
        turn.out
            .extend(self.topic_text(ticket, &Text::new("ticket-reopened-topic")));
        turn.out.extend(self.card_update(tx, ticket.id, 0).await?);
        self.say(turn, Text::new("ticket-reopened").arg("ticket", id));
        Ok(())
    }
}
