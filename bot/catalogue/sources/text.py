"""Text helpers shared by the source readers: normalisation, times, fees, levels, district mentions."""
from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from bot.catalogue.schema import Level, TimeUnit

_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]+")
_ALL_WS = re.compile(r"\s+")


def clean(text: object) -> str:
    """NFC, every run of whitespace (incl. newlines, \\xa0) collapsed to one space, stripped."""
    if text is None:
        return ""
    return _ALL_WS.sub(" ", unicodedata.normalize("NFC", str(text)).replace("\u00a0", " ")).strip()


def clean_lines(text: object) -> list[str]:
    """Split on newlines, clean each line, drop empty ones."""
    if text is None:
        return []
    norm = unicodedata.normalize("NFC", str(text)).replace("\r", "\n")
    return [line for line in (_SPACES.sub(" ", raw).strip() for raw in norm.split("\n")) if line]


def clean_multiline(text: object) -> str:
    return "\n".join(clean_lines(text))


def unique(items: Iterable[str]) -> list[str]:
    """Cleaned, non-empty, first occurrence kept, order preserved."""
    seen: set[str] = set()
    out: list[str] = []
    for item in items:
        c = clean(item)
        if c and c not in seen:
            seen.add(c)
            out.append(c)
    return out


def strip_bullet(text: str) -> str:
    """ "- Giấy phép xây dựng được điều chỉnh." -> "Giấy phép xây dựng được điều chỉnh." """
    return re.sub(r"^[\s\-+*•–.,;]+", "", text).strip()


_NO_INFO = re.compile(
    r"^(?:không có thông tin|không|không có|không quy định|chưa có thông tin|không yêu cầu|không có yêu cầu"
    r"|không có điều kiện|không quy định điều kiện|-+|\.+)[.;:\s]*$",
    re.IGNORECASE,
)


def is_no_info(text: str) -> bool:
    return not text or bool(_NO_INFO.match(text))


def split_list(text: str) -> list[str]:
    """Split "A, B (x, y), C" on commas that are outside parentheses and followed by a capital letter."""
    parts: list[str] = []
    depth, start = 0, 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth = max(0, depth - 1)
        elif ch == "," and depth == 0:
            nxt = text[i + 1 :].lstrip()[:1]
            if nxt and nxt.isupper():
                parts.append(text[start:i])
                start = i + 1
    parts.append(text[start:])
    return unique(p for p in parts if not is_no_info(clean(p)))


def rejoin_paren_split(items: list[str]) -> list[str]:
    """Repair lists split inside parentheses: ["Tổ chức (không bao gồm doanh nghiệp", "HTX)"]."""
    out: list[str] = []
    buf = ""
    for item in items:
        buf = f"{buf}, {item}" if buf else item
        if buf.count("(") <= buf.count(")"):
            out.append(buf)
            buf = ""
    if buf:
        out.append(buf)
    return unique(out)


# ---------------------------------------------------------------- processing time

_TIME_UNITS: dict[str, TimeUnit] = {
    "ngày làm việc": "working_day",
    "ngày": "day",
    "giờ làm việc": "hour",
    "giờ": "hour",
    "tháng": "month",
}
_TIME_EXPR = re.compile(
    r"(?<![\d/.,])(\d+(?:[.,]\d+)?)\s*(?:\([^)]{1,20}\)\s*)?(ngày làm việc|ngày|giờ làm việc|giờ|tháng)(?!\s*/)",
    re.IGNORECASE,
)
_DATE_BEFORE = re.compile(r"(?:ngày|tháng)\s*$", re.IGNORECASE)  # "ngày 20 tháng 6": a date, not a duration
_SAME_DAY = re.compile(
    r"^(?:thực hiện |giải quyết |trả kết quả )?(?:ngay )?trong (?:ngày|ngày làm việc|buổi làm việc)\b", re.IGNORECASE
)
_LEADING = re.compile(r"^(?:[-+*•]\s*)?(?:không quá|tối đa|trong thời hạn|trong vòng|thời hạn giải quyết:?)\s*", re.IGNORECASE)


def parse_time(text: str) -> tuple[float | None, TimeUnit | None]:
    """Parse "03 ngày làm việc", "15 ngày", "24 giờ", "1 tháng", "Trong ngày" into (value, unit).

    Returns (None, None) when there is no time, it is 0, or several different times are stated
    and the text does not start with one of them.
    """
    text = clean(text)
    if not text:
        return None, None
    if _SAME_DAY.match(text):
        return 1.0, "working_day"
    matches = [m for m in _TIME_EXPR.finditer(text) if not _DATE_BEFORE.search(text, 0, m.start())]
    if not matches:
        return None, None
    found = [(float(m.group(1).replace(",", ".")), _TIME_UNITS[m.group(2).lower()]) for m in matches]
    head = _LEADING.sub("", text)
    if head.startswith(matches[0].group(0)) or _TIME_EXPR.match(head) or len(set(found)) == 1:
        value, unit = found[0]
        return (value, unit) if value > 0 else (None, None)
    return None, None


# ---------------------------------------------------------------- fees

_MONEY = re.compile(
    r"(?<![\d/.,])(\d{1,3}(?:[.,]\d{3})+|\d+)(?:[.,]\d{1,2})?\s*"
    r"(triệu đồng|triệu|nghìn đồng|ngàn đồng|việt nam đồng|đồng|vnđ|vnd|đ)(?![a-zà-ỹ])",
    re.IGNORECASE,
)
_PER_UNIT_MONEY = re.compile(r"(?<![\d/.,])(\d{1,3}(?:[.,]\d{3})+|\d{4,})\s*/\s*(?=[a-zà-ỹđ])")
_FREE = re.compile(
    r"^(?:miễn phí|miễn(?: thu)?(?: phí| lệ phí| phí, lệ phí| phí và lệ phí| phí lệ phí)?"
    r"|không(?: có| thu| mất| phải nộp| phải trả| có thu| thu tiền)?(?: phí| lệ phí| phí, lệ phí| phí và lệ phí| phí lệ phí)?"
    r"|0 đồng|0 vnđ|0)(?:\s+(?:không có|không|miễn phí))?$",
    re.IGNORECASE,
)


def money_amounts(text: str) -> list[int]:
    """VND amounts in text order: with a currency word, or per unit ("230.000/lần"); below 100 ignored."""
    found: list[tuple[int, int]] = []
    for m in _MONEY.finditer(text):
        value = int(re.sub(r"[.,]", "", m.group(1)))
        word = m.group(2).lower()
        if word.startswith("triệu"):
            value *= 1_000_000
        elif word.startswith(("nghìn", "ngàn")):
            value *= 1_000
        found.append((m.start(), value))
    for m in _PER_UNIT_MONEY.finditer(text):  # "8.000.000/lần", "230.000/hồ sơ" without a currency word
        found.append((m.start(), int(re.sub(r"[.,]", "", m.group(1)))))
    return [value for _, value in sorted(found) if value >= 100]


_CITATION = re.compile(r"\([^()]*\d{2,4}/\d{4}/[^()]*\)")


def is_free_text(text: str) -> bool:
    """The whole statement says free: "Miễn phí", "Không thu phí", "Miễn lệ phí (Thông tư số 47/2019/TT-BTC)"."""
    core = _CITATION.sub(" ", clean(text).lower())
    core = re.sub(r"[()\[\].;:,!\-–]+", " ", core)
    return bool(_FREE.match(_ALL_WS.sub(" ", core).strip()))


def parse_fee_amount(text: str) -> int | None:
    """First stated VND amount; 0 when the whole text says free; None when unknown or not in VND."""
    text = clean(text)
    amounts = money_amounts(text)
    if amounts:
        return amounts[0]
    if is_free_text(text):
        return 0
    return None


def format_vnd(value: int) -> str:
    return f"{value:,} đồng".replace(",", ".")


# ---------------------------------------------------------------- levels

_LEVEL_TEXT: tuple[tuple[re.Pattern[str], Level], ...] = (
    (re.compile(r"cấp xã", re.IGNORECASE), "commune"),
    (re.compile(r"cấp tỉnh", re.IGNORECASE), "province"),
    (re.compile(r"cấp bộ", re.IGNORECASE), "ministry"),
    (re.compile(r"cơ quan khác", re.IGNORECASE), "other"),
)
_BODY_COMMUNE = re.compile(
    r"cấp xã|(?:ủy ban nhân dân|uỷ ban nhân dân|ubnd|chủ tịch)\s+(?:các\s+)?(?:xã|phường|đặc khu)"
    r"|xã, phường|phường, thị trấn|phường, xã|xã, thị trấn|công an (?:cấp )?xã|công an phường",
    re.IGNORECASE,
)
_BODY_PROVINCE = re.compile(
    r"cấp tỉnh|^sở\b|^sở |(?:ủy ban nhân dân|uỷ ban nhân dân|ubnd|chủ tịch ubnd|công an)\s+(?:các\s+)?(?:tỉnh|thành phố)"
    r"|tỉnh, thành phố|\btỉnh$|- tỉnh |bảo hiểm xã hội tỉnh|thuế tỉnh",
    re.IGNORECASE,
)
_BODY_MINISTRY = re.compile(r"^(?:bộ|cục|tổng cục|thủ tướng|chính phủ|văn phòng chính phủ)\b", re.IGNORECASE)


def levels_from_text(text: str | None) -> set[Level]:
    return {level for pattern, level in _LEVEL_TEXT if text and pattern.search(text)}


def levels_from_body(body: str) -> set[Level]:
    out: set[Level] = set()
    if _BODY_COMMUNE.search(body):
        out.add("commune")
    if _BODY_PROVINCE.search(body):
        out.add("province")
    if _BODY_MINISTRY.search(body):
        out.add("ministry")
    return out


# ---------------------------------------------------------------- abolished district level

_DISTRICT = re.compile(
    r"cấp huyện|(?:ủy ban nhân dân|uỷ ban nhân dân|ubnd|công an|chủ tịch ubnd|chủ tịch ủy ban nhân dân)\s+(?:các\s+)?"
    r"(?:huyện|quận|thị xã)\b|quận, huyện|huyện, quận|huyện, thị xã|quận, thị xã|cấp quận|thị xã, thành phố thuộc tỉnh"
    r"|phòng tư pháp|phòng tài nguyên và môi trường|phòng lao động"
    r"|chi cục thuế (?:quận|huyện)|tòa án nhân dân (?:cấp )?huyện",
    re.IGNORECASE,
)


def mentions_district(texts: Iterable[str]) -> bool:
    return any(_DISTRICT.search(t) for t in texts if t)


# ---------------------------------------------------------------- provinces

_PROVINCE = re.compile(r"(?:tỉnh|thành phố|tp\.?)\s+(.+)$", re.IGNORECASE)


def province_name(promulgator: str) -> str | None:
    """ "UBND tỉnh Bắc Ninh" -> "Bắc Ninh"; "UBND Thành phố Hà Nội" -> "Hà Nội"."""
    m = _PROVINCE.search(clean(promulgator))
    return m.group(1).strip() if m else None
