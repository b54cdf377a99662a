//! Waiting for the bot's messages, and what a timed-out wait reports.

use crate::FakeTelegram;
use crate::state::State;
use crate::text::contains;
use crate::types::Sent;
use serde_json::Value;
use std::fmt::Write as _;
use std::time::Duration;

impl FakeTelegram {
    /// Waits until at least `count` messages were sent to `chat_id`; returns all of them.
    pub async fn wait_sent(&self, chat_id: i64, count: usize, timeout: Duration) -> Vec<Sent> {
        let what = format!("{count} message(s) in chat {chat_id}");
        self.wait_for(chat_id, &what, timeout, |st| {
            let sent: Vec<Sent> = st
                .sent
                .iter()
                .filter(|s| s.chat_id == chat_id)
                .cloned()
                .collect();
            (sent.len() >= count).then_some(sent)
        })
        .await
    }

    /// First message sent to `chat_id` whose text or caption (as sent or as displayed)
    /// contains `needle`, waiting for it if needed.
    pub async fn wait_text(&self, chat_id: i64, needle: &str, timeout: Duration) -> Sent {
        let what = format!("a message containing {needle:?} in chat {chat_id}");
        self.wait_for(chat_id, &what, timeout, |st| {
            st.sent
                .iter()
                .find(|s| s.chat_id == chat_id && contains(s, needle))
                .cloned()
        })
        .await
    }

    /// Like [`FakeTelegram::wait_text`], but only among the messages to `chat_id` from index
    /// `from` on (0-based, in the order of [`FakeTelegram::sent`]); returns the index too.
    pub async fn wait_text_from(
        &self,
        chat_id: i64,
        from: usize,
        needle: &str,
        timeout: Duration,
    ) -> (usize, Sent) {
        let what = format!("a message containing {needle:?} in chat {chat_id} after #{from}");
        self.wait_for(chat_id, &what, timeout, |st| {
            st.sent
                .iter()
                .filter(|s| s.chat_id == chat_id)
                .enumerate()
                .skip(from)
                .find(|(_, s)| contains(s, needle))
                .map(|(i, s)| (i, s.clone()))
        })
        .await
    }

    async fn wait_for<T>(
        &self,
        chat_id: i64,
        what: &str,
        timeout: Duration,
        check: impl Fn(&State) -> Option<T>,
    ) -> T {
        let deadline = tokio::time::Instant::now() + timeout;
        loop {
            let notified = self.shared.sent.notified();
            tokio::pin!(notified);
            notified.as_mut().enable();
            if let Some(found) = check(&self.lock()) {
                return found;
            }
            if tokio::time::timeout_at(deadline, notified).await.is_err() {
                let st = self.lock();
                if let Some(found) = check(&st) {
                    return found;
                }
                let report = dump(&st, chat_id, what, timeout);
                drop(st);
                panic!("{report}");
            }
        }
    }
}

/// The panic message of a timed-out wait: what was sent to the chat and what failed.
pub(crate) fn dump(st: &State, chat_id: i64, what: &str, timeout: Duration) -> String {
    let mut s = format!(
        "fake telegram: timed out after {timeout:?} waiting for {what}\nsent to chat {chat_id}:\n"
    );
    let mut any = false;
    for sent in st.sent.iter().filter(|x| x.chat_id == chat_id) {
        any = true;
        let content = sent
            .text
            .as_deref()
            .or(sent.caption.as_deref())
            .unwrap_or("");
        let _ = write!(
            s,
            "  #{} {} at {:?}: {content:?}",
            sent.message_id, sent.method, sent.at
        );
        let buttons = sent.buttons();
        let _ = if buttons.is_empty() {
            writeln!(s)
        } else {
            writeln!(s, " buttons {buttons:?}")
        };
    }
    if !any {
        s.push_str("  (nothing)\n");
    }
    let failed: Vec<_> = st
        .calls
        .iter()
        .filter(|c| c.status != 200 && c.method != "getupdates")
        .collect();
    if !failed.is_empty() {
        s.push_str("failed calls (any chat):\n");
        for call in failed {
            let description = call
                .response
                .get("description")
                .and_then(Value::as_str)
                .unwrap_or("no response");
            let _ = writeln!(
                s,
                "  {} chat {} at {:?}: {} {description}",
                call.method, call.body["chat_id"], call.at, call.status
            );
        }
    }
    let mut others: Vec<i64> = st
        .sent
        .iter()
        .map(|x| x.chat_id)
        .filter(|c| *c != chat_id)
        .collect();
    others.sort_unstable();
    others.dedup();
    let _ = writeln!(s, "other chats with sent messages: {others:?}");
    s
}
