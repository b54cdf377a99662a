//! `/faq` in a ticket's topic: an agent sends one of the FAQ's answers to the student as a
//! saved reply (`/faq code`), or lists the names (`/faq`). The answers are the FAQ flow's own
//! (`dialogues/faq.toml`: the root's buttons name them), in the student's language.

use crate::dialogue::intent::Decision;
use crate::dialogue::model::{Node, Target};
use crate::dialogue::texts::html_to_plain;
use crate::dialogue::{Text, Tree};
use crate::message::{Inbound, Outbound, Place};
use crate::service::desk::agents::AGENT_LOCALE;
use crate::service::{Service, ServiceError, conversation::render};
use crate::store::{
    Tx, audit, chat_state,
    tickets::{self, Ticket},
};

/// The FAQ's answers: (name, question text key, answer text key), as the FAQ menu lists them.
pub fn answers(tree: &Tree) -> Vec<(String, String, String)> {
    let Some(root) = tree.node("faq.root") else {
        return Vec::new();
    };
    root.buttons()
        .iter()
        .filter_map(|b| match &b.next {
            Target::Node(id) if id.starts_with("faq.") => match tree.node(id) {
                Some(Node::Menu { text, .. }) => Some((b.id.clone(), b.text.clone(), text.clone())),
                _ => None,
            },
            _ => None,
        })
        .collect()
}

impl Service {
    /// Answers `/faq [NAME]` from a ticket's topic (the caller checked the agent may act).
    pub(crate) async fn faq_command(
        &self,
        tx: &mut Tx,
        inbound: &Inbound,
        now: i64,
    ) -> Result<Vec<Outbound>, ServiceError> {
        let thread_id = match inbound.place {
            Place::Group { thread_id } => thread_id,
            Place::Private => None,
        };
        let reply = |text: &Text| Outbound::Text {
            chat_id: inbound.chat_id,
            text: self.tree.texts.render(AGENT_LOCALE, text),
            buttons: Vec::new(),
            contact_button: None,
            thread_id,
        };
        let list = answers(&self.tree);
        let name = inbound.meta.args.trim().trim_start_matches('#');
        let names = || {
            list.iter()
                .map(|(n, q, _)| {
                    format!(
                        "{n} — {}",
                        html_to_plain(&self.tree.texts.get(AGENT_LOCALE, q))
                    )
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        if !list.iter().any(|(n, _, _)| n == name) {
            let text = Text::new("agent-faq-list").arg("names", names());
            return Ok(vec![reply(&text)]);
        }
        let Some(ticket) = self.ticket_of_message(tx, inbound).await? else {
            return Ok(vec![reply(&Text::new("agent-faq-in-topic"))]);
        };
        self.send_faq(tx, &ticket, name, inbound, now).await
    }

    /// Sends the FAQ answer `name` to the ticket's student as a saved reply, notes it in the
    /// topic and audits it.
    pub(crate) async fn send_faq(
        &self,
        tx: &mut Tx,
        ticket: &Ticket,
        name: &str,
        inbound: &Inbound,
        now: i64,
    ) -> Result<Vec<Outbound>, ServiceError> {
        let list = answers(&self.tree);
        let Some((_, _, answer)) = list.iter().find(|(n, _, _)| n == name) else {
            return Ok(Vec::new());
        };
        if !ticket.status.is_active() {
            return Ok(self
                .topic_text(ticket, &Text::new("ticket-closed-not-sent"))
                .into_iter()
                .collect());
        }
        let locale = chat_state::locale_of(tx, ticket.chat_id)
            .await?
            .unwrap_or_default();
        let mut out = render::text(
            &self.tree,
            locale,
            ticket.chat_id,
            &Text::new(answer.clone()),
        );
        let note = Text::new("agent-faq-sent").arg("name", name.to_string());
        out.extend(self.topic_text(ticket, &note));
        audit::record(
            tx,
            &format!("agent:{}", inbound.user_id),
            "faq_sent",
            &format!("ticket:{}", ticket.id),
            name,
            now,
        )
        .await?;
        Ok(out)
    }

    /// The FAQ answer (its name) that confidently answers `text`, if any.
    pub(crate) fn faq_for(&self, text: &str) -> Option<String> {
        let intents = &self.tree.intents;
        let index = match intents.decide(text) {
            Decision::Exact(i) | Decision::Confident(i) => i,
            _ => return None,
        };
        let Target::Node(node) = &intents.list.get(index)?.target else {
            return None;
        };
        let root = self.tree.node("faq.root")?;
        root.buttons()
            .iter()
            .find(|b| matches!(&b.next, Target::Node(id) if id == node))
            .map(|b| b.id.clone())
    }

    /// Remembers the FAQ answer fitting what the student wrote, once per ticket, and redraws
    /// the card so it offers it.
    pub(crate) async fn suggest_faq(
        &self,
        tx: &mut Tx,
        ticket: &Ticket,
        text: &str,
        out: &mut Vec<Outbound>,
    ) -> Result<(), ServiceError> {
        if ticket.faq_hint.is_some() {
            return Ok(());
        }
        if let Some(name) = self.faq_for(text)
            && tickets::hint_faq(tx, ticket.id, &name).await?
        {
            out.extend(self.card_redraw(tx, ticket.id).await?);
        }
        Ok(())
    }
}
