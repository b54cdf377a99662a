//! A pressed step's message turned into the next step (`editMessageText`), as dialogue
//! libraries do: "not modified" is success, and a message that can no longer be edited
//! (too old, deleted, a photo) gets its buttons taken off and the step sent anew.

use super::api::ApiError;
use super::send::{TIMEOUT, TelegramTransport, keyboard};
use crate::message::{OutButton, Outbound};
use serde_json::json;

/// Telegram's ways of saying a message cannot be edited into text any more.
fn not_editable(description: &str) -> bool {
    let d = description.to_ascii_lowercase();
    d.contains("message to edit not found")
        || d.contains("message can't be edited")
        || d.contains("no text in the message")
        || d.contains("message_id_invalid")
}

impl TelegramTransport {
    /// Edits `message_id` into `text` and `buttons`, or sends them anew when it cannot be
    /// edited; the result is the id of the message that now holds the step.
    pub(super) async fn edit_or_send(
        &self,
        chat_id: i64,
        message_id: i64,
        text: &str,
        buttons: &[Vec<OutButton>],
    ) -> Result<Option<String>, ApiError> {
        let body = json!({ "chat_id": chat_id, "message_id": message_id, "text": text,
            "parse_mode": "HTML", "link_preview_options": { "is_disabled": true },
            "reply_markup": keyboard(buttons) });
        match self.send_html("editMessageText", body, "text").await {
            Err(ApiError::Permanent { description, .. })
                if description.contains("not modified") =>
            {
                Ok(Some(message_id.to_string()))
            }
            Err(ApiError::Permanent { description, .. }) if not_editable(&description) => {
                self.send_instead(chat_id, message_id, text, buttons).await
            }
            other => other,
        }
    }

    /// The step as a new message; then the old message's buttons are taken off (a photo's,
    /// say), as a courtesy: they are stale anyway (their version is old) and answer
    /// "expired", so a refusal or a wait asked for there is not worth a retry.
    async fn send_instead(
        &self,
        chat_id: i64,
        message_id: i64,
        text: &str,
        buttons: &[Vec<OutButton>],
    ) -> Result<Option<String>, ApiError> {
        let step = Outbound::text(chat_id, text.to_string(), buttons.to_vec());
        let sent = self.deliver_in(&step, None).await?;
        let clear = json!({ "chat_id": chat_id, "message_id": message_id,
            "reply_markup": { "inline_keyboard": [] } });
        if let Err(error) = self
            .api
            .call("editMessageReplyMarkup", &clear, TIMEOUT)
            .await
        {
            tracing::debug!(%error, "the buttons of a message that could not be edited stay");
        }
        Ok(sent)
    }
}
