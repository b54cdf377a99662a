//! Every button's data, one codec: what a press means, encoded into Telegram's 64-byte
//! `callback_data` and parsed back at the edge. Data the bot never made (an old format, a
//! forged press) parses to [`Callback::Unknown`] and is answered as an expired button.

use serde::{Deserialize, Serialize};
use std::fmt;

/// Telegram's limit on a button's data, in bytes.
pub const MAX_CALLBACK_BYTES: usize = 64;

/// What a press on one of the bot's buttons asks for.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(into = "String", from = "String")]
pub enum Callback {
    /// A dialogue button of the node shown at state `version`.
    Dialogue { version: i64, button: String },
    /// A suggestion of the free-text matcher (an intent's id).
    Intent { version: i64, intent: String },
    /// A navigation button the engine adds (back, cancel, human, none of these).
    Nav { version: i64, what: Nav },
    /// An agent's button on a ticket's card.
    Ticket { ticket: i64, action: TicketAction },
    /// A classmate's answer to an assistance request.
    Assist { request: i64, accept: bool },
    /// The holder's objection to a claim on their ID number.
    Objection { claim: i64 },
    /// After a ticket was closed: a rating (1–5) or reopening it.
    AfterClose { ticket: i64, choice: AfterClose },
    /// Anything else: never acted on.
    Unknown(String),
}

/// The engine's own buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Nav {
    Back,
    Cancel,
    Human,
    /// "None of these" under the matcher's suggestions.
    NoneOfThese,
}

/// What an agent can do from a ticket's card.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum TicketAction {
    Take,
    Release,
    Close,
    Approve,
    Reject,
    /// Send the student the FAQ answer the card suggests.
    SendFaq,
}

/// A closed ticket's buttons.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum AfterClose {
    Rate(u8),
    Reopen,
}

impl Nav {
    pub fn as_str(self) -> &'static str {
        match self {
            Nav::Back => "back",
            Nav::Cancel => "cancel",
            Nav::Human => "human",
            Nav::NoneOfThese => "none",
        }
    }

    fn parse(s: &str) -> Option<Nav> {
        Some(match s {
            "back" => Nav::Back,
            "cancel" => Nav::Cancel,
            "human" => Nav::Human,
            "none" => Nav::NoneOfThese,
            _ => return None,
        })
    }
}

impl TicketAction {
    /// The name in audit records (`ticket_take`…) and in the data.
    pub fn as_str(self) -> &'static str {
        match self {
            TicketAction::Take => "take",
            TicketAction::Release => "release",
            TicketAction::Close => "close",
            TicketAction::Approve => "approve",
            TicketAction::Reject => "reject",
            TicketAction::SendFaq => "faq",
        }
    }

    fn parse(s: &str) -> Option<TicketAction> {
        Some(match s {
            "take" => TicketAction::Take,
            "release" => TicketAction::Release,
            "close" => TicketAction::Close,
            "approve" => TicketAction::Approve,
            "reject" => TicketAction::Reject,
            "faq" => TicketAction::SendFaq,
            _ => return None,
        })
    }
}

impl Callback {
    /// The data to put on the button.
    pub fn encode(&self) -> String {
        match self {
            Callback::Dialogue { version, button } => format!("b:{version}:{button}"),
            Callback::Intent { version, intent } => format!("i:{version}:{intent}"),
            Callback::Nav { version, what } => format!("n:{version}:{}", what.as_str()),
            Callback::Ticket { ticket, action } => format!("t:{ticket}:{}", action.as_str()),
            Callback::Assist { request, accept } => {
                format!("p:{request}:{}", if *accept { "accept" } else { "decline" })
            }
            Callback::Objection { claim } => format!("o:{claim}"),
            Callback::AfterClose { ticket, choice } => match choice {
                AfterClose::Rate(n) => format!("r:{ticket}:rate:{n}"),
                AfterClose::Reopen => format!("r:{ticket}:reopen"),
            },
            Callback::Unknown(raw) => raw.clone(),
        }
    }

    /// Parses a press's data; what the bot never made is [`Callback::Unknown`].
    pub fn decode(data: &str) -> Callback {
        Callback::parse(data).unwrap_or_else(|| Callback::Unknown(data.to_string()))
    }

    fn parse(data: &str) -> Option<Callback> {
        let (kind, rest) = data.split_once(':')?;
        let number = |s: &str| s.parse::<i64>().ok();
        Some(match kind {
            "b" | "i" | "n" => {
                let (version, id) = rest.split_once(':')?;
                let version = number(version)?;
                if id.is_empty() {
                    return None;
                }
                match kind {
                    "b" => Callback::Dialogue {
                        version,
                        button: id.to_string(),
                    },
                    "i" => Callback::Intent {
                        version,
                        intent: id.to_string(),
                    },
                    _ => Callback::Nav {
                        version,
                        what: Nav::parse(id)?,
                    },
                }
            }
            "t" => {
                let (ticket, action) = rest.split_once(':')?;
                Callback::Ticket {
                    ticket: number(ticket)?,
                    action: TicketAction::parse(action)?,
                }
            }
            "p" => {
                let (request, what) = rest.split_once(':')?;
                let accept = match what {
                    "accept" => true,
                    "decline" => false,
                    _ => return None,
                };
                Callback::Assist {
                    request: number(request)?,
                    accept,
                }
            }
            "o" => Callback::Objection {
                claim: number(rest)?,
            },
            "r" => {
                let (ticket, choice) = rest.split_once(':')?;
                let choice = match choice {
                    "reopen" => AfterClose::Reopen,
                    other => match other.strip_prefix("rate:")?.parse::<u8>().ok()? {
                        n @ 1..=5 => AfterClose::Rate(n),
                        _ => return None,
                    },
                };
                Callback::AfterClose {
                    ticket: number(ticket)?,
                    choice,
                }
            }
            _ => return None,
        })
    }

    /// The dialogue's state version the button was made at, for those that have one.
    pub fn version(&self) -> Option<i64> {
        match self {
            Callback::Dialogue { version, .. }
            | Callback::Intent { version, .. }
            | Callback::Nav { version, .. } => Some(*version),
            _ => None,
        }
    }
}

impl fmt::Display for Callback {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.encode())
    }
}

impl From<Callback> for String {
    fn from(c: Callback) -> String {
        c.encode()
    }
}

impl From<String> for Callback {
    fn from(s: String) -> Callback {
        Callback::decode(&s)
    }
}

impl From<&str> for Callback {
    fn from(s: &str) -> Callback {
        Callback::decode(s)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_of_data_round_trips() {
        let all = [
            Callback::Dialogue {
                version: 3,
                button: "reg".into(),
            },
            Callback::Intent {
                version: 0,
                intent: "faq.code".into(),
            },
            Callback::Nav {
                version: 7,
                what: Nav::NoneOfThese,
            },
            Callback::Ticket {
                ticket: 12,
                action: TicketAction::Approve,
            },
            Callback::Ticket {
                ticket: 13,
                action: TicketAction::SendFaq,
            },
            Callback::Assist {
                request: 5,
                accept: false,
            },
            Callback::Objection { claim: 9 },
            Callback::AfterClose {
                ticket: 4,
                choice: AfterClose::Rate(5),
            },
            Callback::AfterClose {
                ticket: 4,
                choice: AfterClose::Reopen,
            },
        ];
        for c in all {
            assert_eq!(Callback::decode(&c.encode()), c, "{c}");
            let json = serde_json::to_string(&c).unwrap();
            assert_eq!(serde_json::from_str::<Callback>(&json).unwrap(), c);
        }
    }

    #[test]
    fn forged_or_old_data_is_unknown() {
        for raw in [
            "",
            "b:",
            "b:x:reg",
            "b:1:",
            "t:1:delete",
            "t:x:take",
            "p:1:maybe",
            "r:1:rate:9",
            "r:1:rate:0",
            "o:",
            "z:1:2",
            "n:1:jump",
            "hello",
        ] {
            assert_eq!(
                Callback::decode(raw),
                Callback::Unknown(raw.into()),
                "{raw}"
            );
        }
    }

    #[test]
    fn the_largest_ticket_and_claim_buttons_fit_telegrams_limit() {
        let big = [
            Callback::Ticket {
                ticket: i64::MAX,
                action: TicketAction::Release,
            },
            Callback::AfterClose {
                ticket: i64::MAX,
                choice: AfterClose::Reopen,
            },
            Callback::Assist {
                request: i64::MAX,
                accept: false,
            },
        ];
        for c in big {
            assert!(c.encode().len() <= MAX_CALLBACK_BYTES, "{c}");
        }
    }
}
