"""Fixtures for the fakes' self-tests."""

from __future__ import annotations

from collections.abc import AsyncIterator

import aiohttp
import pytest
from telegram import Bot

from fakes.fixtures import fake_telegram, fake_zalo_bot, fake_zalo_oa  # noqa: F401
from fakes.telegram_api import FakeTelegramAPI

from .helpers import Capture, serve_capture


@pytest.fixture
async def bot(fake_telegram: FakeTelegramAPI) -> AsyncIterator[Bot]:  # noqa: F811
    """A real PTB ``Bot`` talking to the fake (initialised, so getMe was called)."""
    async with Bot(fake_telegram.token, base_url=f"{fake_telegram.base_url}/bot") as real_bot:
        yield real_bot


@pytest.fixture
async def http() -> AsyncIterator[aiohttp.ClientSession]:
    """A plain aiohttp client session."""
    async with aiohttp.ClientSession() as session:
        yield session


@pytest.fixture
async def capture() -> AsyncIterator[Capture]:
    """A local ``POST /hook`` endpoint recording what gets delivered to it."""
    async with serve_capture() as captured:
        yield captured
