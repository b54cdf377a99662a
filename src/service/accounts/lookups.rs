//! Limits on the answers that tell whether something exists (an e-mail is taken, a username
//! exists, an account has this name and ID number): counted per chat and per value asked
//! about, under keyed hashes, so neither a new chat nor /delete_my_data starts them afresh.

use crate::dialogue::Text;
use crate::domain::keyed::Scope;
use crate::domain::otp::{HOUR, MINUTE};
use crate::service::conversation::turn::Turn;
use crate::service::{Service, ServiceError};
use crate::store::{Tx, limits};

/// One kind of look-up and its limits within its window.
pub struct LookupLimit {
    pub kind: &'static str,
    pub per_chat: i64,
    pub per_value: i64,
    pub window_ms: i64,
}

/// "Is this e-mail registered?" at registration and log-in: 10 an hour per chat and per address.
pub const EXISTENCE: LookupLimit = LookupLimit {
    kind: "existence",
    per_chat: 10,
    per_value: 10,
    window_ms: HOUR,
};

/// Username retrieval by name and ID number: 5 an hour per chat, 5 a day per ID number.
pub const USERNAME: LookupLimit = LookupLimit {
    kind: "username_lookup",
    per_chat: 5,
    per_value: 5,
    window_ms: 24 * HOUR,
};

impl Service {
    /// Counts an existence look-up of `value`; false (and the student told when to try
    /// again) once the chat or the value has had its share.
    pub(crate) async fn lookup_allowed(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
        scope: Scope,
        value: &str,
        limit: &LookupLimit,
    ) -> Result<bool, ServiceError> {
        let Some(minutes) = self.count_lookup(tx, turn, limit, scope, value).await? else {
            return Ok(true);
        };
        self.say(
            turn,
            Text::new("lookup-limited").arg("minutes", minutes.to_string()),
        );
        Ok(false)
    }

    /// Counts one look-up of `value` (in `scope`) by this chat. `Some(minutes)` until the
    /// next is allowed when a limit is reached; the refused look-up is not counted.
    pub(crate) async fn count_lookup(
        &self,
        tx: &mut Tx,
        turn: &Turn,
        limit: &LookupLimit,
        scope: Scope,
        value: &str,
    ) -> Result<Option<i64>, ServiceError> {
        let chat_key = self.limit_key(Scope::Chat, &turn.chat.chat_id.to_string());
        let value_key = self.limit_key(scope, value);
        // The per-chat count looks back an hour; the per-value one the whole window.
        let checks = [
            (&chat_key, limit.per_chat, HOUR.min(limit.window_ms)),
            (&value_key, limit.per_value, limit.window_ms),
        ];
        let mut wait_ms = 0;
        for (key, max, window) in checks {
            let (count, oldest) = limits::since(tx, limit.kind, key, turn.now - window).await?;
            if count >= max {
                let oldest = oldest.unwrap_or(turn.now);
                wait_ms = wait_ms.max(window - (turn.now - oldest));
            }
        }
        if wait_ms > 0 {
            return Ok(Some(((wait_ms + MINUTE - 1) / MINUTE).max(1)));
        }
        for key in [&chat_key, &value_key] {
            limits::record(tx, limit.kind, key, turn.now).await?;
        }
        Ok(None)
    }
}
