//! The school's deadline and the reminders before it (`DEADLINE`, `REMINDERS`), checked
//! once into dates and days.

use super::{ConfigError, bad};
use clap::Args;

/// The deadline and when to remind, as given.
#[derive(Debug, Clone, Default, Args)]
pub struct SchoolSettings {
    /// The day by which every student must have registered and checked their record and
    /// photo (YYYY-MM-DD, China Standard Time); shown in /start and /status when set.
    #[arg(long, env = "DEADLINE", global = true)]
    pub deadline: Option<String>,
    /// Days before DEADLINE on which the students who talked to the bot and are not finished
    /// are reminded, comma-separated: `14d,3d,1d` (from 09:00 China Standard Time that day).
    #[arg(long, env = "REMINDERS", value_delimiter = ',', global = true)]
    pub reminders: Vec<String>,
}

/// The deadline and the reminders' days before it, checked.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SchoolConfig {
    pub deadline: Option<chrono::NaiveDate>,
    /// Days before the deadline, largest first.
    pub reminders: Vec<u32>,
}

impl SchoolSettings {
    /// The settings checked; names the variable at fault.
    pub fn checked(&self) -> Result<SchoolConfig, ConfigError> {
        let deadline = match self
            .deadline
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
        {
            None => None,
            Some(raw) => Some(
                chrono::NaiveDate::parse_from_str(raw, "%Y-%m-%d")
                    .map_err(|_| bad("DEADLINE", "expected a date like 2026-06-30"))?,
            ),
        };
        let mut reminders = Vec::new();
        for raw in self
            .reminders
            .iter()
            .map(|r| r.trim())
            .filter(|r| !r.is_empty())
        {
            let days = raw
                .strip_suffix('d')
                .and_then(|n| n.parse::<u32>().ok())
                .filter(|n| *n <= 366)
                .ok_or_else(|| {
                    bad(
                        "REMINDERS",
                        "expected days before the deadline, e.g. 14d,3d,1d",
                    )
                })?;
            reminders.push(days);
        }
        if !reminders.is_empty() && deadline.is_none() {
            return Err(bad(
                "REMINDERS",
                "needs DEADLINE (the day they count back from)",
            ));
        }
        reminders.sort_unstable_by(|a, b| b.cmp(a));
        reminders.dedup();
        Ok(SchoolConfig {
            deadline,
            reminders,
        })
    }
}
