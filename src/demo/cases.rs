//! The seed's harder cases, set up in the demo roster so the console can walk them: an ID
//! number already registered by another account (case 2), one whose earlier registration
//! waits for an ID-scan review (case 1), and a name with a look-alike character.

use super::identities;
use crate::domain::binding::BindingState;
use crate::domain::ticket::TicketKind;
use crate::files::FileStore;
use crate::store::accounts::{self, NewAccount};
use crate::store::{Store, StoreError, duplicates, tickets};
use serde_json::json;

/// The demo student whose roster name has a look-alike character (己, not 已).
pub const LOOK_ALIKE: usize = 3;
/// The demo student whose ID number another account already holds (case 2).
pub const TAKEN: usize = 4;
/// The demo student whose ID number waits for an ID-scan review (case 1).
pub const IN_REVIEW: usize = 5;

/// Chats of the accounts set up here: no one types in them (the console's are 1 to 9).
const HOLDER_CHAT: i64 = 91;
const REVIEWER_CHAT: i64 = 92;

/// The name the roster gives demo student `i`.
pub(super) fn roster_name(i: usize, generated: String) -> String {
    if i == LOOK_ALIKE {
        let surname: String = generated.chars().take(1).collect();
        format!("{surname}己")
    } else {
        generated
    }
}

/// Sets up case 2 (an account holding the number) and case 1 (that account, and another
/// whose ID-scan review of the same number is waiting).
pub async fn set_up(store: &Store, files: &FileStore, now: i64) -> Result<(), StoreError> {
    let students = identities(IN_REVIEW + 1);
    // The scans first: a file store in the database writes outside the transaction.
    let mut scans = Vec::new();
    for side in 0..2 {
        let key = files.put(&super::portrait(100 + side), "png").await;
        let key = key.unwrap_or_default();
        scans.push(json!({ "file_id": format!("stored:{key}") }));
    }
    let mut tx = store.begin().await?;
    for (i, chat, email) in [
        (TAKEN, HOLDER_CHAT, "holder.case2@example.com"),
        (IN_REVIEW, HOLDER_CHAT + 10, "holder.case1@example.com"),
    ] {
        let (name, id, _) = &students[i];
        let holder = NewAccount {
            email,
            name,
            id_type: "mainland",
            id_number: id,
            phone: "",
            binding: BindingState::Bound,
            chat_id: chat,
            phone_verified: false,
        };
        accounts::create(&mut tx, &holder, now).await?;
    }
    let (name, id, _) = &students[IN_REVIEW];
    let waiting = NewAccount {
        email: "waiting.case1@example.com",
        name,
        id_type: "mainland",
        id_number: id,
        phone: "",
        binding: BindingState::Pending,
        chat_id: REVIEWER_CHAT,
        phone_verified: false,
    };
    let Some(account) = accounts::create(&mut tx, &waiting, now).await? else {
        return Ok(());
    };
    let detail = json!({ "account": account, "front": scans[0], "back": scans[1] });
    let (front, back) = (scans[0].to_string(), scans[1].to_string());
    let ticket = tickets::open_review(
        &mut tx,
        REVIEWER_CHAT,
        TicketKind::IdReview,
        "dup.submitted",
        &detail.to_string(),
        None,
        now,
    )
    .await?;
    duplicates::insert_review(
        &mut tx,
        account,
        REVIEWER_CHAT,
        id,
        &front,
        &back,
        ticket,
        now,
    )
    .await?;
    tx.commit().await?;
    Ok(())
}
