//! Membership of the agents' groups asked of Telegram (getChatMember), for decisions and
//! for each card sent to an agent's private chat.

use super::api::{ApiError, BotApi};
use crate::service::desk::members::{MemberCheck, Members};
use serde_json::{Value, json};
use std::sync::Arc;
use std::time::Duration;

const TIMEOUT: Duration = Duration::from_secs(10);

/// Membership checked through `api`.
pub fn members(api: BotApi) -> Members {
    let check: MemberCheck = Arc::new(move |chat, user| {
        let api = api.clone();
        Box::pin(async move { is_member(&api, chat, user).await })
    });
    Members::new(check)
}

async fn is_member(api: &BotApi, chat: i64, user: i64) -> Option<bool> {
    let body = json!({ "chat_id": chat, "user_id": user });
    match api.call("getChatMember", &body, TIMEOUT).await {
        Ok(member) => Some(counts_as_member(&member)),
        // Telegram knows no such member (or chat): not a member.
        Err(ApiError::Permanent { .. }) => Some(false),
        Err(e) => {
            tracing::warn!(chat, user, error = %e, "getChatMember failed");
            None
        }
    }
}

impl super::send::TelegramTransport {
    /// Whether an agent may still receive a card of `group`'s tickets in their private chat:
    /// listed in `AGENT_IDS`, or a member as Telegram says now (unknown: try again later).
    pub(super) async fn still_agent(&self, agent: i64, group: i64) -> Result<bool, ApiError> {
        if let Some(listed) = self.topics.as_ref().and_then(|t| t.listed_agents()) {
            return Ok(listed.contains(&agent));
        }
        is_member(&self.api, group, agent)
            .await
            .ok_or_else(|| ApiError::Transient("membership unknown".into()))
    }
}

/// Creator, administrator, member, or restricted but still a member.
pub fn counts_as_member(member: &Value) -> bool {
    match member["status"].as_str() {
        Some("creator" | "administrator" | "member") => true,
        Some("restricted") => member["is_member"].as_bool() == Some(true),
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use super::counts_as_member;
    use serde_json::json;

    #[test]
    fn who_counts_as_a_member() {
        for (member, yes) in [
            (json!({"status": "creator"}), true),
            (json!({"status": "administrator"}), true),
            (json!({"status": "member"}), true),
            (json!({"status": "restricted", "is_member": true}), true),
            (json!({"status": "restricted", "is_member": false}), false),
            (json!({"status": "left"}), false),
            (json!({"status": "kicked"}), false),
            (json!({}), false),
        ] {
            assert_eq!(counts_as_member(&member), yes, "{member}");
        }
    }
}
