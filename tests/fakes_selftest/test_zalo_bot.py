"""FakeZaloBot: Telegram-like JSON API with Zalo's differences."""

from __future__ import annotations

from typing import Any

import json

import aiohttp

from fakes.zalo_bot import FakeZaloBot
from fakes.zalo_bot_events import (
    SECRET_HEADER,
    deliver_event,
    secret_headers,
    text_event,
    wrap,
)

from .helpers import Capture


async def call(
    http: aiohttp.ClientSession, fake: FakeZaloBot, method: str, body: dict[str, Any] | None = None,
    token: str | None = None,
) -> tuple[int, dict[str, Any]]:
    """POST a JSON Bot API call; return (status, json)."""
    url = f"{fake.base_url}/bot{token or fake.token}/{method}"
    async with http.post(url, json=body or {}) as resp:
        return resp.status, await resp.json()


async def test_get_me_and_wrong_token(
    fake_zalo_bot: FakeZaloBot, http: aiohttp.ClientSession
) -> None:
    status, body = await call(http, fake_zalo_bot, "getMe")
    assert status == 200 and body["ok"] is True
    assert set(body["result"]) == {"id", "account_name", "account_type", "can_join_groups"}
    assert await call(http, fake_zalo_bot, "getMe", token="1:bad") == (
        401, {"ok": False, "error_code": 401, "description": "Unauthorized"})


async def test_send_message_recorded(
    fake_zalo_bot: FakeZaloBot, http: aiohttp.ClientSession
) -> None:
    hi = {"chat_id": "12345", "text": "hi"}
    status, body = await call(http, fake_zalo_bot, "sendMessage", hi)
    assert status == 200 and body["result"]["message_id"]
    (recorded,) = await fake_zalo_bot.wait_for_calls("sendMessage")
    assert recorded.params == {"chat_id": "12345", "text": "hi"}
    assert fake_zalo_bot.sent_texts("12345") == ["hi"]
    too_long = {"chat_id": "1", "text": "a" * 2001}
    status, body = await call(http, fake_zalo_bot, "sendMessage", too_long)
    assert status == 400 and body["ok"] is False and body["error_code"] == 400


async def test_get_updates_408_when_idle_then_one_object(
    fake_zalo_bot: FakeZaloBot, http: aiohttp.ClientSession
) -> None:
    fake_zalo_bot.max_poll_timeout = 0.1
    assert await call(http, fake_zalo_bot, "getUpdates", {"timeout": "30"}) == (
        408, {"ok": False, "description": "Request timeout"})
    event = text_event("xin chào")
    fake_zalo_bot.push_update(event)
    assert await call(http, fake_zalo_bot, "getUpdates", {"timeout": "30"}) == (
        200, {"ok": True, "result": event})


async def test_webhook_lifecycle(
    fake_zalo_bot: FakeZaloBot, http: aiohttp.ClientSession
) -> None:
    assert (await call(http, fake_zalo_bot, "getWebhookInfo"))[0] == 404
    hook = {"url": "https://example.com/zalo/bot/webhook", "secret_token": "short"}
    assert (await call(http, fake_zalo_bot, "setWebhook", hook))[0] == 400
    hook["secret_token"] = "long-enough-secret"
    assert (await call(http, fake_zalo_bot, "setWebhook", hook))[0] == 200
    status, body = await call(http, fake_zalo_bot, "getWebhookInfo")
    assert status == 200 and body["result"]["url"] == hook["url"]
    assert (await call(http, fake_zalo_bot, "getUpdates"))[0] == 409
    assert (await call(http, fake_zalo_bot, "deleteWebhook"))[0] == 200
    assert (await call(http, fake_zalo_bot, "getWebhookInfo"))[0] == 404


async def test_scripted_errors(
    fake_zalo_bot: FakeZaloBot, http: aiohttp.ClientSession
) -> None:
    fake_zalo_bot.fail_next("sendMessage", 429, retry_after=2)
    status, body = await call(http, fake_zalo_bot, "sendMessage", {"chat_id": "1", "text": "x"})
    assert status == 429 and body["parameters"] == {"retry_after": 2}
    fake_zalo_bot.fail_next("sendMessage", 403)
    assert (await call(http, fake_zalo_bot, "sendMessage", {"chat_id": "1", "text": "x"}))[0] == 403
    assert fake_zalo_bot.sent == []


def test_event_builders() -> None:
    event = text_event("hi", message_id="44", date=1750000000000)
    assert event == {"event_name": "message.text.received", "message": {
        "message_id": "44", "date": 1750000000000, "text": "hi",
        "from": {"id": "67890", "display_name": "An", "is_bot": False},
        "chat": {"id": "12345", "chat_type": "PRIVATE"}}}
    assert wrap(event) == {"ok": True, "result": event}
    assert secret_headers("s3cret-token") == {SECRET_HEADER: "s3cret-token"}


async def test_deliver_event_flat_and_wrapped(capture: Capture) -> None:
    event = text_event("hi")
    await deliver_event(capture.url, event, "s3cret-token")
    await deliver_event(capture.url, event, wrapped=True)
    (headers, flat), (bare, wrapped) = capture.requests
    assert headers[SECRET_HEADER] == "s3cret-token" and SECRET_HEADER not in bare
    assert json.loads(flat) == event and json.loads(wrapped) == {"ok": True, "result": event}
