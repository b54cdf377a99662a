//! Sending and checking one-time codes (activation, phone, log-in, confirmations) under the
//! rules of `domain::otp`; codes travel through the outbox and are stored only as hashes.

use super::handle::Turn;
use super::{Outbound, Service, ServiceError, render};
use crate::dialogue::Text;
use crate::dialogue::texts::html_to_plain;
use crate::domain::otp::{self, Attempt, Policy, Purpose, SendDecision};
use crate::domain::{Email, Phone};
use crate::store::{Tx, accounts, codes, tickets};

/// Where a code goes.
pub enum Channel {
    Email(String),
    Sms(String),
}

impl Service {
    /// Works out the channel for `purpose` from what the student entered.
    async fn channel(
        &self,
        tx: &mut Tx,
        turn: &Turn,
        purpose: Purpose,
    ) -> Result<Option<Channel>, ServiceError> {
        let answers = &turn.chat.state.answers;
        let by_email = answers.get("code_channel").is_some_and(|c| c == "email");
        Ok(match purpose {
            Purpose::Activation => answers.get("email").cloned().map(Channel::Email),
            Purpose::Phone if by_email => answers.get("email").cloned().map(Channel::Email),
            Purpose::Phone => answers.get("phone").cloned().map(Channel::Sms),
            Purpose::Login | Purpose::Confirm => {
                let account = match purpose {
                    Purpose::Login => match answers.get("username") {
                        Some(username) => accounts::by_email(tx, username).await?,
                        None => None,
                    },
                    _ => accounts::by_chat(tx, turn.chat.chat_id).await?,
                };
                account.map(|a| {
                    if by_email {
                        Channel::Email(a.email)
                    } else {
                        Channel::Sms(a.phone)
                    }
                })
            }
        })
    }

    /// The `send_code` action: outcomes sent, cooldown, limit, locked, unavailable.
    pub(crate) async fn send_code(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
        purpose: Purpose,
    ) -> Result<&'static str, ServiceError> {
        let Some(channel) = self.channel(tx, turn, purpose).await? else {
            self.say(turn, Text::new("internal-error"));
            return Ok("unavailable");
        };
        if matches!(channel, Channel::Sms(_)) && !self.sms_available {
            self.say(turn, Text::new("code-sms-unavailable"));
            return Ok("unavailable");
        }
        let target = match &channel {
            Channel::Email(e) => e.to_lowercase(),
            Channel::Sms(p) => p.clone(),
        };
        let policy = Policy::for_purpose(purpose);
        let history =
            codes::history(tx, turn.chat.chat_id, purpose.code(), &target, turn.now).await?;
        match otp::may_send(&policy, turn.now, &history) {
            SendDecision::Send => {}
            SendDecision::Cooldown { seconds } => {
                self.say(
                    turn,
                    Text::new("code-cooldown").arg("seconds", seconds.to_string()),
                );
                return Ok("cooldown");
            }
            SendDecision::HourlyLimit { minutes } => {
                self.say(
                    turn,
                    Text::new("code-hourly-limit").arg("minutes", minutes.to_string()),
                );
                return Ok("limit");
            }
            SendDecision::Locked { minutes } => {
                self.say(
                    turn,
                    Text::new("code-locked").arg("minutes", minutes.to_string()),
                );
                return Ok("locked");
            }
        }
        let code = otp::generate();
        let hash = otp::hash(&self.code_secret, purpose, &target, &code);
        codes::insert(
            tx,
            turn.chat.chat_id,
            purpose.code(),
            &target,
            &hash,
            turn.now,
        )
        .await?;
        let minutes = policy.valid_ms / otp::MINUTE;
        let duration = if minutes >= 60 && minutes % 60 == 0 {
            Text::new("duration-hours").arg("n", (minutes / 60).to_string())
        } else {
            Text::new("duration-minutes").arg("n", minutes.to_string())
        };
        let validity = self.tree.texts.render(turn.locale(), &duration);
        let purpose_key = format!("code-purpose-{}", purpose.code());
        let locale = turn.locale();
        let failure_text = Text::new("code-delivery-failed");
        let on_failure = render::text(&self.tree, locale, turn.chat.chat_id, &failure_text)
            .into_iter()
            .next()
            .map(Box::new);
        let message = Text::new("code-message")
            .arg("code", code.clone())
            .arg("validity", validity.clone())
            .arg_key("purpose", purpose_key.clone());
        let body = html_to_plain(&self.tree.texts.render(locale, &message));
        let (out, sent_text) = match channel {
            Channel::Email(to) => {
                let subject = html_to_plain(&self.tree.texts.render(
                    locale,
                    &Text::new("code-mail-subject").arg_key("purpose", purpose_key),
                ));
                let masked = Email::parse(&to).map(|e| e.masked()).unwrap_or_default();
                (
                    Outbound::Email {
                        to,
                        subject,
                        body,
                        on_failure,
                    },
                    Text::new("code-sent-email").arg("target", masked),
                )
            }
            Channel::Sms(to) => {
                let masked = Phone::parse(&to).map(|p| p.masked()).unwrap_or_default();
                (
                    Outbound::Sms {
                        to,
                        text: body,
                        on_failure,
                    },
                    Text::new("code-sent-sms").arg("target", masked),
                )
            }
        };
        turn.out.push(out);
        self.say(turn, sent_text.arg("validity", validity));
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
        let chat_id = turn.chat.chat_id;
        let policy = Policy::for_purpose(purpose);
        if let Some(until) = codes::locked_until(tx, chat_id, purpose.code())
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
        let live = codes::live(tx, chat_id, purpose.code()).await?;
        let dead = codes::dead_since(tx, chat_id, purpose.code(), turn.now - otp::HOUR).await?;
        let code = live.as_ref().map(|c| otp::LiveCode {
            hash: &c.hash,
            created_at: c.created_at,
            wrong_attempts: c.wrong_attempts,
        });
        let target = live.as_ref().map(|c| c.target.clone()).unwrap_or_default();
        let result = otp::attempt(
            &self.code_secret,
            purpose,
            &target,
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
                codes::lock(tx, chat_id, purpose.code(), turn.now + policy.lock_ms).await?;
                self.say(
                    turn,
                    Text::new("code-locked").arg("minutes", minutes.to_string()),
                );
                let node = turn.chat.state.node.clone();
                self.escalate(tx, turn, &node, "code_locked").await?;
                tickets::audit(
                    tx,
                    &format!("chat:{chat_id}"),
                    "code_locked",
                    purpose.code(),
                    "",
                    turn.now,
                )
                .await?;
                "locked"
            }
            Attempt::Expired => {
                if live.is_some() {
                    codes::set_state(tx, id, "expired", turn.now).await?;
                }
                self.say(turn, Text::new("code-expired"));
                "expired"
            }
            Attempt::NoCode => {
                self.say(turn, Text::new("code-expired"));
                "expired"
            }
        })
    }

    /// Adds a plain reply to the turn.
    pub(crate) fn say(&self, turn: &mut Turn, text: Text) {
        let out = render::text(&self.tree, turn.locale(), turn.chat.chat_id, &text);
        turn.out.extend(out);
    }
}
