//! `AGENT_GROUPS` rules by class or college (`class=2022级计算机1班:-100…`,
//! `college=计算机学院:-100…`): a student's tickets go to their counsellors' group, which
//! sees that part of the school in `/progress` and may `/remind` it. Rules are tried in the
//! order written, kinds and roster alike; the first that matches a ticket takes it.

use super::{Part, Scope};
use crate::config::agents::RouteRule;
use crate::dialogue::Text;
use crate::service::desk::agents::AGENT_LOCALE;
use crate::service::{Service, ServiceError};
use crate::store::{Tx, progress, tickets};

/// What a rule names on the roster, if it is a class or college rule.
fn roster_part(rule: &RouteRule) -> Option<Part> {
    match rule {
        RouteRule::Class(class) => Some(Part {
            college: None,
            class: Some(class.clone()),
        }),
        RouteRule::College(college) => Some(Part {
            college: Some(college.clone()),
            class: None,
        }),
        RouteRule::Kind(_) => None,
    }
}

impl Service {
    /// The students the agents' group `group` looks after: the whole school from the main
    /// group (`AGENT_CHAT_ID`), its classes and colleges from a group with roster rules, and
    /// none (`None`) from a group that only takes some kinds of tickets.
    pub(crate) fn scope_of_group(&self, group: i64) -> Option<Scope> {
        if self.agents.chat_id == Some(group) {
            return Some(Scope::everything());
        }
        let parts: Vec<Part> = self
            .agents
            .routes
            .iter()
            .filter(|(_, g)| *g == group)
            .filter_map(|(key, _)| roster_part(key))
            .collect();
        (!parts.is_empty()).then_some(Scope { parts })
    }

    /// Sends a new ticket to its student's counsellors' group when a class or college rule is
    /// the first rule that matches it (before its topic exists; a kind rule or the main group
    /// needs nothing stored).
    pub(crate) async fn route_by_roster(
        &self,
        tx: &mut Tx,
        ticket_id: i64,
    ) -> Result<(), ServiceError> {
        if !self
            .agents
            .routes
            .iter()
            .any(|(k, _)| roster_part(k).is_some())
        {
            return Ok(());
        }
        let Some(ticket) = tickets::ticket(tx, ticket_id).await? else {
            return Ok(());
        };
        if ticket.agent_chat.is_some() {
            return Ok(());
        }
        let Some((class, college, _)) = progress::roster_of_ticket(tx, ticket_id).await? else {
            return Ok(());
        };
        for (key, group) in &self.agents.routes {
            match roster_part(key) {
                None if *key == RouteRule::Kind(ticket.kind) => return Ok(()),
                Some(part) if part.contains(&college, &class) => {
                    progress::pin_ticket(tx, ticket_id, *group).await?;
                    return Ok(());
                }
                _ => {}
            }
        }
        Ok(())
    }

    /// The card's line naming the student's class, college and counsellor (none when the
    /// ticket's student is not on the roster).
    pub(crate) async fn roster_line(
        &self,
        tx: &mut Tx,
        ticket_id: i64,
    ) -> Result<Option<String>, ServiceError> {
        let Some((class, college, counsellor)) = progress::roster_of_ticket(tx, ticket_id).await?
        else {
            return Ok(None);
        };
        let text = Text::new("school-card-roster")
            .arg("class", class)
            .arg("college", college)
            .arg("counsellor", counsellor);
        Ok(Some(self.tree.texts.render(AGENT_LOCALE, &text)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn roster_rules_name_a_class_or_a_college() {
        assert_eq!(
            roster_part(&RouteRule::Class("2022级计算机1班".into())),
            Some(Part {
                college: None,
                class: Some("2022级计算机1班".into())
            })
        );
        let college = RouteRule::College("计算机学院".into());
        assert!(roster_part(&college).is_some_and(|p| p.college.is_some()));
        let kind = RouteRule::Kind(crate::domain::ticket::TicketKind::Photo);
        assert_eq!(roster_part(&kind), None);
    }
}
