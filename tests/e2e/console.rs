//! The console as the whole product: a student asks for a person, the agent works the ticket
//! from the same terminal (queue, topic, card, take, reply), the student reads the reply; a
//! restart comes back to the step a student left; the demo roster's seed cases are reachable.

use crate::elsewhere::helpdesk;
use crate::support::app::Scratch;

/// The six-digit code in the last e-mail the console printed.
fn mailed_code(text: &str) -> String {
    let mail = text.rsplit("[e-mail to").next().unwrap_or_default();
    let digits: String = mail
        .split(|c: char| !c.is_ascii_digit())
        .find(|d| d.len() == 6)
        .unwrap_or_default()
        .to_string();
    assert_eq!(digits.len(), 6, "no code in: {mail}");
    digits
}

/// The demo roster's line for a case: (name, ID number).
fn demo_student(banner: &str, case: &str) -> (String, String) {
    let line = banner
        .lines()
        .find(|l| l.contains(case))
        .unwrap_or_else(|| panic!("no {case} in the banner: {banner}"));
    let words: Vec<&str> = line.split_whitespace().collect();
    (words[0].to_string(), words[1].to_string())
}

#[test]
fn an_agent_works_a_students_ticket_from_the_same_terminal() {
    let scratch = Scratch::new("console-desk");
    let (ok, text) = helpdesk(
        &scratch.dir,
        &[],
        "/human\n我的照片不对，请帮忙\n/agent\n/topic 2\n1\n您好，我来帮您处理照片的问题。\n/topic 1\n/as 1\n/quit\n",
    );
    assert!(ok, "{text}");
    // The student's words reach the topic, the agent's queue names kinds and states in words.
    assert!(text.contains("ticket #2's topic"), "{text}");
    assert!(text.contains("#2 · 人工客服 · 待处理"), "{text}");
    assert!(text.contains("我的照片不对，请帮忙"), "{text}");
    let (_, topic) = text
        .split_once("— ticket #2's topic —")
        .expect("topic opened");
    assert!(topic.contains("🙋 接管"), "the card's buttons: {topic}");
    assert!(
        topic.contains("状态：处理中（Agent）"),
        "the card redrawn: {topic}"
    );
    // Case 1's review waits in the queue, its card in the agents' words.
    let (_, review) = topic.split_once("— ticket #1's topic —").expect("review");
    let review = review.split("now typing as").next().unwrap_or_default();
    assert!(
        review.contains("证件审核") && review.contains("✅ 通过"),
        "{review}"
    );
    assert!(!review.contains("id_review"), "no internal names: {review}");
    // Back as the student: the agent's reply is there.
    let (_, student) = text.split_once("now typing as student 1").expect("/as 1");
    assert!(student.contains("客服已接入工单 #2"), "{student}");
    assert!(
        student.contains("您好，我来帮您处理照片的问题。"),
        "{student}"
    );
}

#[test]
fn a_restart_comes_back_to_the_step_and_the_seed_cases_are_there() {
    let scratch = Scratch::new("console-cases");
    let (ok, first) = helpdesk(&scratch.dir, &[], "1\nme@example.com\n/quit\n");
    assert!(ok, "{first}");
    for case in ["a woman", "a man", "己", "case 2", "case 1"] {
        assert!(first.contains(case), "the banner names {case}: {first}");
    }
    let code = mailed_code(&first);
    let (name, id) = demo_student(&first, "case 2");
    // Started again: the code step is where the student left, and the registration goes on.
    let (ok, second) = helpdesk(
        &scratch.dir,
        &[],
        &format!("{code}\n1\n{name}\n{id}\n/quit\n"),
    );
    assert!(ok, "{second}");
    assert!(
        !second.contains("Loaded a demo roster"),
        "loaded once: {second}"
    );
    let resumed = second.split("[1]>").next().unwrap_or_default();
    assert!(
        resumed.contains("激活码"),
        "back at the code step: {resumed}"
    );
    assert!(second.contains("已被注册"), "case 2 reached: {second}");

    // Case 1 and the look-alike, as students 2 and 3 (fresh registrations of their own).
    let (review_name, review_id) = demo_student(&first, "case 1");
    let (ok, third) = helpdesk(&scratch.dir, &[], "/as 2\n1\nother@example.com\n/quit\n");
    assert!(ok, "{third}");
    let code = mailed_code(&third);
    let (ok, fourth) = helpdesk(
        &scratch.dir,
        &[],
        &format!("/as 2\n{code}\n1\n{review_name}\n{review_id}\n/quit\n"),
    );
    assert!(ok, "{fourth}");
    assert!(
        fourth.contains("客服审核通过后才能被再次注册"),
        "case 1 reached: {fourth}"
    );
}
