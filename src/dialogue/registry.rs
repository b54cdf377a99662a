//! The names the dialogue files may use: actions (effects written in Rust) with their
//! outcomes, validators, entry points, and the text keys the Rust code itself renders.

/// A named effect the service layer implements, and the outcomes it can report.
#[derive(Debug, Clone, Copy)]
pub struct ActionSpec {
    pub name: &'static str,
    pub outcomes: &'static [&'static str],
}

/// Every action a dialogue file may name. The service layer has a test that it
/// implements each of them.
pub const ACTIONS: &[ActionSpec] = &[
    spec("set_locale", &["done"]),
    spec("request_human", &["done"]),
    spec("show_status", &["done"]),
    spec(
        "send_code",
        &["sent", "cooldown", "limit", "locked", "unavailable"],
    ),
    spec("verify_code", &["ok", "wrong", "dead", "expired", "locked"]),
    spec("check_email", &["free", "taken"]),
    spec(
        "check_id_number",
        &["free", "free_plain", "taken", "review_open"],
    ),
    spec("check_phone", &["free", "used"]),
    spec("create_account", &["created", "email_taken"]),
    spec("find_account", &["found", "not_found"]),
    spec("sign_in", &["done"]),
    spec("retrieve_username", &["found", "not_found", "limited"]),
    spec(
        "find_record",
        &["found", "not_found", "no_account", "not_bound"],
    ),
    spec("confirm_record", &["done"]),
    spec("add_correction", &["done"]),
    spec("add_evidence", &["added", "full"]),
    spec("submit_correction", &["submitted", "no_evidence"]),
    spec("submit_photo", &["submitted"]),
    spec("explain_no_match", &["done"]),
    spec("update_name", &["done"]),
    spec(
        "dup_state",
        &["pending", "resolved", "review_open", "bound", "no_account"],
    ),
    spec("submit_review", &["submitted"]),
    spec("show_review", &["done"]),
    spec("send_assist_request", &["sent", "limit"]),
    spec("check_student_status", &["match", "mismatch", "exhausted"]),
    spec("bind_identity", &["bound", "conflict"]),
];

const fn spec(name: &'static str, outcomes: &'static [&'static str]) -> ActionSpec {
    ActionSpec { name, outcomes }
}

/// Every validator an input node may name.
pub const VALIDATORS: &[&str] = &[
    "text",
    "email",
    "code6",
    "person_name",
    "id_type",
    "id_number",
    "phone",
    "photo",
    "file",
    "year",
    "student_no",
];

/// Nodes reachable from outside the graph (commands), besides `menu.main`.
pub const ENTRY_NODES: &[&str] = &["menu.main", "faq.root", "lang.choose"];

/// The node every flow returns to.
pub const MAIN_MENU: &str = "menu.main";

/// Text keys the Rust code renders directly; every locale must define them.
pub const RUST_TEXT_KEYS: &[&str] = &[
    "progress",
    "nav-back",
    "nav-cancel",
    "nav-human",
    "nav-share-phone",
    "stale-button",
    "button-done",
    "choose-a-button",
    "expected-text",
    "expected-photo",
    "expected-file",
    "unknown-command",
    "help-after-misses",
    "cancelled",
    "human-requested",
    "human-already-open",
    "status-header",
    "status-no-account",
    "privacy-summary",
    "flood-warning",
    "internal-error",
    "kind-sticker",
    "kind-voice",
    "kind-photo",
    "kind-document",
    "kind-location",
    "kind-contact",
    "kind-other",
    "nav-menu",
    "err-text-empty",
    "err-text-too-long",
    "err-code-digits",
    "err-code-length",
    "err-id-type-unknown",
    "err-year",
    "err-student-no",
    "err-phone-not-own",
    "err-file-not-image",
    "err-file-too-big",
    "code-sms-unavailable",
    "duration-minutes",
    "duration-hours",
    "code-cooldown",
    "code-hourly-limit",
    "code-locked",
    "code-delivery-failed",
    "code-message",
    "code-mail-subject",
    "code-sent-email",
    "code-sent-sms",
    "code-wrong",
    "code-dead",
    "code-expired",
    "code-purpose-activation",
    "code-purpose-phone",
    "code-purpose-login",
    "code-purpose-confirm",
    "login-signed-out-elsewhere",
    "username-mail-subject",
    "username-mail-body",
    "status-account",
    "binding-bound",
    "binding-pending",
    "binding-unbound",
    "record-card",
    "record-photo-caption",
    "record-evidence-received",
    "record-evidence-needed",
    "record-look-alike",
    "record-no-match-detail",
    "record-status-complete",
    "record-status-pending",
    "record-status-none",
    "dup-review-progress",
    "dup-review-none",
    "review-submitted",
    "review-in-review",
    "review-approved",
    "review-rejected",
    "dup-review-approved",
    "dup-review-rejected",
    "assist-request",
    "assist-accept",
    "assist-decline",
    "assist-you-accepted",
    "assist-you-declined",
    "assist-was-accepted",
    "assist-was-declined",
    "dup-quiz-mismatch",
    "dup-unbound-notice",
    "status-assist-inbox",
];

pub fn action(name: &str) -> Option<&'static ActionSpec> {
    ACTIONS.iter().find(|a| a.name == name)
}
