//! The agents' settings, parsed from the raw command-line/environment values.

use super::agents::Agents;
use crate::config::{ConfigError, Settings, bad};

impl Agents {
    /// The agents' workspace as configured; names the variable at fault.
    pub fn from_settings(settings: &Settings) -> Result<Agents, ConfigError> {
        let reopen_window_ms = duration_ms(&settings.ticket_reopen_window).ok_or_else(|| {
            bad(
                "TICKET_REOPEN_WINDOW",
                "expected a number with a unit: 30m, 72h or 7d",
            )
        })?;
        Ok(Agents {
            chat_id: settings.agent_chat_id,
            ids: settings.agent_ids.clone(),
            sign_with_name: settings.agent_signature == "name",
            reopen_window_ms,
        })
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
    use super::duration_ms;

    #[test]
    fn durations_need_a_unit() {
        assert_eq!(duration_ms("30m"), Some(1_800_000));
        assert_eq!(duration_ms("7d"), Some(604_800_000));
        assert_eq!(duration_ms("0s"), Some(0));
        for bad in ["", "7", "d", "7w", "-1d", "1.5h"] {
            assert_eq!(duration_ms(bad), None, "{bad}");
        }
    }
}
