# 机器人自身的文字（Rust 代码直接使用）与主菜单。HTML 格式：只用 <b> <i> <code>。

progress = { $flow } · 第 { $step } 步，共 { $total } 步
nav-back = « 返回
nav-cancel = ✖ 取消
nav-human = 👤 人工客服
nav-menu = 🏠 主菜单
nav-share-phone = 📱 发送我的手机号
stale-button = 这个按钮已过期，请使用最新消息中的按钮。
button-done = 好的
choose-a-button = 请点击下面的按钮进行选择（也可以发送 /menu 回到主菜单）。
expected-text = 这里需要您输入文字，收到的是{ $kind }。请直接输入。
expected-photo = 这里需要一张照片，收到的是{ $kind }。请以照片或图片文件发送。
expected-file = 这里需要照片或文件，收到的是{ $kind }。
expected-photo-text = 这里需要上传一张照片，而不是文字：请点击输入框旁的 📎，选择照片或图片文件（jpg、jpeg、png、gif、webp 或 heic）发送。
expected-file-text = 这里需要上传照片或文件，而不是文字：请点击输入框旁的 📎，选择照片，或 PDF 等文件发送。
unknown-command = 没有 { $command } 这个命令。可用命令：/start /menu /help /back /cancel /lang /status /human /privacy /mute
help-after-misses = 这一步已经连续三次没有成功。可以发送 /help 查看常见问题，或者发送 /human 请人工客服帮您处理。
cancelled = 已取消，已填写的内容没有保存。
human-unavailable = 目前没有接入人工客服，暂时无法转人工。您可以发送 /help 查看常见问题，或按提示重试。
escalated = 已为您登记人工客服工单 <b>#{ $ticket }</b>，客服会在这里联系您。
human-requested = 已为您登记人工客服请求，工单号 <b>#{ $ticket }</b>。客服上线后会在这里回复您，请留意消息。
human-waiting-relayed = 已把您的消息转给客服（工单 <b>#{ $ticket }</b>）。客服接手后会看到您发来的全部内容，并在这里回复您。
human-already-open = 您已有一个待处理的人工客服工单 <b>#{ $ticket }</b>，客服会尽快回复，无需重复提交。
status-header = <b>我的进度</b>
    账号：{ $account }
    { $record }
    未结束的工单：{ $tickets }
    { $ticket_list }
status-no-account = 尚未注册或登录
privacy-summary = <b>我们为您保存的信息</b>
    账号：{ $account }
    未结束的工单：{ $tickets }
    正在填写、尚未提交的项目：{ $answers } 项
    语言：{ $locale }
    校验码只以加密摘要保存；证件号码在消息和日志中都会隐藏中间部分。
    如需删除您的数据，请发送 /delete_my_data。
privacy-account = { $username } · { $name } · { $id_masked } · { $phone } · { $binding }
intent-privacy = 🔒 隐私：我们为您保存了哪些信息
flow-privacy = 删除我的数据
privacy-delete-confirm = 这将删除您的账号信息（邮箱、姓名、证件号码、手机号），以及您在所有对话中的工单内容、审核记录、上传的证件照片和客服群中关于您的话题；审核记录只保留“发生了什么”，不再包含您是谁。防滥用的发送和尝试次数限制不会因删除而重置。删除后无法恢复。确定吗？
privacy-delete-yes = 🗑 确认删除（短信校验码）
privacy-delete-code = 请输入收到的 6 位校验码以确认删除：
privacy-erased = 您的个人数据已删除。感谢使用。
flood-warning = 您发送消息太快了，请稍等十秒钟再继续。
queue-notice = 排队中，约 { $seconds } 秒。轮到您时会马上回复，无需重复发送。
internal-error = 抱歉，出了点问题，请稍后再试或发送 /human 联系人工客服。
kind-sticker = 贴纸
kind-voice = 语音
kind-photo = 照片
kind-document = 文件
kind-location = 位置
kind-contact = 联系人
kind-other = 这类消息
err-text-empty = 内容不能为空，请输入文字。
err-text-too-long = 内容太长了，请控制在 { $max } 个字以内。
err-code-digits = 校验码只包含数字，请输入 6 位数字。
err-code-length = 校验码应为 6 位数字，您输入了 { $count } 位。
err-id-type-unknown = 请从按钮中选择证件类型。
err-year = 请输入四位数的年份，例如 2022。
err-year-month = 请输入入学年月，例如 2022-09 或 2022年9月。
err-date = 请输入完整的日期（年、月、日），例如 2022-09-01 或 2022年9月1日。
err-student-no = 学号应为 4 到 20 位字母或数字。
err-phone-not-own = 请发送您本人的手机号（使用下方“发送我的手机号”按钮，或直接输入号码）。
err-file-not-image = 这个文件的内容不是图片（与文件名无关）。请发送照片或图片文件（jpg、jpeg、png、gif、webp 或 heic）。
err-file-unrecognised = 这个文件的内容不是照片或 PDF（与文件名无关）。请发送照片，或 PDF 格式的扫描件。
err-file-unreadable = 暂时无法读取这个文件，请重新发送。
err-file-too-big = 文件太大了，请发送不超过 { $max_mb } MB 的文件。

flow-menu = 主菜单
menu-main = 您好！我是<b>学信账号助手</b>，可以帮您注册和激活学信账号、验证手机号、核对学籍信息和毕业生图像，以及处理“证件号码已被注册”等问题。
    请选择您要办理的事项：
menu-faq = ❓ 常见问题
menu-status = 📋 我的进度
menu-human = 👤 人工客服
menu-lang = 🌐 Language / 语言

flow-lang = 语言
lang-choose = 请选择语言 / Please choose your language:
lang-zh = 中文
lang-en = English
lang-changed = 已切换为中文。
