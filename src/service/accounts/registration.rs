//! Account actions: e-mail and ID checks at registration, creating the account, log-in,
//! and retrieving a forgotten username.

use crate::dialogue::Text;
use crate::dialogue::texts::html_to_plain;
use crate::domain::binding::BindingState;
use crate::domain::keyed::Scope;
use crate::domain::otp::Purpose;
use crate::domain::{Email, Phone};
use crate::message::Outbound;
use crate::service::accounts::codes::{VERIFIED_EMAIL, VERIFIED_PHONE};
use crate::service::accounts::lookups::{EXISTENCE, USERNAME};
use crate::service::conversation::turn::Turn;
use crate::service::{Service, ServiceError, conversation::render};
use crate::store::{
    Tx,
    accounts::{self, NewAccount},
    audit, chat_state, claims, records,
};

/// Names tried against one ID number's roster records (registrations that did not match,
/// "修改基本信息") a day, per ID number and per account.
pub const NAME_CHECKS_PER_DAY: i64 = 3;
pub(crate) const NAME_CHECK: &str = "name_check";

impl Service {
    /// `check_email`: free, taken, or limited (too many addresses asked about).
    pub(crate) async fn check_email(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
    ) -> Result<&'static str, ServiceError> {
        let email = turn.answer("email").to_string();
        if !self
            .lookup_allowed(tx, turn, Scope::Target, &email, &EXISTENCE)
            .await?
        {
            return Ok("limited");
        }
        let taken = accounts::by_email(tx, &email).await?.is_some();
        Ok(if taken { "taken" } else { "free" })
    }

    /// `check_id_number`: free (with a birth date to confirm), free_plain, or taken.
    pub(crate) async fn check_id_number(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
    ) -> Result<&'static str, ServiceError> {
        if self.review_open_for(tx, turn.answer("id_number")).await? {
            return Ok("review_open");
        }
        let others = accounts::by_id_number(tx, turn.answer("id_number")).await?;
        if others.iter().any(|a| a.binding == BindingState::Bound) {
            return Ok("taken");
        }
        Ok(
            if turn.chat.state.answers.contains_key("id_number_birth_date") {
                "free"
            } else {
                "free_plain"
            },
        )
    }

    /// `check_phone`: free, or used by another account.
    pub(crate) async fn check_phone(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
    ) -> Result<&'static str, ServiceError> {
        Ok(if accounts::phone_in_use(tx, turn.answer("phone")).await? {
            "used"
        } else {
            "free"
        })
    }

    /// `create_account`: created (and signed in to this chat), email_taken meanwhile, or
    /// unverified when no activation code proved the e-mail now in the answers, or
    /// taken_meanwhile: created pending, because another account bound the number since it
    /// was checked. The phone is marked verified only when an SMS code reached this very
    /// number. The account is bound only when its name and ID number match a roster record
    /// exactly, or when the roster has no record of the number at all (nothing to read).
    pub(crate) async fn create_account(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
    ) -> Result<&'static str, ServiceError> {
        if turn.answer(VERIFIED_EMAIL) != turn.answer("email").to_lowercase() {
            self.say(turn, Text::new("reg-email-unverified"));
            return Ok("unverified");
        }
        let phone_verified = turn.answer(VERIFIED_PHONE) == turn.answer("phone");
        // For the closing text: it says whether the phone was proved.
        let phone_checked = if phone_verified { "sms" } else { "email" };
        turn.chat
            .state
            .answers
            .insert("phone_checked".into(), phone_checked.into());
        let id_number = turn.answer("id_number").to_string();
        let name = turn.answer("name").to_string();
        claims::lock_number(tx, self.store.backend, &id_number).await?;
        let held = accounts::by_id_number(tx, &id_number)
            .await?
            .iter()
            .any(|a| a.binding == BindingState::Bound);
        let mut outcome = "created";
        let binding = if turn.answer("binding") == BindingState::Pending.as_str() {
            BindingState::Pending
        } else if held {
            outcome = "taken_meanwhile";
            turn.chat
                .state
                .answers
                .insert("binding".into(), BindingState::Pending.as_str().into());
            BindingState::Pending
        } else {
            self.roster_binding(tx, &name, &id_number, turn.now).await?
        };
        let new = NewAccount {
            email: turn.answer("email"),
            name: turn.answer("name"),
            id_type: turn.answer("id_type"),
            id_number: turn.answer("id_number"),
            phone: turn.answer("phone"),
            binding,
            chat_id: turn.chat.chat_id,
            phone_verified,
        };
        let previous = accounts::by_chat(tx, turn.chat.chat_id).await?;
        let Some(id) = accounts::create(tx, &new, turn.now).await? else {
            return Ok("email_taken");
        };
        if let Some(previous) = previous {
            audit::record(
                tx,
                &self.actor(turn),
                "signed_out",
                &format!("account:{}", previous.id),
                "new account",
                turn.now,
            )
            .await?;
        }
        audit::record(
            tx,
            &self.actor(turn),
            "account_created",
            &format!("account:{id}"),
            binding.as_str(),
            turn.now,
        )
        .await?;
        Ok(outcome)
    }

    /// `bound` when the name and ID number match a roster record (or the roster has none for
    /// the number), `unmatched` otherwise; a name that does not match uses up one of the
    /// number's name corrections.
    pub(crate) async fn roster_binding(
        &self,
        tx: &mut Tx,
        name: &str,
        id_number: &str,
        now: i64,
    ) -> Result<BindingState, ServiceError> {
        let on_roster = records::by_id_number(tx, id_number).await?;
        if on_roster.is_empty() {
            return Ok(BindingState::Bound);
        }
        if on_roster.iter().any(|r| r.name == name) {
            return Ok(BindingState::Bound);
        }
        // Each registration costs a new e-mail and phone code; it still uses up the number's
        // name corrections, so registering again does not add tries.
        self.limit_record(tx, NAME_CHECK, &[(Scope::IdNumber, id_number)], now)
            .await?;
        Ok(BindingState::Unmatched)
    }

    /// `find_account` for log-in: found (masked contacts kept for the channel choice),
    /// not_found, or limited (too many usernames asked about).
    pub(crate) async fn find_account(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
    ) -> Result<&'static str, ServiceError> {
        let username = turn.answer("username").to_string();
        if !self
            .lookup_allowed(tx, turn, Scope::Target, &username, &EXISTENCE)
            .await?
        {
            return Ok("limited");
        }
        let account = accounts::by_email(tx, &username).await?;
        let Some(account) = account.filter(|a| a.status == "active") else {
            return Ok("not_found");
        };
        let answers = &mut turn.chat.state.answers;
        answers.insert(
            "login_email_masked".into(),
            Email::parse(&account.email)
                .map(|e| e.masked())
                .unwrap_or_default(),
        );
        answers.insert(
            "login_phone_masked".into(),
            Phone::parse(&account.phone)
                .map(|p| p.masked())
                .unwrap_or_default(),
        );
        Ok("found")
    }

    /// `sign_in`: links this chat to the account a log-in code was just typed for; a chat
    /// signed in before is told.
    pub(crate) async fn sign_in(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
    ) -> Result<&'static str, ServiceError> {
        let Some(account) = accounts::by_email(tx, turn.answer("username")).await? else {
            return Ok("done");
        };
        if !self.take_proof(turn, Purpose::Login, &format!("account:{}", account.id)) {
            // Only a correct code for this very account leads here; anything else is a bug
            // in the dialogue, and nobody is signed in on it.
            tracing::error!(
                account = account.id,
                "sign_in without a log-in code for the account"
            );
            self.say(turn, Text::new("internal-error"));
            return Ok("done");
        }
        let previous = accounts::link_chat(tx, account.id, turn.chat.chat_id, turn.now).await?;
        if let Some(old_chat) = previous {
            let locale = chat_state::locale_of(tx, old_chat)
                .await?
                .unwrap_or_default();
            turn.out.extend(render::text(
                &self.tree,
                locale,
                old_chat,
                &Text::new("login-signed-out-elsewhere"),
            ));
        }
        audit::record(
            tx,
            &self.actor(turn),
            "signed_in",
            &format!("account:{}", account.id),
            "",
            turn.now,
        )
        .await?;
        Ok("done")
    }

    /// `retrieve_username`: found (masked here, in full by e-mail), not_found, or limited.
    pub(crate) async fn retrieve_username(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
    ) -> Result<&'static str, ServiceError> {
        let id_number = turn.answer("id_number").to_string();
        if self
            .count_lookup(tx, turn, &USERNAME, Scope::IdNumber, &id_number)
            .await?
            .is_some()
        {
            return Ok("limited");
        }
        let masked_id = self.masked_id("mainland", &id_number);
        let name = turn.answer("name").to_string();
        // The same queries run whether or not an account exists.
        let found = accounts::by_id_number(tx, &id_number)
            .await?
            .into_iter()
            .find(|a| a.name == name);
        audit::record(
            tx,
            &self.actor(turn),
            "username_lookup",
            &masked_id,
            if found.is_some() { "found" } else { "none" },
            turn.now,
        )
        .await?;
        let Some(account) = found else {
            return Ok("not_found");
        };
        let masked = Email::parse(&account.email)
            .map(|e| e.masked())
            .unwrap_or_default();
        turn.chat
            .state
            .answers
            .insert("username_masked".into(), masked);
        let locale = turn.locale();
        let subject = html_to_plain(&self.tree.texts.get(locale, "username-mail-subject"));
        let body = html_to_plain(&self.tree.texts.render(
            locale,
            &Text::new("username-mail-body").arg("username", account.email.clone()),
        ));
        turn.out.push(Outbound::Email {
            to: account.email,
            subject,
            body,
            on_failure: None,
        });
        Ok("found")
    }

    /// The audit trail's name for the student behind this turn.
    pub(crate) fn actor(&self, turn: &Turn) -> String {
        format!("chat:{}", turn.chat.chat_id)
    }
}
