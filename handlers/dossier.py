"""What citizens are told about a dossier: status by code, details after the phone check,
follow-ups, notices when it changes, the apology for a late one, the satisfaction rating."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from bot.dossiers.status import DONE, DossierStatus
from bot.messages import Button, Reply, Span, bold


@dataclass(frozen=True)
class DossierView:
    """A dossier as shown to a citizen; datetimes in local time. ``applicant_name``,
    ``procedure_name`` and ``step`` are filled only after the phone check."""

    code: str
    status: DossierStatus
    received_at: datetime
    due_at: datetime
    new_due_at: datetime | None
    finished_at: datetime | None
    now: datetime
    procedure_name: str | None = None
    applicant_name: str | None = None
    step: str | None = None
    apology_reason: str | None = None

    @property
    def appointment(self) -> datetime:
        return self.new_due_at or self.due_at

    @property
    def late(self) -> bool:
        """Late against the first appointment: finished after it, or still open past it."""
        if self.status in (DossierStatus.REJECTED, DossierStatus.WITHDRAWN):
            return False
        if self.finished_at is not None:
            return self.finished_at > self.due_at
        return self.now > self.due_at


def day(value: datetime) -> str:
    return value.strftime("%d/%m/%Y")


def _timing(view: DossierView) -> str:
    if view.status in (DossierStatus.REJECTED, DossierStatus.WITHDRAWN):
        return ""
    if view.status in DONE:
        return "Hồ sơ được giải quyết trễ hẹn." if view.late else "Hồ sơ được giải quyết đúng hẹn."
    if view.late:
        return "Hồ sơ đang trễ hẹn so với ngày hẹn trả ban đầu."
    return "Hồ sơ đang trong thời hạn giải quyết."


def _status_lines(view: DossierView) -> list:
    lines: list = [
        [Span("Hồ sơ "), bold(view.code)],
        [Span("Trạng thái: "), bold(view.status.label)],
        f"Ngày tiếp nhận: {day(view.received_at)}",
        f"Ngày hẹn trả: {day(view.due_at)}",
    ]
    if view.new_due_at is not None:
        lines.append([Span("Ngày hẹn trả mới: "), bold(day(view.new_due_at))])
    if timing := _timing(view):
        lines.append(timing)
    if view.status == DossierStatus.SUPPLEMENT_REQUESTED:
        lines.append("Anh/chị liên hệ Bộ phận Một cửa để biết giấy tờ cần bổ sung.")
    if view.status == DossierStatus.READY:
        lines.append("Anh/chị mang giấy tiếp nhận hồ sơ và giấy tờ tùy thân đến Bộ phận Một cửa để nhận kết quả.")
    return lines


def status_reply(view: DossierView, verified: bool, following: bool) -> Reply:
    lines: list = ["Dạ, em tra được thông tin hồ sơ ạ:", *_status_lines(view)]
    buttons: list[Button] = []
    if verified:
        if view.procedure_name:
            lines.append(f"Thủ tục: {view.procedure_name}")
        if view.applicant_name:
            lines.append(f"Người nộp: {view.applicant_name}")
        if view.step:
            lines.append(f"Đang ở bước: {view.step}")
        if following:
            lines.append("Anh/chị đang theo dõi hồ sơ này: có thay đổi em sẽ nhắn ngay.")
            buttons.append(Button("Bỏ theo dõi", f"dossier:unfollow:{view.code}"))
        elif view.status != DossierStatus.RETURNED:
            buttons.append(Button("Theo dõi hồ sơ", f"dossier:follow:{view.code}"))
    else:
        lines.append("Để xem thủ tục, người nộp, bước đang xử lý và theo dõi hồ sơ, anh/chị bấm nút dưới đây "
                     "rồi nhập 4 số cuối của số điện thoại đã ghi trên hồ sơ.")
        buttons.append(Button("Xem chi tiết, theo dõi", f"dossier:verify:{view.code}"))
    return Reply.of(*lines, buttons=(tuple(buttons),) if buttons else ())


def ask_phone_reply() -> Reply:
    return Reply.of(
        "Dạ, anh/chị nhập 4 số cuối của số điện thoại đã ghi trên hồ sơ (ví dụ: 6789).",
        "Em chỉ hỏi 4 số cuối để xác minh; em không bao giờ hỏi mật khẩu hay mã OTP.",
    )


def not_found_reply() -> Reply:
    """The same answer for an unknown code and for wrong phone digits: nothing to learn from it."""
    return Reply.of(
        "Dạ, em chưa tìm thấy hồ sơ khớp với thông tin anh/chị nhập.",
        "Anh/chị kiểm tra lại mã hồ sơ trên giấy tiếp nhận (dạng 000.00.29.H56-250315-0007) "
        "và số điện thoại đã khai, hoặc liên hệ Bộ phận Một cửa của xã.",
    )


def paused_reply(until: datetime) -> Reply:
    return Reply.of(
        "Dạ, anh/chị đã nhập sai nhiều lần nên việc tra cứu hồ sơ tạm dừng đến "
        f"{until.strftime('%H:%M')} ngày {day(until)}.",
        "Anh/chị vẫn hỏi về thủ tục được bình thường, hoặc mang giấy tiếp nhận đến Bộ phận Một cửa để được hỗ trợ.",
    )


def followed_reply(code: str, channel_note: str = "") -> Reply:
    return Reply.of(
        [Span("Dạ, em đã ghi nhận: anh/chị theo dõi hồ sơ "), bold(code), Span(".")],
        "Khi hồ sơ chuyển bước, có ngày hẹn mới hoặc có kết quả, em sẽ nhắn anh/chị ngay tại đây." + channel_note,
        buttons=((Button("Bỏ theo dõi", f"dossier:unfollow:{code}"),),),
    )


def unfollowed_reply(code: str) -> Reply:
    return Reply.of([Span("Dạ, em đã thôi gửi tin về hồ sơ "), bold(code), Span(".")])


def change_notice(view: DossierView, status_changed: bool, due_changed: bool) -> Reply:
    """A followed dossier moved: its new state, and the apology when a new date came with one."""
    if view.new_due_at is not None and due_changed:
        return apology_notice(view)
    head = {
        DossierStatus.READY: "Dạ, hồ sơ của anh/chị đã có kết quả.",
        DossierStatus.RETURNED: "Dạ, hồ sơ của anh/chị đã được trả kết quả.",
        DossierStatus.SUPPLEMENT_REQUESTED: "Dạ, hồ sơ của anh/chị cần bổ sung giấy tờ.",
    }.get(view.status, "Dạ, hồ sơ anh/chị theo dõi có thay đổi." if status_changed or due_changed else "")
    return Reply.of(head, *_status_lines(view))


def apology_notice(view: DossierView) -> Reply:
    """The apology a body owes when it will be late (Decree 61/2018, amended by Decree 107/2021)."""
    reason = f"Lý do: {view.apology_reason}" if view.apology_reason else "Lý do: cơ quan giải quyết chưa ghi lý do."
    return Reply.of(
        bold("PHIẾU XIN LỖI VÀ HẸN LẠI NGÀY TRẢ KẾT QUẢ"),
        [Span("Cơ quan giải quyết thành thật xin lỗi anh/chị vì hồ sơ "), bold(view.code),
         Span(f" chưa có kết quả đúng ngày hẹn {day(view.due_at)}.")],
        reason,
        [Span("Ngày hẹn trả kết quả mới: "), bold(day(view.appointment)), Span(".")],
        "Mong anh/chị thông cảm. Cần hỗ trợ thêm, anh/chị liên hệ Bộ phận Một cửa của xã.",
    )


def late_notice(view: DossierView) -> Reply:
    return Reply.of(
        [Span("Dạ, hồ sơ "), bold(view.code), Span(f" đã quá ngày hẹn trả {day(view.due_at)} mà chưa có kết quả.")],
        "Em đã báo cán bộ; theo quy định cơ quan giải quyết sẽ gửi phiếu xin lỗi và hẹn lại ngày trả. "
        "Có ngày hẹn mới em sẽ nhắn anh/chị ngay.",
    )


def rating_request(code: str) -> Reply:
    return Reply.of(
        [Span("Anh/chị hài lòng thế nào với việc giải quyết hồ sơ "), bold(code), Span("?")],
        "Bấm từ 1 (rất không hài lòng) đến 5 (rất hài lòng):",
        buttons=(tuple(Button(f"{n} ★", f"dossier:rate:{n}:{code}") for n in range(1, 6)),),
    )


def rating_thanks() -> Reply:
    return Reply.of(
        "Dạ, em cảm ơn anh/chị đã đánh giá.",
        "Anh/chị có góp ý gì thêm thì nhắn ngay bây giờ, hoặc bấm \"Bỏ qua\".",
        buttons=((Button("Bỏ qua", "dossier:nocomment"),),),
    )


def comment_thanks() -> Reply:
    return Reply.of("Dạ, em đã ghi nhận góp ý và chuyển tới cán bộ. Cảm ơn anh/chị.")
