"""Dossier codes (mã hồ sơ, Circular 01/2018/TT-VPCP art. 19): ``000.00.29.H56-250315-0007``.

The receiving unit's electronic identifier ``DDD.DD.DD.LDD``, the date received ``YYMMDD`` and
the sequence of the day ``NNNN``. People retype codes with spaces, lowercase letters, missing
or other separators; the receipt's QR code may hold a URL with percent-encoded separators.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date

_UNIT = re.compile(r"[0-9]{3}\.[0-9]{2}\.[0-9]{2}\.[A-Z][0-9]{2}")
# Horizontal blanks (incl. no-break and zero-width spaces), never line breaks. Possessive
# quantifiers keep a long run of blanks from being split in many ways (no backtracking blow-up).
_BLANK = r"[ \t\u00a0\u2000-\u200b\u202f\u205f\u3000\ufeff]*+"
_SEP = rf"{_BLANK}[-._/\u2010-\u2015\u2212]?{_BLANK}"
_CODE = re.compile(
    r"(?<![^\W_])"  # not glued to a preceding letter or digit
    rf"([0-9]{{3}}){_SEP}([0-9]{{2}}){_SEP}([0-9]{{2}}){_SEP}([A-Za-z][0-9]{{2}}){_SEP}"
    rf"([0-9]{{2}}(?:0[1-9]|1[0-2])(?:0[1-9]|[12][0-9]|3[01])){_SEP}((?!0000)[0-9]{{4}})"
    r"(?![^\W_])"  # nor to a following one
)
# Percent-escapes of ASCII punctuation and blanks (%2D, %2E, %20, %3D...) from QR URLs.
_ESCAPE = re.compile(r"%([0-7][0-9A-Fa-f])")


@dataclass(frozen=True)
class DossierCode:
    """A valid dossier code; ``str()`` gives the canonical form."""

    unit: str  # canonical "000.00.29.H56"
    received: date
    sequence: int  # 1..9999

    def __post_init__(self) -> None:
        if not (_UNIT.fullmatch(self.unit) and 2000 <= self.received.year <= 2099 and 1 <= self.sequence <= 9999):
            raise ValueError(f"not a dossier code: {self.unit!r} {self.received} {self.sequence}")

    @property
    def canonical(self) -> str:
        return f"{self.unit}-{self.received:%y%m%d}-{self.sequence:04d}"

    def __str__(self) -> str:
        return self.canonical


def _unescape(text: str) -> str:
    def punctuation(m: re.Match[str]) -> str:
        char = chr(int(m.group(1), 16))
        return m.group() if char.isalnum() else char  # an escape never forms part of a code

    return _ESCAPE.sub(punctuation, text) if "%" in text else text


def _code(m: re.Match[str]) -> DossierCode | None:
    v, z, y, m_, ymd, seq = m.groups()
    try:
        received = date(2000 + int(ymd[:2]), int(ymd[2:4]), int(ymd[4:]))
    except ValueError:  # 30 February, 31 April...
        return None
    return DossierCode(f"{v}.{z}.{y}.{m_.upper()}", received, int(seq))


def parse_dossier_code(text: str) -> DossierCode | None:
    """The code that ``text`` is (in any typing variant), or None."""
    m = _CODE.fullmatch(_unescape(text).strip())
    return _code(m) if m else None


def find_dossier_codes(text: str) -> list[DossierCode]:
    """Every valid code anywhere in ``text``, in order of appearance, without repeats."""
    codes = (_code(m) for m in _CODE.finditer(_unescape(text)))
    return list(dict.fromkeys(code for code in codes if code))
