//! What the simulated students type: the start of registration with two wrong codes (the
//! default), or the whole registration (`--complete`), and what ends the bot's answer to
//! each input.

/// One input of the script.
#[derive(Debug, Clone)]
pub enum Input {
    Text(String),
    /// Press the dialogue button whose id this is (its callback data is read from the
    /// buttons the bot sent, `b:{version}:{id}`).
    Press(&'static str),
    /// Type the code mailed to this address.
    MailCode(String),
    /// Type the code sent by SMS to this number (E.164).
    SmsCode(String),
}

/// What ends the bot's answer to an input, as a person would know it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Until {
    /// The next question, which always comes with buttons (a notice may come before it).
    Buttons,
    /// Any one message (a "wrong code, N tries left" notice).
    Message,
}

/// /start → 注册账号 → an e-mail (the bot mails an activation code) → two wrong codes (the
/// bench cannot read the code; a wrong one still runs the verification).
pub fn script(n: usize) -> Vec<(Input, Until)> {
    vec![
        (Input::Text("/start".into()), Until::Buttons),
        (Input::Press("register"), Until::Buttons),
        (
            Input::Text(format!("student{n}@bench.example.org")),
            Until::Buttons,
        ),
        (Input::Text("000000".into()), Until::Message),
        (Input::Text("999999".into()), Until::Message),
    ]
}

pub const STEPS: usize = 5;
/// Names of the inputs of [`script`], for the report.
pub const LABELS: [&str; STEPS] = ["/start", "press register", "e-mail", "code", "code"];

/// The whole registration (`--complete`): the codes read from the mail and the SMS, a
/// mainland ID card with a valid number of its own, a phone number of its own.
pub fn complete_script(n: usize) -> Vec<(Input, Until)> {
    let email = format!("student{n}@bench.example.org");
    let phone = format!("139{:08}", n % 100_000_000);
    vec![
        (Input::Text("/start".into()), Until::Buttons),
        (Input::Press("register"), Until::Buttons),
        (Input::Text(email.clone()), Until::Buttons),
        (Input::MailCode(email), Until::Buttons),
        (Input::Press("mainland"), Until::Buttons),
        (Input::Text("张伟".into()), Until::Buttons),
        (Input::Text(id_number(n)), Until::Buttons),
        (Input::Press("yes"), Until::Message),
        (Input::Text(phone.clone()), Until::Buttons),
        (Input::SmsCode(format!("+86{phone}")), Until::Message),
    ]
}

pub const COMPLETE_STEPS: usize = 10;
/// Names of the inputs of [`complete_script`].
pub const COMPLETE_LABELS: [&str; COMPLETE_STEPS] = [
    "/start",
    "press register",
    "e-mail",
    "mailed code",
    "press ID card",
    "name",
    "ID number",
    "press correct",
    "phone",
    "SMS code",
];

/// A valid mainland ID number (GB 11643-1999) for student `n`: born in 2001, a day and a
/// sequence number of their own.
fn id_number(n: usize) -> String {
    let day = 1 + (n / 1000) % 28;
    let body = format!(
        "1101052001{:02}{day:02}{:03}",
        1 + (n / 28_000) % 12,
        n % 1000
    );
    let check = helpdesk::domain::id_number::check_char_for(&body);
    format!("{body}{check}")
}
