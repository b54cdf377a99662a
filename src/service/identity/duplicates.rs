//! Duplicate ID numbers (seed 三.2): the ID-scan review, peer assistance, the student-status
//! check, and binding the real-name information once the duplicate is resolved.

use crate::dialogue::Locale;
use crate::dialogue::Text;
use crate::dialogue::texts::html_to_plain;
use crate::domain::binding::BindingState;
use crate::domain::otp::Purpose;
use crate::domain::ticket::TicketKind;
use crate::message::Outbound;
use crate::service::conversation::turn::Turn;
use crate::service::desk::opening::{About, NewTicket};
use crate::service::identity::claims::local_time;
use crate::service::{Service, ServiceError, conversation::render};
use crate::store::{Tx, accounts, audit, chat_state, claims, duplicates};
use serde_json::json;

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
        let answers = &mut turn.chat.state.answers;
        Ok(match account.binding {
            BindingState::Bound | BindingState::Unmatched => {
                let waiting = claims::waiting_on_number(tx, &account.id_number, account.id).await?;
                match waiting.first() {
                    Some(c) => {
                        answers.insert("claim_until".into(), local_time(c.effective_at));
                        "claimed"
                    }
                    None if account.binding == BindingState::Bound => "bound",
                    None => "unmatched",
                }
            }
            BindingState::Resolved => match claims::live_for_account(tx, account.id).await? {
                Some(c) if c.status == "objected" => "objected",
                Some(c) if c.status == "waiting" && c.effective_at > turn.now => {
                    answers.insert("claim_until".into(), local_time(c.effective_at));
                    "waiting"
                }
                _ => "resolved",
            },
            BindingState::Pending | BindingState::Unbound => {
                match duplicates::latest_review(tx, account.id).await? {
                    Some(r) if r.status == "submitted" || r.status == "in_review" => "review_open",
                    _ => "pending",
                }
            }
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
            .join_open_review(tx, turn, TicketKind::IdReview, &detail)
            .await?
        {
            turn.chat
                .state
                .answers
                .insert("ticket".into(), open.to_string());
            return Ok("submitted");
        }
        let new = NewTicket {
            kind: TicketKind::IdReview,
            about: About::Review {
                detail: &detail,
                record_id: None,
            },
            node: None,
            by_bot: false,
        };
        let ticket = self.open_ticket(tx, turn, new).await?;
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
        audit::record(
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
                .arg("review", r.ticket_id.unwrap_or(r.id).to_string())
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
            // An agent saw the scans: this takes effect at once, whatever claim waited.
            duplicates::resolve(tx, review.account_id, "scan", now).await?;
            claims::supersede(tx, review.account_id, now).await?;
        }
        audit::record(
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
            crate::store::outbox::enqueue(tx, &out, now).await?;
        }
        Ok(true)
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
        // Only a binding code typed for this very account leads here.
        if !self.take_proof(turn, Purpose::Bind, &format!("account:{}", me.id)) {
            tracing::error!(account = me.id, "bind_identity without a binding code");
            return Ok("conflict");
        }
        let Some(bound) =
            duplicates::bind(tx, self.store.backend, me.id, &me.id_number, turn.now).await?
        else {
            return Ok("conflict");
        };
        let masked = self.masked_id(&me.id_type, &me.id_number);
        for (account, chat, email) in &bound.unbound {
            audit::record(
                tx,
                &self.actor(turn),
                "unbound",
                &format!("account:{account}"),
                &format!("bound to account:{} by {}", me.id, bound.how),
                turn.now,
            )
            .await?;
            let locale = match chat {
                Some(chat) => chat_state::locale_of(tx, *chat).await?.unwrap_or_default(),
                None => Locale::default(),
            };
            let notice = Text::new("dup-unbound-notice")
                .arg_key("how", format!("claim-how-{}", bound.how))
                .arg("id_masked", masked.clone());
            if let Some(chat) = chat {
                turn.out
                    .extend(render::text(&self.tree, locale, *chat, &notice));
            }
            // Told by e-mail too: a holder without a chat would otherwise never know.
            let texts = &self.tree.texts;
            turn.out.push(Outbound::Email {
                to: email.clone(),
                subject: html_to_plain(&texts.get(locale, "dup-unbound-mail-subject")),
                body: html_to_plain(&texts.render(locale, &notice)),
                on_failure: None,
            });
        }
        audit::record(
            tx,
            &self.actor(turn),
            "bound",
            &format!("account:{}", me.id),
            &format!("{} other(s) unbound", bound.unbound.len()),
            turn.now,
        )
        .await?;
        Ok("bound")
    }
}
