//! Student records: the record check with the graduate photo, corrections, the self-help when
//! no record matches, and importing the roster.

pub mod check;
pub mod import;
mod import_checks;
pub mod selfhelp;
