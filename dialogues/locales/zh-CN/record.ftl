# 学籍信息核对与毕业生图像校对。

flow-record = 学籍核对
menu-record = 🎓 核对学籍信息和照片
record-need-account = 核对学籍信息需要先注册或登录账号。
record-need-binding = 您的账号尚未绑定实名信息（证件号码重复，需要先确认身份），暂时不能查看学籍信息。
record-card = <b>学籍信息</b>
    姓名：{ $name }
    性别：{ $gender ->
        [male] 男
       *[female] 女
    }
    出生日期：{ $birth_date }
    证件号码：{ $id_masked }
    学校：{ $school }
    学院：{ $college }
    专业：{ $major }
    层次：{ $level }
    学习形式：{ $study_mode }
    班级：{ $class_name }
    学号：{ $student_no }
    入学日期：{ $enrolled_on }
    预计毕业日期：{ $graduates_on }
record-photo-caption = 毕业生图像（照片）
record-info-question = 请仔细核对以上<b>个人信息</b>，是否全部正确？
record-info-correct = ✅ 信息正确
record-info-wrong = ✏️ 信息有误
record-photo-question = { $record_has_photo ->
        [yes] 请核对上面的<b>毕业生照片</b>：是否是您本人、清晰、背景和尺寸符合要求？
       *[no] 学籍中还没有您的毕业生照片。如需补充，请选择“照片有误”并上传照片。
    }
record-photo-correct = ✅ 确认照片
record-photo-wrong = ✏️ 照片有误，修改
record-complete = 🎉 <b>核对完成！</b>个人信息和照片都已确认，确认时间已记录。
record-pick-field = 哪一项有误？请选择（可以逐项添加多项）：
field-name = 姓名
field-gender = 性别
field-birth-date = 出生日期
field-college = 学院
field-major = 专业
field-level = 层次
field-study-mode = 学习形式
field-class-name = 班级
field-student-no = 学号
field-enrolled-on = 入学日期
field-graduates-on = 毕业日期
record-field-value = 请输入正确的{ $field ->
        [name] 姓名（与身份证上的汉字一致）
        [college] 学院
        [major] 专业
        [study_mode] 学习形式
        [class_name] 班级
        [student_no] 学号，例如 20220001
       *[other] 内容
    }：
record-field-date = 请输入正确的{ $field ->
        [name] 姓名
        [gender] 性别
        [birth_date] 出生日期
        [college] 学院
        [major] 专业
        [level] 层次
        [study_mode] 学习形式
        [class_name] 班级
        [student_no] 学号
        [enrolled_on] 入学日期
        [graduates_on] 毕业日期
       *[other] 内容
    }，例如 2022-09-01 或 2022年9月1日：
record-field-choose = 请选择正确的{ $field ->
        [name] 姓名
        [gender] 性别
        [birth_date] 出生日期
        [college] 学院
        [major] 专业
        [level] 层次
        [study_mode] 学习形式
        [class_name] 班级
        [student_no] 学号
        [enrolled_on] 入学日期
        [graduates_on] 毕业日期
       *[other] 内容
    }：
record-gender-male = 男
record-gender-female = 女
record-level-undergraduate = 本科
record-level-junior = 专科
record-level-graduate = 研究生
record-more-fields = 已记录的更正：
    { $corrections_summary }
    还有其他有误的项目吗？
record-another-field = ➕ 还有其他项目
record-go-evidence = 📎 上传佐证材料
record-evidence = 请上传<b>佐证材料</b>（身份证、录取通知书等的照片或 PDF 文件，可以发送多份，每份不超过 10 MB）。全部发送后点击“完成”。
record-evidence-done = ✅ 完成
record-evidence-received = 已收到 { $count } 份材料。可以继续发送，或点击“完成”。
record-evidence-needed = 请至少上传一份佐证材料，辅导员才能审核。
record-review = 请确认更正申请：
    { $corrections_summary }
    佐证材料：{ $evidence_count } 份
record-submit = 📨 提交
record-correction-sent = 已提交更正申请，工单号 <b>#{ $ticket }</b>。辅导员审核后会在这里通知您，也可以在“我的进度”中查看。
    接下来请核对照片。
record-check-photo = 🖼 核对照片
record-photo-reason = 照片哪里不对？
photo-reason-not-me = 不是本人
photo-reason-unclear = 不清晰
photo-reason-background = 背景或尺寸不对
photo-reason-other = 其他原因
record-photo-other = 请简单说明原因：
record-photo-upload = 可以上传一张新的照片（jpg/png），也可以跳过，由客服联系您。
record-photo-skip = 跳过，不上传
record-photo-sent = 已提交照片修改申请，工单号 <b>#{ $ticket }</b>。客服处理前照片保持“未确认”状态，处理结果会在这里通知您。
record-look-alike = 姓名第 { $position } 个字可能是形近字，请对照证件逐字核对。
record-no-match-detail = <b>没有找到与您的姓名和证件号码匹配的学籍信息。</b>
    A. 请逐字核对您填写的信息：
    姓名：{ $name_chars }
    证件号码：{ $id_chars }
    { $hints }
record-no-match = B. 姓名有误：选择“修改基本信息”直接改正。
    C. 证件号码有误：需要用正确的号码重新注册一个账号（换一个电子邮箱）。
    仍然无法解决，请联系人工客服。
record-fix-name = ✏️ 修改基本信息（姓名）
record-new-registration = 📝 用正确的证件号码重新注册
record-fix-name-prompt = 请输入正确的姓名（与证件上的汉字一致）：
record-status-complete = 学籍核对：已完成（信息和照片均已确认）
record-status-pending = 学籍核对：信息{ $info ->
        [yes] 已确认
       *[no] 未确认
    }，照片{ $photo ->
        [yes] 已确认
       *[no] 未确认
    }
record-status-none = 学籍核对：尚未开始
record-id-typo = 证件号码第 { $positions } 位可能有误，请对照证件核对。
record-self-help-limited = 今天的自助核对次数已用完（每天 3 次），请明天再试，或联系人工客服。
record-fix-name-limited = 今天修改姓名的次数已用完（每天 3 次），姓名没有修改。
record-fix-name-limited-menu = 请明天再试，或联系人工客服核对。
