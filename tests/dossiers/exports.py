"""Real-looking dossier status exports of commune one-stop software, for tests and benchmarks.

Rows are dicts keyed by the canonical column names of :mod:`bot.dossiers.sheet`; dates are
``datetime`` and statuses the Vietnamese wordings officials see. Any value may be replaced by a
string (a malformed date, an odd status) before writing.
"""
from __future__ import annotations

import csv
import random
import unicodedata
from collections.abc import Iterable, Mapping
from datetime import datetime, timedelta
from pathlib import Path

from bot.dossiers.status import DossierStatus

HEADERS = {  # canonical column → header as exported
    "ma_ho_so": "Mã hồ sơ",
    "ma_thu_tuc": "Mã thủ tục",
    "ten_thu_tuc": "Tên thủ tục",
    "ho_ten": "Họ tên người nộp",
    "so_dien_thoai": "Số điện thoại",
    "ngay_tiep_nhan": "Ngày tiếp nhận",
    "ngay_hen_tra": "Ngày hẹn trả",
    "trang_thai": "Trạng thái",
    "buoc_xu_ly": "Bước xử lý",
    "ngay_hen_moi": "Ngày hẹn mới",
    "ly_do_tre_han": "Lý do trễ hạn",
}
TITLE_ROWS = ("ỦY BAN NHÂN DÂN XÃ TÂN PHÚ", "DANH SÁCH HỒ SƠ ĐANG GIẢI QUYẾT", "Từ ngày 01/01/2025 đến ngày 30/06/2025", "")
UNITS = ("000.00.29.H56", "000.07.29.H56", "000.12.31.H40", "000.05.21.H26")
PROCEDURES = (  # code, name, days to the due date
    ("1.001193", "Đăng ký khai sinh", 1),
    ("1.000894", "Đăng ký kết hôn", 1),
    ("1.000656", "Đăng ký khai tử", 5),
    ("1.004884", "Đăng ký lại khai sinh", 5),
    ("1.004837", "Đăng ký giám hộ", 3),
    ("2.002516", "Xác nhận thông tin hộ tịch", 1),
    ("1.001022", "Đăng ký nhận cha, mẹ, con", 3),
    ("1.004222", "Đăng ký thường trú", 7),
)
STATUS_WORDINGS = {  # wording → status, with a weight for sample_rows
    "Mới tiếp nhận": (DossierStatus.RECEIVED, 8),
    "Đã tiếp nhận": (DossierStatus.RECEIVED, 4),
    "Đang xử lý": (DossierStatus.PROCESSING, 20),
    "Đang giải quyết": (DossierStatus.PROCESSING, 5),
    "Yêu cầu bổ sung": (DossierStatus.SUPPLEMENT_REQUESTED, 5),
    "Tạm dừng": (DossierStatus.PAUSED, 1),
    "Chờ trả kết quả": (DossierStatus.READY, 10),
    "Đã có kết quả": (DossierStatus.READY, 3),
    "Đã trả kết quả": (DossierStatus.RETURNED, 35),
    "Từ chối": (DossierStatus.REJECTED, 2),
    "Trả lại hồ sơ": (DossierStatus.REJECTED, 1),
    "Công dân rút hồ sơ": (DossierStatus.WITHDRAWN, 1),
}
_STEPS = {
    DossierStatus.RECEIVED: "Tiếp nhận hồ sơ",
    DossierStatus.PROCESSING: "Công chức Tư pháp - Hộ tịch thẩm định",
    DossierStatus.SUPPLEMENT_REQUESTED: "Chờ công dân bổ sung",
    DossierStatus.PAUSED: "Tạm dừng",
    DossierStatus.READY: "Trả kết quả",
    DossierStatus.RETURNED: "Kết thúc",
    DossierStatus.REJECTED: "Kết thúc",
    DossierStatus.WITHDRAWN: "Kết thúc",
}
_FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô")
_MIDDLE = ("Văn", "Thị", "Hữu", "Đức", "Minh", "Ngọc", "Thanh", "Quốc", "Thu", "Xuân")
_GIVEN = ("An", "Bình", "Chi", "Dũng", "Hà", "Hương", "Lan", "Nam", "Phương", "Quân", "Thảo", "Tuấn", "Yến", "Khoa", "Linh", "Trường")
_PREFIXES = ("090", "091", "093", "094", "096", "097", "098", "032", "035", "038", "070", "077", "081", "084", "086", "088")
_LATE = ("Chờ xác minh thông tin hộ tịch", "Người ký vắng mặt", "Chờ kết quả xác minh nơi cư trú")


def sample_rows(n: int, seed: int = 0) -> list[dict[str, object]]:
    """``n`` deterministic rows with unique codes, received Jan–Jun 2025 in office hours."""
    rnd = random.Random(seed)
    wordings = list(STATUS_WORDINGS)
    weights = [w for _, w in STATUS_WORDINGS.values()]
    sequence: dict[tuple[str, str], int] = {}
    rows = []
    for _ in range(n):
        unit = rnd.choice(UNITS)
        day = datetime(2025, 1, 2) + timedelta(days=rnd.randrange(180))
        if day.weekday() >= 5:
            day -= timedelta(days=day.weekday() - 4)  # to Friday
        received = day + timedelta(minutes=rnd.randrange(7 * 60 + 30, 16 * 60 + 45))
        key = (unit, f"{received:%y%m%d}")
        sequence[key] = sequence.get(key, 0) + 1
        procedure, name, days = rnd.choice(PROCEDURES)
        wording = rnd.choices(wordings, weights)[0]
        status = STATUS_WORDINGS[wording][0]
        due = (day + timedelta(days=days)).replace(hour=16, minute=30)
        late = rnd.random() < 0.08 and status in (DossierStatus.PROCESSING, DossierStatus.PAUSED)
        rows.append({
            "ma_ho_so": f"{unit}-{key[1]}-{sequence[key]:04d}",
            "ma_thu_tuc": procedure,
            "ten_thu_tuc": name,
            "ho_ten": f"{rnd.choice(_FAMILY)} {rnd.choice(_MIDDLE)} {rnd.choice(_GIVEN)}",
            "so_dien_thoai": "" if rnd.random() < 0.05 else rnd.choice(_PREFIXES) + f"{rnd.randrange(10**7):07d}",
            "ngay_tiep_nhan": received,
            "ngay_hen_tra": due,
            "trang_thai": wording,
            "buoc_xu_ly": _STEPS[status],
            "ngay_hen_moi": due + timedelta(days=3) if late else None,
            "ly_do_tre_han": rnd.choice(_LATE) if late else "",
        })  # fmt: skip
    return rows


def _cells(rows: Iterable[Mapping[str, object]], headers: Mapping[str, str], stt: bool):
    yield (["STT"] if stt else []) + list(headers.values())
    for i, row in enumerate(rows, 1):
        yield ([i] if stt else []) + [row.get(column) for column in headers]


def _cp1258(text: str) -> str:
    """Windows-1258 spelling: precomposed base letters, tone marks as combining characters."""
    out = []
    for ch in text:
        decomposed = unicodedata.normalize("NFD", ch)
        tones = "".join(c for c in decomposed if c in "\u0300\u0301\u0303\u0309\u0323")
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in tones))
        out.append(base + tones)
    return "".join(out)


def write_csv(
    path: Path,
    rows: Iterable[Mapping[str, object]],
    *,
    delimiter: str = ",",
    bom: bool = True,
    encoding: str = "utf-8",
    headers: Mapping[str, str] = HEADERS,
    title_rows: Iterable[str] = (),
    stt: bool = True,
    date_format: str = "%d/%m/%Y %H:%M",
) -> Path:
    """A CSV as exported (Excel-style quoting); ``encoding='cp1258'`` for old Windows software."""
    path = Path(path)
    if encoding == "utf-8" and bom:
        encoding = "utf-8-sig"
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        for title in title_rows:
            writer.writerow([_cp1258(title) if encoding == "cp1258" else title] if title else [])
        for cells in _cells(rows, headers, stt):
            text = ["" if v is None else v.strftime(date_format) if isinstance(v, datetime) else str(v) for v in cells]
            writer.writerow([_cp1258(t) for t in text] if encoding == "cp1258" else text)
    return path


def write_xlsx(
    path: Path,
    rows: Iterable[Mapping[str, object]],
    *,
    headers: Mapping[str, str] = HEADERS,
    title_rows: Iterable[str] = TITLE_ROWS,
    stt: bool = True,
    footer: str | None = None,
) -> Path:
    """An .xlsx as exported: title rows, header, real date cells (strings and numbers as given)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    path = Path(path)
    book = Workbook(write_only=True)  # streams rows: 50,000 rows in seconds
    sheet = book.create_sheet("Danh sách hồ sơ")

    def cell(value: object) -> object:
        if not isinstance(value, datetime):
            return None if value == "" else value
        dated = WriteOnlyCell(sheet, value)
        dated.number_format = "dd/mm/yyyy hh:mm"
        return dated

    for title in title_rows:
        sheet.append([title or None])
    for cells in _cells(rows, headers, stt):
        sheet.append([cell(v) for v in cells])
    if footer:
        sheet.append([footer])
    book.save(path)
    return path
