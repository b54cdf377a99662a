//! What the sender keeps about tickets' forum topics while it delivers: the topic of a
//! ticket, its card's message id, and which copy in the topic stands for which message.

use crate::message::OutButton;
use crate::service::{Service, ServiceError};
use crate::store::{relay, tickets};

/// The delivery side's bookkeeping of topics, over the store.
#[derive(Clone)]
pub struct Topics {
    service: Service,
}

impl std::fmt::Debug for Topics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Topics")
    }
}

impl Topics {
    pub fn new(service: Service) -> Topics {
        Topics { service }
    }

    /// The ticket's card as it stands (for a topic created again after it was deleted).
    pub async fn card(
        &self,
        ticket: i64,
    ) -> Result<Option<(String, Vec<Vec<OutButton>>)>, ServiceError> {
        let mut tx = self.service.store.begin().await?;
        let card = match tickets::ticket(&mut tx, ticket).await? {
            Some(ticket) => Some(self.service.card(&mut tx, &ticket, 0).await?),
            None => None,
        };
        tx.commit().await?;
        Ok(card)
    }

    /// The agents listed in `AGENT_IDS`; `None` when every member of an agents' group acts.
    pub fn listed_agents(&self) -> Option<&[i64]> {
        let ids = &self.service.agents.ids;
        (!ids.is_empty()).then_some(ids.as_slice())
    }

    /// The ticket's topic, if one was created.
    pub async fn topic_of(&self, ticket: i64) -> Result<Option<i64>, ServiceError> {
        let mut conn = self.service.store.pool.acquire().await?;
        Ok(tickets::topic_of(&mut conn, ticket).await?)
    }

    /// Forgets a topic Telegram says is gone, so the next delivery creates a new one.
    pub async fn forget_topic(&self, ticket: i64, group: i64) -> Result<(), ServiceError> {
        let mut conn = self.service.store.pool.acquire().await?;
        Ok(tickets::set_topic(&mut conn, ticket, None, group).await?)
    }

    /// Records a newly created topic unless the ticket got one meanwhile; returns the one
    /// the ticket keeps.
    pub async fn keep_topic(
        &self,
        ticket: i64,
        topic: i64,
        group: i64,
    ) -> Result<i64, ServiceError> {
        let mut conn = self.service.store.pool.acquire().await?;
        Ok(tickets::set_topic_if_none(&mut conn, ticket, topic, group).await?)
    }

    /// Keeps the message id of the ticket's card, so it can be redrawn.
    pub async fn keep_card(&self, ticket: i64, message_id: i64) -> Result<(), ServiceError> {
        let mut conn = self.service.store.pool.acquire().await?;
        Ok(tickets::set_card_msg(&mut conn, ticket, message_id).await?)
    }

    /// The message id of the ticket's card, once it was sent.
    pub async fn card_of(&self, ticket: i64) -> Result<Option<i64>, ServiceError> {
        let mut conn = self.service.store.pool.acquire().await?;
        Ok(tickets::card_msg_of(&mut conn, ticket).await?)
    }

    /// Records `copy` (chat, message) as the copy of message `source` in `source_chat` (the
    /// ticket's student when none).
    pub async fn keep_copy(
        &self,
        ticket: i64,
        source_chat: Option<i64>,
        source: i64,
        copy: (i64, i64),
    ) -> Result<(), ServiceError> {
        let mut conn = self.service.store.pool.acquire().await?;
        Ok(relay::map_copy(&mut conn, ticket, source_chat, source, copy).await?)
    }
}
