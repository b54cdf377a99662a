//! An in-process harness for use-case tests: the real service over a real SQLite file and
//! the shipped dialogues, driven with typed messages and presses, its replies read back
//! from the outbox — fast tests of what a student sees, without spawning the binary.

use crate::dialogue::{Command, Input, Tree};
use crate::domain::Callback;
use crate::message::{Inbound, Lane, Meta, OutButton, Outbound, Place};
use crate::service::{Clock, Service};
use crate::store::{Store, outbox};
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicI64, Ordering};

/// A service with its own database file, removed when dropped.
pub(crate) struct TestService {
    pub service: Service,
    dir: PathBuf,
    /// Numbers the messages and presses (their message ids).
    next_update: AtomicI64,
}

/// One message the bot sent a chat: its text and buttons.
#[derive(Debug, Clone)]
pub(crate) struct Shown {
    pub text: String,
    pub buttons: Vec<OutButton>,
}

impl TestService {
    pub async fn new(name: &str) -> TestService {
        let dir = std::env::temp_dir().join(format!("helpdesk-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("scratch dir");
        let url = format!("sqlite://{}", dir.join("db.sqlite").display());
        let store = Store::connect(&url).await.expect("database");
        let tree = Arc::new(Tree::embedded().expect("the shipped dialogues"));
        let service = Service::new(
            store,
            tree,
            Clock::system(),
            b"a-test-code-secret-0123",
            true,
        );
        TestService {
            service,
            dir,
            next_update: AtomicI64::new(1),
        }
    }

    /// The student in `chat` types `text` (a command when it starts with `/`); returns what
    /// the bot sent that chat in answer.
    pub async fn say(&self, chat: i64, text: &str) -> Vec<Shown> {
        let input = match text.strip_prefix('/') {
            Some(name) => Input::Command(Command::parse(name)),
            None => Input::Text(text.to_string()),
        };
        self.send(chat, input).await
    }

    /// The student presses the button labelled `label` on the last message that has one.
    pub async fn press(&self, chat: i64, shown: &[Shown], label: &str) -> Vec<Shown> {
        let data = shown
            .iter()
            .rev()
            .flat_map(|s| s.buttons.iter())
            .find(|b| b.text.contains(label))
            .map(|b| b.data.clone())
            .unwrap_or_else(|| panic!("no button `{label}` in {shown:?}"));
        self.press_data(chat, data).await
    }

    /// The student presses a button with this data (forged or old, as a test needs).
    pub async fn press_data(&self, chat: i64, data: Callback) -> Vec<Shown> {
        self.send(chat, Input::Button(data)).await
    }

    async fn send(&self, chat: i64, input: Input) -> Vec<Shown> {
        let update = self.next_update.fetch_add(1, Ordering::Relaxed);
        let callback_id = matches!(input, Input::Button(_)).then(|| format!("q{update}"));
        // No update id: like the console's, these are not rows of the inbox.
        let inbound = Inbound {
            update_id: None,
            chat_id: chat,
            user_id: chat,
            user_name: "Test".into(),
            language_code: Some("zh-CN".into()),
            message_id: Some(update),
            callback_id,
            place: Place::Private,
            input,
            meta: Meta::default(),
        };
        self.service.handle(&inbound).await.expect("handled");
        self.sent_to(chat).await
    }

    /// What waits in the outbox for `chat`, taken out as if delivered.
    async fn sent_to(&self, chat: i64) -> Vec<Shown> {
        let store = &self.service.store;
        let now = self.service.clock.now_ms();
        let rows = outbox::pending_in_lane(store, &Lane::Chat(chat))
            .await
            .expect("outbox");
        let mut shown = Vec::new();
        for row in rows {
            if let Ok(Outbound::Text { text, buttons, .. }) = row.message() {
                let buttons = buttons.into_iter().flatten().collect();
                shown.push(Shown { text, buttons });
            }
            outbox::mark_sent(store, row.id, now).await.expect("sent");
        }
        shown
    }
}

impl Drop for TestService {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// The texts of what was shown, for assertions.
pub(crate) fn texts(shown: &[Shown]) -> String {
    shown
        .iter()
        .map(|s| s.text.as_str())
        .collect::<Vec<_>>()
        .join("\n---\n")
}
