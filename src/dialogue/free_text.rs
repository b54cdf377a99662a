//! Typed questions in the dialogue: at a menu a confident match goes straight there (saying
//! what was understood), a close call offers the best few plus "none of these → a person", and
//! no match says so and offers the FAQ and a person. At an input step the input stays the
//! input; only text the step rejects is asked about, and an FAQ answer is given in place.

use super::engine::{Engine, nav_data};
use super::intent::{Decision, Intent, Kind, scrub};
use super::model::{Node, Target};
use super::texts::Text;
use super::turn::{ButtonOut, Command, Effect, Keyboard, Reply, Step};
use crate::domain::callback::{Callback, Nav};

/// The answer holding the (scrubbed) question of a close call, until the student picks.
pub const ASKED: &str = "intent_asked";

/// What a question typed at an input step turned out to be.
pub(super) enum Asked {
    /// Answered (in place, or a person called): the step's error is not shown.
    Answered,
    /// A question about somewhere else: shown after the step's error, with a way there.
    Elsewhere(Reply),
    /// Not a question the bot knows: just a wrong input.
    No,
}

/// Callback data of an intent button.
pub fn intent_data(version: i64, id: &str) -> Callback {
    Callback::Intent {
        version,
        intent: id.to_string(),
    }
}

impl Engine<'_> {
    /// Text typed at a menu that is no button's label.
    pub(super) fn question_at_menu(&self, step: &mut Step, typed: &str) {
        let intents = &self.tree.intents;
        match intents.decide(typed) {
            Decision::Exact(i) | Decision::Confident(i) => {
                let intent = &intents.list[i];
                step.effects.push(Effect::Lead(
                    Text::new("intent-understood").arg_key("what", intent.label.clone()),
                ));
                self.follow(step, intent);
            }
            Decision::Close(offered) => {
                let v = step.state.version;
                let mut rows: Vec<Vec<ButtonOut>> = offered
                    .iter()
                    .map(|i| {
                        let intent = &intents.list[*i];
                        vec![ButtonOut {
                            text: Text::new(intent.label.clone()),
                            data: intent_data(v, &intent.id),
                        }]
                    })
                    .collect();
                rows.push(vec![ButtonOut {
                    text: Text::new("intent-none"),
                    data: nav_data(v, Nav::NoneOfThese),
                }]);
                step.state
                    .answers
                    .insert(ASKED.to_string(), scrub::scrub(typed));
                step.effects.push(Effect::Reply(Reply {
                    lead: Vec::new(),
                    text: Text::new("intent-close"),
                    progress: None,
                    keyboard: Keyboard::Inline(rows),
                }));
            }
            Decision::Unknown if intents.list.is_empty() => self.choose_a_button(step),
            Decision::Unknown => {
                let v = step.state.version;
                let rows = vec![
                    vec![ButtonOut {
                        text: Text::new("menu-faq"),
                        data: intent_data(v, super::intent::check::FAQ_INTENT),
                    }],
                    vec![ButtonOut {
                        text: Text::new("nav-human"),
                        data: nav_data(v, Nav::Human),
                    }],
                ];
                self.unmatched(step, scrub::scrub(typed), "no_match");
                step.effects.push(Effect::Reply(Reply {
                    lead: Vec::new(),
                    text: Text::new("intent-unknown"),
                    progress: None,
                    keyboard: Keyboard::Inline(rows),
                }));
            }
        }
    }

    /// Text an input step rejected: an obvious question is answered (an FAQ answer in place,
    /// the step kept; a person on request).
    pub(super) fn question_at_input(&self, step: &mut Step, node: &Node, typed: &str) -> Asked {
        let intents = &self.tree.intents;
        let (Decision::Exact(i) | Decision::Confident(i)) = intents.decide(typed) else {
            return Asked::No;
        };
        let intent = &intents.list[i];
        match (intent.kind, &intent.target) {
            (Kind::Faq, Target::Node(id)) => {
                let Some(Node::Menu { text, .. }) = self.tree.node(id) else {
                    return Asked::No;
                };
                step.effects
                    .push(Effect::Reply(Reply::text(Text::new(text.clone()))));
                step.effects
                    .push(Effect::Reply(self.prompt(node, &step.state)));
                Asked::Answered
            }
            (Kind::Human, _) => {
                step.effects.push(Effect::Service(Command::Human));
                Asked::Answered
            }
            _ => {
                // Somewhere else entirely: the step's own error stands, with a way there.
                let v = step.state.version;
                Asked::Elsewhere(Reply {
                    lead: Vec::new(),
                    text: Text::new("intent-suggest").arg_key("what", intent.label.clone()),
                    progress: None,
                    keyboard: Keyboard::Inline(vec![vec![ButtonOut {
                        text: Text::new(intent.label.clone()),
                        data: intent_data(v, &intent.id),
                    }]]),
                })
            }
        }
    }

    /// An intent button pressed (a close call's choice, or the FAQ of "not understood").
    pub(super) fn intent_button(&self, step: &mut Step, id: &str) {
        step.state.answers.remove(ASKED);
        match self.tree.intents.get(id) {
            Some(intent) => {
                step.effects.push(Effect::Notice(Text::new("button-done")));
                let intent = intent.clone();
                self.follow(step, &intent);
            }
            None => step.effects.push(Effect::Notice(Text::new("stale-button"))),
        }
    }

    /// "None of these": the question is kept (scrubbed) for the operator, and a person comes.
    pub(super) fn none_of_these(&self, step: &mut Step) {
        if let Some(asked) = step.state.answers.remove(ASKED) {
            self.unmatched(step, asked, "none_of_these");
        }
        step.effects.push(Effect::Service(Command::Human));
    }

    fn unmatched(&self, step: &mut Step, text: String, reason: &'static str) {
        step.effects.push(Effect::Unmatched {
            text,
            node: step.state.node.clone(),
            reason,
        });
    }

    /// Goes where `intent` leads. A new flow starts clean, as from the main menu; an FAQ
    /// answer keeps the way back.
    fn follow(&self, step: &mut Step, intent: &Intent) {
        match intent.kind {
            Kind::Flow | Kind::Step => {
                step.state.answers.clear();
                self.go(step, &intent.target);
            }
            Kind::Faq | Kind::Human => self.go(step, &intent.target),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{ChatState, Engine, Input, Locale, Tree};
    use super::*;

    /// What a step did, in short: texts replied, leads, records, services, where it stands.
    fn run(tree: &Tree, node: &str, input: Input) -> (Vec<String>, String, Step) {
        let mut state = ChatState::new(Locale::ZhCn);
        state.node = node.to_string();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).unwrap_or_default();
        let step = Engine::new(tree, today).step(&state, &input);
        let said = step
            .effects
            .iter()
            .map(|e| match e {
                Effect::Reply(r) => format!("reply:{}", r.text.key),
                Effect::Lead(t) => format!("lead:{}", t.key_args[0].1),
                Effect::Unmatched { text, reason, .. } => format!("unmatched:{reason}:{text}"),
                Effect::Service(c) => format!("service:{c:?}"),
                Effect::Run { action, .. } => format!("run:{action}"),
                Effect::Notice(t) => format!("notice:{}", t.key),
                Effect::Escalate { reason, .. } => format!("escalate:{reason}"),
            })
            .collect();
        let at = step.state.node.clone();
        (said, at, step)
    }

    fn text(s: &str) -> Input {
        Input::Text(s.to_string())
    }

    #[test]
    fn at_a_menu_a_question_goes_there_is_offered_or_is_honestly_not_understood() {
        let tree = Tree::embedded().expect("built-in dialogues");
        let cases: &[(&str, &str, &[&str], &str)] = &[
            (
                "menu.main",
                "收不到验证码",
                &["lead:faq-q-code", "reply:faq-a-code"],
                "faq.code",
            ),
            (
                "menu.main",
                "证件号码已被注册,查看【解决方法】",
                &["lead:faq-q-id-taken", "reply:faq-a-id-taken"],
                "faq.id_taken",
            ),
            (
                "menu.main",
                "照片不是我本人",
                &["lead:record-photo-wrong", "run:find_record"],
                "record.find_photo",
            ),
            (
                "menu.main",
                "转人工",
                &["lead:menu-human", "service:Human"],
                "menu.main",
            ),
            (
                "faq.root",
                "我的身份证号码已经被注册了怎么办",
                &["lead:menu-dup", "run:dup_state"],
                "dup.start",
            ),
            (
                "menu.main",
                "今天天气怎么样 13812345678",
                &[
                    "unmatched:no_match:今天天气怎么样 [phone]",
                    "reply:intent-unknown",
                ],
                "menu.main",
            ),
            // A typed button label is still the button.
            (
                "menu.main",
                "注册账号",
                &["reply:reg-email"],
                "registration.email",
            ),
        ];
        for (node, typed, said, at) in cases {
            let (got, now_at, _) = run(&tree, node, text(typed));
            assert_eq!(&got, said, "{typed}");
            assert_eq!(&now_at, at, "{typed}");
        }
    }

    #[test]
    fn a_close_call_offers_the_best_few_and_none_of_these_brings_a_person() {
        let tree = Tree::embedded().expect("built-in dialogues");
        let typed = "注册还是登录";
        assert!(
            matches!(tree.intents.decide(typed), Decision::Close(_)),
            "pick a question that is a close call"
        );
        let (said, at, step) = run(&tree, "menu.main", text(typed));
        assert_eq!(said, ["reply:intent-close"]);
        assert_eq!(at, "menu.main");
        let Some(Effect::Reply(reply)) = step.effects.first() else {
            panic!("a reply");
        };
        let Keyboard::Inline(rows) = &reply.keyboard else {
            panic!("buttons");
        };
        let data: Vec<String> = rows.iter().flatten().map(|b| b.data.encode()).collect();
        assert!(data.len() >= 3 && data.len() <= 4, "{data:?}");
        assert_eq!(data.last().map(String::as_str), Some("n:0:none"));
        let engine = Engine::new(&tree, chrono::NaiveDate::MIN);
        let none = engine.step(&step.state, &Input::Button("n:0:none".into()));
        let kinds: Vec<String> = none.effects.iter().map(|e| format!("{e:?}")).collect();
        assert!(
            kinds
                .iter()
                .any(|k| k.contains("none_of_these") && k.contains(typed))
                && kinds.iter().any(|k| k.contains("Service(Human)")),
            "{kinds:?}"
        );
        let chosen = engine.step(&step.state, &Input::Button(data[0].as_str().into()));
        assert_ne!(chosen.state.node, "menu.main", "a choice goes there");
        assert!(!chosen.state.answers.contains_key(ASKED));
    }

    #[test]
    fn at_an_input_step_the_input_stays_the_input_and_a_question_is_answered_in_place() {
        let tree = Tree::embedded().expect("built-in dialogues");
        let cases: &[(&str, &str, &[&str], &str)] = &[
            (
                "registration.sms_code",
                "我没收到验证码",
                &["reply:faq-a-code", "reply:reg-sms-code"],
                "registration.sms_code",
            ),
            (
                "registration.id_number",
                "证件号码已被注册,查看【解决方法】",
                &["reply:faq-a-id-taken", "reply:reg-id-number"],
                "registration.id_number",
            ),
            (
                "registration.sms_code",
                "123456",
                &["run:verify_code"],
                "registration.verify_sms",
            ),
            (
                "login.username",
                "我忘记用户名了",
                &["reply:err-email-missing-at", "reply:intent-suggest"],
                "login.username",
            ),
            (
                "registration.email",
                "zhang.san@example.com",
                &["run:check_email"],
                "registration.check_email",
            ),
        ];
        for (node, typed, said, at) in cases {
            let (got, now_at, step) = run(&tree, node, text(typed));
            assert_eq!(&got, said, "{typed}");
            assert_eq!(&now_at, at, "{typed}");
            if said[0].starts_with("reply:faq") {
                assert_eq!(step.state.retries, 0, "a question is no failed try");
            }
        }
    }
}
