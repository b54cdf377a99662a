# 自由提问：学生直接打字提问时的回答。

intent-record-fix = ✏️ 更正学籍信息
intent-understood = 我理解您要办的是：<b>{ $what }</b>（不对的话请发送 /menu）
intent-close = 我不太确定您的意思。您是想问下面哪一项？
intent-none = 🙋 都不是，找人工客服
intent-unknown = 抱歉，我没能理解您的问题。您可以先看看<b>常见问题</b>，或者请<b>人工客服</b>帮您（发送 /menu 回到主菜单）。
intent-suggest = 您是想：<b>{ $what }</b>？点下面的按钮前往；要继续当前这一步，请直接输入。
