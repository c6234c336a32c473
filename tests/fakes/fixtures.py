"""Pytest fixtures serving each fake on a random 127.0.0.1 port for one test.

Use them by importing into a conftest or test module::

    from fakes.fixtures import fake_telegram, fake_zalo_bot, fake_zalo_oa  # noqa: F401

Each fixture yields the fake with ``fake.base_url`` set (e.g. ``http://127.0.0.1:41234``).
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from .telegram_api import FakeTelegramAPI
from .zalo_bot import FakeZaloBot
from .zalo_oa import FakeZaloOA


@pytest.fixture
async def fake_telegram() -> AsyncIterator[FakeTelegramAPI]:
    """A served :class:`FakeTelegramAPI` (getUpdates waits at most 2 s)."""
    fake = FakeTelegramAPI(max_poll_timeout=2.0)
    async with fake.serve():
        yield fake


@pytest.fixture
async def fake_zalo_oa() -> AsyncIterator[FakeZaloOA]:
    """A served :class:`FakeZaloOA` (same base URL for the OA and OAuth hosts)."""
    fake = FakeZaloOA()
    async with fake.serve():
        yield fake


@pytest.fixture
async def fake_zalo_bot() -> AsyncIterator[FakeZaloBot]:
    """A served :class:`FakeZaloBot` (idle getUpdates answers 408 after at most 1 s)."""
    fake = FakeZaloBot()
    async with fake.serve():
        yield fake
