# The school's view: progress per student, class and college (/progress, helpdesk report).
school-stage-not-registered = 未注册
school-stage-registered = 已注册未绑定
school-stage-bound = 已绑定实名
school-stage-record-confirmed = 已确认信息
school-stage-photo-confirmed = 已确认照片
school-stage-ticket-open = 更正/照片待处理
school-stage-review-open = 证件待审核
school-stage-done = 已完成
school-step-register = 注册账号
school-step-bind = 绑定实名信息
school-step-check-record = 核对学籍信息
school-step-check-photo = 核对照片
school-col-college = 学院
school-col-class = 班级
school-col-counsellor = 辅导员
school-col-student-no = 学号
school-col-name = 姓名
school-col-id = 证件号码
school-col-stage = 状态
school-col-left = 还差
school-col-first-contact = 开始使用
school-col-registered = 注册
school-col-bound = 绑定
school-col-info = 信息确认
school-col-photo = 照片确认
school-col-done = 完成
school-col-tickets = 未结束工单
school-col-reach = 能否提醒
school-col-reminded = 最近提醒
school-col-students = 人数
school-col-percent = 完成率
school-col-unreachable = 无法联系
school-reach-yes = 能
school-reach-no = 未使用机器人
school-reach-muted = 已关闭提醒
school-total-college = 全院合计
school-total-all = 合计
school-sheet-students = 学生
school-sheet-totals = 汇总
school-scope-all = 全校
school-progress = <b>完成情况 · { $scope }</b>
    共 { $students } 人，已完成 { $done } 人（{ $percent }%）；{ $unreachable } 人从未使用机器人，无法提醒。
    { $lines }
school-progress-class = { $class }（{ $counsellor }）：{ $done }/{ $students } 完成（{ $percent }%）{ $stages }
school-progress-stuck = { $stage }：{ $names }
school-progress-more = 等 { $count } 人
school-progress-usage = 用法：/progress [班级或学院]，例如 /progress 2022级计算机1班；不带参数时显示本群负责的全部班级。
school-progress-unknown = 没有名为“{ $name }”的班级或学院。{ $suggest }
school-progress-suggest = 您是不是要找：{ $names }
school-progress-outside = “{ $name }”不在本群负责的范围内（本群负责：{ $scope }）。
school-progress-no-scope = 本群只接收部分类型的工单，不负责班级进度；请在客服主群或班级群中使用 /progress 和 /remind。
school-progress-empty = 范围内还没有学生名单：请先用 helpdesk import-records 导入名单。
school-progress-caption = 完成情况 · { $scope } · { $date }
school-progress-no-files = （未配置文件存储，表格和图表无法发送。）
school-chart-title = 各班完成情况 · { $scope } · { $date }
school-chart-colleges = 各学院完成情况 · { $scope } · { $date }
school-file = 完成情况
school-card-roster = 班级：{ $class }（{ $college }）· 辅导员：{ $counsellor }
school-deadline-ahead = 📅 请在 <b>{ $date }</b> 前完成账号注册和学籍、照片核对（还有 { $days } 天）。
school-deadline-today = 📅 今天（<b>{ $date }</b>）是完成账号注册和学籍、照片核对的截止日。
school-deadline-past = 📅 完成账号注册和学籍、照片核对的截止日 <b>{ $date }</b> 已过，请尽快办理，或联系辅导员。
school-reminder-no-deadline = 您的账号注册和学籍、照片核对还没有完成。
school-reminder = ⏰ <b>提醒</b>：{ $when }
    还差：{ $left }。
    发送 /start 继续办理；不想再收到提醒，请发送 /mute。
school-muted = 好的，不再向您发送截止日期提醒。想恢复时，发送 /unmute。
school-unmuted = 已恢复截止日期提醒。
school-remind-queued = <b>提醒 · { $scope }</b>
    { $due } 名学生将收到提醒（按 Telegram 的速度陆续发出，今天已提醒过的不再重复）。
    { $unreachable } 人从未使用机器人，无法提醒；{ $muted } 人已关闭提醒；{ $waiting } 人只需等待学校处理。
