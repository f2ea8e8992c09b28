# COVID-19 home monitoring: văn bản tiếng Việt (bản nháp, chờ người bản ngữ duyệt).
# Mỗi văn bản là một tin nhắn SMS: ngắn và dễ hiểu. Biến: { $days } số ngày của chương trình,
# { $callback } số điện thoại của chương trình, { $support } thông tin hỗ trợ,
# { $per_day } số lần hỏi thăm mỗi ngày (1 hoặc 2).

## Văn bản mọi quy trình đều có

consent = Homewatch sẽ nhắn tin cho bạn { $per_day ->
        [1] mỗi ngày một lần
       *[other] mỗi ngày hai lần
    } trong { $days } ngày để hỏi bạn cảm thấy thế nào. Nếu bạn thấy tệ hơn, y tá sẽ gọi cho bạn. Có thể mất phí tin nhắn và dữ liệu. Trả lời STOP bất cứ lúc nào để ngừng.
enrolled = Bạn đã được đăng ký Homewatch. Chúng tôi sẽ nhắn tin cho bạn { $per_day ->
        [1] mỗi ngày một lần
       *[other] mỗi ngày hai lần
    } trong { $days } ngày. Có câu hỏi? Gọi { $callback }. Trả lời HELP để được trợ giúp, STOP để ngừng.
opted-out = Bạn sẽ không nhận thêm tin nhắn nào từ Homewatch. Trả lời START để tham gia lại.
opted-in = Bạn đã được đăng ký lại Homewatch. Chúng tôi sẽ nhắn tin cho bạn { $per_day ->
        [1] mỗi ngày một lần
       *[other] mỗi ngày hai lần
    }. Trả lời STOP để ngừng.
help = Hỗ trợ Homewatch: { $support }. Số này không dùng để báo triệu chứng. Khi khẩn cấp, hãy gọi 911. Trả lời STOP để ngừng.
programme-ended = Chương trình theo dõi Homewatch của bạn đã kết thúc. Cảm ơn bạn! Để tham gia lại, trả lời START hoặc hỏi nhóm chăm sóc của bạn.
not-understood = Xin lỗi, chúng tôi không hiểu câu trả lời của bạn.
no-check-in-open = Cảm ơn bạn. Hiện chúng tôi không có câu hỏi nào cho bạn. Nếu bạn thấy tệ hơn, hãy nhắn TỆ HƠN. Khi khẩn cấp, hãy gọi 911.
reminder = Hôm nay chúng tôi chưa nhận được trả lời của bạn. Xin trả lời câu hỏi vừa rồi, hoặc nhắn TỆ HƠN bất cứ lúc nào. Khi khẩn cấp, hãy gọi 911.
handed-to-staff = Cảm ơn bạn. Chúng tôi chưa hiểu các câu trả lời, nên một người trong nhóm chăm sóc sẽ xem lại. Khi khẩn cấp, hãy gọi 911.

## Hỏi thăm hằng ngày

question-feeling = So với hôm qua, bạn cảm thấy thế nào? Trả lời 1 nếu khá hơn, 2 nếu như cũ, 3 nếu tệ hơn.
question-breathing = Bạn có thấy khó thở hơn bình thường không? Trả lời CÓ hoặc KHÔNG.

outcome-thanks = Cảm ơn bạn! Chúng tôi sẽ nhắn lại vào lần hỏi thăm tới. Khi khẩn cấp, hãy gọi 911.
outcome-thanks-worse = Cảm ơn bạn. Chúng tôi rất tiếc vì bạn thấy tệ hơn. Nếu có gì thay đổi, hãy nhắn TỆ HƠN bất cứ lúc nào. Khi khẩn cấp, hãy gọi 911.
outcome-nurse-call = Cảm ơn bạn. Y tá sẽ sớm gọi cho bạn. Nếu đây là trường hợp khẩn cấp, hãy gọi 911. Nếu lỡ cuộc gọi, hãy gọi cho chúng tôi theo số { $callback }.

## Từ bệnh nhân có thể trả lời (cách nhau bằng dấu phẩy; có dấu hay không dấu đều được)

start-words = sẵn sàng, xin chào, chào
# Từ lịch sự ở đầu hoặc cuối câu trả lời: "Có ạ, cảm ơn" là "có".
ignore-words = cảm ơn, cám ơn, cảm ơn bạn, cám ơn bạn, xin cảm ơn, ạ
answer-feeling-better = 1, khá hơn, tốt hơn, đỡ hơn, đỡ
answer-feeling-same = 2, như cũ, vẫn vậy, không đổi, như hôm qua
answer-feeling-worse = 3, tệ hơn, tệ, mệt hơn, nặng hơn
answer-breathing-yes = có, vâng, dạ có, c
answer-breathing-no = không, ko, k, không có
