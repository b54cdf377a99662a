//! The console's sender: after each input it delivers what the outbox holds — the typing
//! student's replies, everything for the agents' group, callback answers, SMS and e-mail —
//! and records each as the bot's sender would, follow-ups included. Other students' replies
//! wait in the outbox until the console types as them.

use super::Typist;
use super::desk::{CONSOLE_GROUP, Desk};
use super::screen::{Screen, paint};
use crate::app::{AppError, Core};
use crate::message::{Lane, LaneKind, Outbound};
use crate::store::outbox::{self, OutboxRow, Outcome};

/// Rounds of delivery after one input: each round sends every lane's first row, and a
/// follow-up (a card after a topic, a notice after a relay) needs another.
const ROUNDS: usize = 8;

/// Delivers until the outbox holds nothing more the console can show now.
pub(super) async fn pending(
    core: &Core,
    screen: &Screen,
    student: &mut Typist,
    desk: &mut Desk,
) -> Result<(), AppError> {
    let store = &core.service.store;
    for _ in 0..ROUNDS {
        let now = core.service.clock.now_ms();
        let mut rows = Vec::new();
        let own = if desk.typing {
            super::desk::CONSOLE_AGENT
        } else {
            student.chat
        };
        rows.extend(outbox::pending_in_lane(store, &Lane::Chat(own)).await?);
        for pattern in [
            format!("tg:{CONSOLE_GROUP}"),
            LaneKind::Card.pattern(),
            LaneKind::Edit.pattern(),
            LaneKind::Callback.pattern(),
            LaneKind::Sms.pattern(),
            LaneKind::Mail.pattern(),
        ] {
            rows.extend(outbox::claim_due(store, now, 100, &pattern).await?);
        }
        if rows.is_empty() {
            return Ok(());
        }
        let mut outcomes = Vec::new();
        for row in rows {
            outcomes.push(deliver(core, screen, student, desk, &row).await?);
        }
        let mut tx = store.begin().await?;
        outbox::record(&mut tx, &outcomes, now).await?;
        tx.commit().await.map_err(crate::store::StoreError::from)?;
    }
    Ok(())
}

/// Shows one row where it belongs; a row the console cannot read is dropped as failed.
async fn deliver(
    core: &Core,
    screen: &Screen,
    student: &mut Typist,
    desk: &mut Desk,
    row: &OutboxRow,
) -> Result<Outcome, AppError> {
    let Ok(out) = row.message() else {
        return Ok(Outcome::Failed {
            id: row.id,
            error: "unreadable".into(),
            fallback: None,
        });
    };
    match &out {
        Outbound::Email {
            to, subject, body, ..
        } => {
            screen.say(
                paint::SENT_OUT,
                &format!("[e-mail to {to}] {subject}\n{body}"),
            );
            if let Err(e) = core.mailer.send(to, subject, body).await {
                screen.say(paint::ERROR, &format!("mail not written: {e}"));
            }
        }
        Outbound::Sms { .. } => {
            screen.show(&out);
        }
        // Buttons taken off or replaced under a student's message: the console shows the
        // next message's buttons anyway.
        Outbound::ClearButtons { chat_id, .. } | Outbound::SetButtons { chat_id, .. }
            if *chat_id > 0 => {}
        Outbound::AnswerCallback { .. } => {
            screen.show(&out);
        }
        out if for_group(out) => desk.deliver(screen, out).await?,
        out if desk.typing => {
            // The agent's private chat with the bot.
            if let Some((text, _)) = super::screen::shown(out) {
                screen.say(paint::BOT, &format!("[to the agent privately] {text}"));
            }
        }
        out => {
            let buttons = screen.show(out);
            if !buttons.is_empty() {
                student.buttons = buttons;
            }
        }
    }
    Ok(Outcome::Sent {
        id: row.id,
        follow_up: out.on_sent().cloned(),
    })
}

/// Whether a delivery goes into the agents' group.
fn for_group(out: &Outbound) -> bool {
    match out.lane() {
        Lane::Chat(chat) | Lane::Edit(chat) => chat < 0,
        Lane::Card(_) => true,
        _ => false,
    }
}
