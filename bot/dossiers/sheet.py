"""Reading and validating dossier status exports (CSV / XLSX) from one-stop software.

Pure: a file in, a :class:`SheetReport` out (valid rows, errors per row, warnings). Nothing is
stored and the caller decides what to import. Bad content never raises; errors are in Vietnamese
for the commune official and never echo a phone number or a name.
"""
from __future__ import annotations

import codecs
import csv
import io
import re
import unicodedata
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import closing
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from pathlib import Path

from bot.dossiers.code import parse_dossier_code
from bot.dossiers.status import KNOWN_WORDINGS, DossierStatus, parse_status
from bot.nlp.text import strip_diacritics
from bot.privacy import mask_personal_data

# Canonical column → the label officials read in messages.
COLUMNS = {
    "ma_ho_so": "Mã hồ sơ",
    "ma_thu_tuc": "Mã thủ tục",
    "ten_thu_tuc": "Tên thủ tục",
    "ho_ten": "Họ tên",
    "so_dien_thoai": "Số điện thoại",
    "ngay_tiep_nhan": "Ngày tiếp nhận",
    "ngay_hen_tra": "Ngày hẹn trả",
    "trang_thai": "Trạng thái",
    "buoc_xu_ly": "Bước xử lý",
    "ngay_hen_moi": "Ngày hẹn mới",
    "ly_do_tre_han": "Lý do trễ hạn",
}
REQUIRED = ("ma_ho_so", "ngay_tiep_nhan", "ngay_hen_tra", "trang_thai")
# Other headers seen in exports, besides the canonical name and its label.
_ALIASES = {
    "ma_ho_so": ("Số hồ sơ",),
    "ma_thu_tuc": ("Mã TTHC",),
    "ten_thu_tuc": ("Thủ tục", "Tên TTHC", "Tên thủ tục hành chính"),
    "ho_ten": ("Họ và tên", "Họ tên người nộp", "Người nộp", "Tên người nộp", "Chủ hồ sơ", "Họ tên chủ hồ sơ"),
    "so_dien_thoai": ("Điện thoại", "SĐT", "Số ĐT"),
    "ngay_tiep_nhan": ("Ngày nhận", "Thời gian tiếp nhận"),
    "ngay_hen_tra": ("Ngày hẹn trả kết quả", "Hẹn trả", "Thời gian hẹn trả"),
    "trang_thai": ("Trạng thái hồ sơ", "Tình trạng"),
    "buoc_xu_ly": ("Bước hiện tại", "Bước xử lý hiện tại"),
    "ngay_hen_moi": ("Ngày hẹn trả mới", "Hẹn trả mới"),
    "ly_do_tre_han": ("Lý do quá hạn", "Lý do chậm"),
}
_PERSONAL = ("ho_ten", "so_dien_thoai")
_TITLE_ROWS = 10  # title rows allowed above the header
_BATCH = 1000  # rows per progress() call


@dataclass(frozen=True)
class DossierRow:
    """A valid row; received_at, due_at and status are always set in rows read from a file."""

    line: int  # spreadsheet row number (0: not from a file)
    code: str  # canonical dossier code
    procedure_code: str | None
    procedure_name: str | None
    applicant_name: str | None
    phone: str | None  # 10 digits, leading 0
    received_at: datetime | None  # None only in pushed events about a known dossier
    due_at: datetime | None
    status: DossierStatus | None
    step: str | None
    new_due_at: datetime | None
    late_reason: str | None


@dataclass(frozen=True)
class RowError:
    line: int | None  # None: the file as a whole
    column: str | None  # canonical column name
    value: str  # as given, personal data masked
    reason: str

    def __str__(self) -> str:
        where = f"Dòng {self.line}" if self.line else "Tệp"
        if self.column:
            where += f", cột {COLUMNS[self.column]}"
        shown = f" (giá trị: '{self.value}')" if self.value and self.value not in self.reason else ""
        return f"{where}: {self.reason}{shown}"


@dataclass
class SheetReport:
    rows: list[DossierRow] = field(default_factory=list)
    errors: list[RowError] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class _FileError(Exception):
    """The file as a whole cannot be read."""


class _Invalid(Exception):
    """A cell value is wrong; the message is the reason ("{value}" stands for the shown value)."""


def read_dossier_file(path: Path, progress: Callable[[int], None] | None = None) -> SheetReport:
    """Rows, errors and warnings of a .csv or .xlsx export; ``progress(n)`` after every n rows."""
    path = Path(path)
    report = SheetReport()
    suffix = path.suffix.lower()
    try:
        if suffix == ".csv":
            rows = _csv_rows(path.read_bytes(), report.warnings)
        elif suffix == ".xlsx":
            with path.open("rb") as fh, closing(_xlsx_rows(fh)) as rows:
                return _read(rows, report, progress)
        elif suffix == ".xls":
            raise _FileError("định dạng .xls cũ chưa hỗ trợ: mở bằng Excel và lưu lại thành .xlsx hoặc .csv")
        else:
            raise _FileError(f"chỉ nhận tệp .csv hoặc .xlsx (tệp này là '{suffix or 'không có đuôi'}')")
        return _read(rows, report, progress)
    except _FileError as e:
        report.errors.append(RowError(None, None, "", str(e)))
        return report


# --- reading ---------------------------------------------------------------------------------


def _decode(data: bytes) -> tuple[str, str]:
    encodings = ("utf-16",) if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else ("utf-8-sig", "cp1258")
    for encoding in encodings:
        try:
            return data.decode(encoding), encoding
        except UnicodeDecodeError:
            continue
    raise _FileError("không đọc được bảng mã của tệp CSV: hãy lưu lại với bảng mã UTF-8")


def _sniff(text: str) -> str:
    """The delimiter among , ; tab that splits a header row with the dossier code column."""
    head = text[:65536]
    best, width = ",", 0
    for delimiter in (",", ";", "\t"):
        try:
            for i, cells in enumerate(csv.reader(io.StringIO(head, newline=""), delimiter=delimiter)):
                if i > 3 * _TITLE_ROWS:
                    break
                if any(_BY_KEY.get(_key(c)) == "ma_ho_so" for c in cells):
                    filled = sum(1 for c in cells if c.strip())
                    if filled > width:
                        best, width = delimiter, filled
                    break
        except csv.Error:
            continue
    return best


def _csv_rows(data: bytes, warnings: list[str]) -> Iterator[tuple[int, Sequence[object]]]:
    text, encoding = _decode(data)
    if encoding == "cp1258":
        warnings.append("tệp không phải UTF-8: đã đọc theo bảng mã Windows-1258, hãy kiểm tra dấu tiếng Việt")
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_sniff(text))
    line = 0
    try:
        for line, cells in enumerate(reader, 1):
            yield line, cells
    except csv.Error as e:
        raise _FileError(f"tệp CSV hỏng ở dòng {line + 1}: {e}") from None


def _xlsx_rows(fh) -> Iterator[tuple[int, Sequence[object]]]:
    from openpyxl import load_workbook  # slow import, only for Excel files

    try:
        book = load_workbook(fh, read_only=True, data_only=True)
    except Exception:  # zip, XML or openpyxl errors: all mean the same to the official
        raise _FileError(
            "không mở được tệp Excel: tệp hỏng hoặc không phải .xlsx (tệp .xls cũ: lưu lại thành .xlsx)"
        ) from None
    line = 0
    try:
        if not book.worksheets:
            raise _FileError("tệp Excel không có trang tính nào")
        sheet = book.worksheets[0]
        sheet.reset_dimensions()  # some exporters write a wrong size; read what is there
        for line, cells in enumerate(sheet.iter_rows(values_only=True), 1):
            yield line, cells
    except _FileError:
        raise
    except Exception:
        raise _FileError(f"tệp Excel hỏng ở dòng {line + 1}") from None
    finally:
        book.close()


# --- header ----------------------------------------------------------------------------------

_NOTE = re.compile(r"\(.*?\)|\[.*?\]")  # "Ngày tiếp nhận (dd/mm/yyyy)"
_NOT_ALNUM = re.compile(r"[^a-z0-9]+")


def _key(header: str) -> str:
    """Header compared without case, diacritics, spaces, underscores or dots."""
    text = _NOTE.sub("", unicodedata.normalize("NFC", header))
    return _NOT_ALNUM.sub("", strip_diacritics(text).lower())


_BY_KEY = {
    _key(name): column
    for column, label in COLUMNS.items()
    for name in (column, label, *_ALIASES.get(column, ()))
}


def _letter(index: int) -> str:
    """Spreadsheet column letter of a 0-based index (0 → A, 26 → AA)."""
    letters, index = "", index + 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def _find_header(rows: Iterator[tuple[int, Sequence[object]]]) -> tuple[int, Sequence[object]]:
    seen = 0
    for line, cells in rows:
        if all(_blank(c) for c in cells):
            continue
        if any(_BY_KEY.get(_key(_text(c))) == "ma_ho_so" for c in cells):
            return line, cells
        seen += 1
        if seen > _TITLE_ROWS:
            break
    raise _FileError(f"không tìm thấy dòng tiêu đề có cột 'Mã hồ sơ' trong {_TITLE_ROWS + 1} dòng đầu")


def _columns(line: int, cells: Sequence[object], report: SheetReport) -> dict[str, int] | None:
    """Canonical column → index; None (with errors) when a column is missing or doubled."""
    found: dict[str, int] = {}
    fine = True
    for i, cell in enumerate(cells):
        header = _text(cell)
        if not header:
            continue
        column = _BY_KEY.get(_key(header))
        if column is None:
            report.warnings.append(f"bỏ qua cột không dùng: '{header}' (cột {_letter(i)})")
        elif column in found:
            fine = False
            twice = f"cột có hai lần: cột {_letter(found[column])} và cột {_letter(i)}"
            report.errors.append(RowError(line, column, header, twice))
        else:
            found[column] = i
    for column in REQUIRED:
        if column not in found:
            fine = False
            report.errors.append(RowError(line, column, "", f"thiếu cột bắt buộc '{COLUMNS[column]}'"))
    return found if fine else None


# --- rows ------------------------------------------------------------------------------------


def _read(rows: Iterator[tuple[int, Sequence[object]]], report: SheetReport, progress) -> SheetReport:
    header_line, header = _find_header(rows)
    columns = _columns(header_line, header, report)
    if columns is None:
        return report
    seen: dict[str, int] = {}  # canonical code → first line
    skipped: list[int] = []
    pending = 0
    for line, cells in rows:
        pending += 1
        if progress and pending == _BATCH:
            progress(pending)
            pending = 0
        raw = {column: cells[i] if i < len(cells) else None for column, i in columns.items()}
        if all(_blank(v) for v in raw.values()):
            if not all(_blank(c) for c in cells):
                skipped.append(line)  # a footer such as "Tổng cộng: 120 hồ sơ"
            continue
        _row(line, raw, seen, report)
    if progress and pending:
        progress(pending)
    if skipped:
        lines = ", ".join(map(str, skipped[:10])) + ("…" if len(skipped) > 10 else "")
        report.warnings.append(f"bỏ qua {len(skipped)} dòng không có dữ liệu ở các cột hồ sơ (dòng {lines})")
    if not report.rows and not report.errors:
        report.errors.append(RowError(None, None, "", f"không có dòng hồ sơ nào dưới dòng tiêu đề (dòng {header_line})"))
    return report


def _row(line: int, raw: dict[str, object], seen: dict[str, int], report: SheetReport) -> None:
    row, errors = read_record(raw, line=line)
    code = row.code if row else _valid_code(raw)
    if code is not None:
        if code in seen:
            errors.insert(0, RowError(line, "ma_ho_so", code, f"mã hồ sơ trùng với dòng {seen[code]}"))
        else:
            seen[code] = line
    if errors:
        report.errors.extend(errors)
    else:
        report.rows.append(row)


def _valid_code(raw: Mapping[str, object]) -> str | None:
    try:
        return None if _blank(raw.get("ma_ho_so")) else _code(raw["ma_ho_so"])
    except _Invalid:
        return None


def read_record(
    values: Mapping[str, object], required: Sequence[str] = REQUIRED, line: int = 0
) -> tuple[DossierRow | None, list[RowError]]:
    """One record (canonical column → value: a file row or a pushed event) checked like a file
    row, without the duplicate check; a column not in ``required`` may be absent (None)."""
    errors: list[RowError] = []
    personal = [t for t in (_text(values.get(c)) for c in _PERSONAL) if len(t) > 2]

    def get(column: str, parse: Callable[[object], object]):
        value = values.get(column)
        if _blank(value):
            if column in required:
                errors.append(RowError(line, column, "", "thiếu giá trị (cột bắt buộc)"))
            return None
        try:
            return parse(value)
        except _Invalid as e:
            shown = _shown(column, value, personal)
            errors.append(RowError(line, column, shown, str(e).replace("{value}", shown)))
            return None

    code = get("ma_ho_so", _code)
    procedure_code = get("ma_thu_tuc", _procedure_code)
    phone = get("so_dien_thoai", _phone)
    received_at = get("ngay_tiep_nhan", _datetime)
    due_at = get("ngay_hen_tra", _datetime)
    new_due_at = get("ngay_hen_moi", _datetime)
    status = get("trang_thai", _status)
    if received_at is not None:
        for column, when in (("ngay_hen_tra", due_at), ("ngay_hen_moi", new_due_at)):
            if when is not None and when.date() < received_at.date():
                reason = f"{COLUMNS[column].lower()} trước ngày tiếp nhận ({received_at:%d/%m/%Y})"
                errors.append(RowError(line, column, f"{when:%d/%m/%Y}", reason))
    if errors:
        return None, errors
    return DossierRow(
        line=line, code=code, procedure_code=procedure_code,
        procedure_name=_text(values.get("ten_thu_tuc")) or None,
        applicant_name=_text(values.get("ho_ten")) or None, phone=phone,
        received_at=received_at, due_at=due_at, status=status,
        step=_text(values.get("buoc_xu_ly")) or None, new_due_at=new_due_at,
        late_reason=_text(values.get("ly_do_tre_han")) or None,
    ), []  # fmt: skip


# --- values ----------------------------------------------------------------------------------


def _blank(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _text(value: object) -> str:
    """A cell as single-spaced NFC text; whole numbers without '.0'."""
    if value is None:
        return ""
    if isinstance(value, str):
        return " ".join((value if value.isascii() else unicodedata.normalize("NFC", value)).split())
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, datetime):
        return f"{value:%d/%m/%Y %H:%M}"
    if isinstance(value, date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def _shown(column: str, value: object, personal: Sequence[str] = ()) -> str:
    """The value for an error message: personal columns fully masked; elsewhere phone numbers,
    e-mails and the row's own name and phone (a shifted column) replaced; short."""
    text = _text(value)
    if column in _PERSONAL:
        return re.sub(r"[^\W_]", "*", text)
    for data in personal:
        text = text.replace(data, "[đã ẩn]")
    text = mask_personal_data(text)
    return text if len(text) <= 60 else text[:59] + "…"


def _code(value: object) -> str:
    code = parse_dossier_code(_text(value))
    if code is None:
        raise _Invalid("mã hồ sơ không đúng dạng 000.00.29.H56-250315-0007")
    return str(code)


_PROCEDURE_CODE = re.compile(r"\d\.\d{6}")


def _procedure_code(value: object) -> str:
    text = f"{value:.6f}" if isinstance(value, float) else _text(value)  # Excel made it a number
    if not _PROCEDURE_CODE.fullmatch(text):
        raise _Invalid("mã thủ tục không đúng dạng 1.001193")
    return text


_NOT_DIGIT = re.compile(r"\D")


def _phone(value: object) -> str:
    text = _text(value)
    digits = _NOT_DIGIT.sub("", text)
    if text.startswith("+84") or (digits.startswith("84") and len(digits) in (11, 12)):
        digits = "0" + digits[2:]
    elif len(digits) == 9 and not digits.startswith("0") or len(digits) == 10 and digits.startswith("2"):
        digits = "0" + digits  # Excel dropped the leading zero of a number cell
    if not (len(digits) == 10 and digits.startswith("0") or len(digits) == 11 and digits.startswith("02")):
        raise _Invalid("số điện thoại phải có 10 chữ số (máy bàn 11 chữ số), bắt đầu bằng 0 hoặc +84")
    return digits


def _status(value: object) -> DossierStatus:
    status = parse_status(_text(value))
    if status is None:
        raise _Invalid(f"trạng thái không nhận ra: '{{value}}' (dùng: {KNOWN_WORDINGS})")
    return status


_TIME = r"(\d{1,2})[:hH](\d{2})(?::(\d{2}))?"
_DMY = re.compile(rf"(\d{{1,2}})[/.-](\d{{1,2}})[/.-](\d{{4}})(?:[ T,]+{_TIME})?")
_TIME_DMY = re.compile(rf"{_TIME}[ ,]+(\d{{1,2}})[/.-](\d{{1,2}})[/.-](\d{{4}})")  # "08:30 15/03/2025"
_YMD = re.compile(rf"(\d{{4}})-(\d{{1,2}})-(\d{{1,2}})(?:[ T]{_TIME}(?:\.\d+)?)?")
_EXCEL_EPOCH = datetime(1899, 12, 30)


def _datetime(value: object) -> datetime:
    """A naive local datetime from a date cell, an Excel serial or text; no time → 00:00."""
    if isinstance(value, datetime):
        when = value.replace(tzinfo=None)
    elif isinstance(value, date):
        when = datetime.combine(value, time())
    elif isinstance(value, (int, float)) and not isinstance(value, bool):
        if not 36526 <= value < 73051:  # 2000–2099 as Excel day numbers
            raise _Invalid("ngày không hợp lệ: dùng dd/mm/yyyy hoặc yyyy-mm-dd")
        when = _EXCEL_EPOCH + timedelta(days=value)
        when = when.replace(microsecond=0)
    else:
        when = _parse_date_text(_text(value))
    if not 2000 <= when.year <= 2099:
        raise _Invalid(f"năm {when.year} không hợp lệ (2000–2099)")
    return when


def _parse_date_text(text: str) -> datetime:
    if m := _DMY.fullmatch(text):
        d, mo, y, h, mi, s = m.groups()
    elif m := _TIME_DMY.fullmatch(text):
        h, mi, s, d, mo, y = m.groups()
    elif m := _YMD.fullmatch(text):
        y, mo, d, h, mi, s = m.groups()
    else:
        raise _Invalid("ngày không hợp lệ: dùng dd/mm/yyyy hoặc yyyy-mm-dd")
    d, mo, y = int(d), int(mo), int(y)
    if not 1 <= mo <= 12:
        raise _Invalid(f"tháng {mo} không có (dd/mm/yyyy: ngày trước, tháng sau)")
    try:
        day = date(y, mo, d)
    except ValueError:
        raise _Invalid(f"ngày {d:02d}/{mo:02d}/{y} không có trong lịch") from None
    if h is None:
        return datetime.combine(day, time())
    try:
        return datetime.combine(day, time(int(h), int(mi), int(s or 0)))
    except ValueError:
        raise _Invalid(f"giờ không hợp lệ: {h}:{mi}") from None
