//! The agents' settings, parsed once from the raw command-line/environment values: who may
//! act, where tickets go (by kind, or by the student's class or college), how replies are
//! signed, the reopen window.

use super::{ConfigError, Settings, bad};
use crate::domain::ticket::TicketKind;

/// Who may act as an agent, and how replies are signed.
#[derive(Debug, Clone, Default)]
pub struct Agents {
    /// The agents' forum supergroup.
    pub chat_id: Option<i64>,
    /// Users allowed to act; empty means every member of the agents' group.
    pub ids: Vec<i64>,
    /// Sign replies with the agent's name (else a neutral "客服").
    pub sign_with_name: bool,
    /// How long after closing a student may reopen a ticket, in milliseconds.
    pub reopen_window_ms: i64,
    /// Tickets that go to another agents' group than `chat_id`, by the first rule that
    /// matches, in the order written.
    pub routes: Vec<(RouteRule, i64)>,
}

/// What an `AGENT_GROUPS` rule matches.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum RouteRule {
    /// Tickets of a kind (`photo=-100…`).
    Kind(TicketKind),
    /// The tickets of the students of a class (`class=2022级计算机1班:-100…`).
    Class(String),
    /// The tickets of the students of a college (`college=计算机学院:-100…`).
    College(String),
}

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
                    "expected kind=group (kind `all` for every kind), class=NAME:group or college=NAME:group rules, e.g. id_review=-1001234567890,class=2022级计算机1班:-1001234567891",
                )
            })?
            .concat();
        Ok(Agents {
            chat_id: settings.agent_chat_id,
            ids: settings.agent_ids.clone(),
            sign_with_name: settings.agent_signature == "name",
            reopen_window_ms,
            routes,
        })
    }
}

/// `kind=-100…` (`all=-100…`: every kind), `class=NAME:-100…` or `college=NAME:-100…` →
/// (rule, group); a group's id is negative. A kind named with several groups spreads its
/// tickets over them.
fn route(rule: &str) -> Option<Vec<(RouteRule, i64)>> {
    let (kind, group) = rule.trim().split_once('=')?;
    let kind = kind.trim();
    if matches!(kind, "class" | "college") {
        let (name, group) = group.rsplit_once(':')?;
        let (name, group) = (name.trim(), group.trim().parse::<i64>().ok()?);
        if name.is_empty() || group >= 0 {
            return None;
        }
        let rule = if kind == "class" {
            RouteRule::Class(name.to_string())
        } else {
            RouteRule::College(name.to_string())
        };
        return Some(vec![(rule, group)]);
    }
    let group: i64 = group.trim().parse().ok().filter(|g: &i64| *g < 0)?;
    match kind {
        "all" => Some(
            TicketKind::ALL
                .iter()
                .map(|k| (RouteRule::Kind(*k), group))
                .collect(),
        ),
        kind => Some(vec![(
            RouteRule::Kind(TicketKind::parse(kind).ok()?),
            group,
        )]),
    }
}

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
    use super::{RouteRule, TicketKind, duration_ms, route};

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
        assert_eq!(
            route(" photo = -1002 "),
            Some(vec![(RouteRule::Kind(TicketKind::Photo), -1002)])
        );
        assert_eq!(
            route("class=2022级计算机1班:-1003"),
            Some(vec![(RouteRule::Class("2022级计算机1班".into()), -1003)])
        );
        assert_eq!(
            route(" college = 计算机学院 : -1004"),
            Some(vec![(RouteRule::College("计算机学院".into()), -1004)])
        );
        for bad in ["class=-1003", "class=:-1003", "college=计算机学院:12"] {
            assert_eq!(route(bad), None, "{bad}");
        }
        let all = route("all=-1003").unwrap_or_default();
        assert_eq!(all.len(), TicketKind::ALL.len());
        assert!(all.iter().all(|(_, g)| *g == -1003));
        for bad in ["photo", "photo=12", "nonsense=-1002", "=-1002", "photo=x"] {
            assert_eq!(route(bad), None, "{bad}");
        }
    }
}
