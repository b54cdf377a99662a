//! Delivery into tickets' forum topics: the topic created on first use (and again when it was
//! deleted), the card's message id kept, and the card redrawn.

use super::api::ApiError;
use super::send::{TIMEOUT, TelegramTransport, keyboard};
use crate::message::{OutButton, Outbound};
use crate::service::ServiceError;
use serde_json::{Value, json};

/// Telegram's ways of saying a forum topic no longer exists.
fn topic_gone(description: &str) -> bool {
    let d = description.to_ascii_lowercase();
    d.contains("thread not found")
        || d.contains("topic_id_invalid")
        || d.contains("topic_deleted")
        || d.contains("topic not found")
}

/// The database behind the bookkeeping failed: worth trying the delivery again.
fn store_error(e: ServiceError) -> ApiError {
    ApiError::Transient(e.to_string())
}

impl TelegramTransport {
    /// Sends into the ticket's topic, creating it when missing and again when it was deleted;
    /// a topic created again gets the card first, so the agents keep its summary and buttons.
    pub(super) async fn send_to_topic(
        &self,
        ticket: i64,
        name: &str,
        group: i64,
        message: &Outbound,
        is_card: bool,
    ) -> Result<Option<String>, ApiError> {
        for attempt in 0..2 {
            let thread = self.topic(ticket, name, group).await?;
            if attempt > 0 && !is_card {
                self.card_again(ticket, group, thread).await?;
            }
            match self.deliver_in(message, Some(thread)).await {
                Err(ApiError::Permanent { description, .. }) if topic_gone(&description) => {
                    if let Some(topics) = &self.topics {
                        topics
                            .forget_topic(ticket, group)
                            .await
                            .map_err(store_error)?;
                    }
                }
                other => return other,
            }
        }
        Err(ApiError::Transient(
            "the ticket's topic keeps disappearing".into(),
        ))
    }

    /// Sends the card into a topic created again, and keeps its new message id.
    async fn card_again(&self, ticket: i64, group: i64, thread: i64) -> Result<(), ApiError> {
        let Some(topics) = &self.topics else {
            return Ok(());
        };
        let Some((text, buttons)) = topics.card(ticket).await.map_err(store_error)? else {
            return Ok(());
        };
        let card = Outbound::text(group, text, buttons);
        let sent = self.deliver_in(&card, Some(thread)).await?;
        self.remember_card(ticket, sent.as_deref()).await;
        Ok(())
    }

    async fn topic(&self, ticket: i64, name: &str, group: i64) -> Result<i64, ApiError> {
        let Some(topics) = &self.topics else {
            return Err(ApiError::Permanent {
                code: 0,
                description: "no store".into(),
            });
        };
        if let Some(topic) = topics.topic_of(ticket).await.map_err(store_error)? {
            return Ok(topic);
        }
        let title: String = name.chars().take(128).collect();
        let created = self
            .api
            .call(
                "createForumTopic",
                &json!({ "chat_id": group, "name": title }),
                TIMEOUT,
            )
            .await?;
        let topic = created
            .get("message_thread_id")
            .and_then(Value::as_i64)
            .ok_or_else(|| ApiError::Transient("createForumTopic gave no thread id".into()))?;
        // A ticket's messages share one lane, delivered one at a time by whichever instance
        // claims them, so two topics for one ticket should not happen; if one still did
        // (a claim that expired mid-call), the first recorded wins and is used.
        let kept = topics
            .keep_topic(ticket, topic, group)
            .await
            .map_err(store_error)?;
        if kept != topic {
            tracing::warn!(
                ticket,
                "a second topic was created for a ticket; using the first"
            );
        }
        Ok(kept)
    }

    /// Keeps the card's message id, so the card can be redrawn later. The card is sent by
    /// now: a failure here is logged, not retried (it would send the card again).
    pub(super) async fn remember_card(&self, ticket: i64, message_id: Option<&str>) {
        let (Some(topics), Some(id)) = (&self.topics, message_id.and_then(|m| m.parse().ok()))
        else {
            return;
        };
        if let Err(e) = topics.keep_card(ticket, id).await {
            tracing::warn!(ticket, error = %e, "the card's message id was not kept");
        }
    }

    /// Records `copy` as the copy of `source` in the ticket's message-id map (the student's
    /// chat when `source_chat` is none). Logged, not retried: replies then route by topic.
    pub(super) async fn remember_copy(
        &self,
        ticket: i64,
        source_chat: Option<i64>,
        source: i64,
        copy_chat: i64,
        copy: Option<&str>,
    ) {
        let (Some(topics), Some(copy)) = (&self.topics, copy.and_then(|m| m.parse().ok())) else {
            return;
        };
        let kept = topics
            .keep_copy(ticket, source_chat, source, (copy_chat, copy))
            .await;
        if let Err(e) = kept {
            tracing::warn!(ticket, error = %e, "a relayed message was not mapped");
        }
    }

    /// Redraws the card; waits (as a transient failure) until the card itself was sent.
    pub(super) async fn edit_card(
        &self,
        ticket: i64,
        group: i64,
        text: &str,
        buttons: &[Vec<OutButton>],
    ) -> Result<Option<String>, ApiError> {
        let Some(topics) = &self.topics else {
            return Ok(None);
        };
        let Some(message_id) = topics.card_of(ticket).await.map_err(store_error)? else {
            return Err(ApiError::Transient("the card is not sent yet".into()));
        };
        let body = json!({ "chat_id": group, "message_id": message_id, "text": text,
            "parse_mode": "HTML", "reply_markup": keyboard(buttons) });
        match self.api.call("editMessageText", &body, TIMEOUT).await {
            // The same card again, or a card deleted by an agent: nothing to redraw.
            Err(ApiError::Permanent { description, .. })
                if description.contains("not modified") || description.contains("not found") =>
            {
                Ok(None)
            }
            other => other.map(|_| None),
        }
    }
}
