//! One-time codes: generation, keyed hashing, and the rules for sending and checking
//! (DOMAIN.md §1.4 and the security model). A code proves control of one target for one
//! purpose and one subject ([`Binding`]); all three are part of its hash, so a code issued for
//! anything else never fits. Pure: the caller passes the clock and what the store knows.

use hmac::{Hmac, KeyInit, Mac};
use sha2::Sha256;
use subtle::ConstantTimeEq;

/// What a code confirms; part of the hash so a code for one purpose never fits another.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Purpose {
    /// E-mail activation of a new account (valid 24 h).
    Activation,
    /// Phone verification at registration.
    Phone,
    /// Signing in to an existing account.
    Login,
    /// Binding real-name information to the account (绑定实名信息).
    Bind,
    /// Deleting the account's data (/delete_my_data).
    Erase,
}

impl Purpose {
    pub fn code(self) -> &'static str {
        match self {
            Purpose::Activation => "activation",
            Purpose::Phone => "phone",
            Purpose::Login => "login",
            Purpose::Bind => "bind",
            Purpose::Erase => "erase",
        }
    }

    pub fn from_code(code: &str) -> Option<Purpose> {
        [
            Purpose::Activation,
            Purpose::Phone,
            Purpose::Login,
            Purpose::Bind,
            Purpose::Erase,
        ]
        .into_iter()
        .find(|p| p.code() == code)
    }
}

/// What one code is for: the purpose, the one target it was sent to (an e-mail address or a
/// phone number) and the subject it acts on (`account:N`, or `registration:<username>` for a
/// registration in progress). A code is looked up and checked under its whole binding, so
/// changing any part of it (another username, e-mail or phone) leaves no code to type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Binding<'a> {
    pub purpose: Purpose,
    pub target: &'a str,
    pub subject: &'a str,
}

/// The limits of one kind of code, in milliseconds and counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Policy {
    pub valid_ms: i64,
    pub max_wrong: i64,
    pub cooldown_ms: i64,
    pub max_sends_per_hour: i64,
    pub dead_codes_before_lock: i64,
    pub lock_ms: i64,
}

pub const MINUTE: i64 = 60_000;
pub const HOUR: i64 = 60 * MINUTE;

impl Policy {
    pub fn for_purpose(purpose: Purpose) -> Policy {
        let base = Policy {
            valid_ms: 5 * MINUTE,
            max_wrong: 5,
            cooldown_ms: MINUTE,
            max_sends_per_hour: 5,
            dead_codes_before_lock: 3,
            lock_ms: 30 * MINUTE,
        };
        match purpose {
            Purpose::Activation => Policy {
                valid_ms: 24 * HOUR,
                ..base
            },
            _ => base,
        }
    }
}

/// Whether a new code may be sent now.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SendDecision {
    Send,
    /// Too soon after the last one.
    Cooldown {
        seconds: i64,
    },
    /// Five sends to this address or number in the last hour.
    HourlyLimit {
        minutes: i64,
    },
    /// Too many dead codes: the step is locked.
    Locked {
        minutes: i64,
    },
}

/// What the store knows when a send is asked for.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct SendHistory {
    pub last_sent_at: Option<i64>,
    /// Send times to the same target within the last hour, oldest first.
    pub oldest_send_in_hour: Option<i64>,
    pub sends_in_hour: i64,
    pub locked_until: Option<i64>,
}

pub fn may_send(policy: &Policy, now: i64, history: &SendHistory) -> SendDecision {
    if let Some(until) = history.locked_until.filter(|u| *u > now) {
        return SendDecision::Locked {
            minutes: ceil_div(until - now, MINUTE),
        };
    }
    if let Some(last) = history
        .last_sent_at
        .filter(|t| now - t < policy.cooldown_ms)
    {
        return SendDecision::Cooldown {
            seconds: ceil_div(policy.cooldown_ms - (now - last), 1000),
        };
    }
    if history.sends_in_hour >= policy.max_sends_per_hour {
        let oldest = history.oldest_send_in_hour.unwrap_or(now);
        return SendDecision::HourlyLimit {
            minutes: ceil_div(HOUR - (now - oldest), MINUTE).max(1),
        };
    }
    SendDecision::Send
}

/// A stored code as the checker needs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LiveCode<'a> {
    pub hash: &'a str,
    pub created_at: i64,
    pub wrong_attempts: i64,
}

/// The outcome of typing a code.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Attempt {
    Correct,
    Wrong {
        tries_left: i64,
    },
    /// The fifth wrong try: this code is dead.
    Dead,
    /// A dead code that was the third in an hour: the step is locked.
    Locked {
        minutes: i64,
    },
    Expired,
    /// No code was sent (or it was already used).
    NoCode,
}

/// Checks `typed` against the live code of `binding`. `dead_in_hour` counts codes already dead
/// this hour.
pub fn attempt(
    secret: &[u8],
    binding: &Binding<'_>,
    typed: &str,
    code: Option<LiveCode<'_>>,
    policy: &Policy,
    now: i64,
    dead_in_hour: i64,
) -> Attempt {
    let Some(code) = code else {
        return Attempt::NoCode;
    };
    if now - code.created_at >= policy.valid_ms {
        return Attempt::Expired;
    }
    if verify(secret, binding, typed, code.hash) {
        return Attempt::Correct;
    }
    let wrong = code.wrong_attempts + 1;
    if wrong < policy.max_wrong {
        return Attempt::Wrong {
            tries_left: policy.max_wrong - wrong,
        };
    }
    if dead_in_hour + 1 >= policy.dead_codes_before_lock {
        Attempt::Locked {
            minutes: policy.lock_ms / MINUTE,
        }
    } else {
        Attempt::Dead
    }
}

/// A fresh 6-digit code.
pub fn generate() -> String {
    let n: u32 = rand::random_range(0..1_000_000);
    format!("{n:06}")
}

/// The keyed hash stored instead of the code: of the code under its whole binding.
pub fn hash(secret: &[u8], binding: &Binding<'_>, code: &str) -> String {
    let mut mac = match <Hmac<Sha256> as KeyInit>::new_from_slice(secret) {
        Ok(mac) => mac,
        // HMAC takes keys of any length; this arm cannot happen.
        Err(_) => return String::new(),
    };
    for part in [
        binding.purpose.code(),
        &binding.target.to_lowercase(),
        binding.subject,
        code,
    ] {
        mac.update(part.as_bytes());
        mac.update(b"\0");
    }
    mac.finalize()
        .into_bytes()
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Compares in constant time.
pub fn verify(secret: &[u8], binding: &Binding<'_>, typed: &str, stored: &str) -> bool {
    let computed = hash(secret, binding, typed);
    !stored.is_empty() && bool::from(computed.as_bytes().ct_eq(stored.as_bytes()))
}

fn ceil_div(a: i64, b: i64) -> i64 {
    (a + b - 1) / b
}

#[cfg(test)]
#[path = "otp_tests.rs"]
mod tests;
