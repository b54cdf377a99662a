//! Typed button labels: what a student types matches a button's label without its emoji and
//! ignoring case, full-width forms and spacing, so typing a label does what pressing it does.

/// The label as compared: letters and digits only (any script), lower-case, half-width.
pub fn fold(label: &str) -> String {
    label
        .chars()
        .map(half_width)
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Full-width ASCII forms (Ａ, １, ！) as their ASCII letters.
fn half_width(c: char) -> char {
    match c as u32 {
        0xFF01..=0xFF5E => char::from_u32(c as u32 - 0xFEE0).unwrap_or(c),
        _ => c,
    }
}

/// Whether `typed` is `label` as far as a person can tell; an empty fold matches nothing.
pub fn matches(typed: &str, label: &str) -> bool {
    let typed = fold(typed);
    !typed.is_empty() && typed == fold(label)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_match_without_emoji_case_width_or_spacing() {
        let cases = [
            (
                "✉️ Get it by e-mail instead",
                "get it by email instead",
                true,
            ),
            (
                "✉️ Get it by e-mail instead",
                "✉️ Get it by e-mail instead",
                true,
            ),
            ("✉️ 改用邮件接收", "改用邮件接收", true),
            ("✉️ 改用邮件接收", " 改用 邮件 接收 ", true),
            ("📱 SMS", "ｓｍｓ", true),
            ("护照", "护照", true),
            ("« 返回", "返回", true),
            ("✉️ 改用邮件接收", "邮件", false),
            ("📱 SMS", "📱", false),
            ("", "", false),
        ];
        for (label, typed, expected) in cases {
            assert_eq!(matches(typed, label), expected, "{typed:?} vs {label:?}");
        }
    }
}
