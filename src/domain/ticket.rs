//! Tickets: what a student's request to a person is about ([`TicketKind`]) and where it
//! stands ([`TicketStatus`]), with the moves between statuses the desk may make.

use std::fmt;

/// What a ticket is about. Stored by its name (`id_review`…).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TicketKind {
    /// The student asked for a person.
    Human,
    /// The bot could not finish a step (an action that kept failing…).
    Escalation,
    /// A correction of the student's record, to be checked.
    Correction,
    /// A replacement graduate photo, to be checked.
    Photo,
    /// An ID scan uploaded because the ID number is registered to someone else.
    IdReview,
    /// The holder of an ID number objects to a claim on it.
    IdObjection,
}

/// Where a ticket stands. Stored by its name (`in_progress`…).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TicketStatus {
    Open,
    /// Held by an agent.
    InProgress,
    /// A review approved (the decision is final; the student is told).
    Resolved,
    /// A review rejected, with the reason the student is told.
    Rejected,
    Closed,
}

/// A name that is no kind or status (an old or corrupted row).
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("unknown ticket {what} `{name}`")]
pub struct UnknownName {
    pub what: &'static str,
    pub name: String,
}

impl TicketKind {
    pub const ALL: [TicketKind; 6] = [
        TicketKind::Human,
        TicketKind::Escalation,
        TicketKind::Correction,
        TicketKind::Photo,
        TicketKind::IdReview,
        TicketKind::IdObjection,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TicketKind::Human => "human",
            TicketKind::Escalation => "escalation",
            TicketKind::Correction => "correction",
            TicketKind::Photo => "photo",
            TicketKind::IdReview => "id_review",
            TicketKind::IdObjection => "id_objection",
        }
    }

    pub fn parse(name: &str) -> Result<TicketKind, UnknownName> {
        TicketKind::ALL
            .into_iter()
            .find(|k| k.as_str() == name)
            .ok_or_else(|| UnknownName {
                what: "kind",
                name: name.to_string(),
            })
    }

    /// Whether an agent decides it (approve/reject) rather than only answering.
    pub fn is_review(self) -> bool {
        matches!(
            self,
            TicketKind::IdReview
                | TicketKind::Photo
                | TicketKind::Correction
                | TicketKind::IdObjection
        )
    }

    /// The texts' key suffix (`ticket-kind-id-review`).
    pub fn text_key(self) -> String {
        self.as_str().replace('_', "-")
    }
}

impl TicketStatus {
    pub const ALL: [TicketStatus; 5] = [
        TicketStatus::Open,
        TicketStatus::InProgress,
        TicketStatus::Resolved,
        TicketStatus::Rejected,
        TicketStatus::Closed,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            TicketStatus::Open => "open",
            TicketStatus::InProgress => "in_progress",
            TicketStatus::Resolved => "resolved",
            TicketStatus::Rejected => "rejected",
            TicketStatus::Closed => "closed",
        }
    }

    pub fn parse(name: &str) -> Result<TicketStatus, UnknownName> {
        TicketStatus::ALL
            .into_iter()
            .find(|s| s.as_str() == name)
            .ok_or_else(|| UnknownName {
                what: "status",
                name: name.to_string(),
            })
    }

    /// Still waiting for, or with, an agent.
    pub fn is_active(self) -> bool {
        matches!(self, TicketStatus::Open | TicketStatus::InProgress)
    }

    /// The moves the desk may make: take, release, decide, close, and reopen a finished one.
    pub fn can_become(self, next: TicketStatus) -> bool {
        use TicketStatus::*;
        match (self, next) {
            (Open, InProgress) | (InProgress, Open) => true,
            (Open | InProgress, Resolved | Rejected | Closed) => true,
            // Reopening (by the student, within the window) goes back to the queue.
            (Resolved | Rejected | Closed, Open) => true,
            // A decided review is closed when the agent closes the topic.
            (Resolved | Rejected, Closed) => true,
            _ => false,
        }
    }

    /// The texts' key suffix (`ticket-status-in-progress`).
    pub fn text_key(self) -> String {
        self.as_str().replace('_', "-")
    }
}

impl fmt::Display for TicketKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Display for TicketStatus {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl TryFrom<String> for TicketKind {
    type Error = UnknownName;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        TicketKind::parse(&s)
    }
}

impl TryFrom<String> for TicketStatus {
    type Error = UnknownName;
    fn try_from(s: String) -> Result<Self, Self::Error> {
        TicketStatus::parse(&s)
    }
}

#[cfg(test)]
mod tests {
    use super::TicketStatus::*;
    use super::*;

    #[test]
    fn names_round_trip_and_strangers_are_refused() {
        for k in TicketKind::ALL {
            assert_eq!(TicketKind::parse(k.as_str()), Ok(k));
        }
        for s in TicketStatus::ALL {
            assert_eq!(TicketStatus::parse(s.as_str()), Ok(s));
        }
        assert!(TicketKind::parse("Human").is_err());
        assert!(TicketStatus::parse("done").is_err());
    }

    #[test]
    fn the_desk_moves_only_along_the_allowed_edges() {
        let allowed = [
            (Open, InProgress),
            (InProgress, Open),
            (Open, Closed),
            (InProgress, Closed),
            (InProgress, Resolved),
            (InProgress, Rejected),
            (Open, Resolved),
            (Open, Rejected),
            (Closed, Open),
            (Resolved, Open),
            (Rejected, Open),
            (Resolved, Closed),
            (Rejected, Closed),
        ];
        for from in TicketStatus::ALL {
            for to in TicketStatus::ALL {
                assert_eq!(
                    from.can_become(to),
                    allowed.contains(&(from, to)),
                    "{from} → {to}"
                );
            }
        }
    }

    #[test]
    fn only_decisions_are_reviews() {
        let reviews: Vec<TicketKind> = TicketKind::ALL
            .into_iter()
            .filter(|k| k.is_review())
            .collect();
        assert_eq!(
            reviews,
            [
                TicketKind::Correction,
                TicketKind::Photo,
                TicketKind::IdReview,
                TicketKind::IdObjection
            ]
        );
        assert_eq!(TicketKind::IdReview.text_key(), "id-review");
        assert_eq!(InProgress.text_key(), "in-progress");
    }
}
