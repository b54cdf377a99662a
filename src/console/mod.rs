//! The same dialogue engine in a terminal, students and agents alike: buttons are numbered,
//! a number or a label selects one, `/commands` work, `photo PATH` / `file PATH` send a file,
//! `/as N` types as student N, `/agent` as an agent in the agents' group. Replies come from
//! the same outbox the bot uses, so what a newcomer sees here is what a student and an agent
//! see in Telegram; e-mails and SMS are printed as they go.

mod deliver;
mod desk;
mod screen;
mod typed;

pub use desk::{CONSOLE_AGENT, CONSOLE_GROUP};

use crate::app::{AppError, Core};
use crate::dialogue::engine::{Command, Input};
use crate::domain::Callback;
use crate::message::{Inbound, Meta, Place};
use desk::Desk;
use screen::{Screen, paint};
use std::io::IsTerminal;
use tokio::io::{AsyncBufReadExt, BufReader};

/// The console's first student's chat and user id; `/as N` types as student N, chat N
/// (Telegram ids are far larger, so they never meet).
pub const CONSOLE_CHAT: i64 = 1;
/// Students the console can type as.
const CONSOLE_STUDENTS: i64 = 9;

const BANNER: &str = "Helpdesk console — type a number to press a button, /help, /lang, /as 2 to type as another student, /agent to work the tickets as an agent, /quit.";
const AGENT_HELP: &str = "Typing as the agent in the agents' group. /queue lists the open tickets, /topic N opens ticket N's topic (its card: type a button's number), text there goes to the student, /stats, /progress, /faq NAME; /as 1 types as student 1 again.";

const RELAYED: &str = "(passed on to the student once the ticket is yours: /as and their number show it as they see it)";

/// Who is typing and what their numbers press.
struct Typist {
    chat: i64,
    buttons: Vec<Callback>,
}

/// Runs the console until end of input or /quit.
pub async fn run(mut core: Core) -> Result<(), AppError> {
    let screen = Screen {
        colour: std::io::stdout().is_terminal(),
    };
    if !core.service.has_agents() {
        // Without a real agents' group the console plays one, so tickets can be worked here.
        core.service.agents.chat_id = Some(CONSOLE_GROUP);
        core.service.agents.ids = vec![CONSOLE_AGENT];
    }
    screen.say(paint::TITLE, BANNER);
    if let Some(folder) = core.mailer.folder() {
        println!("E-mail is written as .eml files into {}/", folder.display());
    }
    crate::demo::console_roster(&core, |line| screen.say(paint::NOTE, line)).await?;
    let mut desk = Desk::new(crate::service::desk::topics::Topics::new(
        core.service.clone(),
    ));
    let mut lines = BufReader::new(tokio::io::stdin()).lines();
    let mut student = Typist {
        chat: CONSOLE_CHAT,
        buttons: Vec::new(),
    };
    let mut next = start_or_resume(&core, &screen, student.chat).await?;
    loop {
        if let Some((input, args)) = next.take() {
            let relayed = desk.typing && desk.open.is_some() && matches!(input, Input::Text(_));
            let inbound = inbound(&mut desk, &student, input, args).await?;
            if let Err(e) = core.service.handle(&inbound).await {
                screen.say(paint::ERROR, &format!("error: {e}"));
            } else if relayed {
                screen.say(paint::NOTE, RELAYED);
            }
        }
        deliver::pending(&core, &screen, &mut student, &mut desk).await?;
        let prompt = match (desk.typing, desk.open) {
            (true, Some(ticket)) => format!("[agent #{ticket}]>"),
            (true, None) => "[agent]>".into(),
            (false, _) => format!("[{}]>", student.chat),
        };
        print!("{} ", screen.paint(paint::PROMPT, &prompt));
        use std::io::Write;
        let _ = std::io::stdout().flush();
        let Some(line) = lines.next_line().await? else {
            break;
        };
        let line = line.trim();
        match line.split_whitespace().next().unwrap_or_default() {
            "/quit" | "/exit" => break,
            "/as" => {
                if let Some(n) = parse_student(line) {
                    student.chat = n;
                    student.buttons.clear();
                    desk.typing = false;
                    screen.say(paint::NOTE, &format!("now typing as student {n}"));
                    next = start_or_resume(&core, &screen, n).await?;
                } else {
                    let hint = format!("/as takes a student number from 1 to {CONSOLE_STUDENTS}");
                    screen.say(paint::ERROR, &hint);
                }
            }
            "/agent" => {
                desk.typing = true;
                desk.open = None;
                screen.say(paint::NOTE, AGENT_HELP);
                next = Some((Input::Command(Command::parse("queue")), String::new()));
            }
            "/topic" if desk.typing => open_topic(&screen, &mut desk, line).await?,
            "" => {}
            _ => {
                let buttons = if desk.typing {
                    &desk.buttons
                } else {
                    &student.buttons
                };
                next = Some(typed::input(line, buttons, &core).await);
            }
        }
    }
    Ok(())
}

/// A chat seen before comes back to where it was (after a restart, or `/as` back to it);
/// a new one starts.
async fn start_or_resume(
    core: &Core,
    screen: &Screen,
    chat: i64,
) -> Result<Option<(Input, String)>, AppError> {
    if core.service.resume_chat(chat).await? {
        screen.say(paint::NOTE, "(where this chat was left)");
        return Ok(None);
    }
    Ok(Some((Input::Command(Command::Start), String::new())))
}

/// `/as N` → N, when N is a student the console types as.
fn parse_student(line: &str) -> Option<i64> {
    let n = line.get(3..)?.trim().parse::<i64>().ok()?;
    (1..=CONSOLE_STUDENTS).contains(&n).then_some(n)
}

/// `/topic N` opens ticket N's topic; `/topic` alone goes back to the general chat.
async fn open_topic(screen: &Screen, desk: &mut Desk, line: &str) -> Result<(), AppError> {
    let arg = line
        .get(6..)
        .unwrap_or_default()
        .trim()
        .trim_start_matches('#');
    if arg.is_empty() {
        desk.open = None;
        desk.buttons.clear();
        screen.say(paint::NOTE, "back in the agents' group's general chat");
        return Ok(());
    }
    let opened = match arg.parse::<i64>() {
        Ok(ticket) => desk.open_topic(screen, ticket).await?,
        Err(_) => false,
    };
    if !opened {
        let hint = format!("no ticket #{arg}: /queue lists the open ones");
        screen.say(paint::ERROR, &hint);
    }
    Ok(())
}

/// What was typed, from the student typing or from the agent in the topic they have open.
async fn inbound(
    desk: &mut Desk,
    student: &Typist,
    input: Input,
    args: String,
) -> Result<Inbound, AppError> {
    let message_id = desk.next_id();
    let meta = Meta {
        args,
        ..Meta::default()
    };
    if !desk.typing {
        return Ok(Inbound {
            update_id: None,
            chat_id: student.chat,
            user_id: student.chat,
            user_name: format!("student {}", student.chat),
            language_code: None,
            message_id: Some(message_id),
            callback_id: None,
            place: Place::Private,
            input,
            meta,
        });
    }
    let pressed = matches!(input, Input::Button(_));
    let card = match (pressed, desk.open) {
        (true, Some(ticket)) => desk.card_message(ticket).await?,
        _ => None,
    };
    Ok(Inbound {
        update_id: None,
        chat_id: CONSOLE_GROUP,
        user_id: CONSOLE_AGENT,
        user_name: "Agent".into(),
        language_code: Some("zh-hans".into()),
        message_id: Some(card.unwrap_or(message_id)),
        callback_id: pressed.then(|| format!("console-{message_id}")),
        place: Place::Group {
            thread_id: desk.open.map(Desk::topic),
        },
        input,
        meta,
    })
}
