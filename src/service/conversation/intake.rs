//! Taking updates in: what the Telegram adapter's polling and webhook store, and the
//! polling offset that moves only with them.

use crate::message::Arrival;
use crate::service::{Service, ServiceError};
use crate::store::inbox;

impl Service {
    /// Stores converted updates durably (repeats ignored), with the next polling offset in
    /// the same transaction when given; returns how many were new.
    pub async fn take_in(
        &self,
        arrivals: &[Arrival],
        next_offset: Option<i64>,
    ) -> Result<u64, ServiceError> {
        let now = self.clock.now_ms();
        Ok(inbox::insert_batch(&self.store, arrivals, now, next_offset).await?)
    }

    /// The offset saved with the last stored batch; without one (or unreadable), 0: Telegram
    /// then starts from the oldest unconfirmed update and the inbox drops any it has seen.
    pub async fn poll_offset(&self) -> i64 {
        match self.store.kv_get("poll_offset").await {
            Ok(Some(stored)) => stored.parse().unwrap_or(0),
            _ => 0,
        }
    }
}
