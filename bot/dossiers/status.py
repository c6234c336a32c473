"""Dossier statuses and the Vietnamese wordings of one-stop software that name them."""
from __future__ import annotations

import re
from enum import Enum
from functools import lru_cache

from bot.nlp.text import clean, strip_diacritics


class DossierStatus(str, Enum):
    RECEIVED = "received"
    PROCESSING = "processing"
    SUPPLEMENT_REQUESTED = "supplement_requested"
    PAUSED = "paused"
    READY = "ready"
    RETURNED = "returned"
    REJECTED = "rejected"
    WITHDRAWN = "withdrawn"

    @property
    def label(self) -> str:
        """How the status is told to a citizen."""
        return _LABELS[self]


_LABELS = {
    DossierStatus.RECEIVED: "đã tiếp nhận",
    DossierStatus.PROCESSING: "đang xử lý",
    DossierStatus.SUPPLEMENT_REQUESTED: "cần bổ sung giấy tờ",
    DossierStatus.PAUSED: "tạm dừng",
    DossierStatus.READY: "đã có kết quả, chờ nhận",
    DossierStatus.RETURNED: "đã trả kết quả",
    DossierStatus.REJECTED: "bị từ chối",
    DossierStatus.WITHDRAWN: "đã rút",
}

DONE = frozenset({DossierStatus.READY, DossierStatus.RETURNED})  # the result exists
FINISHED = DONE | {DossierStatus.REJECTED, DossierStatus.WITHDRAWN}  # the body's work is done

# The wording the officials know, quoted back when a status is not recognised.
KNOWN_WORDINGS = (
    "Đã tiếp nhận, Đang xử lý, Yêu cầu bổ sung, Tạm dừng, Chờ trả kết quả, "
    "Đã trả kết quả, Từ chối, Rút hồ sơ"
)

# Phrases (no diacritics, whole words) checked in this order: the first status with a phrase
# inside the text wins, so "đã trả lại hồ sơ" is a rejection before it is a "đã trả", and
# "không được tiếp nhận" before "tiếp nhận".
_PHRASES: tuple[tuple[DossierStatus, tuple[str, ...]], ...] = (
    # "chưa …" negates what follows: still being handled
    (DossierStatus.PROCESSING, ("chua hoan thanh", "chua tra", "chua co ket qua", "chua giai quyet xong",
                                "chua xu ly xong", "nghia vu tai chinh")),
    (DossierStatus.REJECTED, ("tu choi", "khong giai quyet", "tra lai ho so", "khong duoc tiep nhan", "khong tiep nhan")),
    (DossierStatus.WITHDRAWN, ("rut ho so", "da rut", "xin rut", "da huy", "huy ho so")),
    (DossierStatus.SUPPLEMENT_REQUESTED, ("yeu cau bo sung", "bo sung ho so", "cho bo sung", "bo sung giay to", "can bo sung")),
    (DossierStatus.PAUSED, ("tam dung", "dung xu ly")),
    (DossierStatus.RETURNED, ("da tra ket qua", "da tra", "hoan thanh")),
    (DossierStatus.READY, ("cho tra ket qua", "cho tra", "co ket qua", "da xu ly", "xu ly xong", "da giai quyet")),
    (DossierStatus.PROCESSING, ("dang xu ly", "dang giai quyet", "dang thu ly", "cho xu ly", "dang tham dinh")),
    (DossierStatus.RECEIVED, ("tiep nhan", "moi dang ky")),
)
_NON_WORD = re.compile(r"[\W_]+")


@lru_cache(maxsize=1024)
def parse_status(text: str) -> DossierStatus | None:
    """The status a one-stop software wording (or an enum value) names, or None."""
    words = _NON_WORD.sub(" ", strip_diacritics(clean(text)).lower()).strip()
    if not words:
        return None
    try:
        return DossierStatus(words.replace(" ", "_"))
    except ValueError:
        pass
    padded = f" {words} "
    for status, phrases in _PHRASES:
        if any(f" {p} " in padded for p in phrases):
            return status
    return None
