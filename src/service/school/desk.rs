//! `/progress [class or college]` in an agents' group: the totals as text (with the names of
//! the stuck students when one class is asked for), the spreadsheet as a document and the
//! chart as a picture — for the group's own part of the school only.

use super::chart::{self, Bar};
use super::progress::Progress;
use super::report::Labels;
use super::{Scope, xlsx};
use crate::dialogue::Text;
use crate::domain::progress::Stage;
use crate::message::{Inbound, Outbound, Place, split_text};
use crate::service::desk::agents::AGENT_LOCALE;
use crate::service::{Service, ServiceError};
use crate::store::{Tx, audit};

/// Classes listed in the text at most; the spreadsheet has them all.
const CLASS_LINES: usize = 40;
/// Names listed per stage for one class.
const NAMES: usize = 20;

/// What an argument names within a group's scope.
pub(crate) enum Resolved {
    /// A class or college of the scope (or the whole scope, without an argument).
    Scope(Scope),
    /// On the roster, but another group's.
    Outside,
    /// Nowhere on the roster; the closest names of the scope.
    Unknown(Vec<String>),
}

/// Finds `arg` among the classes, then the colleges, of `all` (the whole roster).
pub(crate) fn resolve(arg: &str, all: &Progress, mine: &Scope) -> Resolved {
    let arg = arg.trim();
    if arg.is_empty() {
        return Resolved::Scope(mine.clone());
    }
    let class = all.classes.iter().find(|c| c.class_name == arg);
    let college = all.colleges.iter().find(|(c, _)| c == arg);
    let wanted = match (class, college) {
        (Some(c), _) => Some((Scope::class(arg), mine.contains(&c.college, arg))),
        (None, Some(_)) => {
            let inside = all
                .classes
                .iter()
                .any(|c| c.college == arg && mine.contains(arg, &c.class_name));
            Some((Scope::college(arg), inside))
        }
        (None, None) => None,
    };
    match wanted {
        Some((scope, true)) => Resolved::Scope(scope),
        Some((_, false)) => Resolved::Outside,
        None => {
            let mut names: Vec<String> = all
                .classes
                .iter()
                .filter(|c| mine.contains(&c.college, &c.class_name))
                .flat_map(|c| [c.class_name.clone(), c.college.clone()])
                .filter(|n| n.contains(arg) || arg.contains(n.as_str()))
                .collect();
            names.dedup();
            names.truncate(5);
            Resolved::Unknown(names)
        }
    }
}

impl Service {
    pub(crate) fn labels(&self) -> Labels<'_> {
        Labels {
            texts: &self.tree.texts,
            locale: AGENT_LOCALE,
        }
    }

    /// What `/progress` or `/remind` asks about: the group's scope narrowed by the argument
    /// (the roster read in `tx`), or the answer that it cannot be.
    pub(crate) async fn asked_scope(
        &self,
        tx: &mut Tx,
        inbound: &Inbound,
    ) -> Result<Result<(Progress, String), Vec<Outbound>>, ServiceError> {
        let group = inbound.chat_id;
        let say = |text: &Text| Err(self.say_in_group(inbound, text));
        let Some(mine) = self.scope_of_group(group) else {
            return Ok(say(&Text::new("school-progress-no-scope")));
        };
        let all = self.progress(tx, &[]).await?;
        let arg = inbound.meta.args.trim();
        let everything = self.labels().get("school-scope-all");
        let asked = match resolve(arg, &all, &mine) {
            Resolved::Scope(scope) => scope,
            Resolved::Outside => {
                let text = Text::new("school-progress-outside")
                    .arg("name", arg)
                    .arg("scope", mine.describe(&everything));
                return Ok(say(&text));
            }
            Resolved::Unknown(names) => {
                let suggest = if names.is_empty() {
                    self.tree.texts.get(AGENT_LOCALE, "school-progress-usage")
                } else {
                    let line = Text::new("school-progress-suggest").arg("names", names.join("、"));
                    self.tree.texts.render(AGENT_LOCALE, &line)
                };
                let text = Text::new("school-progress-unknown")
                    .arg("name", arg)
                    .arg("suggest", crate::dialogue::texts::html_to_plain(&suggest));
                return Ok(say(&text));
            }
        };
        let p = Progress::of(
            all.rows
                .into_iter()
                .filter(|r| mine.contains(&r.college, &r.class_name))
                .filter(|r| asked.contains(&r.college, &r.class_name))
                .collect(),
        );
        if p.rows.is_empty() {
            return Ok(say(&Text::new("school-progress-empty")));
        }
        Ok(Ok((p, asked.describe(&everything))))
    }

    /// A text into the group (and topic) `inbound` came from.
    pub(crate) fn say_in_group(&self, inbound: &Inbound, text: &Text) -> Vec<Outbound> {
        let thread_id = match inbound.place {
            Place::Group { thread_id } => thread_id,
            Place::Private => None,
        };
        let body = self.tree.texts.render(AGENT_LOCALE, text);
        texts_to(inbound.chat_id, thread_id, &body)
    }

    /// Answers `/progress` (the caller checked that the sender is an agent here).
    pub(crate) async fn progress_command(
        &self,
        tx: &mut Tx,
        inbound: &Inbound,
        now: i64,
    ) -> Result<Vec<Outbound>, ServiceError> {
        let group = inbound.chat_id;
        let thread_id = match inbound.place {
            Place::Group { thread_id } => thread_id,
            Place::Private => None,
        };
        let (p, scope_name) = match self.asked_scope(tx, inbound).await? {
            Ok(found) => found,
            Err(answer) => return Ok(answer),
        };
        audit::record(
            tx,
            &format!("agent:{}", inbound.user_id),
            "progress_viewed",
            &format!("group:{group}"),
            &scope_name,
            now,
        )
        .await?;
        let mut out = texts_to(group, thread_id, &self.progress_text(&p, &scope_name));
        let date = self.clock.today().format("%Y-%m-%d").to_string();
        let caption = self.tree.texts.render(
            AGENT_LOCALE,
            &Text::new("school-progress-caption")
                .arg("scope", scope_name.clone())
                .arg("date", date.clone()),
        );
        let book = xlsx::workbook(&p, &self.labels())
            .map_err(|e| ServiceError::Report(format!("spreadsheet: {e}")))?;
        let picture = self.progress_chart(&p, &scope_name, &date)?;
        let file_name = format!("{}-{}-{date}", self.labels().get("school-file"), scope_name)
            .replace(['/', '\\', ' '], "_");
        let files = [(book, "xlsx", false), (picture, "png", true)];
        for (bytes, extension, photo) in files {
            let Some(key) = self.store_file(tx, &bytes, extension).await? else {
                out.extend(self.say_in_group(inbound, &Text::new("school-progress-no-files")));
                break;
            };
            out.push(Outbound::File {
                chat_id: group,
                key,
                name: format!("{file_name}.{extension}"),
                caption: caption.clone(),
                photo,
                thread_id,
            });
        }
        Ok(out)
    }

    /// The totals as the agents read them: the whole, then a line per class, then — for one
    /// class — who is at which stage.
    pub(crate) fn progress_text(&self, p: &Progress, scope_name: &str) -> String {
        let l = self.labels();
        let mut lines: Vec<String> = p
            .classes
            .iter()
            .take(CLASS_LINES)
            .map(|c| {
                let stages: String = Stage::ALL
                    .iter()
                    .filter(|s| **s != Stage::Done && c.totals.count(**s) > 0)
                    .map(|s| format!(" · {} {}", l.stage(*s), c.totals.count(*s)))
                    .collect();
                let text = Text::new("school-progress-class")
                    .arg("class", c.class_name.clone())
                    .arg("counsellor", c.counsellor.clone())
                    .arg("done", c.totals.done().to_string())
                    .arg("students", c.totals.students.to_string())
                    .arg("percent", c.totals.percent_done().to_string())
                    .arg("stages", stages);
                self.tree.texts.render(AGENT_LOCALE, &text)
            })
            .collect();
        if p.classes.len() > CLASS_LINES {
            lines.push(format!("… +{}", p.classes.len() - CLASS_LINES));
        }
        if p.classes.len() == 1 {
            for stage in Stage::ALL.iter().filter(|s| **s != Stage::Done) {
                let names: Vec<&str> = p
                    .rows
                    .iter()
                    .filter(|r| r.stage == *stage)
                    .map(|r| r.name.as_str())
                    .collect();
                if names.is_empty() {
                    continue;
                }
                let mut shown = names
                    .iter()
                    .take(NAMES)
                    .copied()
                    .collect::<Vec<_>>()
                    .join("、");
                if names.len() > NAMES {
                    let more = Text::new("school-progress-more")
                        .arg("count", (names.len() - NAMES).to_string());
                    shown = format!("{shown} {}", self.tree.texts.render(AGENT_LOCALE, &more));
                }
                let line = Text::new("school-progress-stuck")
                    .arg("stage", l.stage(*stage))
                    .arg("names", shown);
                lines.push(self.tree.texts.render(AGENT_LOCALE, &line));
            }
        }
        let text = Text::new("school-progress")
            .arg("scope", scope_name)
            .arg("students", p.total.students.to_string())
            .arg("done", p.total.done().to_string())
            .arg("percent", p.total.percent_done().to_string())
            .arg("unreachable", p.total.unreachable.to_string())
            .arg("lines", lines.join("\n"));
        self.tree.texts.render(AGENT_LOCALE, &text)
    }

    /// The chart of `p`: a bar per class, or per college when there are too many classes.
    pub(crate) fn progress_chart(
        &self,
        p: &Progress,
        scope_name: &str,
        date: &str,
    ) -> Result<Vec<u8>, ServiceError> {
        let by_class = p.classes.len() <= chart::MAX_BARS;
        let bars: Vec<Bar> = if by_class {
            p.classes
                .iter()
                .map(|c| Bar {
                    label: c.class_name.clone(),
                    totals: c.totals.clone(),
                })
                .collect()
        } else {
            p.colleges
                .iter()
                .map(|(name, totals)| Bar {
                    label: name.clone(),
                    totals: totals.clone(),
                })
                .collect()
        };
        let key = if by_class {
            "school-chart-title"
        } else {
            "school-chart-colleges"
        };
        let title = Text::new(key).arg("scope", scope_name).arg("date", date);
        let title = self.labels().texts.render(AGENT_LOCALE, &title);
        let l = self.labels();
        chart::png(&bars, &crate::dialogue::texts::html_to_plain(&title), |s| {
            l.stage(s)
        })
    }
}

/// Text messages into the group (and its topic), split below Telegram's limit.
fn texts_to(group: i64, thread_id: Option<i64>, text: &str) -> Vec<Outbound> {
    split_text(text)
        .into_iter()
        .map(|text| Outbound::Text {
            chat_id: group,
            text,
            buttons: Vec::new(),
            contact_button: None,
            thread_id,
        })
        .collect()
}
