//! While a student waits for an agent to take their request: what they write, send or
//! photograph goes to the ticket's topic (the agents see it when they take it), and the
//! student is told once that it was passed on. Buttons and commands still work as usual,
//! and at an input step the input is still the input.

use crate::dialogue::Text;
use crate::dialogue::engine::Input;
use crate::dialogue::model::Node;
use crate::domain::ticket::{TicketKind, TicketStatus};
use crate::message::Inbound;
use crate::service::conversation::turn::Turn;
use crate::service::{Service, ServiceError};
use crate::store::{Tx, tickets};

impl Service {
    /// Passes the message to the waiting request's topic; false when it is not such a
    /// message (the dialogue handles it).
    pub(crate) async fn relay_while_waiting(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
        inbound: &Inbound,
    ) -> Result<bool, ServiceError> {
        // Without an agents' group nobody waits for a person (and no query is spent).
        if !self.has_agents() {
            return Ok(false);
        }
        if !matches!(
            inbound.input,
            Input::Text(_) | Input::Photo(_) | Input::Document(_)
        ) || inbound.meta.edited
        {
            return Ok(false);
        }
        let at_input = matches!(
            self.tree.node(&turn.chat.state.node),
            Some(Node::Input { .. })
        );
        if at_input {
            return Ok(false);
        }
        let chat_id = turn.chat.chat_id;
        let Some(id) = tickets::unfinished_of_kind(tx, chat_id, TicketKind::Human).await? else {
            return Ok(false);
        };
        let Some(ticket) = tickets::ticket(tx, id).await? else {
            return Ok(false);
        };
        if ticket.status != TicketStatus::Open || self.group_of(&ticket).is_none() {
            return Ok(false);
        }
        if self.relay_into_topic(tx, turn, &ticket, inbound).await?
            && tickets::count_waiting_relay(tx, ticket.id).await? == 1
        {
            self.say(
                turn,
                Text::new("human-waiting-relayed").arg("ticket", ticket.id.to_string()),
            );
        }
        Ok(true)
    }
}
