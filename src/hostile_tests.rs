//! Hostile input: arbitrary dialogue files, roster rows and Bot API updates never panic or hang.

use crate::dialogue::texts::{Locale, Texts};
use crate::dialogue::{Tree, registry::RUST_TEXT_KEYS};
use crate::domain::record::Record;
use crate::telegram::intake::Converter;
use proptest::prelude::*;

fn texts() -> Texts {
    let common: String = RUST_TEXT_KEYS
        .iter()
        .map(|k| format!("{k} = {k}\n"))
        .collect();
    Texts::from_sources(&[
        (Locale::ZhCn, common.as_str()),
        (Locale::En, common.as_str()),
    ])
    .expect("texts")
}

/// JSON values shaped a little like updates, with some fields Telegram really sends.
fn json_value() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::from),
        any::<i64>().prop_map(serde_json::Value::from),
        ".{0,40}".prop_map(serde_json::Value::from),
    ];
    leaf.prop_recursive(4, 40, 6, |inner| {
        let keys = prop_oneof![
            Just("update_id".to_string()),
            Just("message".to_string()),
            Just("callback_query".to_string()),
            Just("chat".to_string()),
            Just("from".to_string()),
            Just("text".to_string()),
            Just("id".to_string()),
            Just("type".to_string()),
            Just("data".to_string()),
            Just("photo".to_string()),
            "[a-z_]{1,12}".prop_map(String::from),
        ];
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(serde_json::Value::from),
            prop::collection::btree_map(keys, inner, 0..6)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

/// 300 cases per target in the test suite; `scripts/fuzz` raises it with `PROPTEST_CASES`.
fn cases() -> u32 {
    std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(300)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(cases()))]

    #[test]
    fn arbitrary_dialogue_files_are_refused_or_loaded_without_panicking(src in ".{0,400}") {
        let files = vec![("fuzz.toml".to_string(), src)];
        let _ = Tree::from_sources(&files, texts());
    }

    #[test]
    fn arbitrary_toml_shaped_flows_never_panic(id in "[a-z]{1,5}", node in "[a-z]{1,5}", kind in "(menu|input|action|end|x)", next in ".{0,12}") {
        let src = format!("[flow]\nid = \"{id}\"\nstart = \"{node}\"\ntitle = \"t\"\n[nodes.{node}]\nkind = \"{kind}\"\ntext = \"t\"\nnext = \"{next}\"\n");
        let _ = Tree::from_sources(&[("f.toml".to_string(), src)], texts());
    }

    #[test]
    fn arbitrary_roster_rows_never_panic(fields in prop::collection::vec(".{0,30}", 0..20)) {
        let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
        let today = chrono::NaiveDate::from_ymd_opt(2026, 6, 1).expect("date");
        let _ = Record::parse(&refs, today);
    }

    #[test]
    fn arbitrary_updates_convert_without_panicking(mut value in json_value(), id in any::<i64>()) {
        if let Some(map) = value.as_object_mut() {
            map.insert("update_id".into(), id.into());
        }
        let runtime = tokio::runtime::Builder::new_current_thread().build().expect("runtime");
        let converter = Converter::new("helpdesk_bot");
        let (seen, _) = runtime.block_on(converter.convert(&value));
        if value.is_object() {
            prop_assert_eq!(seen, Some(id), "the update id is always read, so the offset moves on");
        }
    }
}
