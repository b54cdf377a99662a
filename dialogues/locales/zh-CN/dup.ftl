# 证件号码重复：客服审核、用户协助、提供学籍信息、绑定实名信息。

flow-dup = 证件号码重复
menu-dup = 🪪 证件号码重复 / 绑定实名信息
reg-id-review-open = 证件号码 { $id_number_masked } <b>已经被注册，客服审核通过后才能被再次注册</b>。
    这表示该号码被多个用户使用，正在等待客服审核。
    • 如果您曾用这个号码注册过，请用原用户名登录；忘记用户名可以找回。
dup-not-needed = 您的实名信息已经绑定，不需要处理证件号码重复。
dup-options = 您的证件号码与其他账号重复，实名信息尚未绑定。请选择一种方式确认您的身份：
    • 上传手持证件照片，由客服审核；
    • 请已有账号的同学协助确认；
    • 回答只有您的学籍信息才能回答的问题。
dup-by-scan = 📷 上传证件照片（客服审核）
dup-by-peer = 🤝 请同学协助
dup-by-record = 🎓 回答学籍问题
dup-progress = 📋 查看审核进度
dup-other-ways = 其他确认方式
dup-after-review = 还可以选择其他方式，或返回主菜单。
dup-review-progress = 审核（工单 #{ $review }）：{ $status }
    { $reason }
dup-review-none = 您还没有提交过证件审核。
review-submitted = 已提交，等待客服审核
review-in-review = 客服审核中
review-approved = 审核通过
review-rejected = 未通过
dup-scan-rules = <b>上传要求</b>
    • 本人手持身份证的照片，正面和反面各一张；
    • 面部清晰、无遮挡，证件上每一项都清楚可读；
    • 不得修图；jpg、jpeg、png、gif、webp 或 heic 格式的图片，以照片或文件发送，每张不超过 10 MB。
    <b>请注意</b>：审核通过后，使用这个证件号码的其他账号都会被解除绑定，并失去与之相关的服务。
dup-scan-agree = 我已了解，继续
dup-scan-front = 请发送<b>第一张</b>照片（手持证件正面）。
dup-scan-back = 请发送<b>第二张</b>照片（手持证件反面）。
dup-scan-confirm = 两张照片都已收到。确认提交审核吗？（如需更换，可以重新发送其中一张）
dup-scan-submit = 📨 提交审核
dup-scan-replace-front = 重新发送第一张
dup-scan-replace-back = 重新发送第二张
dup-scan-submitted = 已提交审核，工单号 <b>#{ $ticket }</b>。审核结果会在这里通知您，也可以随时在“证件号码重复”中查看进度。
dup-review-approved = ✅ 您的证件审核<b>已通过</b>。请在主菜单选择“证件号码重复 / 绑定实名信息”完成绑定。
dup-review-rejected = ❌ 您的证件审核未通过。原因：{ $reason }
    请按要求重新上传照片。
dup-peer-name = 请输入协助您的同学的<b>真实姓名</b>：
dup-peer-username = 请输入这位同学的<b>用户名</b>（注册邮箱）：
dup-peer-sent = 如果这位同学的信息与已绑定实名信息的账号相符，协助请求已发送到他/她的对话中。请提醒同学在 7 天内处理。
dup-peer-limit = 协助请求已达上限：同时最多有 3 个待处理的协助请求，每天最多发送 5 个。请等待同学处理或过期（7 天）后再发送。
assist-request = 📨 <b>协助请求</b>
    { $class }同学 <b>{ $name }</b>（证件号码 { $id_masked }）请您确认：您认识这位同学，并且该证件号码属于他/她本人。
    接受后，对方在异议期结束后即可绑定实名信息。如果您不认识对方，请拒绝。
assist-accept = ✅ 接受
assist-decline = ✖ 拒绝
assist-you-accepted = 已接受协助请求，谢谢！
assist-you-declined = 已拒绝协助请求。
assist-was-accepted = ✅ 同学已确认您的身份。为防止冒用，绑定将在异议期结束（{ $until }，北京时间）后开放；期间该号码的现有持有人可以提出异议。届时请在主菜单选择“证件号码重复 / 绑定实名信息”完成绑定。
assist-was-declined = 您的协助请求被拒绝了。可以选择其他方式确认身份。
dup-quiz-no = 请输入您的<b>学号</b>：
dup-quiz-mismatch = 回答与学籍信息不一致，还可以再试 { $tries } 次。
dup-quiz-failed = 多次回答不一致，无法通过学籍信息确认身份。请联系人工客服，或选择其他方式。
dup-bind-offer = 身份已确认。现在可以<b>绑定实名信息</b>：我们会发送一个校验码到您的手机进行确认。
    注意：绑定后，使用这个证件号码的其他账号都会被解除绑定。
dup-bind = 🔗 绑定实名信息（短信校验码）
dup-bind-code = 请输入收到的 6 位校验码以确认绑定：
dup-bound = ✅ <b>实名信息已绑定。</b>现在可以核对学籍信息了。
dup-conflict = 这个证件号码的实名信息已经由另一个账号绑定，无法再绑定。如有疑问请联系人工客服。
dup-unbound-notice = ⚠️ 您账号的实名信息已被解除绑定：另一位用户通过{ $how }确认了证件号码 { $id_masked } 属于他/她本人。相关服务已停止。如果这是错误的，请发送 /human 联系人工客服，或在“证件号码重复”中提交证件审核。
status-assist-inbox = 待您处理的协助请求：{ $count } 个（请查看对话中的请求消息）
dup-quiz-month = 请输入您的<b>入学年月</b>（与学籍一致），例如 2022-09：
dup-quiz-major = 请输入您的<b>专业名称</b>（与学籍一致）：
dup-claim-made = ✅ 学籍信息核对一致，身份已确认。为防止冒用，绑定将在异议期结束（{ $claim_until }，北京时间）后开放；期间该号码的现有持有人会收到通知并可以提出异议。
dup-claim-waiting = ⏳ 您的身份已确认，正在异议期内。异议期结束（{ $claim_until }，北京时间）后即可绑定实名信息。
dup-claim-objected = ⏸ 这个证件号码的现有持有人提出了异议，您的申请已暂停，客服会审核后通知您。您也可以上传证件照片，由客服审核。
dup-claimed = ⚠️ 有人正在申请确认您账号的证件号码属于他/她本人。如果这不是您本人，请在 { $claim_until }（北京时间）前点“这不是我”提出异议，客服会审核处理。
claim-object = 🙅 这不是我，提出异议
dup-objection-sent = 已提出异议，对方的申请已暂停，客服会审核后通知您。
claim-notice = ⚠️ 有人通过{ $how }申请确认证件号码 { $id_masked } 属于他/她本人。
    如果这不是您本人，请在 { $until }（北京时间）前提出异议，否则对方届时可以绑定这个号码，您的账号将被解除绑定。
claim-how-peer = 同学协助
claim-how-record = 回答学籍问题
claim-how-scan = 证件审核
claim-mail-subject = 有人申请确认您的证件号码
claim-mail-how-to-object = 提出异议：在 Telegram 中打开学信账号助手，登录您的账号，在主菜单选择“证件号码重复 / 绑定实名信息”，然后点“这不是我”。
claim-objected = 已提出异议（工单 #{ $ticket }），对方的申请已暂停，客服会审核后通知您。
claim-frozen = ⏸ 这个证件号码的现有持有人提出了异议，您的申请已暂停，客服会审核后通知您。
claim-upheld = ✅ 客服审核后认可了您的申请。请在主菜单选择“证件号码重复 / 绑定实名信息”完成绑定。
claim-denied = ❌ 客服审核后保留了现有持有人，您的申请未通过。可以上传证件照片，由客服审核。
claim-objector-upheld = 客服审核了您的异议，认可了对方的申请。如有疑问请发送 /human。
claim-objector-denied = ✅ 客服审核了您的异议：证件号码仍由您的账号持有。
dup-unbound-mail-subject = 您账号的实名信息已被解除绑定
dup-need-account = 处理“证件号码已被注册”需要先有账号：以前注册过的请登录（忘记用户名可以找回）；从未注册过的请先注册，填写证件号码时如提示“证件号码已被注册”，选择“我没有用这个号码注册过，继续注册”即可。
