//! What an import refuses besides a bad row: identities that conflict, within the file or
//! with the roster already imported — one row per student, one ID number per person, and a
//! re-import that updates a student but never silently replaces one with another.

use crate::domain::record::Record;
use crate::store::{Store, StoreError, records};
use std::collections::HashMap;

/// The roster's identities and those seen so far in the file.
pub(crate) struct Identities {
    /// Imported before: student number → ID number, and ID number → student number.
    roster_by_no: HashMap<String, String>,
    roster_by_id: HashMap<String, String>,
    /// In this file: student number → line, ID number → (name, line).
    file_by_no: HashMap<String, u64>,
    file_by_id: HashMap<String, (String, u64)>,
}

impl Identities {
    /// The roster as it stands, read once.
    pub(crate) async fn load(store: &Store) -> Result<Identities, StoreError> {
        let pairs = records::identities(store).await?;
        let mut roster_by_no = HashMap::with_capacity(pairs.len());
        let mut roster_by_id = HashMap::with_capacity(pairs.len());
        for (student_no, id_number) in pairs {
            roster_by_id.insert(id_number.to_ascii_uppercase(), student_no.clone());
            roster_by_no.insert(student_no, id_number.to_ascii_uppercase());
        }
        Ok(Identities {
            roster_by_no,
            roster_by_id,
            file_by_no: HashMap::new(),
            file_by_id: HashMap::new(),
        })
    }

    /// Whether the roster already has this student number (an update, not an addition).
    pub(crate) fn known(&self, student_no: &str) -> bool {
        self.roster_by_no.contains_key(student_no)
    }

    /// Why `record` (on `line`) conflicts with an earlier row or the roster, if it does; an
    /// accepted row is remembered for the rows after it.
    pub(crate) fn conflict(&mut self, record: &Record, line: u64) -> Option<String> {
        let id = record.id_number.as_str().to_ascii_uppercase();
        let name = record.name.as_str().to_string();
        let no = &record.student_no;
        if let Some(first) = self.file_by_no.get(no) {
            return Some(format!(
                "student_no: {no} is also on line {first}; one row per student"
            ));
        }
        if let Some((other, first)) = self.file_by_id.get(&id)
            && *other != name
        {
            return Some(format!(
                "id_number: on line {first} with another name; one ID number is one person"
            ));
        }
        if self.roster_by_no.get(no).is_some_and(|known| *known != id) {
            return Some(format!(
                "student_no: {no} belongs to another student in the roster (another ID number); a re-import updates a student, it does not replace one"
            ));
        }
        if let Some(other) = self.roster_by_id.get(&id).filter(|other| *other != no) {
            return Some(format!(
                "id_number: already in the roster under student number {other}"
            ));
        }
        self.file_by_no.insert(no.clone(), line);
        self.file_by_id.insert(id, (name, line));
        None
    }
}
