//! What the bot keeps about a student (/privacy) and erasing it (/delete_my_data, confirmed
//! by a one-time code when there is an account).

use super::handle::Turn;
use super::{Service, ServiceError};
use crate::dialogue::Text;
use crate::dialogue::texts::html_to_plain;
use crate::domain::{Email, Phone};
use crate::store::{Tx, accounts, tickets};

impl Service {
    /// `/privacy`: the stored data, masked as everywhere else.
    pub(crate) async fn privacy_text(
        &self,
        tx: &mut Tx,
        turn: &Turn,
    ) -> Result<Text, ServiceError> {
        let account = match accounts::by_chat(tx, turn.chat.chat_id).await? {
            Some(a) => {
                let line = Text::new("privacy-account")
                    .arg(
                        "username",
                        Email::parse(&a.email)
                            .map(|e| e.masked())
                            .unwrap_or_default(),
                    )
                    .arg("name", a.name.clone())
                    .arg("id_masked", self.masked_id(&a.id_type, &a.id_number))
                    .arg(
                        "phone",
                        Phone::parse(&a.phone)
                            .map(|p| p.masked())
                            .unwrap_or_default(),
                    )
                    .arg_key("binding", format!("binding-{}", a.binding));
                html_to_plain(&self.tree.texts.render(turn.locale(), &line))
            }
            None => self.tree.texts.get(turn.locale(), "status-no-account"),
        };
        let open = tickets::open_for_chat(tx, turn.chat.chat_id).await?.len();
        Ok(Text::new("privacy-summary")
            .arg("account", account)
            .arg("tickets", open.to_string())
            .arg("answers", turn.chat.state.answers.len().to_string())
            .arg("locale", turn.locale().code()))
    }

    /// `erase_my_data`: the account's personal fields, codes, look-ups, ticket details, scans
    /// and the dialogue's answers go; the audit trail keeps what happened, without who.
    pub(crate) async fn erase_my_data(
        &self,
        tx: &mut Tx,
        turn: &mut Turn,
    ) -> Result<&'static str, ServiceError> {
        let chat = turn.chat.chat_id;
        // Codes, their locks and limit events stay: they hold keyed hashes only, and they are
        // the limits a deletion must not lift. The codes lose the chat they were asked from.
        let mut steps: Vec<(&str, Vec<i64>)> = vec![
            (
                "UPDATE codes SET chat_id = 0, state = CASE WHEN state = 'live' THEN 'replaced' ELSE state END WHERE chat_id = $1",
                vec![chat],
            ),
            (
                "UPDATE tickets SET summary = 'erased', detail = '' WHERE chat_id = $1",
                vec![chat],
            ),
            (
                "UPDATE reviews SET front = '', back = '', id_number = '' WHERE chat_id = $1",
                vec![chat],
            ),
        ];
        if let Some(account) = accounts::by_chat(tx, chat).await? {
            steps.push((
                "UPDATE accounts SET email = 'erased-' || CAST(id AS TEXT) || '@invalid', email_norm = 'erased-' || CAST(id AS TEXT) || '@invalid',
                     name = '', id_number = '', phone = '', status = 'erased', binding = 'unbound', chat_id = NULL WHERE id = $1",
                vec![account.id],
            ));
            steps.push((
                "UPDATE audit SET actor = 'erased' WHERE actor = 'account:' || CAST($1 AS TEXT)",
                vec![account.id],
            ));
        }
        for (sql, binds) in steps {
            let mut query = sqlx::query(sql);
            for b in binds {
                query = query.bind(b);
            }
            query.execute(&mut **tx).await?;
        }
        sqlx::query("UPDATE audit SET actor = 'erased' WHERE actor = $1")
            .bind(format!("chat:{chat}"))
            .execute(&mut **tx)
            .await?;
        tickets::audit(tx, "erased", "data_erased", "chat:erased", "", turn.now).await?;
        turn.chat.state.answers.clear();
        turn.chat.state.history.clear();
        Ok("done")
    }
}
