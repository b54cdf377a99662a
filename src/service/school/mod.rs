//! The school's view: how far every student on the roster has come (per student, class and
//! college), as a report (`helpdesk report`), in the agents' group (`/progress`, with the
//! spreadsheet and a chart); which agents' group a student's tickets go to (`AGENT_GROUPS`
//! rules by class or college); the deadline, and reminders to the students not finished.

pub mod chart;
pub mod cli;
pub mod deadline;
pub mod desk;
pub mod progress;
pub mod remind;
pub mod remind_ask;
pub mod report;
pub mod routing;
pub mod xlsx;

use crate::files::{FileError, FileStore};
use crate::service::{Service, ServiceError};
use crate::store::{self, Tx};
use progress::Progress;

/// A part of a scope: the students of a college, of a class, or of a class in a college.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Part {
    pub college: Option<String>,
    pub class: Option<String>,
}

impl Part {
    fn contains(&self, college: &str, class: &str) -> bool {
        self.college.as_deref().is_none_or(|c| c == college)
            && self.class.as_deref().is_none_or(|c| c == class)
    }

    fn name(&self) -> String {
        match (&self.college, &self.class) {
            (Some(college), Some(class)) => format!("{college} {class}"),
            (Some(one), None) | (None, Some(one)) => one.clone(),
            (None, None) => String::new(),
        }
    }
}

/// Which students a report, a chart or a reminder covers: those of any of its parts; no part
/// at all is the whole school.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Scope {
    pub parts: Vec<Part>,
}

impl Scope {
    pub fn everything() -> Scope {
        Scope::default()
    }

    pub fn of(part: Part) -> Scope {
        Scope { parts: vec![part] }
    }

    pub fn class(name: &str) -> Scope {
        Scope::of(Part {
            college: None,
            class: Some(name.to_string()),
        })
    }

    pub fn college(name: &str) -> Scope {
        Scope::of(Part {
            college: Some(name.to_string()),
            class: None,
        })
    }

    pub fn is_everything(&self) -> bool {
        self.parts.is_empty()
    }

    pub fn contains(&self, college: &str, class: &str) -> bool {
        self.is_everything() || self.parts.iter().any(|p| p.contains(college, class))
    }

    /// `计算机学院、2022级计算机1班`, or `everything` for the whole school.
    pub fn describe(&self, everything: &str) -> String {
        if self.is_everything() {
            return everything.to_string();
        }
        self.parts
            .iter()
            .map(Part::name)
            .collect::<Vec<_>>()
            .join("、")
    }
}

impl Service {
    /// Sets the deadline and the reminders before it.
    pub fn with_school(mut self, school: crate::config::school::SchoolConfig) -> Service {
        self.school = school;
        self
    }

    /// Sets where the reports and charts sent to agents are stored.
    pub fn with_files(mut self, files: FileStore) -> Service {
        self.files = Some(files);
        self
    }

    /// Every roster student within all of `scopes`, read in `tx`, with their totals.
    pub async fn progress(&self, tx: &mut Tx, scopes: &[&Scope]) -> Result<Progress, ServiceError> {
        let snapshot = store::progress::snapshot(tx).await?;
        let rows = progress::rows(&snapshot, |kind, number| self.masked_id(kind, number))
            .into_iter()
            .filter(|r| scopes.iter().all(|s| s.contains(&r.college, &r.class_name)))
            .collect();
        Ok(Progress::of(rows))
    }

    /// Stores a report's file inside `tx` (a database file store writes its row there, so an
    /// SQLite writer never waits for itself); returns its key.
    pub(crate) async fn store_file(
        &self,
        tx: &mut Tx,
        bytes: &[u8],
        extension: &str,
    ) -> Result<Option<String>, ServiceError> {
        let Some(files) = &self.files else {
            return Ok(None);
        };
        match files.put_in(tx, bytes, extension).await {
            Ok(key) => Ok(Some(key)),
            Err(FileError::Database(e)) => Err(e.into()),
            Err(e) => Err(ServiceError::Report(e.to_string())),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scopes_are_unions_of_parts() {
        let both = Scope::of(Part {
            college: Some("计算机学院".into()),
            class: Some("1班".into()),
        });
        assert!(both.contains("计算机学院", "1班"));
        assert!(!both.contains("外国语学院", "1班"));
        let union = Scope {
            parts: vec![
                Scope::college("外国语学院").parts[0].clone(),
                Scope::class("2班").parts[0].clone(),
            ],
        };
        assert!(union.contains("外国语学院", "9班") && union.contains("计算机学院", "2班"));
        assert!(!union.contains("计算机学院", "1班"));
        assert!(Scope::everything().contains("任何", "班级"));
        assert_eq!(union.describe("全校"), "外国语学院、2班");
        assert_eq!(Scope::everything().describe("全校"), "全校");
    }
}
