//! What the card says about a ticket, in the agents' words: the step as its flow's name,
//! corrections as "专业 → 人工智能", a photo's reason as the student chose it, and why the
//! bot opened a ticket — never the stored codes.

use crate::dialogue::texts::html_to_plain;
use crate::service::Service;
use crate::service::desk::agents::AGENT_LOCALE;
use serde_json::Value;

/// Stored summaries (why a ticket was opened) and the text keys that say them.
const WHY: &[(&str, &str)] = &[
    ("student asked for a human", "ticket-why-asked"),
    ("three_failures", "ticket-why-three-failures"),
    ("code_locked", "ticket-why-code-locked"),
    ("status_check_failed", "ticket-why-status-check-failed"),
];

impl Service {
    /// A text of the agents' locale, as plain text, when it exists.
    fn agent_words(&self, key: &str) -> Option<String> {
        self.tree
            .texts
            .has(AGENT_LOCALE, key)
            .then(|| html_to_plain(&self.tree.texts.get(AGENT_LOCALE, key)))
    }

    /// Where the student was: the flow's name (the node id only when it has none).
    pub(crate) fn step_words(&self, node: &str) -> String {
        self.tree
            .flow_of(node)
            .and_then(|flow| self.agent_words(&flow.title))
            .unwrap_or_else(|| node.to_string())
    }

    /// The ticket's details for the card: corrections, a photo's reason, or why it was opened.
    pub(crate) fn detail_words(&self, detail: &str, summary: &str) -> String {
        let Ok(value) = serde_json::from_str::<Value>(detail) else {
            return self.summary_words(summary);
        };
        let mut lines = Vec::new();
        for f in value["fields"].as_array().into_iter().flatten() {
            let field = f["field"].as_str().unwrap_or_default();
            let label = self
                .agent_words(&format!("field-{}", field.replace('_', "-")))
                .unwrap_or_else(|| field.to_string());
            lines.push(format!(
                "{label} → {}",
                f["value"].as_str().unwrap_or_default()
            ));
        }
        if let Some(reason) = value["reason"].as_str() {
            let said = self
                .agent_words(&format!("photo-reason-{}", reason.replace('_', "-")))
                .unwrap_or_else(|| reason.to_string());
            let text = value["text"].as_str().unwrap_or_default().trim();
            lines.push(if text.is_empty() {
                said
            } else {
                format!("{said}：{text}")
            });
        }
        if lines.is_empty() {
            self.summary_words(summary)
        } else {
            lines.join("\n")
        }
    }

    /// Why the ticket was opened; a review's summary is its kind, said as what to check.
    fn summary_words(&self, summary: &str) -> String {
        if let Ok(kind) = crate::domain::ticket::TicketKind::parse(summary) {
            let why = self.agent_words(&format!("ticket-why-{}", kind.text_key()));
            return why
                .or_else(|| self.agent_words(&format!("ticket-kind-{}", kind.text_key())))
                .unwrap_or_else(|| summary.to_string());
        }
        WHY.iter()
            .find(|(code, _)| *code == summary)
            .and_then(|(_, key)| self.agent_words(key))
            .unwrap_or_else(|| summary.to_string())
    }
}
