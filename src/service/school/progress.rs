//! One row per roster record from the store's snapshot: whose account it is, the chat that
//! reaches the student, the stage, the dates of each step and the open tickets; and the
//! totals per class and college.

use crate::dialogue::Locale;
use crate::domain::binding::BindingState;
use crate::domain::progress::{Facts, Stage, Step, Totals, steps_left};
use crate::store::progress::{AccountFact, ChatFact, Snapshot, TicketFact};
use std::collections::{BTreeMap, HashMap, HashSet};

/// A student of the roster and how far they have come.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StudentRow {
    pub record_id: i64,
    pub id_masked: String,
    pub name: String,
    pub student_no: String,
    pub college: String,
    pub major: String,
    pub class_name: String,
    pub counsellor: String,
    pub stage: Stage,
    pub steps_left: Vec<Step>,
    /// When the student first wrote to the bot.
    pub first_contact_at: Option<i64>,
    pub registered_at: Option<i64>,
    pub bound_at: Option<i64>,
    pub info_confirmed_at: Option<i64>,
    pub photo_confirmed_at: Option<i64>,
    pub done_at: Option<i64>,
    pub open_tickets: Vec<i64>,
    /// The chat a reminder reaches, in its language; `None`: never started the bot.
    pub chat: Option<(i64, Locale)>,
    pub muted: bool,
    pub last_reminded_at: Option<i64>,
}

impl StudentRow {
    pub fn reachable(&self) -> bool {
        self.chat.is_some()
    }
}

/// A class's totals with who counsels it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ClassTotals {
    pub college: String,
    pub class_name: String,
    pub counsellor: String,
    pub totals: Totals,
}

/// The rows of a scope and their totals.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Progress {
    pub rows: Vec<StudentRow>,
    pub classes: Vec<ClassTotals>,
    pub colleges: Vec<(String, Totals)>,
    pub total: Totals,
}

impl Progress {
    /// Totals of `rows` (kept in their order: college, class, student number).
    pub fn of(rows: Vec<StudentRow>) -> Progress {
        let mut classes: BTreeMap<(String, String), ClassTotals> = BTreeMap::new();
        let mut colleges: BTreeMap<String, Totals> = BTreeMap::new();
        let mut total = Totals::default();
        for row in &rows {
            let class = classes
                .entry((row.college.clone(), row.class_name.clone()))
                .or_insert_with(|| ClassTotals {
                    college: row.college.clone(),
                    class_name: row.class_name.clone(),
                    counsellor: row.counsellor.clone(),
                    totals: Totals::default(),
                });
            class.totals.add(row.stage, row.reachable());
            colleges
                .entry(row.college.clone())
                .or_default()
                .add(row.stage, row.reachable());
            total.add(row.stage, row.reachable());
        }
        Progress {
            rows,
            classes: classes.into_values().collect(),
            colleges: colleges.into_iter().collect(),
            total,
        }
    }
}

/// The account a record's student uses: the bound one, else the newest with the record's
/// name, else the newest with its number.
fn account_of<'a>(accounts: &[&'a AccountFact], name: &str) -> Option<&'a AccountFact> {
    accounts
        .iter()
        .find(|a| a.binding == BindingState::Bound)
        .or_else(|| accounts.iter().rev().find(|a| a.name == name))
        .or_else(|| accounts.last())
        .copied()
}

/// Every roster record's row; `mask` hides an ID number (type, number) as messages do.
pub fn rows(snap: &Snapshot, mask: impl Fn(&str, &str) -> String) -> Vec<StudentRow> {
    let mut by_number: HashMap<&str, Vec<&AccountFact>> = HashMap::new();
    for a in &snap.accounts {
        by_number.entry(a.id_number.as_str()).or_default().push(a);
    }
    let mut chats_of: HashMap<i64, Vec<i64>> = HashMap::new();
    for (account, chat, _) in &snap.account_chats {
        chats_of.entry(*account).or_default().push(*chat);
    }
    let chats: HashMap<i64, &ChatFact> = snap.chats.iter().map(|c| (c.chat_id, c)).collect();
    // A registration in progress has typed the name and the ID number: that chat is theirs.
    let mut registering: HashMap<(String, String), &ChatFact> = HashMap::new();
    for (chat, answers) in &snap.registering {
        let answers: HashMap<String, String> = serde_json::from_str(answers).unwrap_or_default();
        if let (Some(name), Some(number)) = (answers.get("name"), answers.get("id_number")) {
            registering.insert((name.clone(), number.clone()), chat);
        }
    }
    let (mut by_record, mut by_account, mut by_chat) = (
        HashMap::<i64, Vec<&TicketFact>>::new(),
        HashMap::<i64, Vec<&TicketFact>>::new(),
        HashMap::<i64, Vec<&TicketFact>>::new(),
    );
    for t in &snap.tickets {
        match (t.record_id, t.account_id) {
            (Some(record), _) => by_record.entry(record).or_default().push(t),
            (None, Some(account)) => by_account.entry(account).or_default().push(t),
            (None, None) => by_chat.entry(t.chat_id).or_default().push(t),
        }
    }
    let bound_at: HashMap<i64, i64> = snap.bound_at.iter().copied().collect();
    let reviews: HashSet<i64> = snap.reviews_open.iter().copied().collect();
    let muted: HashSet<i64> = snap.muted.iter().copied().collect();
    let reminded: HashMap<i64, i64> = snap.reminded.iter().copied().collect();
    snap.roster
        .iter()
        .map(|r| {
            let accounts = by_number
                .get(r.id_number.as_str())
                .map(Vec::as_slice)
                .unwrap_or_default();
            let account = account_of(accounts, &r.name);
            let account_chats: Vec<i64> = account
                .and_then(|a| chats_of.get(&a.id))
                .cloned()
                .unwrap_or_default();
            // The chat signed in to the account, else the one it used last.
            let chat = account
                .and_then(|a| a.chat_id)
                .or_else(|| account_chats.last().copied())
                .and_then(|c| chats.get(&c).copied())
                .or_else(|| {
                    registering
                        .get(&(r.name.clone(), r.id_number.clone()))
                        .copied()
                });
            // Its tickets: those naming the record, else the account, else (older tickets
            // without an account) one of the account's chats.
            let mut tickets: Vec<&TicketFact> = by_record.get(&r.id).cloned().unwrap_or_default();
            if let Some(a) = account {
                tickets.extend(by_account.get(&a.id).into_iter().flatten());
                for chat in &account_chats {
                    tickets.extend(by_chat.get(chat).into_iter().flatten());
                }
            }
            tickets.sort_by_key(|t| t.id);
            tickets.dedup_by_key(|t| t.id);
            let open = |kind: &str| tickets.iter().any(|t| t.kind == kind);
            let facts = Facts {
                registered: account.is_some(),
                bound: account.is_some_and(|a| a.binding == BindingState::Bound),
                info_confirmed: r.info_confirmed_at.is_some(),
                photo_confirmed: r.photo_confirmed_at.is_some(),
                correction_open: open("correction"),
                photo_ticket_open: open("photo"),
                review_open: account.is_some_and(|a| reviews.contains(&a.id)) || open("id_review"),
            };
            let stage = Stage::of(&facts);
            StudentRow {
                record_id: r.id,
                id_masked: mask(&r.id_type, &r.id_number),
                name: r.name.clone(),
                student_no: r.student_no.clone(),
                college: r.college.clone(),
                major: r.major.clone(),
                class_name: r.class_name.clone(),
                counsellor: r.counsellor.clone(),
                stage,
                steps_left: steps_left(&facts),
                first_contact_at: chat.map(|c| c.created_at),
                registered_at: account.map(|a| a.created_at),
                bound_at: account
                    .filter(|a| a.binding == BindingState::Bound)
                    .map(|a| bound_at.get(&a.id).copied().unwrap_or(a.created_at)),
                info_confirmed_at: r.info_confirmed_at,
                photo_confirmed_at: r.photo_confirmed_at,
                done_at: (stage == Stage::Done)
                    .then(|| r.info_confirmed_at.max(r.photo_confirmed_at))
                    .flatten(),
                open_tickets: tickets.iter().map(|t| t.id).collect(),
                chat: chat.map(|c| (c.chat_id, Locale::from_code(&c.locale).unwrap_or_default())),
                muted: chat.is_some_and(|c| muted.contains(&c.chat_id)),
                last_reminded_at: reminded.get(&r.id).copied(),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::store::progress::RosterRow;

    fn record(id: i64, name: &str, number: &str, info: bool) -> RosterRow {
        RosterRow {
            id,
            student_no: format!("2022{id:04}"),
            name: name.into(),
            id_type: "mainland".into(),
            id_number: number.into(),
            college: "计算机学院".into(),
            major: "软件工程".into(),
            class_name: "1班".into(),
            counsellor: "李老师".into(),
            info_confirmed_at: info.then_some(5),
            photo_confirmed_at: None,
        }
    }

    fn chat(chat_id: i64) -> ChatFact {
        ChatFact {
            chat_id,
            locale: "en".into(),
            created_at: 1,
        }
    }

    #[test]
    fn rows_tie_records_to_accounts_chats_and_tickets() {
        let snap = Snapshot {
            roster: vec![
                record(1, "张三", "A", true),
                record(2, "李四", "B", false),
                record(3, "王五", "C", false),
            ],
            accounts: vec![AccountFact {
                id: 10,
                id_number: "A".into(),
                name: "张三".into(),
                binding: crate::domain::binding::BindingState::Bound,
                chat_id: None,
                created_at: 2,
            }],
            account_chats: vec![(10, 100, 2)],
            chats: vec![chat(100)],
            registering: vec![(chat(200), r#"{"name":"李四","id_number":"B"}"#.into())],
            bound_at: vec![(10, 3)],
            tickets: vec![
                TicketFact {
                    id: 7,
                    kind: "photo".into(),
                    chat_id: 100,
                    account_id: Some(10),
                    record_id: None,
                },
                TicketFact {
                    id: 8,
                    kind: "human".into(),
                    chat_id: 300,
                    account_id: None,
                    record_id: None,
                },
            ],
            muted: vec![200],
            ..Snapshot::default()
        };
        let rows = rows(&snap, |_, n| format!("*{n}*"));
        let one = &rows[0];
        assert_eq!(
            (one.stage, one.open_tickets.clone()),
            (Stage::TicketOpen, vec![7])
        );
        assert_eq!((one.bound_at, one.chat), (Some(3), Some((100, Locale::En))));
        assert!(one.steps_left.is_empty(), "only the school's to do");
        let two = &rows[1];
        assert_eq!(
            (two.stage, two.chat.map(|c| c.0), two.muted),
            (Stage::NotRegistered, Some(200), true)
        );
        let three = &rows[2];
        assert_eq!((three.chat, three.id_masked.as_str()), (None, "*C*"));
        let p = Progress::of(rows);
        assert_eq!(
            (p.total.students, p.total.unreachable, p.classes.len()),
            (3, 1, 1)
        );
    }
}
