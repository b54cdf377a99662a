//! The agents' private inbox: an agent who sends `/inbox on` in a private chat with the bot
//! gets every new ticket's card there too (the group card's text, with a take button that
//! works from the private chat: the private desk's `/take`), outside the group's budget;
//! `/inbox off` stops it, `/inbox` says which. Only someone who may act as an agent can opt
//! in (anyone else is refused, and the refusal audited), and the right is checked again for
//! every card: a card goes only to agents listed in `AGENT_IDS`, or whom Telegram called a
//! member of the ticket's group in the last [`INBOX_FRESH_MS`]. [`watch`] asks again every
//! [`RECHECK`], so a removed agent stops receiving cards within seconds, and their opt-in is
//! removed (audited, and they are told) once they are a member of no agents' group.

use crate::dialogue::Text;
use crate::dialogue::texts::html_to_plain;
use crate::domain::Callback;
use crate::domain::callback::TicketAction;
use crate::message::{Inbound, OutButton, Outbound};
use crate::service::desk::agents::AGENT_LOCALE;
use crate::service::{Service, ServiceError, conversation::render};
use crate::store::{Tx, agent_inbox, audit, outbox};
use std::time::Duration;
use tokio::sync::watch;

/// How often the opted-in agents' membership of the agents' groups is asked again.
pub const RECHECK: Duration = Duration::from_secs(5);
/// How old an answer about membership a card for an agent's private chat accepts.
pub const INBOX_FRESH_MS: i64 = 15_000;

impl Service {
    /// `/inbox`, `/inbox on` or `/inbox off` in a private chat (membership asked just before).
    pub(crate) async fn inbox_command(
        &self,
        tx: &mut Tx,
        inbound: &Inbound,
        now: i64,
    ) -> Result<Vec<Outbound>, ServiceError> {
        let me = inbound.user_id;
        let arg = inbound.meta.args.trim().to_ascii_lowercase();
        if !self.may_be_agent(me) {
            // Whatever they had asked for before ends too.
            agent_inbox::opt_out(tx, me).await?;
            let subject = format!("user:{me}");
            self.refuse(tx, inbound, "inbox_refused", &subject, &arg, now)
                .await?;
            return Ok(self.agent_note(me, Text::new("agent-inbox-refused")));
        }
        let actor = format!("agent:{me}");
        let key = match arg.as_str() {
            "on" => {
                agent_inbox::opt_in(tx, me, now).await?;
                audit::record(tx, &actor, "inbox_on", &actor, "", now).await?;
                "agent-inbox-on"
            }
            "off" => {
                agent_inbox::opt_out(tx, me).await?;
                audit::record(tx, &actor, "inbox_off", &actor, "", now).await?;
                "agent-inbox-off"
            }
            "" if agent_inbox::is_in(tx, me).await? => "agent-inbox-is-on",
            "" => "agent-inbox-is-off",
            _ => "agent-inbox-usage",
        };
        Ok(self.agent_note(me, Text::new(key)))
    }

    /// A card's button pressed in a private chat: only "take" works there (the private
    /// desk's take, of a ticket nobody holds yet); the press is answered either way.
    pub(crate) async fn inbox_press(
        &self,
        tx: &mut Tx,
        inbound: &Inbound,
        ticket: i64,
        action: TicketAction,
        now: i64,
    ) -> Result<Vec<Outbound>, ServiceError> {
        let mut out: Vec<Outbound> = inbound
            .callback_id
            .clone()
            .map(|callback_id| Outbound::AnswerCallback {
                callback_id,
                text: None,
            })
            .into_iter()
            .collect();
        if action == TicketAction::Take {
            out.extend(
                self.take_privately(tx, inbound, Some(ticket), true, now)
                    .await?,
            );
        } else {
            let text = Text::new("agent-private-usage");
            out.extend(self.agent_note(inbound.user_id, text));
        }
        Ok(out)
    }

    /// The new ticket's card (its text as the group got it) for every opted-in agent who may
    /// see tickets of `group` now; an agent no longer in `AGENT_IDS` is opted out.
    pub(crate) async fn inbox_cards(
        &self,
        tx: &mut Tx,
        ticket: i64,
        group: i64,
        text: &str,
        now: i64,
    ) -> Result<Vec<Outbound>, ServiceError> {
        let mut out = Vec::new();
        for agent in agent_inbox::all(tx).await? {
            match self.may_see(agent, group) {
                Some(true) => out.push(Outbound::ToAgent {
                    agent,
                    group,
                    message: Box::new(Outbound::text(
                        agent,
                        text.to_string(),
                        vec![vec![self.take_button(ticket)]],
                    )),
                }),
                Some(false) if !self.agents.ids.is_empty() => {
                    self.drop_inbox(tx, agent, now, &mut out).await?
                }
                // Another group's agent, or not asked lately: no card.
                _ => {}
            }
        }
        Ok(out)
    }

    /// Asks Telegram again whether each opted-in agent is a member of the agents' groups
    /// (outside any transaction), and opts out those who are in none.
    pub async fn recheck_inbox(&self) -> Result<(), ServiceError> {
        if !self.has_agents() {
            return Ok(());
        }
        let mut tx = self.store.begin().await?;
        let agents = agent_inbox::all(&mut tx).await?;
        tx.commit().await?;
        let groups = self.agent_groups();
        let mut lost = Vec::new();
        for agent in agents {
            let rights = if self.agents.ids.is_empty() {
                let mut answers = Vec::new();
                for group in &groups {
                    self.ask_member(*group, agent).await;
                    answers.push(self.member_within(*group, agent, INBOX_FRESH_MS));
                }
                // Unknown (Telegram did not answer) is not a loss; no card goes meanwhile.
                !answers.iter().all(|a| *a == Some(false))
            } else {
                self.agents.ids.contains(&agent)
            };
            if !rights {
                lost.push(agent);
            }
        }
        if lost.is_empty() {
            return Ok(());
        }
        let now = self.clock.now_ms();
        let mut tx = self.store.begin().await?;
        let mut out = Vec::new();
        for agent in lost {
            self.drop_inbox(&mut tx, agent, now, &mut out).await?;
        }
        outbox::enqueue_all(&mut tx, &out, now).await?;
        tx.commit().await?;
        self.wake.notify_one();
        Ok(())
    }

    /// Opts out someone who may no longer act as an agent: audited, and they are told.
    async fn drop_inbox(
        &self,
        tx: &mut Tx,
        agent: i64,
        now: i64,
        out: &mut Vec<Outbound>,
    ) -> Result<(), ServiceError> {
        if agent_inbox::opt_out(tx, agent).await? {
            tracing::warn!(
                user = agent,
                "no longer an agent: their private inbox is off"
            );
            let who = format!("user:{agent}");
            audit::record(tx, &who, "inbox_rights_lost", &who, "", now).await?;
            out.extend(self.agent_note(agent, Text::new("agent-inbox-lost")));
        }
        Ok(())
    }

    /// Whether `user` may act as an agent of some group (membership asked just before).
    fn may_be_agent(&self, user: i64) -> bool {
        if !self.agents.ids.is_empty() {
            return self.agents.ids.contains(&user);
        }
        self.agent_groups()
            .into_iter()
            .any(|group| self.fresh_member(group, user) == Some(true))
    }

    /// Whether `agent` may see tickets of `group` now; `None`: not asked lately.
    fn may_see(&self, agent: i64, group: i64) -> Option<bool> {
        if self.agents.ids.is_empty() {
            self.member_within(group, agent, INBOX_FRESH_MS)
        } else {
            Some(self.agents.ids.contains(&agent))
        }
    }

    fn take_button(&self, ticket: i64) -> OutButton {
        OutButton {
            text: html_to_plain(&self.tree.texts.get(AGENT_LOCALE, "ticket-take")),
            data: Callback::Ticket {
                ticket,
                action: TicketAction::Take,
            },
        }
    }

    /// A text for an agent's private chat, in the agents' language.
    fn agent_note(&self, agent: i64, text: Text) -> Vec<Outbound> {
        render::text(&self.tree, AGENT_LOCALE, agent, &text)
    }
}

/// Asks about the opted-in agents every [`RECHECK`] until `shutdown`.
pub async fn watch(service: Service, mut shutdown: watch::Receiver<bool>) {
    while !*shutdown.borrow() {
        if let Err(e) = service.recheck_inbox().await {
            tracing::warn!(error = %e, "the agents' inbox could not be checked; trying again");
        }
        tokio::select! {
            _ = tokio::time::sleep(RECHECK) => {}
            _ = shutdown.changed() => {}
        }
    }
}
