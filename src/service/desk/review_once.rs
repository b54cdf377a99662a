//! One open review per kind per account (DOMAIN.md, security model): a second scan review,
//! photo or correction request while one is open adds to that one instead of opening another
//! topic and card on the agents' budget; the student is told which ticket it is.

use crate::dialogue::Text;
use crate::domain::ticket::TicketKind;
use crate::service::conversation::turn::Turn;
use crate::service::desk::agents::{attachment, attachments};
use crate::service::{Service, ServiceError};
use crate::store::{Tx, audit, tickets};
use serde_json::Value;

impl Service {
    /// When the student's account (from any of its chats) already has a ticket of `kind`
    /// open: `detail`'s files and fields are added to it and posted in its topic, the student
    /// is told its number, and its id returned. `None`: open a new one.
    pub(crate) async fn join_open_review(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
        kind: TicketKind,
        detail: &Value,
    ) -> Result<Option<i64>, ServiceError> {
        let Some(id) = tickets::unfinished_of_kind(tx, turn.chat.chat_id, kind).await? else {
            return Ok(None);
        };
        let Some(ticket) = tickets::ticket(tx, id).await? else {
            return Ok(None);
        };
        let mut merged: Value = serde_json::from_str(&ticket.detail).unwrap_or(Value::Null);
        if !merged.is_object() {
            merged = serde_json::json!({});
        }
        let added = added_items(detail);
        for (key, items) in [("evidence", &added.0), ("fields", &added.1)] {
            if let Some(list) = merged.get_mut(key).and_then(Value::as_array_mut) {
                list.extend(items.iter().cloned());
            } else if !items.is_empty() {
                merged[key] = Value::Array(items.clone());
            }
        }
        tickets::set_detail(tx, id, &merged.to_string()).await?;
        let count = added.0.len() + added.1.len();
        let note = Text::new("ticket-added-topic").arg("count", count.to_string());
        turn.out.extend(self.topic_text(&ticket, &note));
        if let Some(group) = self.group_of(&ticket) {
            let files = serde_json::json!({ "evidence": added.0 }).to_string();
            for (file, is_photo) in attachments(&files) {
                let message = attachment(group, file, is_photo, id);
                turn.out.extend(self.to_topic(&ticket, message));
            }
        }
        self.say(
            turn,
            Text::new("review-already-open").arg("ticket", id.to_string()),
        );
        audit::record(
            tx,
            &self.actor(turn),
            "review_added",
            &format!("ticket:{id}"),
            kind.as_str(),
            turn.now,
        )
        .await?;
        Ok(Some(id))
    }
}

/// The files (evidence, scans, a replacement photo) and corrected fields of a request.
fn added_items(detail: &Value) -> (Vec<Value>, Vec<Value>) {
    let mut files: Vec<Value> = detail
        .get("evidence")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    for key in ["front", "back", "replacement"] {
        if let Some(v) = detail.get(key).filter(|v| !v.is_null()) {
            files.push(v.clone());
        }
    }
    let fields = detail
        .get("fields")
        .and_then(Value::as_array)
        .cloned()
        .unwrap_or_default();
    (files, fields)
}

#[cfg(test)]
mod tests {
    use super::added_items;
    use serde_json::json;

    #[test]
    fn what_a_request_adds() {
        let cases = [
            (json!({}), 0, 0),
            (json!({ "replacement": null, "reason": "not_me" }), 0, 0),
            (json!({ "replacement": { "file_id": "p" } }), 1, 0),
            (
                json!({ "front": { "file_id": "f" }, "back": { "file_id": "b" } }),
                2,
                0,
            ),
            (
                json!({ "fields": [{ "field": "major" }], "evidence": [1, 2] }),
                2,
                1,
            ),
        ];
        for (detail, files, fields) in cases {
            let (f, d) = added_items(&detail);
            assert_eq!((f.len(), d.len()), (files, fields), "{detail}");
        }
    }
}
