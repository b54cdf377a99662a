# 学生信息助手 — 输入校验错误提示（简体中文）
# 每个键对应 src/ 中某个错误枚举的 key()；变量来自 args()。

## 证件号码 (IdNumberError)

err-id-empty = 请输入证件号码。
err-id-length = 证件号码应为 18 位（旧版居民身份证为 15 位），您输入了 { $found } 位，请核对。
err-id-non-digit = 证件号码第 { $position } 位应为数字（只有最后一位可以是 X），请核对。
err-id-province = 证件号码前两位“{ $code }”不是有效的省级行政区代码，请核对。
err-id-is-residence-permit = 这是港澳台居民居住证号码，请将证件类型选为“港澳台居民居住证”。
err-id-birth-date-invalid = 证件号码中的出生日期（第 7–14 位）不是有效日期，请核对。
err-id-birth-date-future = 证件号码中的出生日期晚于今天，请核对。
err-id-birth-date-too-early = 证件号码中的出生日期早于 1900 年，请核对。
err-id-check-digit = 校验位应为 { $expected }，请逐位核对。
err-id-residence-prefix = 港澳台居民居住证号码应以 810000、820000 或 830000 开头，请核对证件类型和号码。
err-id-hk-macau-format = 港澳居民来往内地通行证号码应为 H 或 M 开头，后接 8 位或 10 位数字。
err-id-taiwan-format = 台湾居民来往大陆通行证号码应为 8 位数字（旧版为 10 位）。
err-id-foreign-format = 外国人永久居留身份证号码应为 3 个字母加 12 位数字，或以 9 开头的 18 位号码。
err-id-passport-format = 护照号码应为 5 至 17 位字母或数字。

## 邮箱 (EmailError)

err-email-empty = 请输入邮箱地址。
err-email-spaces = 邮箱地址中不能有空格。
err-email-too-long = 邮箱地址最长 { $max } 个字符，您输入了 { $found } 个。
err-email-missing-at = 邮箱地址缺少“@”，例如 zhangsan@example.com。
err-email-multiple-at = 邮箱地址中只能有一个“@”。
err-email-local-empty = “@”前面需要填写用户名。
err-email-local-too-long = “@”前面的部分最长 { $max } 个字符，您输入了 { $found } 个。
err-email-local-char = “@”前面的部分不能包含“{ $char }”。
err-email-local-dots = “@”前面的部分不能以点号开头或结尾，也不能有连续的点号。
err-email-domain-empty = “@”后面需要填写域名，例如 example.com。
err-email-domain-no-dot = 邮箱域名应包含点号，例如 example.com。
err-email-domain-invalid = 邮箱域名格式不正确，只能包含字母、数字、连字符和点号。
err-email-tld = 邮箱域名的结尾（如 .com、.cn）应至少为 2 个字母。

## 手机号 (PhoneError)

err-phone-empty = 请输入手机号码。
err-phone-non-digit = 手机号码中不能包含“{ $char }”，请只输入数字。
err-phone-country-code = 目前只支持中国大陆手机号码（+86）。
err-phone-length = 手机号码应为 11 位，您输入了 { $found } 位。
err-phone-not-mobile = 这不是有效的中国大陆手机号码，手机号码应以 13–19 开头。

## 姓名 (PersonNameError)

err-name-empty = 请输入姓名。
err-name-too-short = 姓名至少需要 { $min } 个字，您输入了 { $found } 个。
err-name-too-long = 姓名最多 { $max } 个字，您输入了 { $found } 个。
err-name-digits = 姓名中不能包含数字。
err-name-latin-not-allowed = 请按身份证上的姓名输入汉字，不要使用拼音或字母。
err-name-invalid-char = 姓名中不能包含“{ $char }”。
err-name-dot-misplaced = 姓名中的间隔号“·”不能在开头或结尾，也不能连续出现。
err-name-symbol-misplaced = 姓名中的“{ $char }”不能在开头或结尾，也不能与其他符号相连。
