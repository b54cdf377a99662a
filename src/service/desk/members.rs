//! Who counts as an agent when `AGENT_IDS` is empty: a member of the agents' group, asked of
//! Telegram (getChatMember) before the update's transaction and remembered for five minutes.
//! A decision (a card's button, `/take`, `/close`, `/drop`) and whatever an agent working a
//! ticket privately sends are re-asked every time: a removed agent loses rights at once.

use crate::dialogue::engine::Input;
use crate::message::{Inbound, Place};
use crate::service::Service;
use crate::service::desk::commands::AgentCommand;
use std::collections::{HashMap, HashSet};
use std::future::Future;
use std::pin::Pin;
use std::sync::{Arc, Mutex};

/// How long an answer about membership is trusted.
pub const MEMBER_TTL_MS: i64 = 5 * 60_000;
/// How old an answer a decision accepts: the one asked just before this update's handling.
pub const FRESH_MS: i64 = 30_000;

/// Asks whether user (second) is a member of chat (first); `None` when it could not be told.
pub type MemberCheck =
    Arc<dyn Fn(i64, i64) -> Pin<Box<dyn Future<Output = Option<bool>> + Send>> + Send + Sync>;

/// Remembered answers: (chat, user) → (member, when asked in ms).
type Known = HashMap<(i64, i64), (bool, i64)>;

/// The check and the answers remembered.
#[derive(Clone, Default)]
pub struct Members {
    check: Option<MemberCheck>,
    known: Arc<Mutex<Known>>,
    /// Users seen working a ticket from their private chat: their private messages are
    /// decisions too (each relayed message acts for the group).
    private: Arc<Mutex<HashSet<i64>>>,
}

impl std::fmt::Debug for Members {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Members")
            .field("checked", &self.check.is_some())
            .finish()
    }
}

impl Members {
    pub fn new(check: MemberCheck) -> Members {
        Members {
            check: Some(check),
            known: Arc::default(),
            private: Arc::default(),
        }
    }
}

impl Service {
    /// Sets how membership of the agents' groups is checked.
    pub fn with_members(mut self, members: Members) -> Service {
        self.members = members;
        self
    }

    /// Asks Telegram, unless a fresh answer is remembered (always, for a decision), whether
    /// the sender is a member of the agents' groups that decide what they may do. Runs before
    /// the update's transaction.
    pub async fn learn_membership(&self, inbound: &Inbound) {
        let fresh = self.is_decision(inbound);
        for group in self.membership_groups(inbound) {
            self.learn_member(group, inbound.user_id, fresh).await;
        }
    }

    /// Whether handling `inbound` needs a membership Telegram has not been asked about
    /// lately (so the question can be asked outside the update's transaction).
    pub fn needs_membership_lookup(&self, inbound: &Inbound) -> bool {
        let groups = self.membership_groups(inbound);
        self.members.check.is_some()
            && !groups.is_empty()
            && (self.is_decision(inbound)
                || groups
                    .into_iter()
                    .any(|group| self.remembered_member((group, inbound.user_id)).is_none()))
    }

    /// A card's button, an agent's command in private, or anything from a user working a
    /// ticket privately: acts on a ticket, so membership is asked afresh.
    fn is_decision(&self, inbound: &Inbound) -> bool {
        if !self.agents.ids.is_empty() {
            return false;
        }
        match &inbound.place {
            Place::Group { .. } => {
                self.in_agent_chat(inbound.chat_id)
                    && (matches!(
                        &inbound.input,
                        Input::Button(crate::domain::Callback::Ticket { .. })
                    ) || AgentCommand::of(&inbound.input).is_some_and(|c| {
                        matches!(
                            c,
                            AgentCommand::Take | AgentCommand::Drop | AgentCommand::Close
                        )
                    }))
            }
            Place::Private => {
                AgentCommand::of(&inbound.input).is_some_and(AgentCommand::in_private)
                    || matches!(
                        &inbound.input,
                        Input::Button(crate::domain::Callback::Ticket { .. })
                    )
                    || self.works_privately(inbound.user_id)
            }
        }
    }

    /// Whether this instance saw `user` work a ticket from their private chat.
    fn works_privately(&self, user: i64) -> bool {
        self.members.private.lock().is_ok_and(|p| p.contains(&user))
    }

    /// Notes (or forgets) that `user` works a ticket privately.
    pub(crate) fn note_private_agent(&self, user: i64, working: bool) {
        if let Ok(mut private) = self.members.private.lock() {
            if working {
                private.insert(user);
            } else {
                private.remove(&user);
            }
        }
    }

    /// The agents' groups whose membership decides what `inbound`'s sender may do.
    fn membership_groups(&self, inbound: &Inbound) -> Vec<i64> {
        if !self.agents.ids.is_empty() {
            return Vec::new();
        }
        match &inbound.place {
            Place::Group { .. } if self.in_agent_chat(inbound.chat_id) => vec![inbound.chat_id],
            // `/take N`, `/inbox`, a card's button in private (and the private agent's work):
            // a member of any agents' group may.
            Place::Private if self.is_decision(inbound) => self.agent_groups(),
            _ => Vec::new(),
        }
    }

    /// Every agents' group, each once.
    pub(crate) fn agent_groups(&self) -> Vec<i64> {
        let mut groups: Vec<i64> = self.agents.chat_id.into_iter().collect();
        for (_, group) in &self.agents.routes {
            if !groups.contains(group) {
                groups.push(*group);
            }
        }
        groups
    }

    /// Asks Telegram now whether `user` is a member of the agents' group `chat` (outside any
    /// transaction).
    pub(crate) async fn ask_member(&self, chat: i64, user: i64) {
        self.learn_member(chat, user, true).await;
    }

    async fn learn_member(&self, chat: i64, user: i64, fresh: bool) {
        let Some(check) = &self.members.check else {
            return;
        };
        let key = (chat, user);
        if !fresh && self.remembered_member(key).is_some() {
            return;
        }
        match check(key.0, key.1).await {
            Some(member) => {
                if let Ok(mut known) = self.members.known.lock() {
                    known.retain(|_, (_, at)| self.clock.now_ms() - *at < MEMBER_TTL_MS);
                    known.insert(key, (member, self.clock.now_ms()));
                }
            }
            None => tracing::warn!(
                chat = key.0,
                user = key.1,
                "membership could not be checked; the user cannot act for now"
            ),
        }
    }

    /// A fresh remembered answer for (chat, user).
    fn remembered_member(&self, key: (i64, i64)) -> Option<bool> {
        let known = self.members.known.lock().ok()?;
        let (member, at) = known.get(&key)?;
        (self.clock.now_ms() - at < MEMBER_TTL_MS).then_some(*member)
    }

    /// Records (log and audit) that someone who may not act tried to.
    pub(crate) async fn refuse(
        &self,
        tx: &mut crate::store::Tx,
        inbound: &Inbound,
        action: &str,
        subject: &str,
        detail: &str,
        now: i64,
    ) -> Result<(), crate::service::ServiceError> {
        tracing::warn!(
            user = inbound.user_id,
            chat = inbound.chat_id,
            action,
            subject,
            "not an agent: refused"
        );
        crate::store::audit::record(
            tx,
            &format!("user:{}", inbound.user_id),
            action,
            subject,
            detail,
            now,
        )
        .await?;
        Ok(())
    }

    /// Whether `user` is a member of the agents' group `chat` (always, when not checked).
    pub(crate) fn is_member(&self, chat: i64, user: i64) -> bool {
        if self.members.check.is_none() {
            return true;
        }
        self.remembered_member((chat, user)).unwrap_or(false)
    }

    /// Telegram's answer of the last [`FRESH_MS`] on whether `user` is a member of `chat`
    /// (`Some(true)` when membership is not checked at all); `None`: not asked lately.
    pub(crate) fn fresh_member(&self, chat: i64, user: i64) -> Option<bool> {
        self.member_within(chat, user, FRESH_MS)
    }

    /// Telegram's answer of the last `ms` on whether `user` is a member of `chat`
    /// (`Some(true)` when membership is not checked at all); `None`: not asked that lately.
    pub(crate) fn member_within(&self, chat: i64, user: i64, ms: i64) -> Option<bool> {
        if self.members.check.is_none() {
            return Some(true);
        }
        let known = self.members.known.lock().ok()?;
        let (member, at) = known.get(&(chat, user))?;
        (self.clock.now_ms() - at < ms).then_some(*member)
    }
}
