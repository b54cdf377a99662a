//! The same dialogue engine in a terminal: buttons are numbered, a number or a label selects
//! one, `/commands` work, `photo PATH` / `file PATH` send a file, `/as N` types as another
//! student. Replies come from the same outbox the bot uses, so what a newcomer sees here is
//! what a student sees in Telegram; e-mails and SMS are printed as they go.

use crate::app::{AppError, Core};
use crate::dialogue::engine::{Command, FileRef, Input};
use crate::dialogue::texts::html_to_plain;
use crate::message::{Inbound, Lane, LaneKind, Outbound, Place};
use crate::store::outbox;
use std::io::IsTerminal;
use tokio::io::{AsyncBufReadExt, BufReader};

/// The console's first student's chat and user id; `/as N` types as student N, chat N
/// (Telegram ids are far larger, so they never meet).
pub const CONSOLE_CHAT: i64 = 1;
/// Students the console can type as.
const CONSOLE_STUDENTS: i64 = 9;
/// Students in the demo roster.
const DEMO_STUDENTS: usize = 36;

struct Screen {
    colour: bool,
    buttons: Vec<crate::domain::Callback>,
}

impl Screen {
    fn paint(&self, code: &str, text: &str) -> String {
        if self.colour {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    fn show(&mut self, out: &Outbound) {
        match out {
            Outbound::Text {
                text,
                buttons,
                contact_button,
                ..
            } => {
                println!("{}", self.paint("36", &html_to_plain(text)));
                if !buttons.is_empty() {
                    self.buttons.clear();
                    for row in buttons {
                        let labels: Vec<String> = row
                            .iter()
                            .map(|b| {
                                self.buttons.push(b.data.clone());
                                format!("[{}] {}", self.buttons.len(), b.text)
                            })
                            .collect();
                        println!("  {}", self.paint("33", &labels.join("   ")));
                    }
                }
                if let Some(label) = contact_button {
                    println!(
                        "  {}",
                        self.paint("33", &format!("({label}: type your number)"))
                    );
                }
            }
            Outbound::Photo { caption, .. } => println!(
                "{}",
                self.paint("36", &format!("[photo] {}", html_to_plain(caption)))
            ),
            Outbound::Document { caption, .. } => println!(
                "{}",
                self.paint("36", &format!("[file] {}", html_to_plain(caption)))
            ),
            Outbound::File { name, caption, .. } => println!(
                "{}",
                self.paint("36", &format!("[file {name}] {}", html_to_plain(caption)))
            ),
            Outbound::AnswerCallback {
                text: Some(text), ..
            } => println!("{}", self.paint("2", &format!("({text})"))),
            Outbound::Sms { to, text, .. } => {
                println!("{}", self.paint("35", &format!("[SMS to {to}] {text}")))
            }
            _ => {}
        }
    }

    /// A typed line as the engine's input.
    async fn input(&self, line: &str, core: &Core) -> Input {
        let line = line.trim();
        if let Some(name) = line.strip_prefix('/') {
            return Input::Command(Command::parse(
                name.split_whitespace().next().unwrap_or_default(),
            ));
        }
        if let Ok(n) = line.parse::<usize>()
            && let Some(data) = n.checked_sub(1).and_then(|i| self.buttons.get(i))
        {
            return Input::Button(data.clone());
        }
        for (prefix, photo) in [("photo ", true), ("file ", false)] {
            if let Some(path) = line.strip_prefix(prefix) {
                return match tokio::fs::read(path.trim()).await {
                    Ok(bytes) => {
                        let content = crate::domain::Content::of(&bytes);
                        let ext = match content {
                            crate::domain::Content::Is(kind) => kind.extension(),
                            _ => "bin",
                        };
                        match core.files.put(&bytes, ext).await {
                            Ok(key) => {
                                let file = FileRef {
                                    file_id: format!("stored:{key}"),
                                    unique_id: key.clone(),
                                    size: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
                                    mime: crate::files::sniff_image(&bytes).map(|e| {
                                        format!("image/{}", if e == "jpg" { "jpeg" } else { e })
                                    }),
                                    name: std::path::Path::new(path.trim())
                                        .file_name()
                                        .map(|n| n.to_string_lossy().to_string()),
                                    content,
                                    caption: None,
                                };
                                if photo {
                                    Input::Photo(file)
                                } else {
                                    Input::Document(file)
                                }
                            }
                            Err(_) => Input::Text(line.to_string()),
                        }
                    }
                    Err(e) => {
                        println!("{}", self.paint("31", &format!("cannot read {path}: {e}")));
                        Input::Unsupported("other".into())
                    }
                };
            }
        }
        Input::Text(line.to_string())
    }
}

/// Runs the console until end of input or /quit.
pub async fn run(core: Core) -> Result<(), AppError> {
    let mut screen = Screen {
        colour: std::io::stdout().is_terminal(),
        buttons: Vec::new(),
    };
    let service = core.service.clone();
    println!(
        "{}",
        screen.paint(
            "1",
            "Helpdesk console — type a number to press a button, /help, /lang, /as 2 to type as another student, /quit."
        )
    );
    if let Some(folder) = core.mailer.folder() {
        println!("E-mail is written as .eml files into {}/", folder.display());
    }
    demo_roster(&core, &screen).await?;
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    let mut next = Some(Input::Command(Command::Start));
    let mut chat = CONSOLE_CHAT;
    while let Some(input) = next.take() {
        let inbound = Inbound {
            update_id: None,
            chat_id: chat,
            user_id: chat,
            user_name: format!("student {chat}"),
            language_code: None,
            message_id: None,
            callback_id: None,
            place: Place::Private,
            input,
            meta: Default::default(),
        };
        if let Err(e) = service.handle(&inbound).await {
            println!("{}", screen.paint("31", &format!("error: {e}")));
        }
        show_pending(&core, chat, &mut screen).await?;
        print!("{} ", screen.paint("32", &format!("[{chat}]>")));
        use std::io::Write;
        let _ = std::io::stdout().flush();
        match lines.next_line().await? {
            Some(line) if line.trim() == "/quit" || line.trim() == "/exit" => break,
            Some(line) if line.trim().starts_with("/as") => {
                match line.trim()[3..].trim().parse::<i64>() {
                    Ok(n) if (1..=CONSOLE_STUDENTS).contains(&n) => {
                        chat = n;
                        screen.buttons.clear();
                        println!(
                            "{}",
                            screen.paint("2", &format!("now typing as student {n}"))
                        );
                        next = Some(Input::Command(Command::Start));
                    }
                    _ => {
                        let hint =
                            format!("/as takes a student number from 1 to {CONSOLE_STUDENTS}");
                        println!("{}", screen.paint("31", &hint));
                        next = Some(Input::Text(String::new()));
                    }
                }
            }
            Some(line) if line.trim().is_empty() => next = Some(Input::Text(String::new())),
            Some(line) => next = Some(screen.input(&line, &core).await),
            None => break,
        }
    }
    Ok(())
}

/// Loads the demo roster into an empty database and says whom to register as.
async fn demo_roster(core: &Core, screen: &Screen) -> Result<(), AppError> {
    let service = &core.service;
    let mut conn = service
        .store
        .pool
        .acquire()
        .await
        .map_err(crate::store::StoreError::from)?;
    if crate::store::records::count(&mut conn).await? > 0 {
        return Ok(());
    }
    drop(conn);
    let dir = core.files.root().join("demo-roster");
    let summary = crate::demo::load(
        &service.store,
        &core.files,
        &dir,
        DEMO_STUDENTS,
        service.clock.today(),
        service.clock.now_ms(),
    )
    .await?;
    println!(
        "{}",
        screen.paint(
            "2",
            &format!(
                "Loaded a demo roster of {} students. Register as one of them, e.g.:",
                summary.added
            )
        )
    );
    for (name, id, student_no) in crate::demo::identities(3) {
        println!(
            "{}",
            screen.paint("2", &format!("  {name}  {id}  (student no. {student_no})"))
        );
    }
    Ok(())
}

/// Prints and marks sent what the outbox holds for the student typing, their SMS and their
/// e-mails (which are also written to the mail folder as the bot would send them).
async fn show_pending(core: &Core, chat: i64, screen: &mut Screen) -> Result<(), AppError> {
    let service = &core.service;
    let now = service.clock.now_ms();
    let replies = outbox::pending_in_lane(&service.store, &Lane::Chat(chat)).await?;
    let sms = outbox::claim_due(&service.store, now, 100, &LaneKind::Sms.pattern()).await?;
    let mail = outbox::claim_due(&service.store, now, 100, &LaneKind::Mail.pattern()).await?;
    for rows in [replies, sms, mail] {
        for row in rows {
            match row.message() {
                Ok(Outbound::Email {
                    to, subject, body, ..
                }) => {
                    let shown = format!("[e-mail to {to}] {subject}\n{body}");
                    println!("{}", screen.paint("35", &shown));
                    if let Err(e) = core.mailer.send(&to, &subject, &body).await {
                        println!("{}", screen.paint("31", &format!("mail not written: {e}")));
                    }
                }
                Ok(out) => screen.show(&out),
                Err(_) => {}
            }
            outbox::mark_sent(&service.store, row.id, now).await?;
        }
    }
    Ok(())
}
