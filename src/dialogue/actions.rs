//! The actions dialogue files may call, each declared once: its name, the params it takes
//! (and their allowed values), the answers it reads and writes, and the outcomes it reports.
//! `helpdesk check` holds every action node to its declaration; the service implements each
//! [`Action`] in one exhaustive `match`, so a declared action cannot go unimplemented.

/// One param of an action: its name and the values it may take (any when empty).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ParamSpec {
    pub name: &'static str,
    pub values: &'static [&'static str],
    pub required: bool,
}

/// What a dialogue file may say about an action, and what it must.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActionSpec {
    pub name: &'static str,
    pub params: &'static [ParamSpec],
    /// Answers the action reads: some step or action of the tree must write each.
    pub reads: &'static [&'static str],
    /// Answers the action writes for later steps.
    pub writes: &'static [&'static str],
    pub outcomes: &'static [&'static str],
}

impl ActionSpec {
    pub fn param(&self, name: &str) -> Option<&ParamSpec> {
        self.params.iter().find(|p| p.name == name)
    }
}

/// The one-time code purposes (see `domain::otp::Purpose`, kept equal by a test).
const PURPOSES: &[&str] = &["activation", "phone", "login", "bind", "erase"];

macro_rules! actions {
    ($(
        $variant:ident = $name:literal {
            $(needs: [$($np:literal = [$($nv:literal),*]),* $(,)?],)?
            $(may: [$($mp:literal = [$($mv:literal),*]),* $(,)?],)?
            $(reads: [$($r:literal),* $(,)?],)?
            $(writes: [$($w:literal),* $(,)?],)?
            outcomes: [$($o:literal),+ $(,)?] $(,)?
        }
    )+) => {
        /// An action a dialogue file may name.
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
        pub enum Action { $($variant),+ }

        impl Action {
            pub const ALL: &'static [Action] = &[$(Action::$variant),+];

            /// Its declaration.
            pub fn spec(self) -> &'static ActionSpec {
                match self {
                    $(Action::$variant => &ActionSpec {
                        name: $name,
                        params: &[
                            $($(ParamSpec { name: $np, values: &[$($nv),*], required: true },)*)?
                            $($(ParamSpec { name: $mp, values: &[$($mv),*], required: false },)*)?
                        ],
                        reads: &[$($($r),*)?],
                        writes: &[$($($w),*)?],
                        outcomes: &[$($o),+],
                    },)+
                }
            }
        }
    };
}

actions! {
    SetLocale = "set_locale" { needs: ["locale" = ["zh-CN", "en"]], outcomes: ["done"] }
    RequestHuman = "request_human" { outcomes: ["done"] }
    ShowStatus = "show_status" { outcomes: ["done"] }
    ShowPrivacy = "show_privacy" { outcomes: ["done"] }
    SendCode = "send_code" {
        needs: ["purpose" = []],
        outcomes: ["sent", "cooldown", "limit", "locked", "unavailable"],
    }
    VerifyCode = "verify_code" {
        needs: ["purpose" = []],
        outcomes: ["ok", "wrong", "dead", "expired", "locked"],
    }
    CheckEmail = "check_email" { reads: ["email"], outcomes: ["free", "taken", "limited"] }
    CheckIdNumber = "check_id_number" {
        reads: ["id_number"],
        outcomes: ["free", "free_plain", "taken", "review_open"],
    }
    CheckPhone = "check_phone" { reads: ["phone"], outcomes: ["free", "used"] }
    CreateAccount = "create_account" {
        reads: ["email", "id_number", "id_type", "name", "phone"],
        writes: ["binding", "phone_checked"],
        outcomes: ["created", "email_taken", "taken_meanwhile", "unverified"],
    }
    FindAccount = "find_account" {
        reads: ["username"],
        writes: ["login_email_masked", "login_phone_masked"],
        outcomes: ["found", "not_found", "limited"],
    }
    SignIn = "sign_in" { reads: ["username"], outcomes: ["done"] }
    RetrieveUsername = "retrieve_username" {
        reads: ["id_number", "name"],
        writes: ["username_masked"],
        outcomes: ["found", "not_found", "limited"],
    }
    FindRecord = "find_record" {
        writes: ["entered_id", "entered_name", "record_has_photo", "record_id"],
        outcomes: ["found", "not_found", "no_account", "not_bound"],
    }
    ConfirmRecord = "confirm_record" {
        may: ["what" = ["info", "photo"]],
        reads: ["record_id"],
        outcomes: ["done"],
    }
    AddCorrection = "add_correction" {
        reads: ["field", "value"],
        writes: ["corrections", "corrections_summary"],
        outcomes: ["done"],
    }
    AddEvidence = "add_evidence" {
        reads: ["evidence_file"],
        writes: ["evidence", "evidence_count"],
        outcomes: ["added", "full"],
    }
    SubmitCorrection = "submit_correction" { writes: ["ticket"], outcomes: ["submitted", "no_evidence"] }
    SubmitPhoto = "submit_photo" {
        reads: ["photo_file", "photo_reason"],
        writes: ["ticket"],
        outcomes: ["submitted"],
    }
    ExplainNoMatch = "explain_no_match" { outcomes: ["done", "limited"] }
    UpdateName = "update_name" { reads: ["new_name"], outcomes: ["done", "limited"] }
    DupState = "dup_state" {
        writes: ["claim_until"],
        outcomes: [
            "pending", "resolved", "review_open", "bound", "no_account", "waiting", "objected",
            "claimed", "unmatched",
        ],
    }
    SubmitReview = "submit_review" {
        reads: ["scan_front", "scan_back"],
        writes: ["ticket"],
        outcomes: ["submitted"],
    }
    ShowReview = "show_review" { outcomes: ["done"] }
    SendAssistRequest = "send_assist_request" {
        reads: ["peer_name", "peer_username"],
        outcomes: ["sent", "limit"],
    }
    QuizGate = "quiz_gate" { outcomes: ["open", "exhausted"] }
    CheckStudentStatus = "check_student_status" {
        reads: ["quiz_major", "quiz_month", "quiz_no"],
        writes: ["claim_until"],
        outcomes: ["match", "mismatch", "exhausted"],
    }
    ObjectClaims = "object_claims" { outcomes: ["done", "none"] }
    BindIdentity = "bind_identity" { outcomes: ["bound", "conflict"] }
    PrivacyState = "privacy_state" { outcomes: ["account", "no_account"] }
    EraseMyData = "erase_my_data" { outcomes: ["done"] }
}

impl Action {
    /// The action a dialogue file names.
    pub fn parse(name: &str) -> Option<Action> {
        Action::ALL.iter().copied().find(|a| a.spec().name == name)
    }

    /// The values `param` may take: a code purpose, or what the declaration lists.
    pub fn allowed(self, param: &ParamSpec) -> &'static [&'static str] {
        if param.name == "purpose" && matches!(self, Action::SendCode | Action::VerifyCode) {
            PURPOSES
        } else {
            param.values
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::otp::Purpose;

    #[test]
    fn names_are_unique_and_parse_back() {
        for action in Action::ALL {
            assert_eq!(Action::parse(action.spec().name), Some(*action));
        }
        assert_eq!(Action::parse("actvation"), None);
    }

    #[test]
    fn the_purposes_are_the_codes_purposes() {
        for name in PURPOSES {
            assert!(Purpose::from_code(name).is_some(), "{name}");
        }
        for purpose in [
            Purpose::Activation,
            Purpose::Phone,
            Purpose::Login,
            Purpose::Bind,
            Purpose::Erase,
        ] {
            assert!(PURPOSES.contains(&purpose.code()));
        }
    }
}
