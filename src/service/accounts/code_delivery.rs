//! Where a one-time code goes and how: the SMS or e-mail carrying it, put in the outbox, and
//! the student told where it went (masked).

use crate::dialogue::Text;
use crate::dialogue::texts::html_to_plain;
use crate::domain::otp::{self, Policy, Purpose};
use crate::domain::{Email, Phone};
use crate::message::Outbound;
use crate::service::conversation::turn::Turn;
use crate::service::{Service, conversation::render};

/// Where a code goes.
pub enum Channel {
    Email(String),
    Sms(String),
}

impl Channel {
    pub(crate) fn target(&self) -> String {
        match self {
            Channel::Email(e) => e.to_lowercase(),
            Channel::Sms(p) => p.clone(),
        }
    }
}

impl Service {
    /// Puts the code's SMS or e-mail in the outbox and tells the student where it went.
    pub(crate) fn deliver_code(
        &self,
        turn: &mut Turn,
        purpose: Purpose,
        channel: Channel,
        code: &str,
        policy: &Policy,
    ) {
        let minutes = policy.valid_ms / otp::MINUTE;
        let duration = if minutes >= 60 && minutes % 60 == 0 {
            Text::new("duration-hours").arg("n", (minutes / 60).to_string())
        } else {
            Text::new("duration-minutes").arg("n", minutes.to_string())
        };
        let locale = turn.locale();
        let validity = self.tree.texts.render(locale, &duration);
        let purpose_key = format!("code-purpose-{}", purpose.code());
        let failure_text = Text::new("code-delivery-failed");
        let on_failure = render::text(&self.tree, locale, turn.chat.chat_id, &failure_text)
            .into_iter()
            .next()
            .map(Box::new);
        let message = Text::new("code-message")
            .arg("code", code.to_string())
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
                let out = Outbound::Email {
                    to,
                    subject,
                    body,
                    on_failure,
                };
                (out, Text::new("code-sent-email").arg("target", masked))
            }
            Channel::Sms(to) => {
                let masked = Phone::parse(&to).map(|p| p.masked()).unwrap_or_default();
                let out = Outbound::Sms {
                    to,
                    text: body,
                    on_failure,
                };
                (out, Text::new("code-sent-sms").arg("target", masked))
            }
        };
        turn.out.push(out);
        self.say(turn, sent_text.arg("validity", validity));
    }
}
