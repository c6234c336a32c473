"""The answer card: what a citizen needs to know about one procedure, from catalogue facts only."""
from __future__ import annotations

import re
from collections.abc import Callable

from bot.catalogue.schema import Procedure
from bot.matching.index import display_name
from bot.matching.matcher import Matcher, MatchResult
from bot.messages import Button, Line, Reply, Span, bold, link

UNKNOWN = "chưa có thông tin"
PORTAL_URL = "https://dichvucong.gov.vn"  # when a procedure has no page of its own
METHOD_LABELS = {
    "in_person": "nộp trực tiếp",
    "online_full": "trực tuyến toàn trình",
    "online_partial": "trực tuyến một phần",
    "post": "qua bưu chính công ích",
}
LEVEL_LABELS = {"commune": "cấp xã", "province": "cấp tỉnh", "ministry": "cấp trung ương", "other": "cơ quan khác"}
UNIT_LABELS = {"working_day": "ngày làm việc", "day": "ngày", "hour": "giờ", "month": "tháng"}
ASPECT_LABELS = {
    "docs": "Giấy tờ",
    "fee": "Lệ phí",
    "time": "Thời gian",
    "place": "Nơi nộp",
    "steps": "Các bước",
    "online": "Nộp trực tuyến",
    "conditions": "Điều kiện",
    "result": "Kết quả",
}
MAX_DOCUMENTS = 12
CARD_DOCUMENTS = 5  # the card stays short on a phone; the full list is one button away
MAX_STEPS = 6
MAX_TEXT = 400
_LIST_MARK = re.compile(r"^\s*(?:[-+*•–]|\(?[0-9a-zđ]{1,2}[.)])\s*", re.IGNORECASE)
_CASE_NOTE = re.compile(r"^(trường hợp|nếu|đối với)\b", re.IGNORECASE)


def _clean_item(text: str) -> str:
    text = _LIST_MARK.sub("", text).strip()
    return text[:1].upper() + text[1:]


def _shorten(text: str, limit: int = MAX_TEXT) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + "…"


def _counts(originals: int | None, copies: int | None) -> str:
    parts = []
    if originals:
        parts.append(f"{originals} bản chính")
    if copies:
        parts.append(f"{copies} bản sao")
    return f" ({', '.join(parts)})" if parts else ""


def documents_lines(p: Procedure, limit: int = MAX_DOCUMENTS) -> list[Line]:
    if not any(g.documents for g in p.document_groups):
        return [(bold("Giấy tờ cần có: "), Span(UNKNOWN + "."))]
    lines: list[Line] = [(bold("Giấy tờ cần có:"),)]
    number = 0
    notes: list[str] = []
    for group in p.document_groups:
        for document in group.documents:
            name = _clean_item(document.name)
            if name.endswith(":") and not document.originals and not document.copies:
                continue  # a heading ("… các giấy tờ sau:"), not a document
            if not group.required or _CASE_NOTE.match(name):
                notes.append(name)
                continue
            number += 1
            if number <= limit:
                lines.append((Span(f"{number}. {_shorten(name, 220)}{_counts(document.originals, document.copies)}"),))
    if number > limit:
        more = "bấm \"Xem đủ giấy tờ\"" if limit < MAX_DOCUMENTS else "xem đầy đủ trên Cổng dịch vụ công"
        lines.append((Span(f"… và {number - limit} giấy tờ khác ({more})."),))
        return lines
    if notes:
        lines.append((Span("Tùy trường hợp, có thể cần thêm:"),))
        lines.extend((Span(f"- {_shorten(n, 200)}"),) for n in notes[:4])
    return lines


def _method_prefix(method: str | None, many: bool) -> str:
    return f"{METHOD_LABELS[method].capitalize()}: " if method and many else ""


def time_lines(p: Procedure) -> list[Line]:
    if not p.processing_times:
        return [(bold("Thời gian giải quyết: "), Span(UNKNOWN + "."))]
    distinct = {(t.text, t.value, t.unit) for t in p.processing_times}
    many = len(distinct) > 1
    lines: list[Line] = [(bold("Thời gian giải quyết:"),)]
    seen = set()
    for t in p.processing_times:
        key = (t.text, t.value, t.unit) if not many else (t.method, t.text)
        if key in seen:
            continue
        seen.add(key)
        value = f"{t.value:g} {UNIT_LABELS[t.unit]}" if t.value is not None and t.unit else _shorten(t.text, 200)
        lines.append((Span(f"- {_method_prefix(t.method, many)}{value}"),))
    return lines


def fee_lines(p: Procedure) -> list[Line]:
    if not p.fees:
        return [(bold("Lệ phí: "), Span(UNKNOWN + "."))]
    distinct = {f.text for f in p.fees}
    many = len(distinct) > 1
    lines: list[Line] = [(bold("Lệ phí:"),)]
    seen = set()
    for fee in p.fees:
        if fee.text in seen:
            continue
        seen.add(fee.text)
        if fee.amount_vnd == 0:
            value = "miễn phí"
        elif fee.amount_vnd is None and not fee.text.strip():
            value = UNKNOWN
        else:
            value = _shorten(fee.text, 250)
        lines.append((Span(f"- {_method_prefix(fee.method, many)}{value}"),))
    return lines


def place_lines(p: Procedure) -> list[Line]:
    levels = ", ".join(LEVEL_LABELS[level] for level in p.levels)
    bodies = "; ".join(p.executing_bodies[:3]) or UNKNOWN
    lines: list[Line] = [(bold("Nơi nộp: "), Span(f"{bodies} ({levels}).")),]
    if "commune" in p.levels:
        lines.append((Span("Hồ sơ cấp xã nộp tại Bộ phận Một cửa (Trung tâm phục vụ hành chính công) của xã, phường."),))
    return lines


def online_lines(p: Procedure) -> list[Line]:
    methods = [METHOD_LABELS[m] for m in p.submission_methods]
    lines: list[Line] = [(bold("Cách nộp: "), Span((", ".join(methods) or UNKNOWN) + "."))]
    if not methods:
        return lines  # unknown is not "no online submission"
    if any(m.startswith("online") for m in p.submission_methods):
        url = p.portal_url or PORTAL_URL
        lines.append((Span("Nộp trực tuyến trên Cổng dịch vụ công: "), link(url, url)))
    else:
        lines.append((Span("Thủ tục này chưa có hình thức nộp trực tuyến."),))
    return lines


def steps_lines(p: Procedure) -> list[Line]:
    if not p.steps:
        return [(bold("Các bước: "), Span(UNKNOWN + "."))]
    lines: list[Line] = [(bold("Các bước thực hiện:"),)]
    for n, step in enumerate(p.steps[:MAX_STEPS], 1):
        lines.append((Span(f"{n}. {_shorten(_clean_item(step), 250)}"),))
    if len(p.steps) > MAX_STEPS:
        lines.append((Span("(còn các bước khác, xem đầy đủ trên Cổng dịch vụ công)"),))
    return lines


def conditions_lines(p: Procedure) -> list[Line]:
    text = p.conditions.strip() if p.conditions else ""
    if not text and p.withheld_sources:
        return [(bold("Điều kiện: "), Span(UNKNOWN + "."))]
    if not text or text.lower().startswith("không có thông tin"):
        return [(bold("Điều kiện: "), Span("không có yêu cầu, điều kiện riêng được công bố."))]
    return [(bold("Điều kiện: "), Span(_shorten(text)))]


def result_lines(p: Procedure) -> list[Line]:
    results = "; ".join(_clean_item(r) for r in p.results[:3]) or UNKNOWN
    return [(bold("Kết quả nhận được: "), Span(_shorten(results) + "."))]


def withheld_note(p: Procedure) -> list[Line]:
    """Said when facts are missing because the source page belonged to another procedure."""
    if not p.withheld_sources or (p.document_groups and p.processing_times and p.steps):
        return []
    url = p.portal_url or PORTAL_URL
    return [
        (Span(""),),
        (Span("Lưu ý: trang chi tiết của thủ tục này trên nguồn dữ liệu bị chép nhầm nội dung của thủ tục khác "
              "nên chưa đưa vào đây. Xin xem thông tin chính thức tại "), link(url, url),
         Span(" hoặc hỏi Bộ phận Một cửa."),),
    ]


SECTIONS: dict[str, Callable[[Procedure], list[Line]]] = {
    "place": place_lines,
    "docs": documents_lines,
    "time": time_lines,
    "fee": fee_lines,
    "online": online_lines,
    "steps": steps_lines,
    "conditions": conditions_lines,
    "result": result_lines,
}
GENERAL_ORDER = ("place", "docs", "time", "fee", "online")


def aspect_buttons(p: Procedure, shown: tuple[str, ...], documents_cut: bool = False) -> tuple[tuple[Button, ...], ...]:
    others = [a for a in ASPECT_LABELS if a not in shown]
    buttons = [Button(ASPECT_LABELS[a], f"aspect:{a}:{p.code}") for a in others]
    if documents_cut:
        buttons.insert(0, Button("Xem đủ giấy tờ", f"aspect:docs:{p.code}"))
    return tuple(tuple(buttons[i : i + 3]) for i in range(0, len(buttons), 3))


def procedure_card(p: Procedure, aspect: str = "general") -> Reply:
    """The answer card; the asked aspect leads, the essentials follow."""
    order = GENERAL_ORDER if aspect not in SECTIONS else (aspect, *(s for s in GENERAL_ORDER if s != aspect))
    lines: list[Line] = [
        (Span("Dạ, thủ tục phù hợp là: "), bold(display_name(p))),
        (Span(f"Mã thủ tục: {p.code}"),),
    ]
    documents = documents_lines(p, CARD_DOCUMENTS)
    documents_cut = documents[-1][0].text.startswith("… và")
    for section in order:
        lines.append((Span(""),))
        lines.extend(documents if section == "docs" else SECTIONS[section](p))
    if p.mentions_district:
        lines.append((Span(""),))
        lines.append((Span("Lưu ý: nội dung gốc của thủ tục vẫn nhắc tới cấp huyện. Từ 1/7/2025 không còn cấp huyện; "
                           "việc của cấp huyện nay do xã hoặc tỉnh giải quyết, xin hỏi lại Bộ phận Một cửa."),))
    lines.extend(withheld_note(p))
    return Reply(tuple(lines), aspect_buttons(p, order, documents_cut))


def aspect_reply(p: Procedure, aspect: str) -> Reply:
    """Only one aspect of the procedure under discussion ("còn lệ phí?")."""
    lines: list[Line] = [(Span("Dạ, về thủ tục "), bold(display_name(p)), Span(":"))]
    lines.extend(SECTIONS[aspect](p))
    lines.extend(withheld_note(p))
    return Reply(tuple(lines), aspect_buttons(p, (aspect,)))


def clarify_reply(result: MatchResult) -> Reply:
    lines: list[Line] = [(Span("Dạ, anh/chị đang hỏi về thủ tục nào dưới đây ạ? Xin bấm chọn:"),)]
    buttons = []
    for n, c in enumerate(result.candidates[:4], 1):
        lines.append((Span(f"{n}. {_shorten(c.name, 160)}"),))
        buttons.append((Button(f"{n}. {_shorten(c.name, 40)}", f"pick:{c.code}:{result.aspect}"),))
    buttons.append((Button("Không phải các thủ tục này", "none"),))
    return Reply(tuple(lines), tuple(buttons))


# the most asked commune procedures, offered when nothing matched and before analytics exist
COMMON_PROCEDURES = (
    ("1.001193", "Đăng ký khai sinh"),
    ("1.004222", "Đăng ký thường trú"),
    ("2.000815", "Chứng thực bản sao"),
    ("1.000894", "Đăng ký kết hôn"),
    ("1.004194", "Đăng ký tạm trú"),
    ("1.000656", "Đăng ký khai tử"),
)


def procedure_buttons(procedures) -> tuple[tuple[Button, ...], ...]:
    return tuple((Button(label, f"pick:{code}:general"),) for code, label in procedures)


def not_found_reply() -> Reply:
    lines = (
        (Span("Dạ, em chưa tìm được thủ tục phù hợp với câu hỏi này."),),
        (Span("Anh/chị thử viết rõ việc cần làm, ví dụ: \"làm giấy khai sinh cho con\", "
              "\"đăng ký tạm trú\", \"chứng thực bản sao giấy tờ\"."),),
        (Span("Câu hỏi đã được ghi lại để cán bộ xã xem và bổ sung."),),
    )
    return Reply(lines, procedure_buttons(COMMON_PROCEDURES[:3]))


def reply_for(matcher: Matcher, result: MatchResult) -> Reply:
    if result.status == "none" or not result.candidates:
        return not_found_reply()
    if result.status == "clarify":
        return clarify_reply(result)
    return procedure_card(matcher.catalogue[result.candidates[0].code], result.aspect)


def answer_question(matcher: Matcher, text: str) -> Reply:
    return reply_for(matcher, matcher.match(text))
