"""Local fakes of the Telegram Bot API, Zalo OA API v3 and Zalo Bot API for offline tests.

Import as ``fakes`` (``from fakes import FakeTelegramAPI``): pytest puts ``tests/`` on
``sys.path`` because ``tests/conftest.py`` has no package above it. Don't mix with
``tests.fakes`` (also importable under ``python -m pytest``): that would load a second copy.
Fixtures live in :mod:`fakes.fixtures`.
"""

from .base import FakeAPI, RecordedCall, Reply, Scripted, UploadedFile, WebhookResult
from .telegram_api import FakeTelegramAPI
from .zalo_bot import FakeZaloBot
from .zalo_oa import FakeZaloOA

__all__ = [
    "FakeAPI",
    "FakeTelegramAPI",
    "FakeZaloBot",
    "FakeZaloOA",
    "RecordedCall",
    "Reply",
    "Scripted",
    "UploadedFile",
    "WebhookResult",
]
