//! The deadline as students read it (in `/start`, `/status` and reminders), and `/mute` /
//! `/unmute` for the reminders.

use crate::dialogue::texts::format_date;
use crate::dialogue::{Locale, Text};
use crate::service::conversation::turn::Turn;
use crate::service::{Service, ServiceError};
use crate::store::{Tx, audit, reminders};
use chrono::NaiveDate;

/// "Please finish by 30 June 2026 (29 days left)", or that it is today, or past.
pub fn deadline_text(deadline: NaiveDate, today: NaiveDate, locale: Locale) -> Text {
    let days = (deadline - today).num_days();
    let key = match days {
        d if d > 0 => "school-deadline-ahead",
        0 => "school-deadline-today",
        _ => "school-deadline-past",
    };
    Text::new(key)
        .arg("date", format_date(deadline, locale))
        .arg("days", days.max(0).to_string())
}

impl Service {
    /// The deadline line in the student's language, when a deadline is set.
    pub(crate) fn deadline_line(&self, locale: Locale) -> Option<String> {
        let deadline = self.school.deadline?;
        let text = deadline_text(deadline, self.clock.today(), locale);
        Some(self.tree.texts.render(locale, &text))
    }

    /// `/start` with a deadline set: the deadline goes in front of the main menu.
    pub(crate) fn start_notice(&self, turn: &mut Turn) {
        if let Some(deadline) = self.school.deadline {
            let text = deadline_text(deadline, self.clock.today(), turn.locale());
            turn.lead = Some((text, turn.out.len()));
        }
    }

    /// `/mute` (`muted`) or `/unmute`: the answer to say.
    pub(crate) async fn mute(
        &self,
        tx: &mut Tx,
        turn: &Turn,
        muted: bool,
    ) -> Result<Text, ServiceError> {
        let chat = turn.chat.chat_id;
        reminders::set_muted(tx, chat, muted, turn.now).await?;
        let action = if muted {
            "reminders_muted"
        } else {
            "reminders_unmuted"
        };
        audit::record(
            tx,
            &format!("chat:{chat}"),
            action,
            &format!("chat:{chat}"),
            "",
            turn.now,
        )
        .await?;
        Ok(Text::new(if muted {
            "school-muted"
        } else {
            "school-unmuted"
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_deadline_counts_days_in_the_students_calendar() {
        let d = |s: &str| NaiveDate::parse_from_str(s, "%Y-%m-%d").expect("date");
        let ahead = deadline_text(d("2026-06-30"), d("2026-06-01"), Locale::ZhCn);
        assert_eq!(ahead.key, "school-deadline-ahead");
        assert!(ahead.args.contains(&("days".into(), "29".into())));
        assert!(
            ahead
                .args
                .contains(&("date".into(), "2026年6月30日".into()))
        );
        let today = deadline_text(d("2026-06-30"), d("2026-06-30"), Locale::En);
        assert_eq!(today.key, "school-deadline-today");
        let past = deadline_text(d("2026-06-30"), d("2026-07-02"), Locale::En);
        assert_eq!(past.key, "school-deadline-past");
        assert!(past.args.contains(&("days".into(), "0".into())));
    }
}
