//! The service's clock: real time, optionally shifted by a number of seconds read from a
//! file, so tests and drills can move time forward without sleeping.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use std::path::PathBuf;

#[derive(Debug, Clone, Default)]
pub struct Clock {
    offset_file: Option<PathBuf>,
}

impl Clock {
    pub fn system() -> Clock {
        Clock { offset_file: None }
    }

    /// A clock shifted by the seconds written in `file` (missing or unreadable means 0).
    pub fn with_offset_file(file: PathBuf) -> Clock {
        Clock {
            offset_file: Some(file),
        }
    }

    pub fn now(&self) -> DateTime<Utc> {
        let offset = self
            .offset_file
            .as_ref()
            .and_then(|f| std::fs::read_to_string(f).ok())
            .and_then(|s| s.trim().parse::<i64>().ok())
            .unwrap_or(0);
        Utc::now() + Duration::seconds(offset)
    }

    pub fn now_ms(&self) -> i64 {
        self.now().timestamp_millis()
    }

    /// Today's date in China Standard Time, the students' calendar.
    pub fn today(&self) -> NaiveDate {
        (self.now() + Duration::hours(8)).date_naive()
    }
}
