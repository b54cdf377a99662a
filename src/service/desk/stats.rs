//! `/queue` and `/stats` for agents.

use crate::dialogue::Text;
use crate::domain::ticket::TicketKind;
use crate::service::desk::agents::AGENT_LOCALE;
use crate::service::{Service, ServiceError};
use crate::store::{Tx, tickets};

impl Service {
    /// The open tickets of the agents' group `group`, oldest first.
    pub(crate) async fn queue_text(
        &self,
        tx: &mut Tx,
        group: i64,
        now: i64,
    ) -> Result<String, ServiceError> {
        let queue: Vec<_> = tickets::queue(tx, 1000)
            .await?
            .into_iter()
            .filter(|t| self.group_of(t) == Some(group))
            .take(30)
            .collect();
        let lines: Vec<String> = queue.iter().map(|t| self.ticket_line(t, now)).collect();
        Ok(self.tree.texts.render(
            AGENT_LOCALE,
            &Text::new("agent-queue")
                .arg("count", queue.len().to_string())
                .arg("list", lines.join("\n")),
        ))
    }

    /// `/find 12`, `/find #12` or `/find name@example.com`: the ticket(s) of the agents'
    /// group `group`, with links.
    pub(crate) async fn find_text(
        &self,
        tx: &mut Tx,
        group: i64,
        query: &str,
        now: i64,
    ) -> Result<String, ServiceError> {
        let query = query.trim();
        if query.is_empty() {
            return Ok(self.tree.texts.get(AGENT_LOCALE, "agent-find-usage"));
        }
        let found: Vec<tickets::Ticket> = match query.trim_start_matches('#').parse::<i64>() {
            Ok(number) => tickets::ticket(tx, number).await?.into_iter().collect(),
            Err(_) => tickets::by_username(tx, &query.to_lowercase()).await?,
        };
        // Another group's tickets stay unknown here, as if they did not exist.
        let found: Vec<_> = found
            .into_iter()
            .filter(|t| self.group_of(t) == Some(group))
            .collect();
        let lines: Vec<String> = found.iter().map(|t| self.ticket_line(t, now)).collect();
        let text = if lines.is_empty() {
            Text::new("agent-find-none").arg("query", crate::dialogue::texts::escape_html(query))
        } else {
            Text::new("agent-find")
                .arg("count", lines.len().to_string())
                .arg("list", lines.join("\n"))
        };
        Ok(self.tree.texts.render(AGENT_LOCALE, &text))
    }

    /// `#12 · human · open · 5 min https://t.me/c/…/topic`.
    pub(crate) fn ticket_line(&self, t: &tickets::Ticket, now: i64) -> String {
        let minutes = (now - t.created_at) / 60_000;
        let link = match (self.group_of(t), t.topic_id) {
            (Some(group), Some(topic)) => {
                format!(" https://t.me/c/{}/{topic}", internal_id(group))
            }
            _ => String::new(),
        };
        let kind = self
            .tree
            .texts
            .get(AGENT_LOCALE, &format!("ticket-kind-{}", t.kind.text_key()));
        format!(
            "#{} · {} · {} · {minutes} min{link}",
            t.id,
            crate::dialogue::texts::html_to_plain(&kind),
            self.status_words(t)
        )
    }

    /// The figures of the agents' group `group`'s tickets.
    pub(crate) async fn stats_text(
        &self,
        tx: &mut Tx,
        group: i64,
        now: i64,
    ) -> Result<String, ServiceError> {
        let rows: Vec<tickets::Times> = tickets::times(tx)
            .await?
            .into_iter()
            .filter(|t| {
                self.group_of_kind(t.agent_chat, TicketKind::parse(&t.kind).ok()) == Some(group)
            })
            .collect();
        let ratings = rows.iter().filter_map(|t| t.rating);
        let ratings = (ratings.clone().sum::<i64>(), ratings.count() as i64);
        let times: Vec<_> = rows
            .iter()
            .map(|t| {
                (
                    t.status.clone(),
                    t.created_at,
                    t.first_response_at,
                    t.resolved_at,
                )
            })
            .collect();
        let day_start = now - (now + 8 * 3_600_000).rem_euclid(86_400_000);
        let count = |s: &str| times.iter().filter(|t| t.0 == s).count().to_string();
        let resolved_today = times
            .iter()
            .filter(|t| t.3.is_some_and(|r| r >= day_start))
            .count();
        let first: Vec<i64> = times.iter().filter_map(|t| t.2.map(|f| f - t.1)).collect();
        let resolution: Vec<i64> = times.iter().filter_map(|t| t.3.map(|r| r - t.1)).collect();
        // Questions are not tied to a group: every group sees the same count of what the bot
        // did not understand (no text, nothing personal), a nudge to add phrasings.
        let unmatched = crate::store::unmatched::count_since(tx, now - 7 * 86_400_000).await?;
        let text = Text::new("agent-stats")
            .arg("unmatched", unmatched.to_string())
            .arg("open", count("open"))
            .arg("in_progress", count("in_progress"))
            .arg("resolved_today", resolved_today.to_string())
            .arg("first_response", median_minutes(first))
            .arg("resolution", median_minutes(resolution))
            .arg("rating", average_rating(ratings));
        Ok(self.tree.texts.render(AGENT_LOCALE, &text))
    }
}

/// The median of durations in milliseconds, in whole minutes ("—" when there are none).
pub fn median_minutes(mut values: Vec<i64>) -> String {
    if values.is_empty() {
        return "—".into();
    }
    values.sort_unstable();
    let mid = values.len() / 2;
    let median = if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2
    } else {
        values[mid]
    };
    format!("{}", median / 60_000)
}

/// "4.5 (2)" from (sum, count); "—" without ratings.
pub fn average_rating((sum, count): (i64, i64)) -> String {
    if count <= 0 {
        return "—".into();
    }
    let tenths = (sum * 10 + count / 2) / count;
    format!("{}.{} ({count})", tenths / 10, tenths % 10)
}

/// `-1001234567890` → `1234567890`, the form t.me/c links use.
fn internal_id(group: i64) -> String {
    let s = group.to_string();
    s.strip_prefix("-100")
        .map(str::to_string)
        .unwrap_or_else(|| s.trim_start_matches('-').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians_and_links() {
        assert_eq!(median_minutes(vec![]), "—");
        assert_eq!(median_minutes(vec![60_000, 180_000, 120_000]), "2");
        assert_eq!(median_minutes(vec![60_000, 180_000]), "2");
        assert_eq!(internal_id(-1001234567890), "1234567890");
        assert_eq!(average_rating((0, 0)), "—");
        assert_eq!(average_rating((9, 2)), "4.5 (2)");
        assert_eq!(average_rating((10, 3)), "3.3 (3)");
    }
}
