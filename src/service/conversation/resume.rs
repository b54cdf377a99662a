//! Coming back to a chat where it was left: its current step shown again, as the console
//! does when it starts on a database that already holds the chat.

use crate::dialogue::Effect;
use crate::dialogue::engine::Engine;
use crate::service::conversation::render;
use crate::service::{Service, ServiceError};
use crate::store::{chat_state, outbox};

impl Service {
    /// Shows `chat_id`'s current step again, with buttons of its current version (nothing
    /// while an agent has the chat: their messages are what it shows); false when the chat
    /// has no saved state (nothing to come back to).
    pub async fn resume_chat(&self, chat_id: i64) -> Result<bool, ServiceError> {
        let mut tx = self.store.begin().await?;
        let Some(mut chat) = chat_state::load(&mut tx, chat_id).await? else {
            return Ok(false);
        };
        if chat.handed_over {
            return Ok(true);
        }
        let now = self.clock.now_ms();
        let step = Engine::new(&self.tree, self.clock.today()).reprompt(&chat.state);
        let mut out = Vec::new();
        for effect in step.effects {
            if let Effect::Reply(reply) = effect {
                out.extend(render::reply(
                    &self.tree,
                    chat.state.locale,
                    chat_id,
                    &reply,
                ));
            }
        }
        chat.state = step.state;
        chat_state::save(&mut tx, &chat, now).await?;
        outbox::enqueue_all(&mut tx, &out, now).await?;
        tx.commit().await?;
        Ok(true)
    }
}
