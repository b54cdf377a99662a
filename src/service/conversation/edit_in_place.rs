//! A press answered in place: the first message of the answer, when it is a plain text,
//! replaces the pressed message instead of arriving below it.

use crate::message::{Lane, Outbound};

/// Turns the first message into `chat_id` of `out` into an edit of `message_id`; false
/// (nothing changed) when that message is not a text an edit can carry (a photo, a file, a
/// reply keyboard asking for the phone number).
pub(crate) fn edit_in_place(out: &mut [Outbound], chat_id: i64, message_id: i64) -> bool {
    let Some(first) = out.iter_mut().find(|o| o.lane() == Lane::Chat(chat_id)) else {
        return false;
    };
    let Outbound::Text {
        text,
        buttons,
        contact_button: None,
        thread_id: None,
        ..
    } = first
    else {
        return false;
    };
    *first = Outbound::EditText {
        chat_id,
        message_id,
        text: std::mem::take(text),
        buttons: std::mem::take(buttons),
    };
    true
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::message::FileSource;

    fn text(chat_id: i64, words: &str) -> Outbound {
        Outbound::Text {
            chat_id,
            text: words.into(),
            buttons: Vec::new(),
            contact_button: None,
            thread_id: None,
        }
    }

    #[test]
    fn only_a_plain_text_first_in_the_chat_becomes_the_edit() {
        let photo = Outbound::Photo {
            chat_id: 7,
            file: FileSource::TelegramId("f".into()),
            caption: "c".into(),
            buttons: Vec::new(),
        };
        let contact = Outbound::Text {
            chat_id: 7,
            text: "phone?".into(),
            buttons: Vec::new(),
            contact_button: Some("share".into()),
            thread_id: None,
        };
        let mail = Outbound::Email {
            to: "a@b.cn".into(),
            subject: "s".into(),
            body: "b".into(),
            on_failure: None,
        };
        // (the answer, whether it is edited in place, the message at the edited place)
        let cases: Vec<(Vec<Outbound>, bool, usize)> = vec![
            (vec![text(7, "next"), text(7, "after")], true, 0),
            (vec![mail.clone(), text(7, "next")], true, 1),
            (vec![text(8, "other chat"), text(7, "next")], true, 1),
            (vec![photo.clone(), text(7, "next")], false, 0),
            (vec![contact.clone()], false, 0),
            (vec![mail], false, 0),
            (Vec::new(), false, 0),
        ];
        for (mut out, edited, at) in cases {
            let before = out.clone();
            assert_eq!(edit_in_place(&mut out, 7, 42), edited, "{before:?}");
            if edited {
                assert!(
                    matches!(&out[at], Outbound::EditText { chat_id: 7, message_id: 42, text, .. } if text == "next"),
                    "{out:?}"
                );
                assert_eq!(out.len(), before.len());
            } else {
                assert_eq!(out, before, "nothing changes");
            }
        }
    }
}
