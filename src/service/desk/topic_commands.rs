//! `/take`, `/drop` and `/close` typed in a ticket's topic: the same decisions as the card's
//! buttons, checked and recorded the same way, answered in the topic (a typed command has no
//! button press to answer).

use crate::dialogue::Text;
use crate::domain::callback::TicketAction;
use crate::message::{Inbound, Outbound};
use crate::service::desk::commands::AgentCommand;
use crate::service::{Service, ServiceError};
use crate::store::Tx;

impl Service {
    /// Acts on the topic's ticket as its card's button would; false when `command` is not
    /// one of these or the message is in no ticket's topic.
    pub(crate) async fn topic_command(
        &self,
        tx: &mut Tx,
        inbound: &Inbound,
        command: AgentCommand,
        now: i64,
        out: &mut Vec<Outbound>,
    ) -> Result<bool, ServiceError> {
        let action = match command {
            AgentCommand::Take => TicketAction::Take,
            AgentCommand::Drop => TicketAction::Release,
            AgentCommand::Close => TicketAction::Close,
            _ => return Ok(false),
        };
        let Some(ticket) = self.ticket_of_message(tx, inbound).await? else {
            return Ok(false);
        };
        let notice = self
            .agent_button(tx, inbound, ticket.id, action, now, out)
            .await?;
        out.extend(self.topic_text(&ticket, &Text::new(notice)));
        Ok(true)
    }
}
