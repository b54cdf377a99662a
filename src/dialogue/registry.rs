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
    ActionSpec {
        name: "set_locale",
        outcomes: &["done"],
    },
    ActionSpec {
        name: "request_human",
        outcomes: &["done"],
    },
    ActionSpec {
        name: "show_status",
        outcomes: &["done"],
    },
];

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
];

pub fn action(name: &str) -> Option<&'static ActionSpec> {
    ACTIONS.iter().find(|a| a.name == name)
}
