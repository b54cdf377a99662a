//! What the bot keeps about a student (/privacy) and erasing it (/delete_my_data, confirmed
//! by a one-time code when there is an account) from every chat the account used.

use crate::dialogue::Text;
use crate::dialogue::texts::html_to_plain;
use crate::domain::otp::Purpose;
use crate::domain::{Email, Phone};
use crate::message::Outbound;
use crate::service::conversation::turn::Turn;
use crate::service::{Service, ServiceError};
use crate::store::{Tx, accounts, audit, codes, person, tickets};
use serde_json::Value;

impl Service {
    /// `/privacy`: the stored data, masked as everywhere else.
    pub(crate) async fn privacy_text(
        &self,
        tx: &mut Tx,
        turn: &Turn,
    ) -> Result<Text, ServiceError> {
        let account = match accounts::by_chat(tx, turn.chat.chat_id).await? {
            Some(a) => {
                let line = Text::new("privacy-account")
                    .arg(
                        "username",
                        Email::parse(&a.email)
                            .map(|e| e.masked())
                            .unwrap_or_default(),
                    )
                    .arg("name", a.name.clone())
                    .arg("id_masked", self.masked_id(&a.id_type, &a.id_number))
                    .arg(
                        "phone",
                        Phone::parse(&a.phone)
                            .map(|p| p.masked())
                            .unwrap_or_default(),
                    )
                    .arg_key("binding", format!("binding-{}", a.binding));
                html_to_plain(&self.tree.texts.render(turn.locale(), &line))
            }
            None => self.tree.texts.get(turn.locale(), "status-no-account"),
        };
        let open = tickets::open_for_chat(tx, turn.chat.chat_id).await?.len();
        Ok(Text::new("privacy-summary")
            .arg("account", account)
            .arg("tickets", open.to_string())
            .arg("answers", turn.chat.state.answers.len().to_string())
            .arg("locale", turn.locale().code()))
    }

    /// `erase_my_data`: by person, not by chat. Every chat the account used: its tickets
    /// (contents, relayed-message map, the topics in the agents' group, copies sent to an
    /// agent privately), reviews and scans, requests to classmates, dialogues, messages that
    /// failed or wait; the account's personal fields; uploads the bot stored. The audit trail
    /// keeps what happened, without who. Rate limits (keyed hashes) stay.
    pub(crate) async fn erase_my_data(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
    ) -> Result<&'static str, ServiceError> {
        let chat = turn.chat.chat_id;
        let account = accounts::by_chat(tx, chat).await?;
        // With an account, only a deletion code typed for this very account leads here.
        if let Some(a) = &account
            && !self.take_proof(turn, Purpose::Erase, &format!("account:{}", a.id))
        {
            tracing::error!(account = a.id, "erase_my_data without a deletion code");
            self.say(turn, Text::new("internal-error"));
            return Ok("done");
        }
        // No account: -1 names none, and only this chat's own rows go.
        let account_id = account.as_ref().map_or(-1, |a| a.id);
        let mut chats = vec![chat];
        if let Some(a) = &account {
            for other in person::chats_of(tx, a.id).await? {
                if !chats.contains(&other) {
                    chats.push(other);
                }
            }
        }
        let mut keys = Vec::new();
        for (front, back) in person::scans_of(tx, account_id).await? {
            stored_keys(&front, &mut keys);
            stored_keys(&back, &mut keys);
        }
        for &c in &chats {
            for ticket in person::tickets_of(tx, c, account_id).await? {
                stored_keys(&ticket.detail, &mut keys);
                for (chat_id, message_id) in person::copies_elsewhere(tx, ticket.id, c).await? {
                    turn.out.push(Outbound::DeleteMessage {
                        chat_id,
                        message_id,
                    });
                }
                if let (Some(group), Some(topic_id)) = (ticket.agent_chat, ticket.topic_id) {
                    turn.out.push(Outbound::DeleteTopic { group, topic_id });
                }
                person::erase_ticket(tx, ticket.id, turn.now).await?;
            }
            person::erase_chat(tx, c, account_id, c == chat).await?;
            // The codes' send history stays (keyed hashes: the limits a deletion must not
            // lift), without the chat it came from.
            codes::forget_chat(tx, c, turn.now).await?;
        }
        if let Some(a) = &account {
            for address in [a.email.clone(), a.email.to_lowercase(), a.phone.clone()] {
                person::erase_address(tx, &address).await?;
            }
            accounts::erase(tx, a.id).await?;
        }
        person::forget(tx, account_id, &keys).await?;
        audit::record(tx, "erased", "data_erased", "chat:erased", "", turn.now).await?;
        turn.chat.state.answers.clear();
        turn.chat.state.history.clear();
        Ok("done")
    }
}

/// The keys of uploads the bot stored itself (`stored:KEY` file references) named in `json`.
fn stored_keys(json: &str, keys: &mut Vec<String>) {
    fn walk(value: &Value, keys: &mut Vec<String>) {
        match value {
            Value::String(s) => {
                if let Some(key) = s.strip_prefix("stored:") {
                    keys.push(key.to_string());
                }
            }
            Value::Array(items) => items.iter().for_each(|v| walk(v, keys)),
            Value::Object(map) => map.values().for_each(|v| walk(v, keys)),
            _ => {}
        }
    }
    if let Ok(value) = serde_json::from_str::<Value>(json) {
        walk(&value, keys);
    }
}

#[cfg(test)]
mod tests {
    use super::stored_keys;

    #[test]
    fn stored_uploads_are_found_wherever_they_are_named() {
        let cases = [
            ("", vec![]),
            (r#"{"file_id":"AgAD"}"#, vec![]),
            (r#"{"file_id":"stored:ab.jpg"}"#, vec!["ab.jpg"]),
            (
                r#"{"evidence":[{"file_id":"stored:1.pdf"},{"file_id":"x"}],"front":{"file_id":"stored:2.jpg"}}"#,
                vec!["1.pdf", "2.jpg"],
            ),
        ];
        for (json, expected) in cases {
            let mut keys = Vec::new();
            stored_keys(json, &mut keys);
            assert_eq!(keys, expected, "{json}");
        }
    }
}
