"""Parsers for the chatbot source's tables, scraped with their cells run together."""
from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from bot.catalogue.schema import SubmissionMethod
from bot.catalogue.sources.text import clean, format_vnd, is_no_info, parse_fee_amount

# ---------------------------------------------------------------- "Cách thức thực hiện"

METHOD_WORDS: dict[str, SubmissionMethod] = {
    "Trực tiếp": "in_person",
    "Trực tuyến": "online_partial",
    "Dịch vụ bưu chính": "post",
}
_METHODS_HEADER = "Hình thức nộpThời gianPhí, lệ phíMô tả"
_ROW_START = re.compile(r"(Trực tiếp|Trực tuyến|Dịch vụ bưu chính)(?=\d|Không có thông tin|Không phải trả)")
_TIME_CELL = re.compile(r"(\d+(?:\.\d+)?) ?(Ngày làm việc|Ngày|Giờ|Tháng|Năm|Phút)")
_NO_RESULT_CELL = re.compile(r"Không phải trả kết quả[^\n]*?(?=Miễn phí|Không có thông tin|\d)")
_CURRENCY = r"(?:Việt Nam Đồng|VNĐ|VND|Đồng|USD|EUR)"
_AMOUNT_CELL = re.compile(rf"(\d[\d,.]*) ?({_CURRENCY})")
_GLUED_BARE_TIME = re.compile(rf"(\d)(\d[\d,.]*) ?({_CURRENCY})")
_BARE_TIME = re.compile(r"(\d+)(?=Miễn phí|Không có thông tin)")
_ENUMERATOR = re.compile(r"[\divxa-zđ]{1,3}")
NO_INFO = "Không có thông tin"


@dataclass(frozen=True)
class MethodRow:
    """One row of the submission-method table."""

    method: SubmissionMethod
    time_text: str  # "" when the cell is empty or a bare unit-less number
    fee_text: str  # "" when the cell says "Không có thông tin" and nothing else
    fee_amount: int | None
    description: str


def _paren_block(text: str) -> tuple[str, str]:
    """Split a leading balanced "( … )" block from ``text``: returns (inside, rest)."""
    if not text.startswith("("):
        return "", text
    depth = 0
    for i, ch in enumerate(text):
        if ch == "(":
            depth += 1
        elif ch == ")":
            depth -= 1
            if depth == 0:
                return text[1:i], text[i + 1 :]
    return text[1:], ""


def _split_time(body: str) -> tuple[str, str]:
    """Return (time_text, rest) for the start of a row body."""
    if m := _TIME_CELL.match(body):
        return f"{m.group(1)} {m.group(2).lower()}", body[m.end() :]
    if body.startswith(NO_INFO):
        return "", body[len(NO_INFO) :]
    if m := _NO_RESULT_CELL.match(body):
        return clean(m.group(0)), body[m.end() :]
    if m := _BARE_TIME.match(body):  # unit-less number (portal unit "OTHER"): meaningless on its own
        return "", body[m.end() :]
    if m := _GLUED_BARE_TIME.match(body):  # "1" + "20,000 VNĐ" run together
        return "", body[m.start(2) :]
    return "", body


def _fee_cell(rest: str) -> tuple[str, int | None, str]:
    """Return (fee_text, amount, rest) for the fee cell and its optional "(…)" note."""
    label, amount = "", None
    if rest.startswith("Miễn phí"):
        label, rest = "Miễn phí", rest[len("Miễn phí") :]
    elif rest.startswith(NO_INFO):
        rest = rest[len(NO_INFO) :]
    elif m := _AMOUNT_CELL.match(rest):
        digits, currency = m.group(1), m.group(2)
        rest = rest[m.end() :]
        value = int(re.sub(r"[,.]", "", digits))
        if currency in ("USD", "EUR"):
            label = f"{digits} {currency}"
        elif value >= 1000:  # smaller numbers are the portal's unit-less thousands: rely on the note
            label, amount = format_vnd(value), value
        else:
            label = f"{digits} {currency}"
    note, after = _paren_block(rest)
    if _ENUMERATOR.fullmatch(note.strip()):
        note = ""  # "(1) Trường hợp …" opens the description, it is not a fee note
    else:
        rest = after
    note = clean(note)
    if amount is None and note:
        amount = parse_fee_amount(note)
    elif amount is None and label == "Miễn phí":
        amount = 0
    if label and note:
        text = f"{label}{note}" if note.startswith("/") else f"{label} ({note})"  # "2.000 đồng/trang"
    else:
        text = label or note
    return text, (amount if text else None), rest


def parse_methods_table(text: str) -> list[MethodRow]:
    """Parse "Hình thức nộpThời gianPhí, lệ phíMô tảTrực tiếp2 Ngày làm việc70,000 VNĐ(…)Mô tả…"."""
    body = text[len(_METHODS_HEADER) :] if text.startswith(_METHODS_HEADER) else text
    starts = list(_ROW_START.finditer(body))
    rows: list[MethodRow] = []
    for i, m in enumerate(starts):
        end = starts[i + 1].start() if i + 1 < len(starts) else len(body)
        time_text, rest = _split_time(body[m.end() : end])
        fee_text, amount, rest = _fee_cell(rest)
        rows.append(MethodRow(METHOD_WORDS[m.group(1)], time_text, fee_text, amount, clean(rest)))
    return rows


# ---------------------------------------------------------------- "Thành phần hồ sơ"

_DOCS_HEADER = "Tên giấy tờMẫu đơn, tờ khaiSố lượng"
_COUNT = re.compile(r"(\d{1,2}) bản chính(?:,\s*(\d{1,2}) bản sao)?|(\d{1,2}) bản sao")
_FORM_FILE = re.compile(r"\.(?:docx?|xlsx?|pdf|rar|zip|odt)$", re.IGNORECASE)
_FILE_PREFIX = re.compile(r"Mẫu|Mau|MẪU|MAU|Phụ lục|PHỤ LỤC|Phu luc|Phuluc|PL\d")
_MAX_FILE_NAME = 150
_LEADING_NUMBERING = re.compile(r"^[\s\-+*•–]*(?:\(?[0-9ivxa-zđ]{1,4}(?:\.[0-9]{1,2})*[.):]\s*)?")


@dataclass(frozen=True)
class FlatDocument:
    name: str
    originals: int | None
    copies: int | None


@dataclass(frozen=True)
class FlatDocumentGroup:
    title: str
    required: bool
    documents: list[FlatDocument]


def _glues(prev: str) -> bool:
    return prev.isalnum() or prev in ");.,"


def _glue_points(name: str) -> list[int]:
    """Positions where two cells were run together: "…mẫuMẫu", "…);Mẫu", "…CPMau38.docx"."""
    points = [m.start() for m in _FILE_PREFIX.finditer(name) if m.start() > 0 and _glues(name[m.start() - 1])]
    for i in range(1, len(name)):
        prev, cur = name[i - 1], name[i]
        if ((prev.islower() or prev in ");") and (cur.isupper() or cur.isdigit())) or (prev in ".:," and cur.isupper()):
            points.append(i)
    return sorted(p for p in points if len(name) - p <= _MAX_FILE_NAME)


def _strip_form_file(name: str) -> str:
    """Drop attached forms' file names glued to the end: "…theo mẫuMẫu TP-LS-02.docx"."""
    while _FORM_FILE.search(name):
        points = _glue_points(name)
        if not points:
            return ""
        name = name[: points[0]]
    return name


def _is_real_count(text: str, end: int) -> bool:
    """A count ends a cell: it is followed by the next cell, not by more words of a name."""
    return end >= len(text) or text[end] not in " .,;:)"


def _parse_rows(section: str) -> tuple[list[FlatDocument], str]:
    """Rows of one section; returns (documents, trailing text after the last count)."""
    docs: list[FlatDocument] = []
    pos = 0
    for m in _COUNT.finditer(section):
        if m.start() < pos or not _is_real_count(section, m.end()):
            continue
        start = m.start()
        originals = m.group(1)
        copies = m.group(2) or m.group(3)
        first = originals if originals is not None else copies
        if len(first) == 2 and start > 0 and section[start - 1].isdigit():
            start += 1  # "…năm 20231 bản chính": the year swallowed the count's first digit
            first = first[1]
        if originals is not None:
            originals = first
        else:
            copies = first
        name = clean(_strip_form_file(section[pos:start]))
        pos = m.end()
        if name:
            docs.append(
                FlatDocument(
                    name=name,
                    originals=int(originals) if originals is not None else 0,
                    copies=int(copies) if copies is not None else 0,
                )
            )
    return docs, section[pos:]


def is_case_heading(title: str) -> bool:
    """Headings like "Trường hợp …", "a) Đối với …", "(1.3) Nếu …" introduce case-dependent documents."""
    core = _LEADING_NUMBERING.sub("", title.lower())
    return core.startswith(("trường hợp", "đối với", "nếu", "khi ", "(trường hợp", "(đối với"))


def _heading(raw: str) -> str:
    title = clean(raw)
    return "" if re.fullmatch(r"[-–\s]*", title) else title


def parse_documents_table(text: str) -> list[FlatDocumentGroup]:
    """Parse "<heading>Tên giấy tờMẫu đơn, tờ khaiSố lượng<name><n bản chính>…" into groups."""
    parts = text.split(_DOCS_HEADER)
    if len(parts) == 1:
        return []
    groups: list[FlatDocumentGroup] = []
    title = _heading(parts[0])
    for i, part in enumerate(parts[1:], start=1):
        docs, trailing = _parse_rows(part)
        last = i == len(parts) - 1
        if last and clean(trailing):
            docs.append(FlatDocument(clean(_strip_form_file(trailing)) or clean(trailing), None, None))
        if docs:
            groups.append(FlatDocumentGroup(title, not is_case_heading(title), docs))
        title = "" if last else _heading(trailing)
    return groups


# ---------------------------------------------------------------- "Căn cứ pháp lý"

_LEGAL_HEADER = "Tên văn bản pháp lýMã văn bản"
LEGAL_CODE = re.compile(r"\d+(?:\.\d+)?[a-z]?/\d{4}/(?:[A-ZĐ]*QH\d{2}|[A-ZĐ]+)(?:-(?:TTg|[A-ZĐ]*QH\d{2}|[A-ZĐ]+))*")
_DOC_TYPES = r"Nghị định|Thông tư liên tịch|Thông tư|Nghị quyết|Quyết định|Bộ luật|Luật|Pháp lệnh"
_TYPE_ONLY = re.compile(rf"(?:({_DOC_TYPES})\s*)?(?:[sS]ố)?\s*")
_CELL_PREFIX = re.compile(
    rf"(?<=[a-zà-ỹđ.;:)\d])((?:{_DOC_TYPES})(?: số)? ?|[sS]ố ?)$"
)


@dataclass(frozen=True)
class FlatLegalBasis:
    code: str | None
    title: str


def find_legal_codes(text: str) -> list[tuple[int, int]]:
    """Spans of document codes ("23/2015/NĐ-CP", "54/2014/QH13", "53/2010/QĐ-TTg").

    A code glued to a following capitalised word ("…NĐ-CPNghị định") gives that capital back.
    """
    spans: list[tuple[int, int]] = []
    for m in LEGAL_CODE.finditer(text):
        start, end = m.start(), m.end()
        number = m.group(0).split("/", 1)[0]
        if len(number) > 4 and number.startswith(("19", "20")):
            start += 4  # "…ngày 29/6/202443/2024/QH15": a date's year glued to the code
        tail = re.split(r"[/-]", m.group(0))[-1]
        if (
            end < len(text)
            and text[end].islower()
            and len(tail) >= 3
            and tail != "TTg"
            and _starts_word(tail[-1], text[end:])
        ):
            elsewhere = re.finditer(re.escape(m.group(0)) + r"(?![^\W\d_])", text)
            if not any(o.start() != m.start() for o in elsewhere):  # the whole code is not quoted elsewhere
                end -= 1
        spans.append((start, end))
    return spans


_ONSETS = {"ch", "gh", "gi", "kh", "ng", "nh", "ph", "qu", "th", "tr"}


def _starts_word(capital: str, rest: str) -> bool:
    """Would ``capital`` + ``rest`` begin a Vietnamese word ("S"+"ố…", "N"+"ghị…"; not "N"+"phân…")?"""
    nxt = unicodedata.normalize("NFD", rest[:1])[:1].lower()
    return nxt in "aeiouy" or (capital + rest[:1]).lower() in _ONSETS


def _ends_cell(text: str, end: int) -> bool:
    return end >= len(text) or text[end] not in " ,.;:)/"


def parse_legal_table(text: str) -> list[FlatLegalBasis]:
    """Parse "Tên văn bản pháp lýMã văn bản<title><code><title><code>…"."""
    body = text[len(_LEGAL_HEADER) :] if text.startswith(_LEGAL_HEADER) else text
    out: list[FlatLegalBasis] = []
    spans = find_legal_codes(body)
    start = 0
    for i, (code_start, code_end) in enumerate(spans):
        adjacent_next = i + 1 < len(spans) and spans[i + 1][0] == code_end
        if adjacent_next or not _ends_cell(body, code_end):
            continue  # a code quoted inside the title, not the code cell
        code = body[code_start:code_end]
        title = body[start:code_start]
        title = clean(_CELL_PREFIX.sub("", title) if clean(_CELL_PREFIX.sub("", title)) else title)
        if m := _TYPE_ONLY.fullmatch(title):  # "Luật" + "18/2017/QH14" -> "Luật 18/2017/QH14"
            title = f"{m.group(1)} {code}" if m.group(1) else code
        out.append(FlatLegalBasis(code, title or code))
        start = code_end
    rest = clean(body[start:])
    if rest and not is_no_info(rest):
        codes = [rest[a:b] for a, b in find_legal_codes(rest)]
        out.append(FlatLegalBasis(codes[0] if codes else None, rest))
    return _dedupe_legal(out)


def _dedupe_legal(items: list[FlatLegalBasis]) -> list[FlatLegalBasis]:
    """One entry per code, keeping the most descriptive title."""
    by_key: dict[str, FlatLegalBasis] = {}
    for item in items:
        key = item.code or item.title
        best = by_key.get(key)
        if best is None or (best.title == best.code and item.title != item.code):
            by_key[key] = item
    return list(by_key.values())


# ---------------------------------------------------------------- "Kết quả xử lý"

_RESULT_JUNK = re.compile(r"Từ khóa|Mô tả|Chọn cơ quan thực hiện|Nộp hồ sơ$")
_RESULT_CODE = re.compile(r"Mã: ?[A-Z]{2,3}(?:[.\-][A-Z]*\d+)+")


def parse_results(text: str) -> list[str]:
    """Result names before each "Mã: KQ…" code; page chrome ("Từ khóa…", "Chọn cơ quan…") removed."""
    cut = _RESULT_JUNK.search(text)
    body = text[: cut.start()] if cut else text
    names = [clean(part).strip(" .,;") for part in _RESULT_CODE.split(body)]
    return [n for n in names if n and n.lower() != "không có thông tin"]
