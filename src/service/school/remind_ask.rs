//! Reminders asked for by people: `/remind [class or college]` in an agents' group (within the
//! group's scope) and `helpdesk remind [--college C] [--class K] [--dry-run]`.

use super::Part;
use super::cli::{RemindArgs, ReportArgs, check_names};
use super::progress::Progress;
use super::remind::due;
use crate::dialogue::Text;
use crate::dialogue::texts::html_to_plain;
use crate::message::{Inbound, Outbound};
use crate::service::desk::agents::AGENT_LOCALE;
use crate::service::{Service, ServiceError};
use crate::store::{Tx, audit};
use std::collections::BTreeSet;

/// The classes of `p` as parts (every class, when the scope is not the whole school).
fn class_parts(p: &Progress, whole_school: bool) -> Vec<Part> {
    if whole_school {
        return Vec::new();
    }
    let classes: BTreeSet<(String, String)> = p
        .rows
        .iter()
        .map(|r| (r.college.clone(), r.class_name.clone()))
        .collect();
    classes
        .into_iter()
        .map(|(college, class)| Part {
            college: Some(college),
            class: Some(class),
        })
        .collect()
}

impl Service {
    /// How the scope's students stand for a reminder asked now: due, never started, muted,
    /// only waiting for the school.
    fn remind_text(&self, p: &Progress, due_now: usize, scope_name: &str) -> Text {
        let unfinished = p.rows.iter().filter(|r| !r.steps_left.is_empty());
        let muted = unfinished
            .clone()
            .filter(|r| r.chat.is_some() && r.muted)
            .count();
        let waiting = p
            .rows
            .iter()
            .filter(|r| r.stage != crate::domain::progress::Stage::Done && r.steps_left.is_empty())
            .count();
        Text::new("school-remind-queued")
            .arg("scope", scope_name)
            .arg("due", due_now.to_string())
            .arg("unreachable", p.total.unreachable.to_string())
            .arg("muted", muted.to_string())
            .arg("waiting", waiting.to_string())
    }

    /// Answers `/remind` (the caller checked that the sender is an agent here).
    pub(crate) async fn remind_command(
        &self,
        tx: &mut Tx,
        inbound: &Inbound,
        now: i64,
    ) -> Result<Vec<Outbound>, ServiceError> {
        let (p, scope_name) = match self.asked_scope(tx, inbound).await? {
            Ok(found) => found,
            Err(answer) => return Ok(answer),
        };
        let whole = self
            .scope_of_group(inbound.chat_id)
            .is_some_and(|s| s.is_everything())
            && inbound.meta.args.trim().is_empty();
        let by = format!("agent:{}", inbound.user_id);
        let (p, due_now) = self
            .ask_reminder(tx, &class_parts(&p, whole), &by, now)
            .await?;
        audit::record(
            tx,
            &by,
            "reminders_requested",
            &format!("group:{}", inbound.chat_id),
            &scope_name,
            now,
        )
        .await?;
        Ok(self.say_in_group(inbound, &self.remind_text(&p, due_now, &scope_name)))
    }

    /// `helpdesk remind`: what was asked (or, with `--dry-run`, who would be reminded of what),
    /// or the message saying what is wrong with the arguments.
    pub async fn remind_cli(
        &self,
        args: &RemindArgs,
    ) -> Result<Result<String, String>, ServiceError> {
        let names = ReportArgs {
            college: args.college.clone(),
            class: args.class.clone(),
            format: None,
            output: None,
            chart: None,
        };
        let now = self.clock.now_ms();
        let mut tx = self.store.begin().await?;
        let all = self.progress(&mut tx, &[]).await?;
        if let Err(message) = check_names(&all, &names) {
            return Ok(Err(message));
        }
        let part = Part {
            college: args.college.clone(),
            class: args.class.clone(),
        };
        let whole = args.college.is_none() && args.class.is_none();
        let scope = super::Scope {
            parts: if whole {
                Vec::new()
            } else {
                vec![part.clone()]
            },
        };
        let everything = self.labels().get("school-scope-all");
        let scope_name = scope.describe(&everything);
        if args.dry_run {
            tx.rollback().await?;
            let lines: Vec<String> = all
                .rows
                .iter()
                .filter(|r| due(r) && scope.contains(&r.college, &r.class_name))
                .map(|r| {
                    format!(
                        "{} {} {} {}: {}",
                        r.student_no,
                        r.name,
                        r.class_name,
                        r.id_masked,
                        self.labels().left(r)
                    )
                })
                .collect();
            return Ok(Ok(format!(
                "{} student(s) would be reminded ({scope_name}):\n{}",
                lines.len(),
                lines.join("\n")
            )));
        }
        let parts = if whole { Vec::new() } else { vec![part] };
        let (p, due_now) = self.ask_reminder(&mut tx, &parts, "operator", now).await?;
        audit::record(
            &mut tx,
            "operator",
            "reminders_requested",
            "cli",
            &scope_name,
            now,
        )
        .await?;
        tx.commit().await?;
        let text = self.remind_text(&p, due_now, &scope_name);
        let said = html_to_plain(&self.tree.texts.render(AGENT_LOCALE, &text));
        Ok(Ok(format!(
            "{said}\nThe bot sends them while it runs (helpdesk run), also after a restart."
        )))
    }
}
