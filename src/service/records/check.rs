//! The record check: finding the student's record, showing it with the graduate photo,
//! confirmations, corrections with evidence, photo tickets, and self-help when nothing matches.

use crate::dialogue::Text;
use crate::dialogue::engine::FileRef;
use crate::dialogue::texts::format_date;
use crate::domain::binding::BindingState;
use crate::domain::ticket::TicketKind;
use crate::message::{FileSource, Outbound};
use crate::service::conversation::turn::Turn;
use crate::service::desk::opening::{About, NewTicket};
use crate::service::{Service, ServiceError};
use crate::store::{
    Tx, accounts, audit,
    records::{self, Confirmation, RecordRow},
};
use serde_json::json;

/// Evidence files one correction may carry.
pub const MAX_EVIDENCE: usize = 10;

fn json_list(turn: &Turn, key: &str) -> Vec<serde_json::Value> {
    serde_json::from_str(turn.answer(key)).unwrap_or_default()
}

impl Service {
    /// `find_record`: found, not_found, no_account or not_bound. Only the bound account's own
    /// record is ever shown, and every view is recorded.
    pub(crate) async fn find_record(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
    ) -> Result<&'static str, ServiceError> {
        let Some(account) = accounts::by_chat(tx, turn.chat.chat_id).await? else {
            return Ok("no_account");
        };
        if !account.binding.holds_number() {
            return Ok("not_bound");
        }
        let answers = &mut turn.chat.state.answers;
        answers.insert("entered_name".into(), account.name.clone());
        answers.insert("entered_id".into(), account.id_number.clone());
        let Some(record) = records::find(tx, &account.name, &account.id_number).await? else {
            audit::record(
                tx,
                &self.actor(turn),
                "record_not_found",
                &format!("account:{}", account.id),
                "",
                turn.now,
            )
            .await?;
            return Ok("not_found");
        };
        if account.binding == BindingState::Unmatched
            && !self
                .promote(tx, turn, account.id, &account.id_number)
                .await?
        {
            return Ok("not_bound");
        }
        let answers = &mut turn.chat.state.answers;
        answers.insert("record_id".into(), record.id.to_string());
        answers.insert(
            "record_has_photo".into(),
            if record.photo_key.is_some() || record.photo_file_id.is_some() {
                "yes"
            } else {
                "no"
            }
            .into(),
        );
        audit::record(
            tx,
            &self.actor(turn),
            "record_viewed",
            &format!("record:{}", record.id),
            "",
            turn.now,
        )
        .await?;
        self.show_record(turn, &record);
        Ok("found")
    }

    fn show_record(&self, turn: &mut Turn, r: &RecordRow) {
        let locale = turn.locale();
        let date = |raw: &str| {
            chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                .map(|d| format_date(d, locale))
                .unwrap_or_else(|_| raw.to_string())
        };
        let masked = self.masked_id(&r.id_type, &r.id_number);
        let card = Text::new("record-card")
            .arg("name", r.name.clone())
            .arg("gender", r.gender.clone())
            .arg("birth_date", date(&r.birth_date))
            .arg("id_masked", masked)
            .arg("school", r.school.clone())
            .arg("college", r.college.clone())
            .arg("major", r.major.clone())
            .arg("level", r.level.clone())
            .arg("study_mode", r.study_mode.clone())
            .arg("class_name", r.class_name.clone())
            .arg("student_no", r.student_no.clone())
            .arg("enrolled_on", date(&r.enrolled_on))
            .arg("graduates_on", date(&r.graduates_on));
        self.say(turn, card);
        // An approved replacement shows instead of the imported photo.
        let photo = match (&r.photo_file_id, &r.photo_key) {
            (Some(id), _) => Some(FileSource::TelegramId(id.clone())),
            (None, Some(key)) => Some(FileSource::Stored(key.clone())),
            (None, None) => None,
        };
        if let Some(file) = photo {
            let caption = self.tree.texts.get(locale, "record-photo-caption");
            turn.out.push(Outbound::Photo {
                chat_id: turn.chat.chat_id,
                file,
                caption,
                buttons: Vec::new(),
            });
        }
    }

    /// `confirm_record` (params what = info | photo): records the time.
    pub(crate) async fn confirm_record(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
        what: &str,
    ) -> Result<&'static str, ServiceError> {
        let Ok(id) = turn.answer("record_id").parse::<i64>() else {
            return Ok("done");
        };
        let which = if what == "photo" {
            Confirmation::Photo
        } else {
            Confirmation::Info
        };
        records::confirm(tx, id, which, turn.now).await?;
        audit::record(
            tx,
            &self.actor(turn),
            &format!("record_{what}_confirmed"),
            &format!("record:{id}"),
            "",
            turn.now,
        )
        .await?;
        Ok("done")
    }

    /// `add_correction`: appends the picked field and the typed value.
    pub(crate) async fn add_correction(
        &self,
        turn: &mut Turn,
    ) -> Result<&'static str, ServiceError> {
        let mut list = json_list(turn, "corrections");
        let field = turn.answer("field").to_string();
        let value = turn.answer("value").to_string();
        list.retain(|c| c["field"] != json!(field));
        list.push(json!({ "field": field, "value": value }));
        let summary = self.corrections_summary(turn, &list);
        turn.chat
            .state
            .answers
            .insert("corrections".into(), serde_json::to_string(&list)?);
        turn.chat
            .state
            .answers
            .insert("corrections_summary".into(), summary);
        // The review shows the count even before any file came: never an unfilled variable.
        turn.chat
            .state
            .answers
            .entry("evidence_count".into())
            .or_insert_with(|| "0".into());
        Ok("done")
    }

    fn corrections_summary(&self, turn: &Turn, list: &[serde_json::Value]) -> String {
        list.iter()
            .map(|c| {
                let field = c["field"].as_str().unwrap_or_default();
                let label = self
                    .tree
                    .texts
                    .get(turn.locale(), &format!("field-{}", field.replace('_', "-")));
                format!(
                    "{} → {}",
                    crate::dialogue::texts::html_to_plain(&label),
                    c["value"].as_str().unwrap_or_default()
                )
            })
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// `add_evidence`: keeps the file just sent; `added`, or `full` at the limit.
    pub(crate) async fn add_evidence(&self, turn: &mut Turn) -> Result<&'static str, ServiceError> {
        let mut list = json_list(turn, "evidence");
        if let Ok(file) = serde_json::from_str::<FileRef>(turn.answer("evidence_file"))
            && !list.iter().any(|f| f["unique_id"] == json!(file.unique_id))
        {
            list.push(serde_json::to_value(&file)?);
        }
        let count = list.len();
        turn.chat
            .state
            .answers
            .insert("evidence".into(), serde_json::to_string(&list)?);
        turn.chat
            .state
            .answers
            .insert("evidence_count".into(), count.to_string());
        if count >= MAX_EVIDENCE {
            return Ok("full");
        }
        self.say(
            turn,
            Text::new("record-evidence-received").arg("count", count.to_string()),
        );
        Ok("added")
    }

    /// `submit_correction`: opens the correction ticket; no_evidence if nothing was sent.
    pub(crate) async fn submit_correction(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
    ) -> Result<&'static str, ServiceError> {
        let evidence = json_list(turn, "evidence");
        if evidence.is_empty() {
            self.say(turn, Text::new("record-evidence-needed"));
            return Ok("no_evidence");
        }
        let detail = json!({ "fields": json_list(turn, "corrections"), "evidence": evidence });
        let id = self
            .open_review(tx, turn, TicketKind::Correction, &detail)
            .await?;
        turn.chat
            .state
            .answers
            .insert("ticket".into(), id.to_string());
        Ok("submitted")
    }

    /// `submit_photo`: opens the photo ticket with the reason and any replacement photo.
    pub(crate) async fn submit_photo(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
    ) -> Result<&'static str, ServiceError> {
        let replacement: Option<FileRef> = serde_json::from_str(turn.answer("photo_file")).ok();
        let detail = json!({
            "reason": turn.answer("photo_reason"),
            "text": turn.answer("photo_reason_text"),
            "replacement": replacement,
        });
        let id = self
            .open_review(tx, turn, TicketKind::Photo, &detail)
            .await?;
        turn.chat
            .state
            .answers
            .insert("ticket".into(), id.to_string());
        Ok("submitted")
    }

    async fn open_review(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
        kind: TicketKind,
        detail: &serde_json::Value,
    ) -> Result<i64, ServiceError> {
        if let Some(open) = self.join_open_review(tx, turn, kind, detail).await? {
            return Ok(open);
        }
        let record_id = turn.answer("record_id").parse::<i64>().ok();
        let new = NewTicket {
            kind,
            about: About::Review { detail, record_id },
            node: None,
            by_bot: false,
        };
        self.open_ticket(tx, turn, new).await
    }
}
