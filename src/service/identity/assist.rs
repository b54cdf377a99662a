//! Peer assistance (证件重复-用户协助): a classmate bound to a roster record with another ID
//! number, in the same school (and class, where the roster has both), confirms who asks.
//! The requester's answer never says whether such a classmate exists; requests are limited
//! per account and per ID number; acceptance is a claim that waits out the dispute window.

use crate::dialogue::engine::ButtonOut;
use crate::dialogue::{Keyboard, Reply, Text};
use crate::domain::Callback;
use crate::domain::binding::BindingState;
use crate::domain::keyed::Scope;
use crate::domain::otp::HOUR;
use crate::message::Outbound;
use crate::service::conversation::turn::Turn;
use crate::service::{Service, ServiceError, conversation::render};
use crate::store::{
    Tx,
    accounts::{self, AccountRow},
    audit, chat_state, duplicates,
    records::{self, RecordRow},
};

/// Assistance requests a student may have waiting at once.
pub const MAX_PENDING_ASSISTS: i64 = 3;
/// A request nobody answers expires after this long.
pub const ASSIST_TTL_MS: i64 = 7 * 24 * HOUR;
/// Requests per account and per ID number a day, answered or not.
pub const ASSISTS_PER_DAY: i64 = 5;
const KIND: &str = "assist_request";

/// Whether `helper` may confirm `requester`: an active account bound to its own roster
/// record, another ID number, the same school and, where both records have one, the same class.
fn may_help(
    requester: &AccountRow,
    mine: Option<&RecordRow>,
    helper: &AccountRow,
    theirs: Option<&RecordRow>,
) -> bool {
    let (Some(mine), Some(theirs)) = (mine, theirs) else {
        return false;
    };
    let classes_known = !mine.class_name.trim().is_empty() && !theirs.class_name.trim().is_empty();
    helper.status == "active"
        && helper.binding == BindingState::Bound
        && helper.id != requester.id
        && !helper.id_number.eq_ignore_ascii_case(&requester.id_number)
        && mine.school.trim() == theirs.school.trim()
        && (!classes_known || mine.class_name.trim() == theirs.class_name.trim())
}

impl Service {
    /// The roster records of a requester and a would-be helper, and whether the rule allows it.
    async fn assist_allowed(
        &self,
        tx: &mut Tx,
        requester: &AccountRow,
        helper: &AccountRow,
    ) -> Result<bool, ServiceError> {
        let mine = records::find(tx, &requester.name, &requester.id_number).await?;
        let theirs = records::find(tx, &helper.name, &helper.id_number).await?;
        Ok(may_help(requester, mine.as_ref(), helper, theirs.as_ref()))
    }

    /// `send_assist_request`: asks a classmate (name + username). The answer is the same
    /// whether or not such a classmate exists or qualifies.
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
        let (account, number) = (me.id.to_string(), me.id_number.clone());
        let subjects = [
            (Scope::Account, account.as_str()),
            (Scope::IdNumber, number.as_str()),
        ];
        if self
            .limit_count(tx, KIND, &subjects, turn.now, 24 * HOUR)
            .await?
            >= ASSISTS_PER_DAY
        {
            return Ok("limit");
        }
        self.limit_record(tx, KIND, &subjects, turn.now).await?;
        let named = accounts::by_email(tx, turn.answer("peer_username"))
            .await?
            .filter(|a| a.name == turn.answer("peer_name") && a.chat_id.is_some());
        let helper = match named {
            Some(h) if self.assist_allowed(tx, &me, &h).await? => Some(h),
            _ => None,
        };
        let id = duplicates::insert_assist(
            tx,
            me.id,
            turn.chat.chat_id,
            helper.as_ref().map(|h| h.id),
            turn.now,
        )
        .await?;
        audit::record(
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
            // Enough to recognise a classmate: the full name and the class on the roster.
            let class = records::find(tx, &me.name, &me.id_number)
                .await?
                .map(|r| r.class_name)
                .unwrap_or_default();
            let text = Text::new("assist-request")
                .arg("name", me.name.clone())
                .arg("class", class)
                .arg("id_masked", self.masked_id(&me.id_type, &me.id_number));
            let buttons =
                [("assist-accept", true), ("assist-decline", false)].map(|(key, accept)| {
                    ButtonOut {
                        text: Text::new(key),
                        data: Callback::Assist {
                            request: id,
                            accept,
                        },
                    }
                });
            let reply = Reply {
                lead: Vec::new(),
                text,
                progress: None,
                keyboard: Keyboard::Inline(vec![buttons.to_vec()]),
            };
            turn.out
                .extend(render::reply(&self.tree, locale, chat, &reply));
        }
        Ok("sent")
    }

    /// A classmate's press on an assistance request (`p:{id}:accept|decline`). Only the
    /// classmate the request went to can decide it, and only while the rule still allows it:
    /// the holder of the requester's number can never confirm the request that unbinds them.
    pub(crate) async fn assist_decision(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
        id: i64,
        accept: bool,
        message_id: Option<i64>,
    ) -> Result<(), ServiceError> {
        let data = Callback::Assist {
            request: id,
            accept,
        }
        .encode();
        let me = accounts::by_chat(tx, turn.chat.chat_id).await?;
        duplicates::expire_assists(tx, turn.now - ASSIST_TTL_MS, turn.now).await?;
        let request = duplicates::assist(tx, id).await?;
        let requester = match &request {
            Some(r) => accounts::by_id(tx, r.requester_account).await?,
            None => None,
        };
        let allowed = match (&request, &me, &requester) {
            (Some(r), Some(m), Some(q))
                if r.helper_account == Some(m.id)
                    && r.status == "pending"
                    && q.binding.waits_for_number() =>
            {
                self.assist_allowed(tx, q, m).await?
            }
            _ => false,
        };
        let (Some(request), Some(requester), true) = (request, requester, allowed) else {
            audit::record(
                tx,
                &self.actor(turn),
                "assist_refused",
                &data,
                "not this chat's request, no longer pending, or not allowed",
                turn.now,
            )
            .await?;
            turn.notice = Some(Text::new("stale-button"));
            return Ok(());
        };
        let status = if accept { "accepted" } else { "declined" };
        duplicates::decide_assist(tx, request.id, status, turn.now).await?;
        let mut until = String::new();
        if accept {
            let end = self
                .claim_number(tx, &mut turn.out, &requester, "peer", turn.now)
                .await?;
            until = crate::service::identity::claims::local_time(end);
        }
        audit::record(
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
        let text = Text::new(format!("assist-was-{status}")).arg("until", until);
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
