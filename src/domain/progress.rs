//! How far a student on the roster has come (the school's view): the one stage a report row
//! shows, the steps still left to the student, and the totals per class and college.

use std::collections::BTreeMap;

/// What the bot knows about one roster record's student.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Facts {
    /// An account was registered with the record's ID number.
    pub registered: bool,
    /// That account is bound to the real-name information (the record can be checked).
    pub bound: bool,
    pub info_confirmed: bool,
    pub photo_confirmed: bool,
    /// A correction of the record waits for the counsellor.
    pub correction_open: bool,
    /// A replacement photo waits for the counsellor.
    pub photo_ticket_open: bool,
    /// An ID-scan review (the number was registered by someone else) waits for an agent.
    pub review_open: bool,
}

/// The stage a student is at, furthest first where two apply: a student waiting for the
/// school is shown as waiting, whatever else they have done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Stage {
    NotRegistered,
    Registered,
    Bound,
    RecordConfirmed,
    PhotoConfirmed,
    TicketOpen,
    ReviewOpen,
    Done,
}

impl Stage {
    pub const ALL: [Stage; 8] = [
        Stage::NotRegistered,
        Stage::Registered,
        Stage::Bound,
        Stage::RecordConfirmed,
        Stage::PhotoConfirmed,
        Stage::TicketOpen,
        Stage::ReviewOpen,
        Stage::Done,
    ];

    /// The stored and printed code (`not_registered`…); texts are keyed by it.
    pub fn code(self) -> &'static str {
        match self {
            Stage::NotRegistered => "not_registered",
            Stage::Registered => "registered",
            Stage::Bound => "bound",
            Stage::RecordConfirmed => "record_confirmed",
            Stage::PhotoConfirmed => "photo_confirmed",
            Stage::TicketOpen => "ticket_open",
            Stage::ReviewOpen => "review_open",
            Stage::Done => "done",
        }
    }

    pub fn of(f: &Facts) -> Stage {
        if f.info_confirmed && f.photo_confirmed {
            Stage::Done
        } else if f.review_open {
            Stage::ReviewOpen
        } else if f.correction_open || f.photo_ticket_open {
            Stage::TicketOpen
        } else if f.photo_confirmed {
            Stage::PhotoConfirmed
        } else if f.info_confirmed {
            Stage::RecordConfirmed
        } else if f.bound {
            Stage::Bound
        } else if f.registered {
            Stage::Registered
        } else {
            Stage::NotRegistered
        }
    }
}

/// A step the student can take themselves (what a reminder lists as still to do).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Step {
    Register,
    /// Bind the real-name information (resolve the duplicate ID number).
    Bind,
    CheckRecord,
    CheckPhoto,
}

impl Step {
    pub fn code(self) -> &'static str {
        match self {
            Step::Register => "register",
            Step::Bind => "bind",
            Step::CheckRecord => "check_record",
            Step::CheckPhoto => "check_photo",
        }
    }
}

/// The steps left to the student, in the order they come; what waits for the school (an open
/// correction, photo ticket or review) is not the student's to do and is left out.
pub fn steps_left(f: &Facts) -> Vec<Step> {
    if f.info_confirmed && f.photo_confirmed {
        return Vec::new();
    }
    let mut steps = Vec::new();
    if !f.registered {
        steps.push(Step::Register);
    } else if !f.bound && !f.review_open {
        steps.push(Step::Bind);
    }
    if f.review_open {
        return steps;
    }
    if !f.info_confirmed && !f.correction_open {
        steps.push(Step::CheckRecord);
    }
    if !f.photo_confirmed && !f.photo_ticket_open {
        steps.push(Step::CheckPhoto);
    }
    steps
}

/// Counts of one class or college.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    pub students: usize,
    pub by_stage: BTreeMap<Stage, usize>,
    /// Never started the bot (or could not be tied to a chat): no reminder reaches them.
    pub unreachable: usize,
}

impl Totals {
    pub fn add(&mut self, stage: Stage, reachable: bool) {
        self.students += 1;
        *self.by_stage.entry(stage).or_default() += 1;
        if !reachable {
            self.unreachable += 1;
        }
    }

    pub fn count(&self, stage: Stage) -> usize {
        self.by_stage.get(&stage).copied().unwrap_or(0)
    }

    pub fn done(&self) -> usize {
        self.count(Stage::Done)
    }

    /// Finished, in whole percent (0 for an empty group).
    pub fn percent_done(&self) -> u32 {
        percent(self.done(), self.students)
    }
}

/// `part` of `whole` in whole percent, rounded half up; 0 when `whole` is 0.
pub fn percent(part: usize, whole: usize) -> u32 {
    if whole == 0 {
        return 0;
    }
    u32::try_from((part * 200 + whole) / (whole * 2)).unwrap_or(100)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn facts(flags: &str) -> Facts {
        Facts {
            registered: flags.contains('r'),
            bound: flags.contains('b'),
            info_confirmed: flags.contains('i'),
            photo_confirmed: flags.contains('p'),
            correction_open: flags.contains('c'),
            photo_ticket_open: flags.contains('t'),
            review_open: flags.contains('v'),
        }
    }

    #[test]
    fn each_student_has_one_stage_and_waiting_for_the_school_shows() {
        let cases = [
            ("", Stage::NotRegistered),
            ("r", Stage::Registered),
            ("rb", Stage::Bound),
            ("rbi", Stage::RecordConfirmed),
            ("rbp", Stage::PhotoConfirmed),
            ("rbc", Stage::TicketOpen),
            ("rbipt", Stage::Done),
            ("rbit", Stage::TicketOpen),
            ("rv", Stage::ReviewOpen),
            ("rbcv", Stage::ReviewOpen),
            ("rbip", Stage::Done),
        ];
        for (flags, stage) in cases {
            assert_eq!(Stage::of(&facts(flags)), stage, "{flags:?}");
        }
    }

    #[test]
    fn the_steps_left_are_the_students_own() {
        use Step::*;
        let cases: [(&str, &[Step]); 8] = [
            ("", &[Register, CheckRecord, CheckPhoto]),
            ("r", &[Bind, CheckRecord, CheckPhoto]),
            ("rv", &[]),
            ("rb", &[CheckRecord, CheckPhoto]),
            ("rbi", &[CheckPhoto]),
            ("rbc", &[CheckPhoto]),
            ("rbit", &[]),
            ("rbip", &[]),
        ];
        for (flags, steps) in cases {
            assert_eq!(steps_left(&facts(flags)), steps, "{flags:?}");
        }
    }

    #[test]
    fn totals_count_stages_and_round_percentages() {
        let mut t = Totals::default();
        t.add(Stage::Done, true);
        t.add(Stage::Done, true);
        t.add(Stage::Bound, false);
        assert_eq!((t.students, t.done(), t.unreachable), (3, 2, 1));
        assert_eq!(t.percent_done(), 67);
        assert_eq!(percent(1, 8), 13);
        assert_eq!(percent(0, 0), 0);
        assert_eq!(percent(5, 5), 100);
    }
}
