//! Self-help when no record matches (seed 三.1): the typed name character by character, the
//! ID number masked, hints that point at positions (never at the roster's characters), name
//! corrections in place, and the promotion of an account to bound once its name matches.
//! Explanations and corrections are limited per account and per ID number.

use crate::dialogue::Text;
use crate::domain::binding::BindingState;
use crate::domain::keyed::Scope;
use crate::domain::otp::HOUR;
use crate::domain::record::{look_alike_positions, typo_positions};
use crate::domain::{IdType, PersonName};
use crate::service::accounts::registration::{NAME_CHECK, NAME_CHECKS_PER_DAY};
use crate::service::conversation::turn::Turn;
use crate::service::{Service, ServiceError};
use crate::store::{Tx, accounts, audit, claims, records};

/// No-match explanations per account and per ID number a day.
pub const EXPLANATIONS_PER_DAY: i64 = 3;
const EXPLAIN: &str = "record_explain";
const DAY: i64 = 24 * HOUR;

impl Service {
    /// An `unmatched` account whose name now matches its record becomes bound, unless another
    /// account holds the number meanwhile: then it waits for the duplicate's resolution.
    pub(crate) async fn promote(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
        account: i64,
        id_number: &str,
    ) -> Result<bool, ServiceError> {
        claims::lock_number(tx, self.store.backend, id_number).await?;
        let held = accounts::by_id_number(tx, id_number)
            .await?
            .iter()
            .any(|a| a.id != account && a.binding == BindingState::Bound);
        let to = if held {
            BindingState::Pending
        } else {
            BindingState::Bound
        };
        accounts::set_binding(tx, account, BindingState::Unmatched, to, turn.now).await?;
        audit::record(
            tx,
            &self.actor(turn),
            "roster_matched",
            &format!("account:{account}"),
            to.as_str(),
            turn.now,
        )
        .await?;
        Ok(!held)
    }

    /// `explain_no_match`: the name as typed, character by character, the ID number masked,
    /// and hints by position only; `limited` past the day's explanations.
    pub(crate) async fn explain_no_match(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
    ) -> Result<&'static str, ServiceError> {
        let Some(me) = accounts::by_chat(tx, turn.chat.chat_id).await? else {
            return Ok("limited");
        };
        let account = me.id.to_string();
        let subjects = [
            (Scope::Account, account.as_str()),
            (Scope::IdNumber, me.id_number.as_str()),
        ];
        if self
            .limit_count(tx, EXPLAIN, &subjects, turn.now, DAY)
            .await?
            >= EXPLANATIONS_PER_DAY
        {
            self.say(turn, Text::new("record-self-help-limited"));
            return Ok("limited");
        }
        self.limit_record(tx, EXPLAIN, &subjects, turn.now).await?;
        let name = me.name.clone();
        let spaced = name
            .chars()
            .enumerate()
            .map(|(i, c)| format!("{}:{c}", i + 1))
            .collect::<Vec<_>>()
            .join("  ");
        let mut hints = Vec::new();
        let mut name_positions: Vec<usize> = records::by_id_number(tx, &me.id_number)
            .await?
            .iter()
            .flat_map(|r| look_alike_positions(&name, &r.name))
            .collect();
        name_positions.sort_unstable();
        name_positions.dedup();
        for position in name_positions {
            let hint = Text::new("record-look-alike").arg("position", position.to_string());
            hints.push(self.tree.texts.render(turn.locale(), &hint));
        }
        let mut id_positions: Vec<usize> = records::by_name(tx, &name)
            .await?
            .iter()
            .filter_map(|r| typo_positions(&me.id_number, &r.id_number, 2))
            .flatten()
            .collect();
        id_positions.sort_unstable();
        id_positions.dedup();
        if !id_positions.is_empty() {
            let list = id_positions
                .iter()
                .map(usize::to_string)
                .collect::<Vec<_>>();
            let hint = Text::new("record-id-typo").arg("positions", list.join("、"));
            hints.push(self.tree.texts.render(turn.locale(), &hint));
        }
        let text = Text::new("record-no-match-detail")
            .arg("name_chars", spaced)
            .arg("id_chars", self.masked_id(&me.id_type, &me.id_number))
            .arg("hints", hints.join("\n"));
        self.say(turn, text);
        Ok("done")
    }

    /// `update_name` ("修改基本信息"): the account's name is corrected in place, at most
    /// [`NAME_CHECKS_PER_DAY`] times a day per account and per ID number.
    pub(crate) async fn update_name(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
    ) -> Result<&'static str, ServiceError> {
        let Some(account) = accounts::by_chat(tx, turn.chat.chat_id).await? else {
            return Ok("done");
        };
        let id = account.id.to_string();
        let subjects = [
            (Scope::Account, id.as_str()),
            (Scope::IdNumber, account.id_number.as_str()),
        ];
        if self
            .limit_count(tx, NAME_CHECK, &subjects, turn.now, DAY)
            .await?
            >= NAME_CHECKS_PER_DAY
        {
            self.say(turn, Text::new("record-fix-name-limited"));
            return Ok("limited");
        }
        let allow_latin =
            IdType::from_code(&account.id_type).is_some_and(|t| t.allows_latin_name());
        if let Ok(name) = PersonName::parse(turn.answer("new_name"), allow_latin) {
            self.limit_record(tx, NAME_CHECK, &subjects, turn.now)
                .await?;
            accounts::set_name(tx, account.id, name.as_str(), turn.now).await?;
            audit::record(
                tx,
                &self.actor(turn),
                "name_corrected",
                &format!("account:{}", account.id),
                "",
                turn.now,
            )
            .await?;
        }
        Ok("done")
    }
}
