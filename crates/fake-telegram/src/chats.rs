//! Chats: blocked chats, forum topics and chat members.

use crate::error::{ApiError, ApiResult, bad};
use crate::params::{Params, chat_id, int, str_of};
use crate::state::{State, Topic};
use crate::updates::TestUser;
use serde_json::{Value, json};

impl State {
    pub(crate) fn check_chat(&self, chat: i64, thread: Option<i64>) -> Result<(), ApiError> {
        if self.blocked.contains(&chat) {
            let why = if chat > 0 {
                "bot was blocked by the user"
            } else {
                "bot was kicked from the supergroup chat"
            };
            return Err(ApiError::new(403, format!("Forbidden: {why}")));
        }
        if let (Some(thread), Some(topics)) = (thread, self.forums.get(&chat))
            && !topics.contains_key(&thread)
        {
            return Err(bad("message thread not found"));
        }
        Ok(())
    }

    pub(crate) fn topic(&mut self, method: &str, p: &Params) -> ApiResult {
        let chat = chat_id(p)?;
        self.check_chat(chat, None)?;
        if !self.forums.contains_key(&chat) {
            return Err(bad("the chat is not a forum"));
        }
        let emoji = str_of(p, "icon_custom_emoji_id").map(str::to_owned);
        if method == "createforumtopic" {
            let name = str_of(p, "name").unwrap_or_default().trim().to_owned();
            if name.is_empty() || name.chars().count() > 128 {
                return Err(bad("TOPIC_TITLE_EMPTY"));
            }
            // Creating a topic posts its first service message: it counts as a send.
            self.take_send(chat)?;
            let id = self.next_message_id(chat);
            let icon_color = int(p, "icon_color").unwrap_or(0x6FB9F0);
            let mut result =
                json!({"message_thread_id": id, "name": name, "icon_color": icon_color});
            if let Some(emoji) = &emoji {
                result["icon_custom_emoji_id"] = emoji.clone().into();
            }
            let topic = Topic {
                name,
                emoji,
                closed: false,
            };
            self.forums.entry(chat).or_default().insert(id, topic);
            return Ok(result);
        }
        let thread = int(p, "message_thread_id").ok_or_else(|| bad("TOPIC_ID_INVALID"))?;
        let topics = self.forums.entry(chat).or_default();
        if method == "deleteforumtopic" {
            return topics
                .remove(&thread)
                .map(|_| true.into())
                .ok_or_else(|| bad("TOPIC_ID_INVALID"));
        }
        let topic = topics
            .get_mut(&thread)
            .ok_or_else(|| bad("TOPIC_ID_INVALID"))?;
        let changed = match method {
            "editforumtopic" => {
                let name = str_of(p, "name")
                    .filter(|n| *n != topic.name)
                    .map(str::to_owned);
                let emoji = emoji.filter(|e| Some(e) != topic.emoji.as_ref());
                let changed = name.is_some() || emoji.is_some();
                topic.name = name.unwrap_or_else(|| topic.name.clone());
                topic.emoji = emoji.or(topic.emoji.take());
                changed
            }
            "closeforumtopic" => !std::mem::replace(&mut topic.closed, true),
            _ => std::mem::replace(&mut topic.closed, false),
        };
        if changed {
            Ok(true.into())
        } else {
            Err(bad("TOPIC_NOT_MODIFIED"))
        }
    }

    pub(crate) fn chat_member(&self, p: &Params) -> ApiResult {
        let chat = chat_id(p)?;
        let user_id = int(p, "user_id").ok_or_else(|| bad("invalid user_id specified"))?;
        let status = self
            .members
            .get(&(chat, user_id))
            .map_or("left", String::as_str);
        let user = self.users.get(&user_id).map_or_else(
            || json!({"id": user_id, "is_bot": false, "first_name": format!("User{user_id}")}),
            TestUser::json,
        );
        let mut member = json!({"user": user, "status": status});
        let (flags, extra): (&[&str], Value) = match status {
            "creator" => (&["is_anonymous"], json!({})),
            "administrator" => (ADMIN_FLAGS, json!({"can_manage_chat": true})),
            "restricted" => (
                RESTRICTED_FLAGS,
                json!({"is_member": true, "until_date": 0}),
            ),
            "kicked" => (&[], json!({ "until_date": 0 })),
            _ => (&[], json!({})),
        };
        for f in flags {
            member[*f] = false.into();
        }
        member
            .as_object_mut()
            .into_iter()
            .for_each(|m| m.extend(extra.as_object().cloned().unwrap_or_default()));
        Ok(member)
    }
}

/// Fields set to `false` in an administrator ChatMember.
pub(crate) const ADMIN_FLAGS: &[&str] = &[
    "can_be_edited",
    "is_anonymous",
    "can_delete_messages",
    "can_manage_video_chats",
    "can_restrict_members",
    "can_promote_members",
    "can_change_info",
    "can_invite_users",
    "can_post_stories",
    "can_edit_stories",
    "can_delete_stories",
    "can_pin_messages",
    "can_manage_topics",
];

/// Fields set to `false` in a restricted ChatMember.
pub(crate) const RESTRICTED_FLAGS: &[&str] = &[
    "can_send_messages",
    "can_send_audios",
    "can_send_documents",
    "can_send_photos",
    "can_send_videos",
    "can_send_video_notes",
    "can_send_voice_notes",
    "can_send_polls",
    "can_send_other_messages",
    "can_add_web_page_previews",
    "can_change_info",
    "can_invite_users",
    "can_pin_messages",
    "can_manage_topics",
];
