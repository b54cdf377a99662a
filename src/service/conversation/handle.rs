//! Handling one inbound update in one transaction.

use crate::dialogue::engine::{Effect, Engine, Step};
use crate::dialogue::{ChatState, Input, Locale, Text};
use crate::domain::Callback;
use crate::message::{Inbound, Outbound, Place};
use crate::service::conversation::actions::ActionOutput;
use crate::service::conversation::turn::{Flood, Prefetched, Turn, flood};
use crate::service::{Handled, Service, ServiceError, conversation::render};
use crate::store::{
    Tx,
    chat_state::{self, ChatRow},
    inbox, outbox,
};

/// Safety bound on actions run for one update.
const MAX_ACTIONS: usize = 16;

impl Service {
    /// Handles one update on its own (the console, tests): prepared, then deduplicated by
    /// update_id, all effects in one transaction under the chat's lock
    /// (see [`inbox::lock_chat`]).
    pub async fn handle(&self, inbound: &Inbound) -> Result<Handled, ServiceError> {
        let prepared = self.prepare(inbound).await;
        let inbound = prepared.as_ref().unwrap_or(inbound);
        let mut tx = self.store.begin().await?;
        inbox::lock_chat(&mut tx, inbound.chat_id).await?;
        let now = self.clock.now_ms();
        if let Some(update_id) = inbound.update_id
            && !inbox::claim(&mut tx, update_id, now).await?
        {
            return Ok(Handled::Duplicate);
        }
        let handled = self
            .handle_update(&mut tx, inbound, now, &Prefetched::default())
            .await?;
        tx.commit().await?;
        self.wake.notify_one();
        Ok(handled)
    }

    /// Whether [`Service::prepare`] has network calls to make for this update.
    pub fn needs_preparing(&self, inbound: &Inbound) -> bool {
        self.needs_membership_lookup(inbound) || self.needs_upload_check(inbound)
    }

    /// What is learnt before an update is handled, outside any transaction (network calls
    /// must not hold the database or the chat's lock): an agent's membership of the group, and
    /// what an upload really is. Returns the update to handle instead, when it changed.
    pub async fn prepare(&self, inbound: &Inbound) -> Option<Inbound> {
        if self.needs_membership_lookup(inbound) {
            self.learn_membership(inbound).await;
        }
        self.check_upload(inbound).await
    }

    /// Handles one prepared update inside `tx`, whose inbox row the caller has claimed, and
    /// which the caller commits (then wakes the sender). The caller holds the chat's lock, so
    /// a chat's updates are handled one at a time; `known` is what a batch learnt for all.
    pub async fn handle_update(
        &self,
        tx: &mut Tx,
        inbound: &Inbound,
        now: i64,
        known: &Prefetched,
    ) -> Result<Handled, ServiceError> {
        Ok(match inbound.place {
            Place::Private => {
                self.student(tx, inbound, now, known).await?;
                Handled::Done
            }
            Place::Group { .. } => {
                let out = self.agent_update(tx, inbound, now).await?;
                enqueue(tx, &out, now).await?;
                if out.is_empty() {
                    Handled::Ignored
                } else {
                    Handled::Done
                }
            }
        })
    }

    async fn student(
        &self,
        tx: &mut Tx,
        inbound: &Inbound,
        now: i64,
        known: &Prefetched,
    ) -> Result<(), ServiceError> {
        if inbound.meta.edited {
            let out = self.student_edit(tx, inbound).await?;
            return enqueue(tx, &out, now).await;
        }
        if let Some(out) = self.private_agent(tx, inbound, now, known).await? {
            return enqueue(tx, &out, now).await;
        }
        let chat = match chat_state::load(tx, inbound.chat_id).await? {
            Some(chat) => chat,
            None => ChatRow {
                chat_id: inbound.chat_id,
                user_id: inbound.user_id,
                state: ChatState::new(Locale::from_client(inbound.language_code.as_deref())),
                handed_over: false,
                flood_since: now,
                flood_count: 0,
            },
        };
        let mut turn = Turn {
            chat,
            out: Vec::new(),
            notice: None,
            now,
            lead: None,
        };
        turn.chat.user_id = inbound.user_id;
        let agent_button = matches!(&inbound.input, Input::Button(Callback::Ticket { .. }));
        match flood(&mut turn.chat, now) {
            // An agent working a ticket from a private chat.
            Flood::Calm if agent_button => {
                let out = self.agent_update(tx, inbound, now).await?;
                turn.out.extend(out);
                enqueue(tx, &turn.out, now).await?;
                chat_state::save(tx, &turn.chat, now).await?;
                return Ok(());
            }
            Flood::Calm if turn.chat.handed_over => {
                self.relay_from_student(tx, &mut turn, inbound).await?
            }
            Flood::Calm => {
                if !self.relay_while_waiting(tx, &mut turn, inbound).await? {
                    self.converse(tx, &mut turn, inbound).await?
                }
            }
            Flood::Warn => {
                let warning = render::text(
                    &self.tree,
                    turn.locale(),
                    inbound.chat_id,
                    &Text::new("flood-warning"),
                );
                turn.out.extend(warning);
            }
            Flood::Drop => {}
        }
        if let Some(callback_id) = &inbound.callback_id {
            let text = turn.notice.as_ref().map(|t| {
                crate::dialogue::texts::html_to_plain(&self.tree.texts.render(turn.locale(), t))
            });
            turn.out.insert(
                0,
                Outbound::AnswerCallback {
                    callback_id: callback_id.clone(),
                    text,
                },
            );
        }
        chat_state::save(tx, &turn.chat, now).await?;
        enqueue(tx, &turn.out, now).await?;
        Ok(())
    }

    async fn converse(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
        inbound: &Inbound,
    ) -> Result<(), ServiceError> {
        match &inbound.input {
            Input::Button(Callback::Assist { request, accept }) => {
                return self
                    .assist_decision(tx, turn, *request, *accept, inbound.message_id)
                    .await;
            }
            Input::Button(Callback::Objection { claim }) => {
                return self
                    .objection_button(tx, turn, *claim, inbound.message_id)
                    .await;
            }
            Input::Button(Callback::AfterClose { ticket, choice }) => {
                return self
                    .after_close_button(tx, turn, *ticket, *choice, inbound.message_id)
                    .await;
            }
            _ => {}
        }
        let engine = Engine::new(&self.tree, self.clock.today());
        let before = turn.chat.state.version;
        let pressed_on = turn.chat.state.node.clone();
        let step = engine.step(&turn.chat.state, &inbound.input);
        self.apply(tx, turn, &engine, step, inbound).await?;
        // A pressed button that moved the dialogue on: its message becomes the next step, or,
        // where the message is worth keeping (or the next step cannot be an edit), it only
        // loses its keyboard.
        if let (Input::Button(_), Some(message_id)) = (&inbound.input, inbound.message_id)
            && turn.chat.state.version != before
        {
            let keep = self
                .tree
                .node(&pressed_on)
                .is_some_and(|node| node.keeps_message());
            if keep
                || !super::edit_in_place::edit_in_place(&mut turn.out, inbound.chat_id, message_id)
            {
                let clear = Outbound::ClearButtons {
                    chat_id: inbound.chat_id,
                    message_id,
                };
                turn.out.insert(0, clear);
            }
        }
        Ok(())
    }

    /// Applies a step's effects, running actions and resuming until the dialogue waits.
    pub(crate) async fn apply(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
        engine: &Engine<'_>,
        step: Step,
        inbound: &Inbound,
    ) -> Result<(), ServiceError> {
        let applied = self.apply_steps(tx, turn, engine, step, inbound).await;
        self.place_lead(turn);
        applied
    }

    /// The lead line in front of the first message sent after it, so that "I understood …"
    /// and where it led arrive as one message; alone when nothing followed.
    fn place_lead(&self, turn: &mut Turn) {
        let Some((text, at)) = turn.lead.take() else {
            return;
        };
        let line = self.tree.texts.render(turn.locale(), &text);
        let first = turn.out.iter_mut().skip(at).find_map(|o| match o {
            Outbound::Text { text, .. } => Some(text),
            _ => None,
        });
        match first {
            Some(body) => *body = format!("{line}\n\n{body}"),
            None => turn.out.extend(render::text(
                &self.tree,
                turn.locale(),
                turn.chat.chat_id,
                &text,
            )),
        }
    }

    async fn apply_steps(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
        engine: &Engine<'_>,
        mut step: Step,
        inbound: &Inbound,
    ) -> Result<(), ServiceError> {
        for _ in 0..MAX_ACTIONS {
            let pending = step
                .pending_action()
                .map(|(a, p)| (a.to_string(), p.clone()));
            turn.chat.state = step.state.clone();
            for effect in step.effects {
                self.effect(tx, turn, effect, inbound).await?;
            }
            let Some((action, params)) = pending else {
                return Ok(());
            };
            let ActionOutput { outcome } =
                self.run_action(tx, turn, &action, &params, inbound).await?;
            step = engine.resume(&turn.chat.state, outcome);
        }
        let text = Text::new("internal-error");
        turn.out.extend(render::text(
            &self.tree,
            turn.locale(),
            turn.chat.chat_id,
            &text,
        ));
        Ok(())
    }

    async fn effect(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
        effect: Effect,
        inbound: &Inbound,
    ) -> Result<(), ServiceError> {
        match effect {
            Effect::Reply(reply) => {
                turn.out.extend(render::reply(
                    &self.tree,
                    turn.locale(),
                    turn.chat.chat_id,
                    &reply,
                ));
            }
            Effect::Notice(text) => {
                turn.notice.get_or_insert(text);
            }
            Effect::Service(command) => self.command(tx, turn, &command, inbound).await?,
            Effect::Escalate { node, reason } => self.escalate(tx, turn, &node, reason).await?,
            Effect::Lead(text) => turn.lead = Some((text, turn.out.len())),
            Effect::Unmatched { text, node, reason } => {
                let question = crate::store::unmatched::Unmatched {
                    at: turn.now,
                    locale: turn.locale().code(),
                    node: &node,
                    reason,
                    text: &text,
                };
                crate::store::unmatched::record(tx, &question).await?;
            }
            Effect::Run { .. } => {}
        }
        Ok(())
    }
}

/// Enqueues a turn's replies in one statement.
async fn enqueue(tx: &mut Tx, out: &[Outbound], now: i64) -> Result<(), ServiceError> {
    outbox::enqueue_all(tx, out, now).await?;
    Ok(())
}
