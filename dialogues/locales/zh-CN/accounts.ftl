# 账号：注册、激活、手机校验码、登录、找回用户名。

flow-registration = 注册
flow-login = 登录
flow-username = 找回用户名
menu-register = 📝 注册账号
menu-login = 🔑 登录已有账号
menu-username = 🔍 找回用户名

reg-email = 请输入您的<b>电子邮箱</b>，它将作为您的用户名（例如 zhangsan@example.com）。
    注意：每个邮箱只能注册一次；全程不会询问密码。
reg-email-taken = 邮箱 { $email } 已经注册过账号。
    如果是您本人注册的，请直接登录；也可以换一个邮箱注册。
reg-go-login = 🔑 用这个账号登录
reg-other-email = ✉️ 换一个邮箱
reg-activation = 请输入邮件中的 <b>6 位激活码</b>（24 小时内有效）。没收到？请检查垃圾邮件，或 60 秒后重新发送。
reg-code-help = 校验码多次输入不正确。请确认输入的是最新一条消息中的 6 位数字；也可以重新获取，或联系人工客服。
code-resend = 🔄 重新发送
reg-id-type = 请选择您的<b>证件类型</b>：
id-type-mainland = 居民身份证
id-type-hk-macau = 港澳居民来往内地通行证
id-type-taiwan = 台湾居民来往大陆通行证
id-type-residence = 港澳台居民居住证
id-type-foreign = 外国人永久居留身份证
id-type-passport = 护照
reg-name = 请输入您的<b>真实姓名</b>，与证件上的汉字完全一致（不要用拼音），例如 张三、阿依古丽·买买提。
reg-id-number = 请输入<b>证件号码</b>，例如 11010519491231002X（最后一位可能是 X）。
reg-id-help = 证件号码多次未通过校验。请逐位对照证件核对，特别是最后一位校验位；旧版 15 位身份证号也可以输入。
reg-confirm-id = 请确认您的信息：
    姓名：{ $name }
    证件号码：<code>{ $id_number_masked }</code>
    出生日期：{ $id_number_birth_date }
    性别：{ $id_number_gender ->
        [male] 男
       *[female] 女
    }
reg-id-correct = ✅ 信息正确
reg-id-again = ✏️ 重新输入证件号码
reg-id-taken = 证件号码 { $id_number_masked } <b>已被注册</b>。
    • 如果您以前注册过，请用原用户名登录；忘记用户名可以找回。
    • 如果您确实没有用这个号码注册过，可以继续注册；完成后需要确认身份（上传证件照由客服审核等），之后才能绑定实名信息。
reg-never-registered = 我没有用这个号码注册过，继续注册
reg-phone = 请输入您的<b>手机号</b>（中国大陆手机号，例如 13812345678），或点击下方按钮直接发送本机号码。
reg-phone-used = 手机号 { $phone_masked } 已被其他账号使用。确认是您本人的号码，可以继续使用。
reg-phone-continue = 继续使用这个号码
reg-phone-other = 📱 换一个手机号
reg-sms-code = 请输入收到的 <b>6 位校验码</b>（5 分钟内有效）。
code-by-email = ✉️ 改用邮件接收
code-other-channel = 暂时无法通过短信发送校验码。可以改用电子邮件接收，或联系人工客服。
code-stuck = 这一步暂时无法继续。请稍后再试，或联系人工客服帮您处理。
reg-done = 🎉 <b>注册完成！</b>
    用户名：{ $email }
    账号已激活{ $phone_checked ->
        [sms] 、手机已验证
       *[other] （手机号未通过短信验证：之后的校验码只会发到您的邮箱）
    }，并已与这个 Telegram 账号关联。{ $binding ->
        [pending] 下一步：在主菜单选择“证件号码重复 / 绑定实名信息”，确认身份后绑定实名信息。
       *[other] 下一步：在主菜单中核对学籍信息。
    }

login-username = 请输入您的<b>用户名</b>（注册时使用的电子邮箱）。
login-not-found = 没有找到这个用户名。请检查拼写，或者找回用户名、注册新账号。
login-retry = 🔄 重新输入
login-channel = 校验码发送到哪里？
    短信：{ $login_phone_masked }
    邮件：{ $login_email_masked }
login-by-sms = 📱 短信
login-by-email = ✉️ 邮件
login-code = 请输入收到的 <b>6 位校验码</b>。
login-other-channel = 换一种方式接收
login-done = ✅ <b>登录成功！</b>这个对话已关联到您的账号。
login-signed-out-elsewhere = 您的账号已在另一个 Telegram 对话中登录，这里已退出。如果不是您本人操作，请立即联系人工客服。

username-name = 请输入注册时填写的<b>真实姓名</b>。
username-id-number = 请输入注册时填写的<b>证件号码</b>。
username-found = 找到了您的用户名：<b>{ $username_masked }</b>
    完整的用户名已发送到该邮箱。
username-not-found = 没有找到与这个姓名和证件号码对应的账号。请核对后重试，或注册新账号。
username-limited = 查询次数过多，请稍后再试：每个对话每小时最多查询 5 次，同一证件号码每天最多 5 次。
username-mail-subject = 找回用户名
username-mail-body = 您好！您的学信账号用户名是：{ $username }
    如果不是您本人操作，请忽略这封邮件。

code-sms-unavailable = 目前无法发送短信。
code-cooldown = 校验码刚刚发送过，请 { $seconds } 秒后再重新获取。请先查看已收到的消息。
code-hourly-limit = 这个号码一小时内已发送 5 次校验码，请 { $minutes } 分钟后再试，或改用其他方式。
code-locked = 多次输入错误，这一步已锁定，请 { $minutes } 分钟后再试；也可以发送 /human 联系人工客服。
code-delivery-failed = 校验码未能送达。请改用另一种方式接收（短信或邮件），或联系人工客服。
code-message = 【学信账号助手】您的{ $purpose }校验码是 { $code }，{ $validity }内有效。请勿告诉他人。
code-mail-subject = 您的{ $purpose }校验码
code-sent-email = 校验码已发送到邮箱 { $target }，{ $validity }内有效。
code-sent-sms = 校验码已通过短信发送到 { $target }，{ $validity }内有效。
code-wrong = 校验码不正确，还可以再试 { $tries } 次。
code-dead = 这个校验码已输错 5 次，已经失效。请点击“重新发送”获取新的校验码。
code-expired = 校验码已过期或已使用。请点击“重新发送”获取新的校验码。
code-purpose-activation = 账号激活
code-purpose-phone = 手机验证
code-purpose-login = 登录
code-purpose-bind = 绑定实名信息
code-purpose-erase = 删除个人数据
status-account = { $username } · 已激活 · { $phone } · { $binding }
status-phone-verified = 手机已验证
status-phone-unverified = 手机号未通过短信验证
binding-bound = 实名信息已绑定
binding-pending = 实名信息待绑定（证件号码重复，需要先确认身份）
binding-unbound = 实名信息已解除绑定（该证件号码已由他人确认）
duration-minutes = { $n } 分钟
duration-hours = { $n } 小时

# Limits that keep anyone from probing who is registered, and what a code proved.
lookup-limited = 查询次数过多，请 { $minutes } 分钟后再试。
lookup-limited-menu = 为保护账号信息，查询暂时受限。需要帮助可以联系人工客服。
reg-email-unverified = 这个邮箱还没有通过激活码验证。请重新输入邮箱并填写发到该邮箱的激活码。
code-phone-unverified = 这个账号的手机号尚未通过短信验证，校验码只能发到注册邮箱。请选择“邮件”。
reg-id-taken-meanwhile = 账号已创建，但<b>证件号码已被注册</b>：在您注册的同时，另一个账号绑定了这个号码，因此实名信息暂未绑定。下一步：在主菜单选择“证件号码重复 / 绑定实名信息”，确认身份后绑定。
binding-unmatched = 实名信息未绑定（姓名与学籍不一致，请核对学籍信息）
binding-resolved = 身份已确认，待绑定实名信息
