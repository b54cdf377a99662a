//! Text helpers shared by the domain parsers: hiding personal data for chats and logs, and folding full-width input.

/// Replaces every character of `s` except the first `keep_start` and the last
/// `keep_end` ones with `*`, keeping the character count.
///
/// When `s` is too short to hide at least one character that way, every
/// character is replaced, so a short value never shows in full.
pub fn mask_middle(s: &str, keep_start: usize, keep_end: usize) -> String {
    let len = s.chars().count();
    if len <= keep_start.saturating_add(keep_end) {
        return "*".repeat(len);
    }
    s.chars()
        .enumerate()
        .map(|(i, c)| {
            if i < keep_start || i >= len - keep_end {
                c
            } else {
                '*'
            }
        })
        .collect()
}

/// Masks anything in `text` that looks like a mainland ID number, for logs.
///
/// A maximal run of exactly 18 digits, of 17 digits followed by `X`/`x`, or of
/// exactly 15 digits (legacy cards) keeps its first 6 and last 4 characters;
/// the rest becomes `*`. Full-width digits count as digits. Shorter or longer
/// digit runs and all other text are left alone. Numbers typed with spaces or
/// hyphens inside are not recognised.
pub fn scrub_id_numbers(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let mut out = String::with_capacity(text.len());
    let mut i = 0;
    while i < chars.len() {
        if !is_digit(chars[i]) {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && is_digit(chars[i]) {
            i += 1;
        }
        if i - start == 17
            && chars
                .get(i)
                .is_some_and(|&c| matches!(c, 'X' | 'x' | 'Ｘ' | 'ｘ'))
        {
            i += 1;
        }
        let run: String = chars[start..i].iter().collect();
        if matches!(i - start, 15 | 18) {
            out.push_str(&mask_middle(&run, 6, 4));
        } else {
            out.push_str(&run);
        }
    }
    out
}

/// Folds a full-width ASCII variant (U+FF01–U+FF5E, e.g. `０`, `Ｘ`, `＠`) to
/// its ASCII counterpart and the ideographic space U+3000 to a plain space;
/// any other character is returned unchanged.
pub fn to_halfwidth(c: char) -> char {
    match c {
        '\u{FF01}'..='\u{FF5E}' => char::from_u32(u32::from(c) - 0xFEE0).unwrap_or(c),
        '\u{3000}' => ' ',
        _ => c,
    }
}

fn is_digit(c: char) -> bool {
    c.is_ascii_digit() || ('０'..='９').contains(&c)
}

#[cfg(test)]
#[path = "mask_tests.rs"]
mod tests;
