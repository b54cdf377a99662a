//! Duplicate ID numbers (seed 三.2): the ID-scan review, peer assistance, the student-status
//! check, and binding the real-name information once the duplicate is resolved.

use super::handle::Turn;
use super::{Service, ServiceError, render};
use crate::dialogue::Text;
use crate::dialogue::engine::ButtonOut;
use crate::domain::otp::HOUR;
use crate::service::Outbound;
use crate::store::accounts;
use crate::store::{Tx, chat_state, duplicates, records, tickets};
use serde_json::json;

/// Assistance requests a student may have waiting at once.
pub const MAX_PENDING_ASSISTS: i64 = 3;
/// A request nobody answers expires after this long.
pub const ASSIST_TTL_MS: i64 = 7 * 24 * HOUR;
/// Student-status check attempts a day.
pub const QUIZ_ATTEMPTS: i64 = 3;

impl Service {
    /// `dup_state`: where this account's duplicate stands.
    pub(crate) async fn dup_state(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
    ) -> Result<&'static str, ServiceError> {
        let Some(account) = accounts::by_chat(tx, turn.chat.chat_id).await? else {
            return Ok("no_account");
        };
        Ok(match account.binding.as_str() {
            "bound" => "bound",
            "resolved" => "resolved",
            _ => match duplicates::latest_review(tx, account.id).await? {
                Some(r) if r.status == "submitted" || r.status == "in_review" => "review_open",
                _ => "pending",
            },
        })
    }

    /// `check_id_number` at registration also knows case 1: an open review for the number.
    pub(crate) async fn review_open_for(
        &self,
        tx: &mut Tx,
        id_number: &str,
    ) -> Result<bool, ServiceError> {
        Ok(duplicates::open_review_for_number(tx, id_number)
            .await?
            .is_some())
    }

    /// `submit_review`: a review case with both scans, and its ticket for the agents.
    pub(crate) async fn submit_review(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
    ) -> Result<&'static str, ServiceError> {
        let Some(account) = accounts::by_chat(tx, turn.chat.chat_id).await? else {
            return Ok("submitted");
        };
        let (front, back) = (
            turn.answer("scan_front").to_string(),
            turn.answer("scan_back").to_string(),
        );
        let detail = json!({ "account": account.id, "front": serde_json::from_str::<serde_json::Value>(&front).ok(),
            "back": serde_json::from_str::<serde_json::Value>(&back).ok() });
        if let Some(open) = self
            .join_open_review(tx, turn, "id_review", &detail)
            .await?
        {
            turn.chat
                .state
                .answers
                .insert("ticket".into(), open.to_string());
            return Ok("submitted");
        }
        let node = turn.chat.state.node.clone();
        let ticket = tickets::open_review(
            tx,
            turn.chat.chat_id,
            "id_review",
            &node,
            &detail.to_string(),
            None,
            turn.now,
        )
        .await?;
        let review = duplicates::insert_review(
            tx,
            account.id,
            turn.chat.chat_id,
            &account.id_number,
            &front,
            &back,
            ticket,
            turn.now,
        )
        .await?;
        self.announce_ticket(tx, &mut turn.out, ticket).await?;
        tickets::audit(
            tx,
            &self.actor(turn),
            "review_submitted",
            &format!("review:{review}"),
            &format!("ticket:{ticket}"),
            turn.now,
        )
        .await?;
        turn.chat
            .state
            .answers
            .insert("ticket".into(), ticket.to_string());
        Ok("submitted")
    }

    /// `show_review`: the progress of this account's latest review.
    pub(crate) async fn show_review(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
    ) -> Result<&'static str, ServiceError> {
        let review = match accounts::by_chat(tx, turn.chat.chat_id).await? {
            Some(a) => duplicates::latest_review(tx, a.id).await?,
            None => None,
        };
        let text = match review {
            Some(r) => Text::new("dup-review-progress")
                .arg("review", r.id.to_string())
                .arg_key("status", format!("review-{}", r.status.replace('_', "-")))
                .arg("reason", r.reason.unwrap_or_default()),
            None => Text::new("dup-review-none"),
        };
        self.say(turn, text);
        Ok("done")
    }

    /// An agent's decision on a review, in one transaction with its effects: approval resolves
    /// the duplicate (binding becomes available); rejection says why and allows new scans.
    pub async fn decide_review(
        &self,
        review_id: i64,
        approve: bool,
        reason: Option<&str>,
        agent: &str,
    ) -> Result<bool, ServiceError> {
        let now = self.clock.now_ms();
        let mut tx = self.store.begin().await?;
        let decided = self
            .decide_review_in(&mut tx, review_id, approve, reason, agent, now)
            .await?;
        tx.commit().await.map_err(crate::store::StoreError::from)?;
        self.wake.notify_one();
        Ok(decided)
    }

    /// The decision inside the caller's transaction; false if the review was already decided.
    pub(crate) async fn decide_review_in(
        &self,
        tx: &mut Tx,
        review_id: i64,
        approve: bool,
        reason: Option<&str>,
        agent: &str,
        now: i64,
    ) -> Result<bool, ServiceError> {
        let Some(review) = duplicates::review(tx, review_id).await? else {
            return Ok(false);
        };
        let status = if approve { "approved" } else { "rejected" };
        if !duplicates::decide_review(tx, review_id, status, reason, agent, now).await? {
            return Ok(false);
        }
        if approve {
            duplicates::resolve(tx, review.account_id, "scan", now).await?;
        }
        tickets::audit(
            tx,
            agent,
            &format!("review_{status}"),
            &format!("review:{review_id}"),
            reason.unwrap_or_default(),
            now,
        )
        .await?;
        let locale = chat_state::locale_of(tx, review.chat_id)
            .await?
            .unwrap_or_default();
        let text = if approve {
            Text::new("dup-review-approved")
        } else {
            Text::new("dup-review-rejected").arg("reason", reason.unwrap_or_default())
        };
        for out in render::text(&self.tree, locale, review.chat_id, &text) {
            crate::store::outbox::enqueue(tx, &out.lane(), &serde_json::to_string(&out)?, now)
                .await?;
        }
        Ok(true)
    }

    /// `send_assist_request`: asks a classmate (name + username). The answer is the same
    /// whether or not such an account exists.
    pub(crate) async fn send_assist_request(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
    ) -> Result<&'static str, ServiceError> {
        let Some(me) = accounts::by_chat(tx, turn.chat.chat_id).await? else {
            return Ok("sent");
        };
        duplicates::expire_assists(tx, turn.now - ASSIST_TTL_MS, turn.now).await?;
        if duplicates::pending_assists_from(tx, me.id).await? >= MAX_PENDING_ASSISTS {
            return Ok("limit");
        }
        let helper = accounts::by_email(tx, turn.answer("peer_username"))
            .await?
            .filter(|a| {
                a.name == turn.answer("peer_name")
                    && a.binding == "bound"
                    && a.id != me.id
                    && a.chat_id.is_some()
            });
        let id = duplicates::insert_assist(
            tx,
            me.id,
            turn.chat.chat_id,
            helper.as_ref().map(|h| h.id),
            turn.now,
        )
        .await?;
        tickets::audit(
            tx,
            &self.actor(turn),
            "assist_requested",
            &format!("assist:{id}"),
            if helper.is_some() {
                "delivered"
            } else {
                "undeliverable"
            },
            turn.now,
        )
        .await?;
        if let Some(chat) = helper.and_then(|h| h.chat_id) {
            let locale = chat_state::locale_of(tx, chat).await?.unwrap_or_default();
            let surname: String = me.name.chars().take(1).collect();
            let text = Text::new("assist-request")
                .arg("name", format!("{surname}*"))
                .arg("id_masked", self.masked_id(&me.id_type, &me.id_number));
            let buttons =
                [("assist-accept", "accept"), ("assist-decline", "decline")].map(|(key, what)| {
                    ButtonOut {
                        text: Text::new(key),
                        data: format!("p:{id}:{what}"),
                    }
                });
            let rendered = render::reply(
                &self.tree,
                locale,
                chat,
                &crate::dialogue::Reply {
                    text,
                    progress: None,
                    keyboard: crate::dialogue::Keyboard::Inline(vec![buttons.to_vec()]),
                },
            );
            turn.out.extend(rendered);
        }
        Ok("sent")
    }

    /// A classmate's press on an assistance request (`p:{id}:accept|decline`). Only the
    /// classmate the request went to can decide it.
    pub(crate) async fn assist_decision(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
        data: &str,
        message_id: Option<i64>,
    ) -> Result<(), ServiceError> {
        let mut parts = data.splitn(3, ':').skip(1);
        let (id, what) = (
            parts.next().and_then(|i| i.parse::<i64>().ok()),
            parts.next(),
        );
        let me = accounts::by_chat(tx, turn.chat.chat_id).await?;
        duplicates::expire_assists(tx, turn.now - ASSIST_TTL_MS, turn.now).await?;
        let request = match id {
            Some(id) => duplicates::assist(tx, id).await?,
            None => None,
        };
        let allowed = matches!((&request, &me), (Some(r), Some(m)) if r.helper_account == Some(m.id) && r.status == "pending");
        let (Some(request), true, Some(what @ ("accept" | "decline"))) = (request, allowed, what)
        else {
            tickets::audit(
                tx,
                &self.actor(turn),
                "assist_refused",
                data,
                "not this chat's request, or no longer pending",
                turn.now,
            )
            .await?;
            turn.notice = Some(Text::new("stale-button"));
            return Ok(());
        };
        let status = if what == "accept" {
            "accepted"
        } else {
            "declined"
        };
        duplicates::decide_assist(tx, request.id, status, turn.now).await?;
        if what == "accept" {
            duplicates::resolve(tx, request.requester_account, "peer", turn.now).await?;
        }
        tickets::audit(
            tx,
            &self.actor(turn),
            &format!("assist_{status}"),
            &format!("assist:{}", request.id),
            "",
            turn.now,
        )
        .await?;
        turn.notice = Some(Text::new("button-done"));
        self.say(turn, Text::new(format!("assist-you-{status}")));
        let locale = chat_state::locale_of(tx, request.requester_chat)
            .await?
            .unwrap_or_default();
        let text = Text::new(format!("assist-was-{status}"));
        turn.out.extend(render::text(
            &self.tree,
            locale,
            request.requester_chat,
            &text,
        ));
        if let Some(message_id) = message_id {
            turn.out.push(Outbound::ClearButtons {
                chat_id: turn.chat.chat_id,
                message_id,
            });
        }
        Ok(())
    }

    /// `check_student_status`: school, enrolment year and student number against the
    /// imported record of this ID number; match, mismatch, or exhausted after three tries.
    pub(crate) async fn check_student_status(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
    ) -> Result<&'static str, ServiceError> {
        let Some(me) = accounts::by_chat(tx, turn.chat.chat_id).await? else {
            return Ok("exhausted");
        };
        let tries = accounts::count_lookup(
            tx,
            turn.chat.chat_id,
            "status_quiz",
            turn.now,
            turn.now - 24 * HOUR,
        )
        .await?;
        let (school, year, number) = (
            turn.answer("quiz_school").trim().to_lowercase(),
            turn.answer("quiz_year"),
            turn.answer("quiz_no"),
        );
        let matched = records::by_id_number(tx, &me.id_number)
            .await?
            .into_iter()
            .any(|r| {
                r.school.trim().to_lowercase() == school
                    && r.enrolled_on.starts_with(year)
                    && r.student_no.eq_ignore_ascii_case(number)
            });
        tickets::audit(
            tx,
            &self.actor(turn),
            "status_check",
            &format!("account:{}", me.id),
            if matched { "match" } else { "mismatch" },
            turn.now,
        )
        .await?;
        if matched {
            duplicates::resolve(tx, me.id, "record", turn.now).await?;
            return Ok("match");
        }
        if tries >= QUIZ_ATTEMPTS {
            let node = turn.chat.state.node.clone();
            self.escalate(tx, turn, &node, "status_check_failed")
                .await?;
            return Ok("exhausted");
        }
        self.say(
            turn,
            Text::new("dup-quiz-mismatch").arg("tries", (QUIZ_ATTEMPTS - tries).to_string()),
        );
        Ok("mismatch")
    }

    /// `bind_identity`: binds this account and unbinds the others with the number, all in
    /// this transaction; each unbound account's chat is told why.
    pub(crate) async fn bind_identity(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
    ) -> Result<&'static str, ServiceError> {
        let Some(me) = accounts::by_chat(tx, turn.chat.chat_id).await? else {
            return Ok("conflict");
        };
        let Some(others) =
            duplicates::bind(tx, self.store.backend, me.id, &me.id_number, turn.now).await?
        else {
            return Ok("conflict");
        };
        for (account, chat) in &others {
            tickets::audit(
                tx,
                &self.actor(turn),
                "unbound",
                &format!("account:{account}"),
                &format!("bound to account:{}", me.id),
                turn.now,
            )
            .await?;
            if let Some(chat) = chat {
                let locale = chat_state::locale_of(tx, *chat).await?.unwrap_or_default();
                turn.out.extend(render::text(
                    &self.tree,
                    locale,
                    *chat,
                    &Text::new("dup-unbound-notice"),
                ));
            }
        }
        tickets::audit(
            tx,
            &self.actor(turn),
            "bound",
            &format!("account:{}", me.id),
            &format!("{} other(s) unbound", others.len()),
            turn.now,
        )
        .await?;
        Ok("bound")
    }

    /// Pending assistance requests addressed to this chat's account (its "inbox"), for /status.
    pub(crate) async fn assist_inbox(
        &self,
        tx: &mut Tx,
        turn: &Turn,
    ) -> Result<usize, ServiceError> {
        let Some(me) = accounts::by_chat(tx, turn.chat.chat_id).await? else {
            return Ok(0);
        };
        duplicates::expire_assists(tx, turn.now - ASSIST_TTL_MS, turn.now).await?;
        Ok(duplicates::pending_assists_to(tx, me.id).await?.len())
    }
}
