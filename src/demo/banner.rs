//! The console's demo roster: loaded into an empty database with the seed's harder cases,
//! and a banner saying whom to register as to meet each of them.

use super::cases::{self, IN_REVIEW, LOOK_ALIKE, TAKEN};
use super::identities;
use crate::app::{AppError, Core};

/// Students in the console's demo roster.
const DEMO_STUDENTS: usize = 36;

/// Loads the demo roster into an empty database and says, through `say`, whom to register
/// as for each case.
pub async fn console_roster(core: &Core, say: impl Fn(&str)) -> Result<(), AppError> {
    let service = &core.service;
    let mut conn = service
        .store
        .pool
        .acquire()
        .await
        .map_err(crate::store::StoreError::from)?;
    if crate::store::records::count(&mut conn).await? > 0 {
        return Ok(());
    }
    drop(conn);
    let dir = core.files.root().join("demo-roster");
    let summary = super::load(
        &service.store,
        &core.files,
        &dir,
        DEMO_STUDENTS,
        service.clock.today(),
        service.clock.now_ms(),
    )
    .await?;
    cases::set_up(&service.store, &core.files, service.clock.now_ms()).await?;
    say(&format!(
        "Loaded a demo roster of {} students (示例大学). Register as one of them:",
        summary.added
    ));
    let students = identities(IN_REVIEW + 1);
    let cases = [
        (
            0,
            "a woman: the whole registration, record and photo check".to_string(),
        ),
        (1, "a man".to_string()),
        (
            LOOK_ALIKE,
            format!(
                "the roster writes 己: register as {} to see the name spelled out character by character",
                students[LOOK_ALIKE].0.replace('己', "已")
            ),
        ),
        (
            TAKEN,
            "case 2: this ID number is already registered by another account".to_string(),
        ),
        (
            IN_REVIEW,
            "case 1: this ID number waits for an ID-scan review".to_string(),
        ),
    ];
    for (i, what) in cases {
        let (name, id, student_no) = &students[i];
        say(&format!(
            "  {name}  {id}  (student no. {student_no}) — {what}"
        ));
    }
    say(
        "Any e-mail address works; codes are printed here. /human or three mistakes open a ticket: /agent works it.",
    );
    Ok(())
}
