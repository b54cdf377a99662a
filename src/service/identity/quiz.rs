//! The student-status check (提供学籍信息): the student number, the enrolment month and the
//! major against the imported record of the account's name and ID number — what the record
//! confirms, not what a classmate knows. Attempts are limited per account and per ID number
//! under keyed hashes, counted before the answers are looked at, so nothing resets them.

use crate::dialogue::Text;
use crate::domain::keyed::Scope;
use crate::domain::otp::HOUR;
use crate::service::conversation::turn::Turn;
use crate::service::{Service, ServiceError};
use crate::store::{
    Tx,
    accounts::{self, AccountRow},
    audit, records,
};

/// Student-status check attempts per account and per ID number in [`QUIZ_WINDOW_MS`].
pub const QUIZ_ATTEMPTS: i64 = 3;
pub const QUIZ_WINDOW_MS: i64 = 24 * HOUR;
const KIND: &str = "status_quiz";

/// A major as typed or imported: no spaces, case folded, full-width brackets as half-width.
fn major_key(raw: &str) -> String {
    raw.chars()
        .filter(|c| !c.is_whitespace())
        .map(|c| match c {
            '（' => '(',
            '）' => ')',
            c => c,
        })
        .flat_map(char::to_lowercase)
        .collect()
}

impl Service {
    fn quiz_subjects(me: &AccountRow) -> [(Scope, String); 2] {
        [
            (Scope::Account, me.id.to_string()),
            (Scope::IdNumber, me.id_number.clone()),
        ]
    }

    async fn quiz_used(&self, tx: &mut Tx, me: &AccountRow, now: i64) -> Result<i64, ServiceError> {
        let subjects = Self::quiz_subjects(me);
        let refs: Vec<(Scope, &str)> = subjects.iter().map(|(s, v)| (*s, v.as_str())).collect();
        self.limit_count(tx, KIND, &refs, now, QUIZ_WINDOW_MS).await
    }

    /// `quiz_gate`: open, or exhausted before a single question is asked.
    pub(crate) async fn quiz_gate(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
    ) -> Result<&'static str, ServiceError> {
        let Some(me) = accounts::by_chat(tx, turn.chat.chat_id).await? else {
            return Ok("exhausted");
        };
        Ok(
            if self.quiz_used(tx, &me, turn.now).await? >= QUIZ_ATTEMPTS {
                "exhausted"
            } else {
                "open"
            },
        )
    }

    /// `check_student_status`: the limit first, then the answers; match (a claim that waits
    /// out the dispute window), mismatch (how many tries are left, never which answer), or
    /// exhausted (a human is brought in).
    pub(crate) async fn check_student_status(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
    ) -> Result<&'static str, ServiceError> {
        let Some(me) = accounts::by_chat(tx, turn.chat.chat_id).await? else {
            return Ok("exhausted");
        };
        let used = self.quiz_used(tx, &me, turn.now).await?;
        if used >= QUIZ_ATTEMPTS || !me.binding.waits_for_number() {
            let node = turn.chat.state.node.clone();
            self.escalate(tx, turn, &node, "status_check_failed")
                .await?;
            return Ok("exhausted");
        }
        let subjects = Self::quiz_subjects(&me);
        let refs: Vec<(Scope, &str)> = subjects.iter().map(|(s, v)| (*s, v.as_str())).collect();
        self.limit_record(tx, KIND, &refs, turn.now).await?;
        let (number, month, major) = (
            turn.answer("quiz_no").to_string(),
            turn.answer("quiz_month").to_string(),
            major_key(turn.answer("quiz_major")),
        );
        let matched = !month.is_empty()
            && records::find(tx, &me.name, &me.id_number)
                .await?
                .is_some_and(|r| {
                    r.student_no.eq_ignore_ascii_case(&number)
                        && r.enrolled_on.starts_with(&month)
                        && major_key(&r.major) == major
                });
        audit::record(
            tx,
            &self.actor(turn),
            "status_check",
            &format!("account:{}", me.id),
            if matched { "match" } else { "mismatch" },
            turn.now,
        )
        .await?;
        if matched {
            let until = self
                .claim_number(tx, &mut turn.out, &me, "record", turn.now)
                .await?;
            turn.chat.state.answers.insert(
                "claim_until".into(),
                crate::service::identity::claims::local_time(until),
            );
            return Ok("match");
        }
        let left = QUIZ_ATTEMPTS - used - 1;
        if left <= 0 {
            let node = turn.chat.state.node.clone();
            self.escalate(tx, turn, &node, "status_check_failed")
                .await?;
            return Ok("exhausted");
        }
        self.say(
            turn,
            Text::new("dup-quiz-mismatch").arg("tries", left.to_string()),
        );
        Ok("mismatch")
    }
}

#[cfg(test)]
mod tests {
    use super::major_key;

    #[test]
    fn majors_compare_without_spaces_case_or_bracket_width() {
        let cases = [
            ("软件工程", "软件工程", true),
            (" 软件 工程 ", "软件工程", true),
            (
                "计算机科学与技术（中外合作）",
                "计算机科学与技术(中外合作)",
                true,
            ),
            ("Software Engineering", "software engineering", true),
            ("软件工程", "计算机科学与技术", false),
        ];
        for (a, b, same) in cases {
            assert_eq!(major_key(a) == major_key(b), same, "{a} / {b}");
        }
    }
}
