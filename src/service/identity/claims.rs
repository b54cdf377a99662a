//! Claims on an ID number by a classmate's confirmation or the record questions: the holder
//! is told at once (Telegram and e-mail), the claim waits out the dispute window, and an
//! objection freezes it and opens a ticket for an agent (approve the claim / keep the holder).

use crate::dialogue::engine::ButtonOut;
use crate::dialogue::texts::html_to_plain;
use crate::dialogue::{Keyboard, Locale, Reply, Text};
use crate::domain::Callback;
use crate::domain::keyed::Scope;
use crate::domain::otp::HOUR;
use crate::domain::ticket::TicketKind;
use crate::message::Outbound;
use crate::service::conversation::turn::Turn;
use crate::service::desk::opening::{About, NewTicket};
use crate::service::{Service, ServiceError, conversation::render};
use crate::store::{
    Tx,
    accounts::{self, AccountRow},
    audit, chat_state, claims, duplicates, limits,
};
use serde_json::json;

/// The dispute window when `DISPUTE_WINDOW_HOURS` is not set.
pub const DEFAULT_DISPUTE_WINDOW_MS: i64 = 72 * HOUR;

/// A time as students read it: China Standard Time, to the minute.
pub fn local_time(ms: i64) -> String {
    let offset = chrono::FixedOffset::east_opt(8 * 3600);
    match (chrono::DateTime::from_timestamp_millis(ms), offset) {
        (Some(t), Some(o)) => t.with_timezone(&o).format("%Y-%m-%d %H:%M").to_string(),
        _ => String::new(),
    }
}

impl Service {
    /// How many events of `kind` the busiest of `subjects` had in the last `window`.
    pub(crate) async fn limit_count(
        &self,
        tx: &mut Tx,
        kind: &str,
        subjects: &[(Scope, &str)],
        now: i64,
        window: i64,
    ) -> Result<i64, ServiceError> {
        let mut most = 0;
        for (scope, value) in subjects {
            let (n, _) =
                limits::since(tx, kind, &self.limit_key(*scope, value), now - window).await?;
            most = most.max(n);
        }
        Ok(most)
    }

    /// Records one event of `kind` for each of `subjects`.
    pub(crate) async fn limit_record(
        &self,
        tx: &mut Tx,
        kind: &str,
        subjects: &[(Scope, &str)],
        now: i64,
    ) -> Result<(), ServiceError> {
        for (scope, value) in subjects {
            limits::record(tx, kind, &self.limit_key(*scope, value), now).await?;
        }
        Ok(())
    }

    /// Resolves `claimant`'s duplicate by `how` (peer | record) as a claim that takes effect
    /// after the dispute window; every current holder of the number is told at once, in
    /// Telegram with an objection button and by e-mail. Returns the window's end.
    pub(crate) async fn claim_number(
        &self,
        tx: &mut Tx,
        out: &mut Vec<Outbound>,
        claimant: &AccountRow,
        how: &str,
        now: i64,
    ) -> Result<i64, ServiceError> {
        claims::lock_number(tx, self.store.backend, &claimant.id_number).await?;
        let until = now + self.dispute_window_ms;
        duplicates::resolve(tx, claimant.id, how, now).await?;
        claims::supersede(tx, claimant.id, now).await?;
        let claim = claims::insert(tx, claimant.id, &claimant.id_number, how, now, until).await?;
        audit::record(
            tx,
            &format!("account:{}", claimant.id),
            "id_claimed",
            &format!("claim:{claim}"),
            how,
            now,
        )
        .await?;
        let masked = self.masked_id(&claimant.id_type, &claimant.id_number);
        for holder in accounts::by_id_number(tx, &claimant.id_number).await? {
            if holder.id == claimant.id || !holder.binding.holds_number() {
                continue;
            }
            let locale = match holder.chat_id {
                Some(chat) => chat_state::locale_of(tx, chat).await?.unwrap_or_default(),
                None => Locale::default(),
            };
            let text = Text::new("claim-notice")
                .arg_key("how", format!("claim-how-{how}"))
                .arg("id_masked", masked.clone())
                .arg("until", local_time(until));
            if let Some(chat) = holder.chat_id {
                let button = ButtonOut {
                    text: Text::new("claim-object"),
                    data: Callback::Objection { claim },
                };
                out.extend(render::reply(
                    &self.tree,
                    locale,
                    chat,
                    &Reply {
                        lead: Vec::new(),
                        text: text.clone(),
                        progress: None,
                        keyboard: Keyboard::Inline(vec![vec![button]]),
                    },
                ));
            }
            let texts = &self.tree.texts;
            out.push(Outbound::Email {
                to: holder.email.clone(),
                subject: html_to_plain(&texts.get(locale, "claim-mail-subject")),
                body: html_to_plain(&format!(
                    "{}\n\n{}",
                    texts.render(locale, &text),
                    texts.get(locale, "claim-mail-how-to-object")
                )),
                on_failure: None,
            });
        }
        Ok(until)
    }

    /// `object_claim` from the duplicate menu: the holder objects to every waiting claim on
    /// their number; `done`, or `none` when there is nothing (any more) to object to.
    pub(crate) async fn object_claims(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
    ) -> Result<&'static str, ServiceError> {
        let Some(me) = accounts::by_chat(tx, turn.chat.chat_id).await? else {
            return Ok("none");
        };
        let mut any = false;
        for claim in claims::waiting_on_number(tx, &me.id_number, me.id).await? {
            any |= self.object_one(tx, turn, &me, claim.id).await?;
        }
        Ok(if any { "done" } else { "none" })
    }

    /// The holder's press on a claim notice (`o:{claim}`); refused unless this chat's account
    /// holds the claimed number and the claim still waits.
    pub(crate) async fn objection_button(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
        claim: i64,
        message_id: Option<i64>,
    ) -> Result<(), ServiceError> {
        let me = accounts::by_chat(tx, turn.chat.chat_id).await?;
        let done = match &me {
            Some(me) => self.object_one(tx, turn, me, claim).await?,
            None => false,
        };
        if !done {
            audit::record(
                tx,
                &self.actor(turn),
                "objection_refused",
                &Callback::Objection { claim }.encode(),
                "",
                turn.now,
            )
            .await?;
            turn.notice = Some(Text::new("stale-button"));
            return Ok(());
        }
        turn.notice = Some(Text::new("button-done"));
        if let Some(message_id) = message_id {
            turn.out.push(Outbound::ClearButtons {
                chat_id: turn.chat.chat_id,
                message_id,
            });
        }
        Ok(())
    }

    async fn object_one(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
        me: &AccountRow,
        claim_id: i64,
    ) -> Result<bool, ServiceError> {
        let Some(claim) = claims::by_id(tx, claim_id).await? else {
            return Ok(false);
        };
        claims::lock_number(tx, self.store.backend, &claim.id_number).await?;
        let holder = me.binding.holds_number();
        let Some(claim) = claims::by_id(tx, claim_id).await? else {
            return Ok(false);
        };
        if !holder
            || claim.status != "waiting"
            || claim.id_number != me.id_number
            || claim.account_id == me.id
        {
            return Ok(false);
        }
        let detail = json!({
            "reason": format!("objection to claim #{} ({})", claim.id, claim.how),
            "text": format!("claimant account:{}, holder account:{}", claim.account_id, me.id),
        });
        let new = NewTicket {
            kind: TicketKind::IdObjection,
            about: About::Review {
                detail: &detail,
                record_id: None,
            },
            node: None,
            by_bot: false,
        };
        let ticket = self.open_ticket(tx, turn, new).await?;
        claims::object(tx, claim.id, me.id, ticket, turn.now).await?;
        audit::record(
            tx,
            &self.actor(turn),
            "claim_objected",
            &format!("claim:{}", claim.id),
            &format!("ticket:{ticket}"),
            turn.now,
        )
        .await?;
        self.say(
            turn,
            Text::new("claim-objected").arg("ticket", ticket.to_string()),
        );
        if let Some(claimant) = accounts::by_id(tx, claim.account_id).await?
            && let Some(chat) = claimant.chat_id
        {
            let locale = chat_state::locale_of(tx, chat).await?.unwrap_or_default();
            turn.out.extend(render::text(
                &self.tree,
                locale,
                chat,
                &Text::new("claim-frozen"),
            ));
        }
        Ok(true)
    }

    /// An agent's decision on an objection: approve the claim (binding becomes available at
    /// once) or keep the holder (the claimant starts over).
    #[allow(clippy::too_many_arguments)]
    pub(crate) async fn decide_objection(
        &self,
        tx: &mut Tx,
        ticket_id: i64,
        objector_chat: i64,
        approve: bool,
        agent: &str,
        now: i64,
        out: &mut Vec<Outbound>,
    ) -> Result<(), ServiceError> {
        let Some(claim) = claims::by_ticket(tx, ticket_id).await? else {
            return Ok(());
        };
        let to = if approve { "upheld" } else { "denied" };
        if !claims::set_status(tx, claim.id, "objected", to, now).await? {
            return Ok(());
        }
        if !approve {
            duplicates::unresolve(tx, claim.account_id, now).await?;
        }
        audit::record(
            tx,
            agent,
            &format!("claim_{to}"),
            &format!("claim:{}", claim.id),
            "",
            now,
        )
        .await?;
        if let Some(claimant) = accounts::by_id(tx, claim.account_id).await?
            && let Some(chat) = claimant.chat_id
        {
            let locale = chat_state::locale_of(tx, chat).await?.unwrap_or_default();
            let text = Text::new(format!("claim-{to}"));
            out.extend(render::text(&self.tree, locale, chat, &text));
        }
        let locale = chat_state::locale_of(tx, objector_chat)
            .await?
            .unwrap_or_default();
        let text = Text::new(format!("claim-objector-{to}"));
        out.extend(render::text(&self.tree, locale, objector_chat, &text));
        Ok(())
    }
}
