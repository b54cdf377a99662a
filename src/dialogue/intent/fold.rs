//! Folding a question into comparable features: half-width, lower case, traditional characters
//! as simplified, punctuation and filler words dropped; Chinese as character uni- and bigrams,
//! other scripts as words plus character trigrams (so one typo still shares most features).

use super::{hant, synonyms};

/// A question folded for comparison: the text (spaces between words, none inside Chinese) and
/// its features with their counts.
#[derive(Debug, Clone, PartialEq)]
pub struct Folded {
    pub text: String,
    pub features: Vec<(String, f32)>,
}

/// Words that say nothing about which intent is meant (politeness, question words, pronouns).
const LATIN_FILLER: &[&str] = &[
    "a", "an", "the", "i", "me", "my", "mine", "you", "your", "it", "is", "am", "are", "was", "be",
    "to", "of", "for", "on", "in", "at", "and", "or", "do", "does", "did", "can", "could", "would",
    "should", "will", "please", "pls", "plz", "hi", "hello", "hey", "dear", "sir", "madam",
    "teacher", "thanks", "thank", "so", "just", "now", "this", "that", "there", "here", "what",
    "how", "why", "when", "where", "which", "who", "with", "from", "by", "about", "any", "some",
    "get", "got", "have", "has", "had", "want", "wanna", "need", "like", "im", "ive", "its", "um",
    "ok", "okay", "yes", "s", "t",
];

/// Chinese filler, removed before n-grams are taken (longest first where they overlap).
const HAN_FILLER: &[&str] = &[
    "不好意思",
    "打扰一下",
    "打扰了",
    "大家好",
    "在线等",
    "急急急",
    "求助",
    "请教一下",
    "请教",
    "咨询一下",
    "想问一下",
    "想问下",
    "我想问",
    "问一下",
    "请问下",
    "麻烦您",
    "麻烦了",
    "谢谢您",
    "多谢",
    "感谢",
    "怎么回事",
    "怎么处理",
    "怎么解决",
    "如何解决",
    "应该怎么",
    "该怎么",
    "要怎么",
    "咋回事",
    "咋办",
    "咋整",
    "咋弄",
    "是不是",
    "有没有",
    "是否",
    "是啥",
    "干嘛",
    "咋",
    "啥",
    "怎样",
    "应该",
    "就是",
    "然后",
    "但是",
    "可是",
    "到底",
    "根本",
    "现在",
    "直接",
    "老师您好",
    "老师你好",
    "老师好",
    "您好",
    "你好",
    "请问一下",
    "请问",
    "麻烦",
    "一下",
    "谢谢",
    "怎么办",
    "怎么弄",
    "怎么样",
    "怎么",
    "如何",
    "为什么",
    "是什么",
    "什么",
    "可以",
    "能不能",
    "能否",
    "我想",
    "我要",
    "想要",
    "需要",
    "我的",
    "的",
    "了",
    "吗",
    "呢",
    "啊",
    "呀",
    "吧",
    "哦",
    "嗯",
    "帮忙",
    "帮我",
    "一个",
    "这个",
    "那个",
];

/// One character folded: half-width ASCII, traditional → simplified, lower case.
fn fold_char(c: char) -> char {
    let c = crate::domain::mask::to_halfwidth(c);
    let c = hant::simplify(c);
    if c.is_ascii_uppercase() {
        c.to_ascii_lowercase()
    } else {
        c
    }
}

pub fn is_han(c: char) -> bool {
    matches!(c as u32, 0x3400..=0x4DBF | 0x4E00..=0x9FFF | 0xF900..=0xFAFF)
}

/// The text as compared in exact look-ups: folded characters, letters and digits only.
pub fn squash(text: &str) -> String {
    normalise(text)
        .chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// Characters folded, regional words and synonyms as one form.
fn normalise(text: &str) -> String {
    let folded: String = text.chars().map(fold_char).collect();
    let folded = folded
        .replace('’', "'")
        .replace("e-mail", "email")
        .replace("can't", "can not")
        .replace("won't", "will not")
        .replace("n't", " not");
    synonyms::canonical(&hant::phrases(&folded))
}

/// English words that mean the same here.
fn latin_synonym(word: &str) -> &str {
    match word {
        "picture" | "pic" | "pics" | "pictures" | "image" | "photograph" | "photos" => "photo",
        "login" | "logon" | "log-in" => "log",
        "signin" => "sign",
        "mail" | "emails" => "email",
        "identity" | "identification" => "id",
        "telephone" | "mobile" | "cellphone" => "phone",
        "acount" | "accout" | "acc" | "accounts" => "account",
        // A negation is kept ("I have an account" is not "I don't have an account").
        "dont" | "didnt" | "doesnt" | "cant" | "cannot" | "havent" | "hasnt" | "isnt" | "wasnt"
        | "wont" | "arent" | "couldnt" | "never" | "no" => "not",
        _ => word,
    }
}

/// Strips the common English suffixes so "registered", "registering" and "register" meet.
fn stem(word: &str) -> String {
    for suffix in ["ing", "ed", "es", "s"] {
        if let Some(base) = word.strip_suffix(suffix)
            && base.chars().count() >= 4
        {
            return base.to_string();
        }
    }
    word.to_string()
}

/// Folds `text` into features.
pub fn fold(text: &str) -> Folded {
    let folded = normalise(text);
    let mut runs: Vec<(bool, String)> = Vec::new();
    for c in folded.chars() {
        let kind = if is_han(c) {
            Some(true)
        } else if c.is_alphanumeric() {
            Some(false)
        } else {
            None
        };
        match (kind, runs.last_mut()) {
            (Some(han), Some((last, run))) if *last == han && !run.is_empty() => run.push(c),
            (Some(han), _) => runs.push((han, c.to_string())),
            (None, Some((_, run))) if !run.is_empty() => runs.push((false, String::new())),
            (None, _) => {}
        }
    }
    let mut features: Vec<(String, f32)> = Vec::new();
    let mut shown: Vec<String> = Vec::new();
    runs.retain(|(_, r)| !r.is_empty());
    // A question of filler words only ("what can you do") keeps them: they are all it says.
    let all_filler = runs
        .iter()
        .all(|(han, r)| !han && LATIN_FILLER.contains(&r.to_lowercase().as_str()));
    for (han, run) in runs {
        if han {
            let run = strip_han_filler(&run);
            han_features(&run, &mut features);
            if !run.is_empty() {
                shown.push(run);
            }
        } else {
            let word = run.to_lowercase();
            if !all_filler && LATIN_FILLER.contains(&word.as_str()) {
                continue;
            }
            let word = stem(latin_synonym(&word));
            latin_features(&word, &mut features);
            shown.push(word);
        }
    }
    Folded {
        text: shown.join(" "),
        features: merge(features),
    }
}

fn strip_han_filler(run: &str) -> String {
    let mut out = run.to_string();
    for filler in HAN_FILLER {
        // Whole fillers only where something else remains, so "你好" alone is still a text.
        let stripped = out.replace(filler, " ");
        if stripped.chars().any(|c| c != ' ') {
            out = stripped;
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join("|")
}

/// Unigrams (weak) and bigrams (strong) within each filler-free piece of a Chinese run.
fn han_features(run: &str, out: &mut Vec<(String, f32)>) {
    for piece in run.split('|') {
        let chars: Vec<char> = piece.chars().collect();
        for c in &chars {
            out.push((c.to_string(), 0.4));
        }
        for pair in chars.windows(2) {
            out.push((pair.iter().collect(), 1.0));
        }
    }
}

/// The word itself and its character trigrams with boundary marks (typo tolerance).
fn latin_features(word: &str, out: &mut Vec<(String, f32)>) {
    out.push((format!("w:{word}"), 1.0));
    let chars: Vec<char> = std::iter::once('^')
        .chain(word.chars())
        .chain(std::iter::once('$'))
        .collect();
    if chars.len() > 4 {
        for tri in chars.windows(3) {
            out.push((format!("t:{}", tri.iter().collect::<String>()), 0.3));
        }
    }
}

fn merge(mut features: Vec<(String, f32)>) -> Vec<(String, f32)> {
    features.sort_by(|a, b| a.0.cmp(&b.0));
    let mut out: Vec<(String, f32)> = Vec::with_capacity(features.len());
    for (f, w) in features {
        match out.last_mut() {
            Some((last, lw)) if *last == f => *lw += w,
            _ => out.push((f, w)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn folding_meets_width_case_script_and_filler() {
        let cases = [
            ("请问验证码收不到怎么办？", "验证码收不到"),
            ("請問驗證碼收不到怎麼辦", "验证码收不到"),
            ("ＲＥＧＩＳＴＥＲ an account!!", "register account"),
            ("How do I register?", "register"),
            (
                "证件号码已被注册,查看【解决方法】",
                "证件号码已注册 查看 解决方法",
            ),
        ];
        for (raw, expected) in cases {
            assert_eq!(fold(raw).text.replace('|', " "), expected, "{raw}");
        }
        assert_eq!(squash("證件號碼 已被註冊！"), "证件号码已注册");
    }

    #[test]
    fn a_negation_is_kept_as_one_word() {
        assert_eq!(fold("I don't have an account").text, "not account");
        assert_eq!(fold("I have an account").text, "account");
        assert_eq!(
            fold("code never came, can't log in").text,
            "code not came not log"
        );
    }
}
