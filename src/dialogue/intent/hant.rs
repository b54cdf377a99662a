//! Traditional characters as simplified (a table of some 2,300 characters, `hant_table.txt`),
//! and the Taiwan/Hong Kong words for the same things.

use std::collections::HashMap;
use std::sync::LazyLock;

/// The table, a traditional character followed by its simplified form, pairs apart by spaces.
const TABLE: &str = include_str!("hant_table.txt");

static CHARS: LazyLock<HashMap<char, char>> = LazyLock::new(|| {
    TABLE
        .lines()
        .filter(|l| !l.starts_with('#'))
        .flat_map(str::split_whitespace)
        .filter_map(|pair| {
            let mut chars = pair.chars();
            Some((chars.next()?, chars.next()?))
        })
        .collect()
});

/// The simplified form of a traditional character, or the character itself.
pub fn simplify(c: char) -> char {
    if (c as u32) < 0x3400 {
        return c;
    }
    CHARS.get(&c).copied().unwrap_or(c)
}

/// Regional words for the same things, after the characters are simplified.
const PHRASES: &[(&str, &str)] = &[
    ("简讯", "短信"),
    ("甚么", "什么"),
    ("电邮", "邮箱"),
    ("信箱", "邮箱"),
    ("帐号", "账号"),
    ("帐户", "账户"),
    ("登入", "登录"),
    ("登陆", "登录"),
    ("身分证", "身份证"),
    ("认证码", "验证码"),
    ("使用者名称", "用户名"),
    ("使用者", "用户"),
    ("大头照", "照片"),
    ("讯息", "短信"),
];

pub fn phrases(text: &str) -> String {
    let mut out = text.to_string();
    for (from, to) in PHRASES {
        if out.contains(from) {
            out = out.replace(from, to);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn traditional_words_fold_to_simplified() {
        let folded: String = "驗證碼沒收到，帳號登入"
            .chars()
            .map(super::simplify)
            .collect();
        assert_eq!(super::phrases(&folded), "验证码没收到，账号登录");
        let folded: String = "學籍資料與照片覈對，認證碼"
            .chars()
            .map(super::simplify)
            .collect();
        assert_eq!(super::phrases(&folded), "学籍资料与照片核对，验证码");
    }
}
