//! Words that mean the same here, folded to one form before anything is compared (both the
//! phrasings and the question go through it): the input-method typos students make most
//! (验正码, 学藉, 注侧…), then the synonyms this domain treats alike (手机号码/电话 → 手机号,
//! 校验码/激活码 → 验证码, 没收到/收不到…). One pass from left to right, the longest form
//! starting at each place first; a replacement is final (never read again).

use std::collections::HashMap;
use std::sync::LazyLock;

/// Pinyin input typos → the word meant.
const TYPOS: &[(&str, &str)] = &[
    ("验正码", "验证码"),
    ("验症码", "验证码"),
    ("验怔码", "验证码"),
    ("验政码", "验证码"),
    ("严证码", "验证码"),
    ("眼证码", "验证码"),
    ("验证玛", "验证码"),
    ("验证马", "验证码"),
    ("效验码", "验证码"),
    ("激括码", "验证码"),
    ("学藉", "学籍"),
    ("学积", "学籍"),
    ("注侧", "注册"),
    ("注测", "注册"),
    ("住册", "注册"),
    ("柱册", "注册"),
    ("登路", "登录"),
    ("灯录", "登录"),
    ("等录", "登录"),
    ("登绿", "登录"),
    ("身份正", "身份证"),
    ("身份怔", "身份证"),
    ("生份证", "身份证"),
    ("申份证", "身份证"),
    ("用户明", "用户名"),
    ("用护名", "用户名"),
    ("进渡", "进度"),
    ("人共", "人工"),
    ("核队", "核对"),
    ("合对", "核对"),
    ("绑订", "绑定"),
    ("邦定", "绑定"),
    ("扫描建", "扫描件"),
    ("短息", "短信"),
    ("收不倒", "收不到"),
    ("手机好", "手机号"),
    ("账好", "账号"),
    ("照骗", "照片"),
];

/// Synonyms → the one form compared.
const SAME: &[(&str, &str)] = &[
    // Phone numbers.
    ("手机号码", "手机号"),
    ("电话号码", "手机号"),
    ("电话号", "手机号"),
    ("电话", "手机号"),
    // One-time codes: the SMS code, the e-mail activation code.
    ("校验码", "验证码"),
    ("激活码", "验证码"),
    ("动态码", "验证码"),
    ("短信码", "验证码"),
    // ID numbers.
    ("身份证件号码", "身份证号"),
    ("身份证号码", "身份证号"),
    // Accounts and names.
    ("账户", "账号"),
    ("用户名称", "用户名"),
    ("电子邮箱", "邮箱"),
    ("电子邮件", "邮件"),
    ("名字", "姓名"),
    // Already registered.
    ("已经被注册", "已注册"),
    ("已被注册", "已注册"),
    ("已经注册", "已注册"),
    ("被注册过", "已注册"),
    // Not received.
    ("没有接收到", "收不到"),
    ("没有收到", "收不到"),
    ("没有接到", "收不到"),
    ("接收不到", "收不到"),
    ("没收到", "收不到"),
    ("没接到", "收不到"),
    ("收不着", "收不到"),
    ("接不到", "收不到"),
    ("没有发过来", "收不到"),
    ("没发过来", "收不到"),
    ("发不过来", "收不到"),
    // Forgotten.
    ("想不起来", "忘记"),
    ("记不起来", "忘记"),
    ("不记得", "忘记"),
    ("记不得", "忘记"),
    ("记不清", "忘记"),
    ("忘记了", "忘记"),
    ("忘掉了", "忘记"),
    ("忘了", "忘记"),
    // Cannot log in.
    ("登录不上去", "登录不了"),
    ("登录不进去", "登录不了"),
    ("登录不上", "登录不了"),
    ("登录不进", "登录不了"),
    ("登不上去", "登录不了"),
    ("登不进去", "登录不了"),
    ("登不上", "登录不了"),
    ("登不进", "登录不了"),
    ("登不了", "登录不了"),
    ("进不去", "登录不了"),
    // Deleting.
    ("删掉", "删除"),
    ("清除", "删除"),
    // Typed wrong (by the student) …
    ("输入错误", "输错"),
    ("填写错误", "输错"),
    ("输入错了", "输错"),
    ("填写错了", "输错"),
    ("输错了", "输错"),
    ("填错了", "输错"),
    ("打错了", "输错"),
    ("输入错", "输错"),
    ("填写错", "输错"),
    ("填错", "输错"),
    ("打错", "输错"),
    // … and wrong (in the record).
    ("对不对", ""),
    ("写错了", "有误"),
    ("弄错了", "有误"),
    ("搞错了", "有误"),
    ("不正确", "有误"),
    ("不准确", "有误"),
    ("有错误", "有误"),
    ("写错", "有误"),
    ("弄错", "有误"),
    ("搞错", "有误"),
    ("错误", "有误"),
    ("错了", "有误"),
    ("有错", "有误"),
    ("不对", "有误"),
    // Correcting.
    ("更改", "修改"),
    ("更正", "修改"),
    ("改正", "修改"),
    ("纠正", "修改"),
    ("订正", "修改"),
    // Checking.
    ("核实", "核对"),
    ("核查", "核对"),
    ("校对", "核对"),
    // Photos.
    ("毕业照片", "毕业照片"),
    ("毕业照", "毕业照片"),
    ("相片", "照片"),
    ("像片", "照片"),
    ("图片", "照片"),
    ("头像", "照片"),
    ("图像", "照片"),
    // People.
    ("真人客服", "人工"),
    ("人工客服", "人工"),
    ("人工服务", "人工"),
    ("真人", "人工"),
    ("活人", "人工"),
    ("客服人员", "客服"),
    ("班主任", "辅导员"),
    // Taken by someone else.
    ("被其他人", "被别人"),
    ("被他人", "被别人"),
    ("被人", "被别人"),
    ("冒用", "占用"),
    ("盗用", "占用"),
    ("霸占", "占用"),
    ("进展", "进度"),
];

/// The forms by their first character, longest first.
static BY_FIRST: LazyLock<HashMap<char, Vec<(&'static str, &'static str)>>> = LazyLock::new(|| {
    let mut map: HashMap<char, Vec<(&str, &str)>> = HashMap::new();
    for (from, to) in TYPOS.iter().chain(SAME) {
        if let Some(first) = from.chars().next() {
            map.entry(first).or_default().push((from, to));
        }
    }
    for forms in map.values_mut() {
        forms.sort_by_key(|(from, _)| std::cmp::Reverse(from.len()));
    }
    map
});

/// `text` (already simplified and lower-cased) with typos and synonyms folded.
pub fn canonical(text: &str) -> String {
    if text.is_ascii() {
        return text.to_string();
    }
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        let found = BY_FIRST
            .get(&c)
            .and_then(|forms| forms.iter().find(|(from, _)| rest.starts_with(from)));
        match found {
            Some((from, to)) => {
                out.push_str(to);
                rest = &rest[from.len()..];
            }
            None => {
                out.push(c);
                rest = &rest[c.len_utf8()..];
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::canonical;

    #[test]
    fn typos_and_synonyms_fold_to_one_form() {
        let cases = [
            ("验正码没有收到", "验证码收不到"),
            ("效验码收不着", "验证码收不到"),
            ("电话号码", "手机号"),
            ("学藉信息不正确", "学籍信息有误"),
            ("名字输错了", "姓名输错"),
            ("毕业照片", "毕业照片"),
            ("毕业照不对", "毕业照片有误"),
            ("想不起来用户名", "忘记用户名"),
            ("登录不上去", "登录不了"),
        ];
        for (raw, expected) in cases {
            assert_eq!(canonical(raw), expected, "{raw}");
        }
    }
}
