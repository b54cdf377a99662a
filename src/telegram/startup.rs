//! Start-up calls to the Bot API: who the bot is, the command menu, the webhook; retried
//! while Telegram is unreachable or busy.

use super::api::{ApiError, BotApi};
use serde_json::{Value, json};
use std::time::Duration;

/// `getMe`: who the bot is (its username tells its commands from other bots').
pub async fn get_me(api: &BotApi) -> Result<Value, ApiError> {
    call_retrying(api, "getMe", &json!({})).await
}

/// A start-up call, retried while Telegram is unreachable, busy or failing; only a refusal
/// (a wrong token, a bad webhook URL) stops start-up.
pub async fn call_retrying(api: &BotApi, method: &str, body: &Value) -> Result<Value, ApiError> {
    let mut wait = Duration::from_millis(250);
    loop {
        match api.call(method, body, Duration::from_secs(15)).await {
            Ok(result) => return Ok(result),
            Err(e @ ApiError::Permanent { .. }) => return Err(e),
            Err(ApiError::RetryAfter(seconds)) => {
                tokio::time::sleep(Duration::from_secs(seconds)).await
            }
            Err(e) => {
                tracing::warn!(method, error = %e, "Bot API call failed; retrying");
                tokio::time::sleep(wait).await;
                wait = (wait * 2).min(Duration::from_secs(10));
            }
        }
    }
}

/// The command menu in both languages; failures are logged, not fatal.
pub async fn set_commands(api: &BotApi) {
    let zh = [
        ("start", "开始 / 主菜单"),
        ("help", "常见问题"),
        ("status", "我的进度"),
        ("back", "返回上一步"),
        ("cancel", "取消当前操作"),
        ("lang", "切换语言 / Language"),
        ("human", "人工客服"),
        ("privacy", "我的数据"),
        ("mute", "不再接收截止日期提醒"),
    ];
    let en = [
        ("start", "Start / main menu"),
        ("help", "Questions and answers"),
        ("status", "My progress"),
        ("back", "Previous step"),
        ("cancel", "Cancel what I am doing"),
        ("lang", "Language / 切换语言"),
        ("human", "Talk to a person"),
        ("privacy", "My data"),
        ("mute", "No more deadline reminders"),
    ];
    for (commands, language) in [(&zh[..], None), (&en[..], Some("en"))] {
        let list: Vec<Value> = commands
            .iter()
            .map(|(c, d)| json!({ "command": c, "description": d }))
            .collect();
        let mut body = json!({ "commands": list });
        if let Some(code) = language {
            body["language_code"] = json!(code);
        }
        if let Err(e) = api
            .call("setMyCommands", &body, Duration::from_secs(15))
            .await
        {
            tracing::warn!(error = %e, "setMyCommands failed");
        }
    }
}
