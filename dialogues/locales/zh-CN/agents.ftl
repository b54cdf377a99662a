# 客服：工单卡片、接管与释放、审核、队列与统计。

ticket-kind-human = 人工客服
ticket-kind-escalation = 多次失败
ticket-kind-correction = 学籍更正
ticket-kind-photo = 照片修改
ticket-kind-id-review = 证件审核
ticket-kind-id-objection = 证件号码异议（批准 = 认可申请人，驳回 = 保留现有持有人）
ticket-kind-data-deletion = 删除数据
ticket-card = <b>工单 #{ $ticket } · { $kind }</b>
    学生：{ $who }（{ $id_masked }）
    用户名：{ $username }
    对话：{ $chat }
    所在步骤：{ $node }
    内容：{ $detail }
    状态：{ $status }
ticket-take = 🙋 接管
ticket-approve = ✅ 通过
ticket-reject = ❌ 驳回
ticket-release = ↩️ 交还机器人
ticket-close = 🔒 关闭
agent-not-allowed = 您不是客服，不能操作工单。
ticket-already-closed = 这个工单已关闭。
ticket-take-first = 请先点击“接管”，再回复学生。
ticket-closed-not-sent = ⚠️ 工单已结束，这条消息<b>没有</b>发送给学生。
agent-neutral = 客服
agent-signature = <b>{ $name }：</b>
ticket-reply-failed = ⚠️ 回复多次重试后仍未能送达学生。
ticket-closed-by-student = 学生关闭了工单。
ticket-closed = 工单 #{ $ticket } 已关闭。如还有问题，随时发送 /human。
agent-holding = 客服正在处理您的工单 #{ $ticket }，您的消息会直接转给客服。发送 /close 可结束人工服务。
agent-relay-kinds = 这类消息无法转给客服，请发送文字、照片或文件。
agent-took-over = 👤 客服已接入工单 #{ $ticket }，接下来的消息会直接转给客服。发送 /close 可结束人工服务。
ticket-taken = { $agent } 已接管。
agent-released = 客服已处理完工单 #{ $ticket }，机器人继续为您服务。
ticket-released = 已交还机器人。
ticket-closed-topic = 工单已关闭。
ticket-ask-reason = 请在本话题中发送驳回原因（下一条消息将作为原因发给学生）。
review-photo-approved = ✅ 您的照片修改申请（工单 #{ $ticket }）已处理，照片已确认。
review-photo-rejected = 您的照片修改申请（工单 #{ $ticket }）未通过。原因：{ $reason }
review-correction-approved = ✅ 您的学籍更正申请（工单 #{ $ticket }）已通过，信息已更正并确认。
review-correction-rejected = 您的学籍更正申请（工单 #{ $ticket }）未通过。原因：{ $reason }
ticket-approved-topic = ✅ { $agent } 已通过。
ticket-rejected-topic = ❌ { $agent } 已驳回。
agent-queue = <b>待处理工单：{ $count }</b>
    { $list }
agent-stats = <b>统计</b>
    待处理：{ $open }
    处理中：{ $in_progress }
    今日已解决：{ $resolved_today }
    首次响应时间中位数：{ $first_response } 分钟
    解决时间中位数：{ $resolution } 分钟
    平均评分：{ $rating }
    近 7 天没能理解的问题：{ $unmatched } 条（运维可用 helpdesk intents unmatched 查看并补充问法）
ticket-status-open = 待处理
ticket-status-in-progress = 处理中
ticket-status-resolved = 已解决
ticket-status-rejected = 已驳回
ticket-status-held = { $status }（{ $agent }）
ticket-status-closed = 已关闭
ticket-card-backlog = ⏳ 待转发的学生消息：{ $count } 条（已合并发送）
ticket-reopen = 🔁 问题没解决，重新打开工单
ticket-reopened = 🔁 工单 #{ $ticket } 已重新打开，客服会尽快回复您。
ticket-reopened-topic = 🔁 学生重新打开了工单，请重新接管。
ticket-reopen-expired = 工单 #{ $ticket } 关闭已超过可重新打开的期限。如还有问题，请发送 /human 提交新的工单。
ticket-still-open = 工单 #{ $ticket } 仍在处理中，无需重新打开。
ticket-student-edited = [#{ $ticket }] { $name } ✏️ 修改了上面这条消息，现在是：
    { $text }
agent-edited = ✏️ 客服修改了上面这条回复，现在是：
    { $text }
agent-find = <b>找到工单：{ $count }</b>
    { $list }
agent-find-none = 没有找到与“{ $query }”相符的工单。
agent-find-usage = 用法：/find 工单号 或 /find 用户名（邮箱），例如 /find 12 或 /find zhang.wei@example.com
ticket-rated = 谢谢您的评分！（工单 #{ $ticket }）
agent-private-usage = 用法：/take 工单号（例如 /take 12），工单需待处理或处理中。
agent-private-took = 您正在私聊中处理工单 #{ $ticket }：学生的消息会发到这里，您在这里发送的消息会转给学生。发送 /drop 交回话题，/close 关闭工单。
agent-private-dropped = 工单 #{ $ticket } 已交回话题处理。
ticket-taken-private = { $agent } 已在与机器人的私聊中接管，学生的消息将发到其私聊。
ticket-private-dropped = 私聊处理结束，学生的消息重新发到本话题。
ticket-other-group = 这个工单属于另一个客服群，不能在这里操作。
review-already-open = 您的工单 <b>#{ $ticket }</b> 还在处理中，同类申请不能重复提交；刚才发送的内容已补充到该工单，客服会一并查看。
ticket-added-topic = 学生补充了 { $count } 项材料。
ticket-private-lost = { $agent } 已不在客服群中，工单回到本群待处理。
agent-lost-rights = 您已不是这个客服群的成员，不能再处理这个工单；它已交还客服群。
agent-faq-list = 常见问题的答复，在工单话题中发送 /faq 名称 即可转给学生：
    { $names }
agent-faq-in-topic = 请在工单的话题中发送 /faq 名称，答复会发给该工单的学生。
agent-faq-sent = 已把常见问题“{ $name }”的答复发给学生。
ticket-why-asked = 学生请求人工客服
ticket-why-three-failures = 同一步骤连续三次没有成功
ticket-why-code-locked = 校验码多次输错，这一步已锁定
ticket-why-id-review = 学生上传了手持身份证的正反面照片（见本话题），请核对后通过或驳回
ticket-why-status-check-failed = 学籍信息核对三次未通过
ticket-send-faq = 💬 发送常见回答：{ $question }
agent-inbox-on = 📥 私聊收件箱已开启：新工单的卡片会同时发到这里，点“接管”即可在私聊中处理（与 /take 相同）。发送 /inbox off 关闭。
agent-inbox-off = 私聊收件箱已关闭，新工单的卡片不再发到这里。
agent-inbox-is-on = 私聊收件箱：已开启，新工单的卡片会同时发到这里。发送 /inbox off 关闭。
agent-inbox-is-off = 私聊收件箱：未开启。发送 /inbox on 开启后，新工单的卡片会同时发到这里。
agent-inbox-usage = 用法：/inbox on 开启私聊收件箱，/inbox off 关闭，/inbox 查看当前状态。
agent-inbox-refused = 您不是客服，不能开启私聊收件箱。
agent-inbox-lost = 您已不是客服群的成员，私聊收件箱已关闭，不会再收到新工单。
agent-inbox-taken = 工单 #{ $ticket } 已有客服接管或已结束，无需再接管。
ticket-card-words = 💬 学生留言：
    { $words }
