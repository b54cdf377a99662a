//! Several agents' groups for one kind of ticket (`AGENT_GROUPS` naming the kind more than
//! once): a new ticket goes to the group with the smallest backlog, the group's messages
//! still waiting in the outbox, so that one group's 20 messages a minute are not the whole
//! desk's. The choice is kept on the ticket at once, so all of it goes to that group.

use crate::config::agents::RouteRule;
use crate::domain::ticket::TicketKind;
use crate::service::{Service, ServiceError};
use crate::store::{
    Tx,
    outbox::waiting,
    tickets::{self, Ticket},
};

impl Service {
    /// The groups tickets of `kind` go to: those `AGENT_GROUPS` routes it to, in order, else
    /// the agents' group.
    pub(crate) fn groups_of_kind(&self, kind: TicketKind) -> Vec<i64> {
        let routed: Vec<i64> = self
            .agents
            .routes
            .iter()
            .filter(|(rule, _)| *rule == RouteRule::Kind(kind))
            .map(|(_, group)| *group)
            .collect();
        if routed.is_empty() {
            self.agents.chat_id.into_iter().collect()
        } else {
            routed
        }
    }

    /// Gives a new ticket whose kind goes to several groups the one with the smallest
    /// backlog (the first listed among equals), and keeps it on the ticket.
    pub(crate) async fn spread(
        &self,
        tx: &mut Tx,
        mut ticket: Ticket,
    ) -> Result<Ticket, ServiceError> {
        let groups = self.groups_of_kind(ticket.kind);
        if ticket.agent_chat.is_some() || groups.len() < 2 {
            return Ok(ticket);
        }
        let backlogs = waiting::group_backlogs(tx, &groups).await?;
        let least = groups
            .iter()
            .min_by_key(|group| backlogs.get(group).copied().unwrap_or(0))
            .copied();
        if let Some(group) = least {
            tickets::set_topic(tx, ticket.id, None, group).await?;
            ticket.agent_chat = Some(group);
        }
        Ok(ticket)
    }
}
