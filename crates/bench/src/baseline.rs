//! The baseline of `helpdesk-bench --baseline`: the first three inputs of the bench's script
//! (/start → press 注册账号 → an e-mail address) written the way teloxide's examples write a
//! bot (`examples/purchase.rs`, `db_remember.rs`): a dptree schema under
//! `dialogue::enter`, handlers that call `Bot` directly, the dialogue state in an SQLite
//! storage, teloxide's own long-polling dispatcher. It is the one place outside the
//! helpdesk's `src/telegram` that uses teloxide, because being a teloxide bot is its purpose.
//!
//! teloxide's `SqliteStorage` (feature `sqlite-storage-rustls`) depends on sqlx 0.8, a
//! second sqlx next to ours, so [`DialogueStorage`] is a copy of it on our sqlx: the same
//! table (`teloxide_dialogues (chat_id, dialogue BLOB)`), the state as serde JSON (its
//! `Json` serializer), one read and one upsert per update, and the same connection options
//! (`SqlitePool::connect("sqlite:{path}?mode=rwc")`: sqlx's defaults, which leave SQLite's
//! rollback journal and `synchronous = FULL`, and 10 connections).

use serde::{Deserialize, Serialize};
use sqlx::sqlite::SqlitePool;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use teloxide::dispatching::ShutdownToken;
use teloxide::dispatching::dialogue::{self, Dialogue, Storage};
use teloxide::dispatching::{Dispatcher, UpdateFilterExt, UpdateHandler};
use teloxide::payloads::SendMessageSetters;
use teloxide::prelude::{Bot, CallbackQuery, Message, Requester, Update};
use teloxide::types::{ChatId, InlineKeyboardButton, InlineKeyboardMarkup};

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub enum State {
    #[default]
    Start,
    Menu,
    ReceiveEmail,
    ReceiveCode {
        email: String,
    },
}

#[derive(Debug, thiserror::Error)]
pub enum BaselineError {
    #[error("Bot API: {0}")]
    Request(#[from] teloxide::RequestError),
    #[error("storage: {0}")]
    Storage(#[from] sqlx::Error),
    #[error("state: {0}")]
    Json(#[from] serde_json::Error),
}

type MyDialogue = Dialogue<State, DialogueStorage>;
type HandlerResult = Result<(), BaselineError>;
type BoxFuture<T> = Pin<Box<dyn Future<Output = T> + Send + 'static>>;

/// teloxide's `SqliteStorage`, on our sqlx (see the module documentation).
pub struct DialogueStorage {
    pool: SqlitePool,
}

impl DialogueStorage {
    pub async fn open(path: &str) -> Result<Arc<DialogueStorage>, BaselineError> {
        let pool = SqlitePool::connect(&format!("sqlite:{path}?mode=rwc")).await?;
        sqlx::query(
            "CREATE TABLE IF NOT EXISTS teloxide_dialogues (
                chat_id BIGINT PRIMARY KEY,
                dialogue BLOB NOT NULL
            )",
        )
        .execute(&pool)
        .await?;
        Ok(Arc::new(DialogueStorage { pool }))
    }

    pub fn pool(&self) -> SqlitePool {
        self.pool.clone()
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }
}

impl Storage<State> for DialogueStorage {
    type Error = BaselineError;

    fn remove_dialogue(self: Arc<Self>, ChatId(chat_id): ChatId) -> BoxFuture<HandlerResult> {
        Box::pin(async move {
            sqlx::query("DELETE FROM teloxide_dialogues WHERE chat_id = ?")
                .bind(chat_id)
                .execute(&self.pool)
                .await?;
            Ok(())
        })
    }

    fn update_dialogue(
        self: Arc<Self>,
        ChatId(chat_id): ChatId,
        dialogue: State,
    ) -> BoxFuture<HandlerResult> {
        Box::pin(async move {
            let bytes = serde_json::to_vec(&dialogue)?;
            sqlx::query(
                "INSERT INTO teloxide_dialogues VALUES (?, ?)
                 ON CONFLICT(chat_id) DO UPDATE SET dialogue=excluded.dialogue",
            )
            .bind(chat_id)
            .bind(bytes)
            .execute(&self.pool)
            .await?;
            Ok(())
        })
    }

    fn get_dialogue(
        self: Arc<Self>,
        ChatId(chat_id): ChatId,
    ) -> BoxFuture<Result<Option<State>, BaselineError>> {
        Box::pin(async move {
            let row: Option<(Vec<u8>,)> =
                sqlx::query_as("SELECT dialogue FROM teloxide_dialogues WHERE chat_id = ?")
                    .bind(chat_id)
                    .fetch_optional(&self.pool)
                    .await?;
            Ok(row.map(|r| serde_json::from_slice(&r.0)).transpose()?)
        })
    }
}

/// Starts the baseline bot against the Bot API at `api_url`; returns the token that stops it
/// and the task running it.
pub fn start(
    token: &str,
    api_url: url::Url,
    storage: Arc<DialogueStorage>,
) -> (ShutdownToken, tokio::task::JoinHandle<()>) {
    let bot = Bot::new(token).set_api_url(api_url);
    let mut dispatcher = Dispatcher::builder(bot, schema())
        .dependencies(dptree::deps![storage])
        .build();
    let stop = dispatcher.shutdown_token();
    let task = tokio::spawn(async move { dispatcher.dispatch().await });
    (stop, task)
}

fn schema() -> UpdateHandler<BaselineError> {
    use dptree::case;

    let message_handler = Update::filter_message()
        .branch(dptree::filter(|msg: Message| msg.text() == Some("/start")).endpoint(start_menu))
        .branch(case![State::ReceiveEmail].endpoint(receive_email))
        .branch(dptree::endpoint(invalid_state));
    let callback_query_handler =
        Update::filter_callback_query().branch(case![State::Menu].endpoint(menu_choice));
    dialogue::enter::<Update, DialogueStorage, State, _>()
        .branch(message_handler)
        .branch(callback_query_handler)
}

fn buttons(row: &[(&str, &str)]) -> InlineKeyboardMarkup {
    InlineKeyboardMarkup::new([row
        .iter()
        .map(|(label, data)| InlineKeyboardButton::callback(*label, *data))
        .collect::<Vec<_>>()])
}

async fn start_menu(bot: Bot, dialogue: MyDialogue, msg: Message) -> HandlerResult {
    bot.send_message(msg.chat.id, "您好！我是学信账号助手。请选择：")
        .reply_markup(buttons(&[
            ("📝 注册账号", "b:0:register"),
            ("🔑 登录", "b:0:login"),
        ]))
        .await?;
    dialogue.update(State::Menu).await?;
    Ok(())
}

async fn menu_choice(bot: Bot, dialogue: MyDialogue, q: CallbackQuery) -> HandlerResult {
    bot.answer_callback_query(q.id.clone()).await?;
    if let Some(message) = q.regular_message() {
        bot.edit_message_reply_markup(message.chat.id, message.id)
            .await?;
    }
    if q.data.as_deref() == Some("b:0:register") {
        bot.send_message(dialogue.chat_id(), "请输入您的电子邮箱（将作为用户名）：")
            .reply_markup(buttons(&[
                ("↩️ 返回", "b:0:back"),
                ("✖️ 取消", "b:0:cancel"),
            ]))
            .await?;
        dialogue.update(State::ReceiveEmail).await?;
    }
    Ok(())
}

async fn receive_email(bot: Bot, dialogue: MyDialogue, msg: Message) -> HandlerResult {
    match msg
        .text()
        .filter(|t| t.contains('@'))
        .map(ToOwned::to_owned)
    {
        Some(email) => {
            bot.send_message(msg.chat.id, format!("校验码已发送到邮箱 {email}。"))
                .await?;
            bot.send_message(msg.chat.id, "请输入邮件中的 6 位激活码：")
                .reply_markup(buttons(&[
                    ("🔁 重新发送", "b:0:resend"),
                    ("✖️ 取消", "b:0:cancel"),
                ]))
                .await?;
            dialogue.update(State::ReceiveCode { email }).await?;
        }
        None => {
            bot.send_message(msg.chat.id, "这不是有效的电子邮箱，请重新输入：")
                .reply_markup(buttons(&[("✖️ 取消", "b:0:cancel")]))
                .await?;
        }
    }
    Ok(())
}

async fn invalid_state(bot: Bot, msg: Message) -> HandlerResult {
    bot.send_message(msg.chat.id, "请发送 /start 开始。")
        .reply_markup(buttons(&[("🏠 菜单", "b:0:menu")]))
        .await?;
    Ok(())
}
