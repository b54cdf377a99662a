//! Use cases through the in-process harness ([`super::testing`]): what a student sees for
//! what they type and press, on a real SQLite file with the shipped dialogues.

use super::testing::{TestService, texts};
use crate::store::tickets;

#[tokio::test]
async fn a_typed_menu_label_starts_the_flow_the_button_starts() {
    let ts = TestService::new("use-typed-label").await;
    let menu = ts.say(1, "/start").await;
    assert!(texts(&menu).contains("学信账号助手"), "{}", texts(&menu));
    let typed = ts.say(1, "注册账号").await;
    assert!(texts(&typed).contains("电子邮箱"), "{}", texts(&typed));
    let pressed = ts.press(2, &ts.say(2, "/start").await, "注册账号").await;
    assert_eq!(
        texts(&typed),
        texts(&pressed),
        "typing the label is pressing it"
    );
}

#[tokio::test]
async fn an_old_button_changes_nothing_and_sends_nothing() {
    let ts = TestService::new("use-stale").await;
    let menu = ts.say(1, "/start").await;
    let faq = ts.press(1, &menu, "常见问题").await;
    assert!(!faq.is_empty());
    // The first menu's register button is one state behind now.
    let stale = ts.press(1, &menu, "注册账号").await;
    assert!(stale.is_empty(), "{}", texts(&stale));
    let back = ts.press(1, &faq, "主菜单").await;
    assert!(!texts(&back).contains("电子邮箱"), "{}", texts(&back));
}

#[tokio::test]
async fn without_agents_a_request_for_a_person_says_so_and_opens_no_ticket() {
    let ts = TestService::new("use-no-agents").await;
    ts.say(1, "/start").await;
    let answer = ts.say(1, "/human").await;
    assert!(
        texts(&answer).contains("目前没有接入人工客服"),
        "{}",
        texts(&answer)
    );
    let mut tx = ts.service.store.begin().await.expect("tx");
    let open = tickets::open_for_chat(&mut tx, 1).await.expect("tickets");
    assert!(open.is_empty(), "no ticket nobody would answer: {open:?}");
}
