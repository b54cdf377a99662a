//! Turns the engine's replies into final, localised `Outbound` messages.

use crate::dialogue::engine::{Keyboard, Reply};
use crate::dialogue::texts::{Text, html_to_plain};
use crate::dialogue::{Locale, Tree};
use crate::message::{OutButton, Outbound, split_text};

/// Renders one reply for `chat_id` in `locale`; long texts become several messages, the
/// buttons going with the last.
pub fn reply(tree: &Tree, locale: Locale, chat_id: i64, reply: &Reply) -> Vec<Outbound> {
    let texts = &tree.texts;
    let mut body = texts.render(locale, &reply.text);
    if let Some(p) = &reply.progress {
        let line = texts.render(
            locale,
            &Text::new("progress")
                .arg_key("flow", p.title.clone())
                .arg("step", p.step.to_string())
                .arg("total", p.total.to_string()),
        );
        body = format!("<i>{line}</i>\n\n{body}");
    }
    for lead in reply.lead.iter().rev() {
        body = format!("{}\n\n{body}", texts.render(locale, lead));
    }
    let (buttons, contact_button) = match &reply.keyboard {
        Keyboard::None => (Vec::new(), None),
        Keyboard::Inline(rows) => (
            rows.iter()
                .map(|row| {
                    row.iter()
                        .map(|b| OutButton {
                            text: html_to_plain(&texts.render(locale, &b.text)),
                            data: b.data.clone(),
                        })
                        .collect()
                })
                .collect(),
            None,
        ),
        Keyboard::Contact(label) => (
            Vec::new(),
            Some(html_to_plain(&texts.render(locale, label))),
        ),
    };
    let pieces = split_text(&body);
    let last = pieces.len().saturating_sub(1);
    pieces
        .into_iter()
        .enumerate()
        .map(|(i, text)| Outbound::Text {
            chat_id,
            text,
            buttons: if i == last {
                buttons.clone()
            } else {
                Vec::new()
            },
            contact_button: if i == last {
                contact_button.clone()
            } else {
                None
            },
            thread_id: None,
        })
        .collect()
}

/// A plain text message.
pub fn text(tree: &Tree, locale: Locale, chat_id: i64, text: &Text) -> Vec<Outbound> {
    reply(tree, locale, chat_id, &Reply::text(text.clone()))
}
