//! The actions dialogue files may call (declared in `dialogue::actions`), run here in one
//! exhaustive match, and the commands answered without moving the dialogue (/status,
//! /human, /privacy, /delete_my_data).

use crate::dialogue::actions::Action;
use crate::dialogue::engine::Command;
use crate::dialogue::texts::html_to_plain;
use crate::dialogue::{Locale, Text};
use crate::domain::Email;
use crate::domain::binding::BindingState;
use crate::domain::otp::Purpose;
use crate::domain::ticket::TicketKind;
use crate::message::Inbound;
use crate::service::conversation::turn::Turn;
use crate::service::desk::opening::{About, NewTicket};
use crate::service::{Service, ServiceError, conversation::render};
use crate::store::{Tx, accounts, records, tickets};
use std::collections::BTreeMap;

/// What an action reports back to the dialogue.
pub struct ActionOutput {
    pub outcome: &'static str,
}

impl ActionOutput {
    fn done() -> ActionOutput {
        ActionOutput { outcome: "done" }
    }
}

impl Service {
    pub(crate) async fn run_action(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
        name: &str,
        params: &BTreeMap<String, String>,
        inbound: &Inbound,
    ) -> Result<ActionOutput, ServiceError> {
        // `helpdesk check` (run at start-up) refuses a tree naming an undeclared action.
        let Some(action) = Action::parse(name) else {
            return Err(ServiceError::UnknownAction(name.to_string()));
        };
        match action {
            Action::SetLocale => {
                if let Some(locale) = params.get("locale").and_then(|c| Locale::from_code(c)) {
                    turn.chat.state.locale = locale;
                }
                Ok(ActionOutput::done())
            }
            Action::RequestHuman => {
                self.command(tx, turn, &Command::Human, inbound).await?;
                Ok(ActionOutput::done())
            }
            Action::ShowStatus => {
                self.command(tx, turn, &Command::Status, inbound).await?;
                Ok(ActionOutput::done())
            }
            Action::ShowPrivacy => {
                self.command(tx, turn, &Command::Privacy, inbound).await?;
                Ok(ActionOutput::done())
            }
            Action::SendCode | Action::VerifyCode => {
                let purpose = params.get("purpose").and_then(|p| Purpose::from_code(p));
                let Some(purpose) = purpose else {
                    return Err(ServiceError::UnknownAction(format!(
                        "{} without a purpose",
                        action.spec().name
                    )));
                };
                let outcome = if action == Action::SendCode {
                    self.send_code(tx, turn, purpose).await?
                } else {
                    self.verify_code(tx, turn, purpose).await?
                };
                Ok(ActionOutput { outcome })
            }
            Action::CheckEmail => Ok(ActionOutput {
                outcome: self.check_email(tx, turn).await?,
            }),
            Action::CheckIdNumber => Ok(ActionOutput {
                outcome: self.check_id_number(tx, turn).await?,
            }),
            Action::CheckPhone => Ok(ActionOutput {
                outcome: self.check_phone(tx, turn).await?,
            }),
            Action::CreateAccount => Ok(ActionOutput {
                outcome: self.create_account(tx, turn).await?,
            }),
            Action::FindAccount => Ok(ActionOutput {
                outcome: self.find_account(tx, turn).await?,
            }),
            Action::SignIn => Ok(ActionOutput {
                outcome: self.sign_in(tx, turn).await?,
            }),
            Action::RetrieveUsername => Ok(ActionOutput {
                outcome: self.retrieve_username(tx, turn).await?,
            }),
            Action::FindRecord => Ok(ActionOutput {
                outcome: self.find_record(tx, turn).await?,
            }),
            Action::ConfirmRecord => {
                let what = params.get("what").map(String::as_str).unwrap_or("info");
                Ok(ActionOutput {
                    outcome: self.confirm_record(tx, turn, what).await?,
                })
            }
            Action::AddCorrection => Ok(ActionOutput {
                outcome: self.add_correction(turn).await?,
            }),
            Action::AddEvidence => Ok(ActionOutput {
                outcome: self.add_evidence(turn).await?,
            }),
            Action::SubmitCorrection => Ok(ActionOutput {
                outcome: self.submit_correction(tx, turn).await?,
            }),
            Action::SubmitPhoto => Ok(ActionOutput {
                outcome: self.submit_photo(tx, turn).await?,
            }),
            Action::ExplainNoMatch => Ok(ActionOutput {
                outcome: self.explain_no_match(tx, turn).await?,
            }),
            Action::UpdateName => Ok(ActionOutput {
                outcome: self.update_name(tx, turn).await?,
            }),
            Action::DupState => Ok(ActionOutput {
                outcome: self.dup_state(tx, turn).await?,
            }),
            Action::SubmitReview => Ok(ActionOutput {
                outcome: self.submit_review(tx, turn).await?,
            }),
            Action::ShowReview => Ok(ActionOutput {
                outcome: self.show_review(tx, turn).await?,
            }),
            Action::SendAssistRequest => Ok(ActionOutput {
                outcome: self.send_assist_request(tx, turn).await?,
            }),
            Action::QuizGate => Ok(ActionOutput {
                outcome: self.quiz_gate(tx, turn).await?,
            }),
            Action::ObjectClaims => Ok(ActionOutput {
                outcome: self.object_claims(tx, turn).await?,
            }),
            Action::CheckStudentStatus => Ok(ActionOutput {
                outcome: self.check_student_status(tx, turn).await?,
            }),
            Action::BindIdentity => Ok(ActionOutput {
                outcome: self.bind_identity(tx, turn).await?,
            }),
            Action::PrivacyState => {
                let has = accounts::by_chat(tx, turn.chat.chat_id).await?.is_some();
                Ok(ActionOutput {
                    outcome: if has { "account" } else { "no_account" },
                })
            }
            Action::EraseMyData => Ok(ActionOutput {
                outcome: self.erase_my_data(tx, turn).await?,
            }),
        }
    }

    /// Commands that answer without moving the dialogue.
    pub(crate) async fn command(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
        command: &Command,
        _inbound: &Inbound,
    ) -> Result<(), ServiceError> {
        let chat_id = turn.chat.chat_id;
        let text = match command {
            Command::Status => self.status_text(tx, turn).await?,
            // Without an agents' group nobody would answer: say so instead of a ticket.
            Command::Human if !self.has_agents() => Text::new("human-unavailable"),
            Command::Human => {
                self.request_ticket(tx, turn, TicketKind::Human, "student asked for a human")
                    .await?
            }
            Command::Privacy => self.privacy_text(tx, turn).await?,
            Command::Mute => self.mute(tx, turn, true).await?,
            Command::Unmute => self.mute(tx, turn, false).await?,
            Command::Start => {
                self.start_notice(turn);
                return Ok(());
            }
            _ => return Ok(()),
        };
        turn.out
            .extend(render::text(&self.tree, turn.locale(), chat_id, &text));
        Ok(())
    }

    async fn status_text(&self, tx: &mut Tx, turn: &Turn) -> Result<Text, ServiceError> {
        let chat_id = turn.chat.chat_id;
        let open = tickets::open_for_chat(tx, chat_id).await?;
        // Kinds and statuses in words, as the locale says them, never the stored codes.
        let words = |prefix: &str, code: String| {
            let key = format!("{prefix}-{code}");
            html_to_plain(&self.tree.texts.get(turn.locale(), &key))
        };
        let list = open
            .iter()
            .map(|t| {
                let kind = words("ticket-kind", t.kind.text_key());
                let kind = kind.split(['（', '(']).next().unwrap_or_default().trim();
                format!(
                    "#{} · {kind} · {}",
                    t.id,
                    words("ticket-status", t.status.text_key())
                )
            })
            .collect::<Vec<_>>()
            .join("\n");
        let account_row = accounts::by_chat(tx, chat_id).await?;
        let record_line = match &account_row {
            Some(a) if a.binding == BindingState::Bound => {
                let text = match records::find(tx, &a.name, &a.id_number).await? {
                    Some(r) if r.info_confirmed_at.is_some() && r.photo_confirmed_at.is_some() => {
                        Text::new("record-status-complete")
                    }
                    Some(r) => Text::new("record-status-pending")
                        .arg(
                            "info",
                            if r.info_confirmed_at.is_some() {
                                "yes"
                            } else {
                                "no"
                            },
                        )
                        .arg(
                            "photo",
                            if r.photo_confirmed_at.is_some() {
                                "yes"
                            } else {
                                "no"
                            },
                        ),
                    None => Text::new("record-status-none"),
                };
                html_to_plain(&self.tree.texts.render(turn.locale(), &text))
            }
            _ => String::new(),
        };
        // With a deadline set, the student sees it under the record's state.
        let record_line = match self.deadline_line(turn.locale()) {
            Some(line) if record_line.is_empty() => html_to_plain(&line),
            Some(line) => format!("{record_line}\n{}", html_to_plain(&line)),
            None => record_line,
        };
        let account = match account_row {
            Some(a) => {
                let username = Email::parse(&a.email)
                    .map(|e| e.masked())
                    .unwrap_or_default();
                let phone = if a.phone_verified() {
                    "status-phone-verified"
                } else {
                    "status-phone-unverified"
                };
                let line = Text::new("status-account")
                    .arg("username", username)
                    .arg_key("phone", phone)
                    .arg_key("binding", format!("binding-{}", a.binding));
                html_to_plain(&self.tree.texts.render(turn.locale(), &line))
            }
            None => self.tree.texts.get(turn.locale(), "status-no-account"),
        };
        let inbox = self.assist_inbox(tx, turn).await?;
        let account = if inbox > 0 {
            let line = self.tree.texts.render(
                turn.locale(),
                &Text::new("status-assist-inbox").arg("count", inbox.to_string()),
            );
            format!("{account}\n{}", html_to_plain(&line))
        } else {
            account
        };
        Ok(Text::new("status-header")
            .arg("account", account)
            .arg("record", record_line)
            .arg("tickets", open.len().to_string())
            .arg("ticket_list", list))
    }

    /// Opens a request of `kind` unless the account (or the chat) already has one open of it.
    async fn request_ticket(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
        kind: TicketKind,
        summary: &str,
    ) -> Result<Text, ServiceError> {
        let chat_id = turn.chat.chat_id;
        // One open ticket of a kind per account, whichever of its chats asks.
        if let Some(existing) = tickets::unfinished_of_kind(tx, chat_id, kind).await? {
            return Ok(Text::new("human-already-open").arg("ticket", existing.to_string()));
        }
        let new = NewTicket {
            kind,
            about: About::Summary(summary),
            node: None,
            by_bot: false,
        };
        let id = self.open_ticket(tx, turn, new).await?;
        Ok(Text::new("human-requested").arg("ticket", id.to_string()))
    }

    /// The bot's own escalation after repeated failures: one open ticket per account at a
    /// time (not one per failing step), the student told its number; none without agents.
    pub(crate) async fn escalate(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
        node: &str,
        reason: &str,
    ) -> Result<(), ServiceError> {
        if !self.has_agents() {
            return Ok(());
        }
        let chat_id = turn.chat.chat_id;
        if tickets::unfinished_of_kind(tx, chat_id, TicketKind::Escalation)
            .await?
            .is_some()
        {
            return Ok(());
        }
        let new = NewTicket {
            kind: TicketKind::Escalation,
            about: About::Summary(reason),
            node: Some(node),
            by_bot: true,
        };
        let id = self.open_ticket(tx, turn, new).await?;
        self.say(turn, Text::new("escalated").arg("ticket", id.to_string()));
        Ok(())
    }
}
