//! Table-driven tests of the checker and the engine on small in-memory trees.

use super::ChatState;
use super::engine::{Command, Effect, Engine, Input, Keyboard, button_data};
use super::load::Tree;
use super::registry::RUST_TEXT_KEYS;
use super::texts::{Locale, Texts};

const MENU: &str = r#"
[flow]
id = "menu"
start = "main"
title = "t-menu"
[nodes.main]
kind = "menu"
text = "t-main"
buttons = [
  { id = "faq", text = "t-faq", next = "faq.root" },
  { id = "reg", text = "t-reg", next = "reg.email" },
  { id = "lang", text = "t-lang", next = "lang.choose" },
]
"#;

const FAQ: &str = r#"
[flow]
id = "faq"
start = "root"
title = "t-faq"
[nodes.root]
kind = "menu"
text = "t-faq-root"
buttons = [{ id = "back", text = "t-back", next = "@back" }]
"#;

const LANG: &str = r#"
[flow]
id = "lang"
start = "choose"
title = "t-lang"
[nodes.choose]
kind = "menu"
text = "t-lang"
buttons = [{ id = "en", text = "t-en", next = "set" }]
[nodes.set]
kind = "action"
action = "set_locale"
params = { locale = "en" }
outcomes = { done = "done" }
[nodes.done]
kind = "end"
text = "t-done"
"#;

const REG: &str = r#"
[flow]
id = "reg"
start = "email"
title = "t-reg"
steps = 2
[nodes.email]
kind = "input"
text = "t-email"
validator = "email"
save = "email"
next = "code"
step = 1
[nodes.code]
kind = "input"
text = "t-code"
validator = "code6"
save = "code"
next = "done"
step = 2
retries = 2
[nodes.done]
kind = "end"
text = "t-done"
"#;

const PRIVACY: &str = r#"
[flow]
id = "privacy"
start = "delete"
title = "t-menu"
[nodes.delete]
kind = "menu"
text = "t-main"
buttons = [{ id = "back", text = "t-back", next = "@back" }]
"#;

const TEST_KEYS: &[&str] = &[
    "t-menu",
    "t-main",
    "t-faq",
    "t-reg",
    "t-lang",
    "t-faq-root",
    "t-back",
    "t-en",
    "t-done",
    "t-email",
    "t-code",
];

fn texts(extra_zh: &str) -> Texts {
    let mut common = String::new();
    for key in RUST_TEXT_KEYS.iter().chain(TEST_KEYS) {
        common.push_str(&format!("{key} = {key}\n"));
    }
    let zh = format!("{common}{extra_zh}");
    Texts::from_sources(&[(Locale::ZhCn, zh.as_str()), (Locale::En, common.as_str())])
        .expect("texts")
}

fn files(list: &[(&str, &str)]) -> Vec<(String, String)> {
    list.iter()
        .map(|(n, s)| (n.to_string(), s.to_string()))
        .collect()
}

fn tree() -> Tree {
    Tree::from_sources(
        &files(&[
            ("menu.toml", MENU),
            ("faq.toml", FAQ),
            ("lang.toml", LANG),
            ("reg.toml", REG),
            ("privacy.toml", PRIVACY),
        ]),
        texts(""),
    )
    .expect("the test tree is sound")
}

#[test]
fn broken_trees_are_rejected_with_the_right_message() {
    let cases: &[(&str, &str, &str, &str)] = &[
        (
            "unknown target",
            "reg.toml",
            r#"next = "code""#,
            "leads to unknown node `reg.nowhere`",
        ),
        (
            "unknown validator",
            "reg.toml",
            r#"validator = "code6""#,
            "unknown validator `telepathy`",
        ),
        (
            "unknown action",
            "lang.toml",
            r#"action = "set_locale""#,
            "unknown action `launch`",
        ),
        (
            "missing outcome",
            "lang.toml",
            r#"outcomes = { done = "done" }"#,
            "does not say where outcome `done`",
        ),
        (
            "unreachable node",
            "reg.toml",
            r#"next = "done""#,
            "node `reg.done` cannot be reached",
        ),
        (
            "missing text",
            "reg.toml",
            r#"text = "t-code""#,
            "text `t-nowhere` (used by reg.code) is missing",
        ),
        (
            "callback too long",
            "faq.toml",
            r#"id = "back""#,
            "over Telegram's 64",
        ),
        ("bad toml", "faq.toml", "kind = \"menu\"", "faq.toml:"),
        (
            "an input claiming what only a code proves",
            "reg.toml",
            r#"save = "email""#,
            "writes `verified_email`",
        ),
        (
            "a misspelt param value",
            "lang.toml",
            r#"params = { locale = "en" }"#,
            "`locale = \"english\"` is not one of zh-CN, en",
        ),
        (
            "an undeclared param",
            "lang.toml",
            r#"params = { locale = "en" }"#,
            "takes no param `colour`",
        ),
        (
            "a missing param",
            "lang.toml",
            r#"params = { locale = "en" }"#,
            "needs the param `locale`",
        ),
        (
            "an answer no step writes",
            "lang.toml",
            "action = \"set_locale\"\nparams = { locale = \"en\" }",
            "reads the answer `username`, which no step writes",
        ),
    ];
    let replacements = [
        r#"next = "nowhere""#,
        r#"validator = "telepathy""#,
        r#"action = "launch""#,
        r#"outcomes = { finished = "done" }"#,
        r#"next = "email""#,
        r#"text = "t-nowhere""#,
        r#"id = "a_button_id_that_is_far_too_long_for_telegram_callback_data_x""#,
        "kind = menu",
        r#"save = "verified_email""#,
        r#"params = { locale = "english" }"#,
        r#"params = { locale = "en", colour = "red" }"#,
        "params = {}",
        "action = \"sign_in\"",
    ];
    for ((name, file, find, expected), replace) in cases.iter().zip(replacements) {
        let mut sources = files(&[
            ("menu.toml", MENU),
            ("faq.toml", FAQ),
            ("lang.toml", LANG),
            ("reg.toml", REG),
            ("privacy.toml", PRIVACY),
        ]);
        let target = sources.iter_mut().find(|(n, _)| n == file).expect("file");
        assert!(target.1.contains(find), "{name}: fixture lacks {find}");
        target.1 = target.1.replacen(find, replace, 1);
        let err = Tree::from_sources(&sources, texts("")).expect_err(name);
        assert!(
            err.0.iter().any(|p| p.contains(expected)),
            "{name}: expected `{expected}` in {:?}",
            err.0
        );
    }
}

#[test]
fn a_key_missing_in_one_locale_is_reported() {
    let err = Tree::from_sources(
        &files(&[
            ("menu.toml", MENU),
            ("faq.toml", FAQ),
            ("lang.toml", LANG),
            ("reg.toml", REG),
            ("privacy.toml", PRIVACY),
        ]),
        texts("only-zh = 只有中文\n"),
    )
    .expect_err("one-sided key");
    assert!(
        err.0
            .iter()
            .any(|p| p.contains("locale en: text `only-zh`")),
        "{:?}",
        err.0
    );
}

fn replies(effects: &[Effect]) -> Vec<String> {
    effects
        .iter()
        .filter_map(|e| match e {
            Effect::Reply(r) => Some(r.text.key.clone()),
            _ => None,
        })
        .collect()
}

fn press(tree: &Tree, state: &ChatState, id: &str) -> super::Step {
    let engine = Engine::new(
        tree,
        chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("date"),
    );
    engine.step(state, &Input::Button(button_data(state.version, id)))
}

#[test]
fn the_engine_walks_menus_inputs_actions_and_ends() {
    let tree = tree();
    let engine = Engine::new(
        &tree,
        chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("date"),
    );
    let start = engine.step(
        &ChatState::new(Locale::ZhCn),
        &Input::Command(Command::Start),
    );
    assert_eq!(replies(&start.effects), ["t-main"]);
    assert_eq!(start.state.node, "menu.main");

    let reg = press(&tree, &start.state, "reg");
    assert_eq!(reg.state.node, "reg.email");
    assert!(
        matches!(reg.effects.last(), Some(Effect::Reply(r)) if r.progress.as_ref().is_some_and(|p| p.step == 1 && p.total == 2))
    );

    // A wrong answer keeps the step and names the rule; a right one moves on.
    let bad = engine.step(&reg.state, &Input::Text("not-an-email".into()));
    assert_eq!(bad.state.node, "reg.email");
    assert_eq!(bad.state.retries, 1);
    assert!(replies(&bad.effects)[0].starts_with("err-email"));
    let good = engine.step(&bad.state, &Input::Text("Student@Example.com".into()));
    assert_eq!(good.state.node, "reg.code");
    assert_eq!(
        good.state.answers.get("email").map(String::as_str),
        Some("Student@Example.com")
    );
    assert_eq!(good.state.retries, 0);

    // A sticker where text is expected gets a specific message.
    let sticker = engine.step(&good.state, &Input::Unsupported("sticker".into()));
    assert_eq!(replies(&sticker.effects), ["expected-text"]);

    // /back returns to the previous prompt with the answer kept.
    let back = engine.step(&good.state, &Input::Command(Command::Back));
    assert_eq!(back.state.node, "reg.email");
    assert!(back.state.answers.contains_key("email"));

    // The end clears answers and returns to the menu.
    let done = engine.step(&good.state, &Input::Text("１２３４５６".into()));
    // The flow's last words and the menu are one message.
    assert_eq!(replies(&done.effects), ["t-main"]);
    let leads: Vec<&str> = done
        .effects
        .iter()
        .filter_map(|e| match e {
            Effect::Reply(r) => Some(r.lead.iter().map(|t| t.key.as_str())),
            _ => None,
        })
        .flatten()
        .collect();
    assert_eq!(leads, ["t-done"]);
    assert_eq!(done.state.node, "menu.main");
    assert!(done.state.answers.is_empty());

    // Actions are handed to the service and resumed with their outcome.
    let lang = press(&tree, &start.state, "lang");
    let set = press(&tree, &lang.state, "en");
    assert_eq!(
        set.pending_action()
            .map(|(a, p)| (a.to_string(), p.get("locale").cloned())),
        Some(("set_locale".into(), Some("en".into())))
    );
    let resumed = engine.resume(&set.state, "done");
    assert_eq!(replies(&resumed.effects), ["t-main"]);
}

#[test]
fn stale_and_forged_buttons_change_nothing() {
    let tree = tree();
    let engine = Engine::new(
        &tree,
        chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("date"),
    );
    let start = engine.step(
        &ChatState::new(Locale::ZhCn),
        &Input::Command(Command::Start),
    );
    let moved = press(&tree, &start.state, "faq");
    for data in [
        button_data(start.state.version, "reg"),
        "b:x:reg".into(),
        "garbage".into(),
        "t:42:approve".into(),
        "".into(),
    ] {
        let step = engine.step(&moved.state, &Input::Button(data.clone()));
        assert_eq!(step.state, moved.state, "{data}");
        assert!(
            matches!(step.effects.as_slice(), [Effect::Notice(t)] if t.key == "stale-button"),
            "{data}"
        );
    }
}

#[test]
fn three_misses_offer_help_and_escalate_once() {
    let tree = tree();
    let engine = Engine::new(
        &tree,
        chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("date"),
    );
    let mut state = ChatState::new(Locale::ZhCn);
    state.node = "reg.code".into();
    let mut escalations = 0;
    for _ in 0..4 {
        let step = engine.step(&state, &Input::Text("12".into()));
        escalations += step
            .effects
            .iter()
            .filter(|e| matches!(e, Effect::Escalate { .. }))
            .count();
        state = step.state;
    }
    assert_eq!(
        escalations, 1,
        "retries = 2 escalates at the second miss only"
    );
    assert_eq!(state.node, "reg.code");
}

#[test]
fn typed_labels_select_menu_buttons_and_commands_work_everywhere() {
    let tree = tree();
    let engine = Engine::new(
        &tree,
        chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("date"),
    );
    let start = engine.step(
        &ChatState::new(Locale::ZhCn),
        &Input::Command(Command::Start),
    );
    let typed = engine.step(&start.state, &Input::Text("t-faq".into()));
    assert_eq!(typed.state.node, "faq.root");
    let other = engine.step(&start.state, &Input::Text("hello".into()));
    assert_eq!(other.state.node, "menu.main");
    assert!(
        matches!(other.effects.as_slice(), [Effect::Reply(r)] if r.text.key == "choose-a-button" && matches!(r.keyboard, Keyboard::Inline(_)))
    );
    for (command, node) in [
        (Command::Help, "faq.root"),
        (Command::Lang, "lang.choose"),
        (Command::Cancel, "menu.main"),
        (Command::Menu, "menu.main"),
    ] {
        let step = engine.step(&typed.state, &Input::Command(command.clone()));
        assert_eq!(step.state.node, node, "{command:?}");
    }
    let status = engine.step(&typed.state, &Input::Command(Command::Status));
    assert_eq!(status.state, typed.state);
    assert!(matches!(
        status.effects.as_slice(),
        [Effect::Service(Command::Status)]
    ));
}

#[test]
fn the_shipped_dialogues_pass_the_checker() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("dialogues");
    if let Err(e) = Tree::load(&dir) {
        panic!("{e}");
    }
}

#[test]
fn a_typed_label_does_what_pressing_the_button_does() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("dialogues");
    let tree = Tree::load(&dir).expect("the shipped dialogues load");
    let engine = Engine::new(
        &tree,
        chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("date"),
    );
    let at = |node: &str| ChatState {
        node: node.into(),
        ..ChatState::new(Locale::ZhCn)
    };
    let cases = [
        // A menu button's `set` applies when its label is typed, emoji or not.
        (
            "registration.id_type",
            "护照",
            "registration.name",
            "id_type",
            "passport",
        ),
        (
            "registration.id_type",
            "港澳居民来往内地通行证",
            "registration.name",
            "id_type",
            "hk_macau",
        ),
        // At an input step its buttons' labels are buttons too, before any validation.
        (
            "registration.sms_code",
            "改用邮件接收",
            "registration.send_sms",
            "code_channel",
            "email",
        ),
        (
            "registration.sms_code",
            "✉️ 改用邮件接收",
            "registration.send_sms",
            "code_channel",
            "email",
        ),
    ];
    for (node, typed, next, key, value) in cases {
        let step = engine.step(&at(node), &Input::Text(typed.into()));
        assert_eq!(step.state.node, next, "{typed}");
        assert_eq!(
            step.state.answers.get(key).map(String::as_str),
            Some(value),
            "{typed}"
        );
    }
    let english = ChatState {
        node: "registration.sms_code".into(),
        ..ChatState::new(Locale::En)
    };
    let step = engine.step(&english, &Input::Text("get it by EMAIL instead".into()));
    assert_eq!(
        step.state.answers.get("code_channel").map(String::as_str),
        Some("email")
    );
    // The back row of an input step, typed.
    let mut state = at("registration.name");
    state.history.push("registration.id_type".into());
    let step = engine.step(&state, &Input::Text("返回".into()));
    assert_eq!(step.state.node, "registration.id_type");
    // Anything else is still the input.
    let step = engine.step(&at("registration.sms_code"), &Input::Text("123456".into()));
    assert_eq!(
        step.state.answers.get("code").map(String::as_str),
        Some("123456")
    );
}

#[test]
fn enrolment_months_parse_in_the_ways_students_type_them() {
    let cases = [
        ("2022-09", Some("2022-09")),
        ("2022.9", Some("2022-09")),
        ("2022/09", Some("2022-09")),
        ("2022年9月", Some("2022-09")),
        ("２０２２年９月", Some("2022-09")),
        ("202209", Some("2022-09")),
        ("2022", None),
        ("2022-13", None),
        ("1900-09", None),
        ("九月", None),
    ];
    for (raw, want) in cases {
        assert_eq!(super::validate::year_month(raw).as_deref(), want, "{raw}");
    }
}

#[test]
fn dates_parse_in_the_ways_students_type_them() {
    let cases = [
        ("2022-09-01", Some("2022-09-01")),
        ("2022.9.1", Some("2022-09-01")),
        ("2022/09/01", Some("2022-09-01")),
        ("2022年9月1日", Some("2022-09-01")),
        ("２０２２年９月１日", Some("2022-09-01")),
        ("20220901", Some("2022-09-01")),
        ("2022-02-30", None),
        ("2022-09", None),
        ("去年九月吧", None),
        ("1850-01-01", None),
    ];
    for (raw, want) in cases {
        assert_eq!(super::validate::full_date(raw).as_deref(), want, "{raw}");
    }
}

#[test]
fn a_correction_prompt_names_its_field_and_each_field_has_its_check() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("dialogues");
    let tree = Tree::load(&dir).expect("the shipped dialogues load");
    let engine = Engine::new(
        &tree,
        chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("date"),
    );
    let at = ChatState {
        node: "record.pick_field".into(),
        ..ChatState::new(Locale::ZhCn)
    };
    let cases = [
        ("major", "record.field_value", "请输入正确的专业"),
        ("enrolled_on", "record.field_date", "请输入正确的入学日期"),
        ("name", "record.field_name", "请输入正确的姓名"),
        ("gender", "record.field_gender", "请选择正确的性别"),
    ];
    for (field, node, prompt) in cases {
        let step = engine.step(&at, &Input::Button(button_data(at.version, field)));
        assert_eq!(step.state.node, node, "{field}");
        let shown: Vec<String> = step
            .effects
            .iter()
            .filter_map(|e| match e {
                Effect::Reply(r) => Some(tree.texts.render(Locale::ZhCn, &r.text)),
                _ => None,
            })
            .collect();
        assert!(
            shown.iter().any(|t| t.contains(prompt)),
            "{field}: {shown:?}"
        );
    }
    // A date that is no date stays at the step with the rule named.
    let date = ChatState {
        node: "record.field_date".into(),
        ..ChatState::new(Locale::ZhCn)
    };
    let step = engine.step(&date, &Input::Text("去年九月吧".into()));
    assert_eq!(step.state.node, "record.field_date");
    assert!(!step.state.answers.contains_key("value"));
}
