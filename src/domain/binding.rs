//! Where an account stands with its real-name identity (DOMAIN.md, binding): bound to its
//! roster record, waiting because another account holds the ID number, unbound after losing
//! it, matching no record yet, or cleared to take it.

use std::fmt;

/// An account's binding to its ID number's roster record. Stored by its name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum BindingState {
    /// Name and ID number match a roster record, and the account holds the number.
    Bound,
    /// Registered while another account held the number: waiting for a review, a classmate
    /// or the record questions.
    Pending,
    /// It held the number once and lost it to the rightful holder.
    Unbound,
    /// It holds the number, but name and number match no roster record (yet).
    Unmatched,
    /// Cleared to take the number (a review approved, a claim through): binds with a code.
    Resolved,
}

impl BindingState {
    pub const ALL: [BindingState; 5] = [
        BindingState::Bound,
        BindingState::Pending,
        BindingState::Unbound,
        BindingState::Unmatched,
        BindingState::Resolved,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            BindingState::Bound => "bound",
            BindingState::Pending => "pending",
            BindingState::Unbound => "unbound",
            BindingState::Unmatched => "unmatched",
            BindingState::Resolved => "resolved",
        }
    }

    pub fn parse(name: &str) -> Option<BindingState> {
        BindingState::ALL.into_iter().find(|b| b.as_str() == name)
    }

    /// The account holds its ID number (no other account can bind it).
    pub fn holds_number(self) -> bool {
        matches!(self, BindingState::Bound | BindingState::Unmatched)
    }

    /// The account waits to be given its ID number.
    pub fn waits_for_number(self) -> bool {
        matches!(self, BindingState::Pending | BindingState::Unbound)
    }
}

impl fmt::Display for BindingState {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A stored binding that is none of the states.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown binding `{0}`")]
pub struct UnknownBinding(pub String);

impl TryFrom<String> for BindingState {
    type Error = UnknownBinding;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        BindingState::parse(&s).ok_or(UnknownBinding(s))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn states_round_trip_and_say_who_holds_the_number() {
        for b in BindingState::ALL {
            assert_eq!(BindingState::parse(b.as_str()), Some(b));
            assert!(!(b.holds_number() && b.waits_for_number()), "{b}");
        }
        // Cleared to bind: neither holding the number yet nor asking for it.
        let resolved = BindingState::Resolved;
        assert!(!resolved.holds_number() && !resolved.waits_for_number());
        assert_eq!(BindingState::parse("Bound"), None);
        assert!(BindingState::try_from("gone".to_string()).is_err());
    }
}
