"""Masking of personal data (Decree 13/2023): phone numbers, ID numbers, e-mails, bank accounts."""
from __future__ import annotations

import re

_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
# phone numbers (0912 345 678, +84 912345678, 0912.345.678) and 9–12 digit ID or account numbers
_LONG_NUMBER = re.compile(r"(?<![\w.-])(?:\+84|84)?\d(?:[\s.]?\d){7,12}(?![\w.-])")
_UPPER = "A-ZĐÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬÈÉẺẼẸÊỀẾỂỄỆÌÍỈĨỊÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢÙÚỦŨỤƯỪỨỬỮỰỲÝỶỸỴ"
_NAME_AFTER = re.compile(
    rf"((?i:họ và tên|họ tên|tên là|tên|tôi là|em là|cháu là)\s*:?\s+)([{_UPPER}]\w*(?:\s+[{_UPPER}]\w*){{0,4}})"
)


def mask_personal_data(text: str) -> str:
    """The text with e-mails, phone/ID/account numbers and self-given names replaced."""
    text = _EMAIL.sub("[email]", text)
    text = _LONG_NUMBER.sub("[số]", text)
    return _NAME_AFTER.sub(lambda m: m.group(1) + "[tên]", text)
