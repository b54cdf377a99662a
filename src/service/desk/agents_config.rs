//! The agents' settings, parsed from the raw command-line/environment values.

use crate::config::{ConfigError, Settings, bad};
use crate::service::desk::agents::Agents;

impl Agents {
    /// The agents' workspace as configured; names the variable at fault.
    pub fn from_settings(settings: &Settings) -> Result<Agents, ConfigError> {
        let reopen_window_ms = duration_ms(&settings.ticket_reopen_window).ok_or_else(|| {
            bad(
                "TICKET_REOPEN_WINDOW",
                "expected a number with a unit: 30m, 72h or 7d",
            )
        })?;
        let routes = settings
            .agent_groups
            .iter()
            .filter(|r| !r.trim().is_empty())
            .map(|rule| route(rule))
            .collect::<Option<Vec<_>>>()
            .ok_or_else(|| {
                bad(
                    "AGENT_GROUPS",
                    "expected kind=group pairs, e.g. id_review=-1001234567890,photo=-1001234567890",
                )
            })?;
        Ok(Agents {
            chat_id: settings.agent_chat_id,
            ids: settings.agent_ids.clone(),
            sign_with_name: settings.agent_signature == "name",
            reopen_window_ms,
            routes,
        })
    }
}

/// `kind=-100…` → (kind, group); a group's id is negative.
fn route(rule: &str) -> Option<(String, i64)> {
    let (kind, group) = rule.trim().split_once('=')?;
    let kind = kind.trim();
    let group: i64 = group.trim().parse().ok()?;
    let known = KINDS.contains(&kind);
    (known && group < 0).then(|| (kind.to_string(), group))
}

/// The kinds of tickets there are.
pub const KINDS: &[&str] = &[
    "human",
    "escalation",
    "correction",
    "photo",
    "id_review",
    "data_deletion",
    "id_objection",
];

/// `90s`, `30m`, `72h`, `7d` → milliseconds.
pub fn duration_ms(raw: &str) -> Option<i64> {
    let raw = raw.trim();
    let split = raw.find(|c: char| !c.is_ascii_digit())?;
    let (number, unit) = raw.split_at(split);
    let number: i64 = number.parse().ok()?;
    let unit_ms = match unit {
        "s" => 1_000,
        "m" => 60_000,
        "h" => 3_600_000,
        "d" => 86_400_000,
        _ => return None,
    };
    number.checked_mul(unit_ms)
}

#[cfg(test)]
mod tests {
    use super::{duration_ms, route};

    #[test]
    fn durations_need_a_unit() {
        assert_eq!(duration_ms("30m"), Some(1_800_000));
        assert_eq!(duration_ms("7d"), Some(604_800_000));
        assert_eq!(duration_ms("0s"), Some(0));
        for bad in ["", "7", "d", "7w", "-1d", "1.5h"] {
            assert_eq!(duration_ms(bad), None, "{bad}");
        }
    }

    #[test]
    fn routes_name_a_kind_and_a_group() {
        assert_eq!(route(" photo = -1002 "), Some(("photo".into(), -1002)));
        for bad in ["photo", "photo=12", "nonsense=-1002", "=-1002", "photo=x"] {
            assert_eq!(route(bad), None, "{bad}");
        }
    }
}
