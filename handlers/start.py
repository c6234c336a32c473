"""Welcome, help and the menu of most asked procedures."""
from __future__ import annotations

from bot.messages import Reply, Span, bold
from handlers.procedure import COMMON_PROCEDURES, procedure_buttons

SAFETY = (
    "Lưu ý an toàn: Trợ lý Một cửa KHÔNG BAO GIỜ hỏi số tài khoản ngân hàng, mật khẩu hay mã OTP. "
    "Ai hỏi những thông tin đó là kẻ gian."
)


def welcome_reply(menu=COMMON_PROCEDURES) -> Reply:
    return Reply.of(
        [Span("Dạ, xin chào anh/chị! Em là "), bold("Trợ lý Một cửa"), Span(" của xã.")],
        "Anh/chị cứ hỏi việc cần làm bằng lời bình thường, có dấu hay không dấu đều được, ví dụ:",
        "\"làm giấy khai sinh cho con cần gì\", \"đăng ký tạm trú ở đâu\", \"công chứng giấy tờ mất bao nhiêu tiền\".",
        "Muốn biết hồ sơ đã nộp tới đâu, anh/chị gửi mã hồ sơ in trên giấy tiếp nhận (ví dụ 000.00.29.H56-250315-0007).",
        "Hoặc bấm chọn một thủ tục hay hỏi dưới đây.",
        SAFETY,
        buttons=procedure_buttons(menu),
    )


def help_reply() -> Reply:
    return Reply.of(
        bold("Hướng dẫn"),
        "- Hỏi về một thủ tục: giấy tờ cần có, lệ phí, thời gian, nơi nộp, cách nộp trực tuyến.",
        "- Hỏi tiếp về thủ tục đang nói: \"còn lệ phí?\", \"nộp ở đâu\", \"mất mấy ngày\".",
        "- Nếu trợ lý hiểu sai: gõ \"không phải cái này\" để xem thủ tục khác.",
        "- Khi có nút bấm mà máy không hiện nút, gõ số thứ tự của lựa chọn.",
        "- Tra cứu hồ sơ đã nộp: gửi mã hồ sơ trên giấy tiếp nhận; để xem chi tiết và nhận tin báo khi hồ sơ "
        "thay đổi, nhập 4 số cuối số điện thoại đã khai trên hồ sơ.",
        "- Gõ /menu để xem các thủ tục hay hỏi.",
        SAFETY,
    )


def menu_reply(menu=COMMON_PROCEDURES) -> Reply:
    return Reply.of("Dạ, các thủ tục người dân hay hỏi:", buttons=procedure_buttons(menu))


def thanks_reply() -> Reply:
    return Reply.of("Dạ, không có gì ạ. Anh/chị cần hỏi thêm thủ tục nào cứ nhắn cho em nhé.")


def unsupported_reply() -> Reply:
    return Reply.of(
        "Dạ, em chỉ đọc được tin nhắn chữ. Anh/chị vui lòng gõ câu hỏi về thủ tục bằng chữ ạ."
    )
