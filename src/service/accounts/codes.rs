//! Sending and checking one-time codes (activation, phone, log-in, binding, deletion) under the
//! rules of `domain::otp`. A code is issued for, and checked against, one binding worked out
//! afresh from what the student entered — the target, the purpose and the subject — so a code
//! sent anywhere else never fits. Codes travel through the outbox and are stored only as
//! keyed hashes; what a correct code proved is kept in the answers as `verified_*`.

use crate::dialogue::Text;
use crate::domain::keyed::Scope;
use crate::domain::otp::{self, Attempt, Binding, Policy, Purpose, SendDecision};
use crate::service::accounts::code_delivery::Channel;
use crate::service::conversation::turn::Turn;
use crate::service::{Service, ServiceError, conversation::render};
use crate::store::{
    Tx, accounts, audit,
    codes::{self, Slot},
};

/// A code's binding as the student's answers define it now.
pub(crate) struct Issue {
    channel: Channel,
    target: String,
    subject: String,
}

/// Answer keys only `verify_code` writes (the dialogue check refuses them as `save`/`set`).
pub const VERIFIED_EMAIL: &str = "verified_email";
pub const VERIFIED_PHONE: &str = "verified_phone";
/// `<purpose>:<subject>` of the last correct code, taken by the action it allows.
pub const PROOF: &str = "verified_proof";

impl Service {
    /// Works out the binding for `purpose`, or the text that says why no code can go.
    async fn issue(
        &self,
        tx: &mut Tx,
        turn: &Turn,
        purpose: Purpose,
    ) -> Result<Result<Issue, &'static str>, ServiceError> {
        let answers = &turn.chat.state.answers;
        let by_email = answers.get("code_channel").is_some_and(|c| c == "email");
        let registration = || format!("registration:{}", turn.answer("email").to_lowercase());
        let (channel, subject) = match purpose {
            Purpose::Activation | Purpose::Phone => {
                let email = answers.get("email").filter(|e| !e.is_empty());
                let Some(email) = email.cloned() else {
                    return Ok(Err("internal-error"));
                };
                let channel = match (purpose, by_email, answers.get("phone")) {
                    (Purpose::Phone, false, Some(phone)) => Channel::Sms(phone.clone()),
                    (Purpose::Phone, false, None) => return Ok(Err("internal-error")),
                    _ => Channel::Email(email),
                };
                (channel, registration())
            }
            Purpose::Login | Purpose::Bind | Purpose::Erase => {
                let account = match purpose {
                    Purpose::Login => accounts::by_email(tx, turn.answer("username")).await?,
                    _ => accounts::by_chat(tx, turn.chat.chat_id).await?,
                };
                let Some(account) = account.filter(|a| a.status == "active") else {
                    return Ok(Err("internal-error"));
                };
                if !by_email && !account.phone_verified() {
                    // An unverified number may be someone else's: codes go to the e-mail.
                    return Ok(Err("code-phone-unverified"));
                }
                let channel = if by_email {
                    Channel::Email(account.email)
                } else {
                    Channel::Sms(account.phone)
                };
                (channel, format!("account:{}", account.id))
            }
        };
        Ok(Ok(Issue {
            target: channel.target(),
            channel,
            subject,
        }))
    }

    fn slot<'a>(
        &self,
        turn: &Turn,
        purpose: Purpose,
        keys: &'a (String, String),
        issue: &'a Issue,
    ) -> Slot<'a> {
        Slot {
            chat_id: turn.chat.chat_id,
            purpose: purpose.code(),
            target_key: &keys.0,
            subject: &issue.subject,
            chat_key: &keys.1,
        }
    }

    fn keys(&self, turn: &Turn, issue: &Issue) -> (String, String) {
        (
            self.limit_key(Scope::Target, &issue.target),
            self.limit_key(Scope::Chat, &turn.chat.chat_id.to_string()),
        )
    }

    /// The `send_code` action: outcomes sent, cooldown, limit, locked, unavailable.
    pub(crate) async fn send_code(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
        purpose: Purpose,
    ) -> Result<&'static str, ServiceError> {
        let issue = match self.issue(tx, turn, purpose).await? {
            Ok(issue) => issue,
            Err(why) => {
                self.say(turn, Text::new(why));
                return Ok("unavailable");
            }
        };
        if matches!(issue.channel, Channel::Sms(_)) && !self.sms_available {
            self.say(turn, Text::new("code-sms-unavailable"));
            return Ok("unavailable");
        }
        let keys = self.keys(turn, &issue);
        let slot = self.slot(turn, purpose, &keys, &issue);
        let policy = Policy::for_purpose(purpose);
        let history = codes::history(tx, &slot, turn.now).await?;
        let refusal = match otp::may_send(&policy, turn.now, &history) {
            SendDecision::Send => None,
            SendDecision::Cooldown { seconds } => Some((
                "cooldown",
                Text::new("code-cooldown").arg("seconds", seconds.to_string()),
            )),
            SendDecision::HourlyLimit { minutes } => Some((
                "limit",
                Text::new("code-hourly-limit").arg("minutes", minutes.to_string()),
            )),
            SendDecision::Locked { minutes } => Some((
                "locked",
                Text::new("code-locked").arg("minutes", minutes.to_string()),
            )),
        };
        if let Some((outcome, text)) = refusal {
            self.say(turn, text);
            return Ok(outcome);
        }
        let code = otp::generate();
        let binding = Binding {
            purpose,
            target: &issue.target,
            subject: &issue.subject,
        };
        let hash = otp::hash(&self.code_secret, &binding, &code);
        codes::insert(tx, &slot, &hash, turn.now).await?;
        self.deliver_code(turn, purpose, issue.channel, &code, &policy);
        Ok("sent")
    }

    /// The `verify_code` action: outcomes ok, wrong, dead, expired, locked. The typed code
    /// is taken out of the answers, so it is never stored.
    pub(crate) async fn verify_code(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
        purpose: Purpose,
    ) -> Result<&'static str, ServiceError> {
        let typed = turn.chat.state.answers.remove("code").unwrap_or_default();
        turn.chat.state.answers.remove(PROOF);
        let Ok(issue) = self.issue(tx, turn, purpose).await? else {
            self.say(turn, Text::new("code-expired"));
            return Ok("expired");
        };
        let keys = self.keys(turn, &issue);
        let slot = self.slot(turn, purpose, &keys, &issue);
        let policy = Policy::for_purpose(purpose);
        if let Some(until) = codes::locked_until(tx, &slot)
            .await?
            .filter(|u| *u > turn.now)
        {
            let minutes = (until - turn.now + otp::MINUTE - 1) / otp::MINUTE;
            self.say(
                turn,
                Text::new("code-locked").arg("minutes", minutes.to_string()),
            );
            return Ok("locked");
        }
        let live = codes::live(tx, &slot).await?;
        let dead = codes::dead_since(tx, &slot, turn.now - otp::HOUR).await?;
        let binding = Binding {
            purpose,
            target: &issue.target,
            subject: &issue.subject,
        };
        let code = live.as_ref().map(|c| otp::LiveCode {
            hash: &c.hash,
            created_at: c.created_at,
            wrong_attempts: c.wrong_attempts,
        });
        let result = otp::attempt(
            &self.code_secret,
            &binding,
            &typed,
            code,
            &policy,
            turn.now,
            dead,
        );
        let id = live.as_ref().map(|c| c.id).unwrap_or_default();
        Ok(match result {
            Attempt::Correct => {
                codes::set_state(tx, id, "used", turn.now).await?;
                self.record_proof(turn, purpose, &issue);
                "ok"
            }
            Attempt::Wrong { tries_left } => {
                codes::wrong(tx, id, "live", turn.now).await?;
                self.say(
                    turn,
                    Text::new("code-wrong").arg("tries", tries_left.to_string()),
                );
                "wrong"
            }
            Attempt::Dead => {
                codes::wrong(tx, id, "dead", turn.now).await?;
                self.say(turn, Text::new("code-dead"));
                "dead"
            }
            Attempt::Locked { minutes } => {
                codes::wrong(tx, id, "dead", turn.now).await?;
                codes::lock(tx, &slot, turn.now + policy.lock_ms).await?;
                self.say(
                    turn,
                    Text::new("code-locked").arg("minutes", minutes.to_string()),
                );
                let node = turn.chat.state.node.clone();
                self.escalate(tx, turn, &node, "code_locked").await?;
                let actor = self.actor(turn);
                audit::record(tx, &actor, "code_locked", purpose.code(), "", turn.now).await?;
                "locked"
            }
            Attempt::Expired | Attempt::NoCode => {
                if let Some(code) = &live {
                    codes::set_state(tx, code.id, "expired", turn.now).await?;
                }
                self.say(turn, Text::new("code-expired"));
                "expired"
            }
        })
    }

    /// Keeps what a correct code proved: the e-mail or phone it reached, and the proof the
    /// next action takes (see [`Service::take_proof`]).
    fn record_proof(&self, turn: &mut Turn, purpose: Purpose, issue: &Issue) {
        let answers = &mut turn.chat.state.answers;
        match (&issue.channel, purpose) {
            (Channel::Email(to), Purpose::Activation) => {
                answers.insert(VERIFIED_EMAIL.into(), to.to_lowercase());
            }
            (Channel::Sms(to), Purpose::Phone) => {
                answers.insert(VERIFIED_PHONE.into(), to.clone());
            }
            _ => {}
        }
        answers.insert(
            PROOF.into(),
            format!("{}:{}", purpose.code(), issue.subject),
        );
    }

    /// Whether a correct code for `purpose` on `subject` was just typed; the proof is used up.
    pub(crate) fn take_proof(&self, turn: &mut Turn, purpose: Purpose, subject: &str) -> bool {
        let expected = format!("{}:{subject}", purpose.code());
        turn.chat.state.answers.remove(PROOF).as_deref() == Some(expected.as_str())
    }

    /// Adds a plain reply to the turn.
    pub(crate) fn say(&self, turn: &mut Turn, text: Text) {
        let out = render::text(&self.tree, turn.locale(), turn.chat.chat_id, &text);
        turn.out.extend(out);
    }
}
