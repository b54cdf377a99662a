//! Use cases, each in one transaction: handling an inbound update (dedupe, load state, step
//! the dialogue, run actions, write state, enqueue replies), and what agents and operators do.

pub mod accounts;
pub mod clock;
pub mod conversation;
pub mod desk;
pub mod identity;
pub mod records;
pub mod school;
#[cfg(test)]
pub(crate) mod testing;
#[cfg(test)]
mod use_case_tests;

use crate::dialogue::Tree;
use crate::store::{Store, StoreError};
use std::sync::Arc;
use tokio::sync::Notify;

pub use clock::Clock;

#[derive(Debug, thiserror::Error)]
pub enum ServiceError {
    #[error(transparent)]
    Store(#[from] StoreError),
    #[error("action `{0}` is not implemented")]
    UnknownAction(String),
    #[error("JSON: {0}")]
    Json(#[from] serde_json::Error),
    /// An agent's private message came before Telegram was asked about their membership (a
    /// restarted instance): handled again once it has been asked.
    #[error("agent {0}: membership to be asked before handling")]
    MembershipUnasked(i64),
    /// A report, spreadsheet or chart could not be produced (a writer's or encoder's error).
    #[error("report: {0}")]
    Report(String),
}

impl ServiceError {
    /// The database was unreachable or busy: the same work will succeed later.
    pub fn is_transient(&self) -> bool {
        match self {
            ServiceError::Store(e) => e.is_transient(),
            _ => false,
        }
    }
}

impl From<sqlx::Error> for ServiceError {
    fn from(e: sqlx::Error) -> Self {
        ServiceError::Store(StoreError::Sqlx(e))
    }
}

/// What became of an inbound update.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Handled {
    Done,
    /// Its update_id was handled before.
    Duplicate,
    /// Not for the bot (another group, a channel post…).
    Ignored,
}

/// Everything a use case needs, cheap to clone.
#[derive(Clone)]
pub struct Service {
    pub store: Store,
    pub tree: Arc<Tree>,
    pub clock: Clock,
    /// Woken after every commit that enqueued something, so the sender does not wait to poll.
    pub wake: Arc<Notify>,
    /// Key of the one-time code hashes.
    pub code_secret: Arc<[u8]>,
    /// Whether SMS can be delivered (a gateway, or the console that shows them).
    pub sms_available: bool,
    /// The agents' workspace and who may act.
    pub agents: desk::agents::Agents,
    /// Reads uploads' first bytes so their content, not their name, decides what they are.
    pub uploads: Option<Arc<dyn conversation::uploads::UploadReader>>,
    /// Membership of the agents' groups, checked and remembered briefly.
    pub members: desk::members::Members,
    /// How long a claim on an ID number by a classmate or the record questions waits for
    /// the holder's objection before binding is possible.
    pub dispute_window_ms: i64,
    /// Where reports and charts sent to agents are stored (see [`school`]).
    pub files: Option<crate::files::FileStore>,
    /// The deadline and the reminders before it.
    pub school: crate::config::school::SchoolConfig,
}

impl Service {
    pub fn new(
        store: Store,
        tree: Arc<Tree>,
        clock: Clock,
        code_secret: &[u8],
        sms_available: bool,
    ) -> Service {
        Service {
            store,
            tree,
            clock,
            wake: Arc::new(Notify::new()),
            code_secret: Arc::from(code_secret),
            sms_available,
            agents: desk::agents::Agents::default(),
            uploads: None,
            members: desk::members::Members::default(),
            dispute_window_ms: identity::claims::DEFAULT_DISPUTE_WINDOW_MS,
            files: None,
            school: crate::config::school::SchoolConfig::default(),
        }
    }

    /// Sets the dispute window of claims on an ID number.
    pub fn with_dispute_window(mut self, ms: i64) -> Service {
        self.dispute_window_ms = ms;
        self
    }

    /// A stored ID number as every message shows it (`110105********123X`).
    pub(crate) fn masked_id(&self, id_type: &str, number: &str) -> String {
        let kind = crate::domain::IdType::from_code(id_type)
            .unwrap_or(crate::domain::IdType::MainlandResident);
        crate::domain::IdNumber::parse(kind, number, self.clock.today())
            .map(|i| i.masked())
            .unwrap_or_else(|_| crate::domain::mask::mask_middle(number, 2, 2))
    }

    /// The keyed name of a personal value under which limits are counted (never the value).
    pub fn limit_key(&self, scope: crate::domain::keyed::Scope, value: &str) -> String {
        crate::domain::keyed::key(&self.code_secret, scope, value)
    }

    /// Sets the agents' workspace.
    pub fn with_agents(mut self, agents: desk::agents::Agents) -> Service {
        self.agents = agents;
        self
    }

    /// Sets how uploads are read for their content check.
    pub fn with_uploads(mut self, reader: Arc<dyn conversation::uploads::UploadReader>) -> Service {
        self.uploads = Some(reader);
        self
    }
}
