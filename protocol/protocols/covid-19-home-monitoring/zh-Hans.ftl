# COVID-19 home monitoring：简体中文文本（草稿，待母语人士审核）。
# 每条文本是一条短信：简短易懂。变量：{ $days } 项目天数，{ $callback } 项目电话，
# { $support } 支持联系方式，{ $per_day } 每天随访次数（1 或 2）。

## 每个协议都有的文本

consent = Homewatch 将在 { $days } 天内每天给您发{ $per_day ->
        [1] 一条
       *[other] 两条
    }短信，询问您的感觉。如果您感觉变差，护士会给您打电话。可能会产生短信和数据费用。随时回复 STOP 即可停止。
enrolled = 您已加入 Homewatch。我们将在 { $days } 天内每天给您发{ $per_day ->
        [1] 一条
       *[other] 两条
    }短信。有疑问？请致电 { $callback }。回复 HELP 获取帮助，回复 STOP 停止。
opted-out = 您将不会再收到 Homewatch 的短信。回复 START 可重新加入。
opted-in = 您已重新加入 Homewatch。我们将每天给您发{ $per_day ->
        [1] 一条
       *[other] 两条
    }短信。回复 STOP 停止。
help = Homewatch 支持：{ $support }。此号码不用于报告症状。如遇紧急情况，请拨打 911。回复 STOP 停止。
programme-ended = 您的 Homewatch 随访已结束。谢谢！如需重新加入，请回复 START 或联系您的护理团队。
not-understood = 抱歉，我们没有看懂您的回答。
no-check-in-open = 谢谢。我们现在没有问题要问您。如果您感觉变差，请回复“更差”。如遇紧急情况，请拨打 911。
reminder = 我们今天还没有收到您的回复。请回答我们的上一个问题，或随时回复“更差”。如遇紧急情况，请拨打 911。
handed-to-staff = 谢谢。我们没能看懂您的回答，您的护理团队会有人查看。如遇紧急情况，请拨打 911。

## 每日随访

question-feeling = 与昨天相比，您感觉怎么样？好一些请回复 1，差不多回复 2，更差回复 3。
question-breathing = 您是否比平时更难呼吸？请回复“是”或“否”。

outcome-thanks = 谢谢！我们会在下次随访时再给您发短信。如遇紧急情况，请拨打 911。
outcome-thanks-worse = 谢谢。很遗憾您感觉变差了。如有任何变化，请随时回复“更差”。如遇紧急情况，请拨打 911。
outcome-nurse-call = 谢谢。护士很快会给您打电话。如果是紧急情况，请拨打 911。如果错过我们的电话，请拨打 { $callback } 联系我们。

## 患者可以回复的词（用英文逗号分隔；全角字符和标点不影响）

start-words = 准备好了, 你好, 您好
# 回复开头或结尾的礼貌用语：“是的，谢谢”即“是的”。
ignore-words = 谢谢, 谢谢你, 谢谢您, 多谢, 请
answer-feeling-better = 1, 好一些, 好些, 好多了, 更好, 好转
answer-feeling-same = 2, 差不多, 一样, 没变化, 没有变化
answer-feeling-worse = 3, 更差, 变差, 差, 更糟, 不好
answer-breathing-yes = 是, 是的, 对, 有
answer-breathing-no = 否, 不是, 没有, 不, 没
