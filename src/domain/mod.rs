//! Plain domain types and rules, parsed at the edge: past parsing only valid values exist.
//! No I/O, no teloxide, sqlx or lettre.

pub mod binding;
pub mod callback;
pub mod email;
pub mod file_kind;
pub mod id_number;
pub mod keyed;
pub mod mask;
pub mod otp;
pub mod person_name;
pub mod phone;
pub mod progress;
pub mod record;
pub mod record_field;
pub mod ticket;

pub use callback::Callback;
pub use email::{Email, EmailError};
pub use file_kind::{Content, FileKind};
pub use id_number::{Gender, IdNumber, IdNumberError, IdType};
pub use person_name::{PersonName, PersonNameError};
pub use phone::{Phone, PhoneError};
