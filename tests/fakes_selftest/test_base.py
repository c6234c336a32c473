"""Body parsing, recording, scripting and waiting shared by all fakes."""

from __future__ import annotations

import asyncio

import aiohttp
import pytest

from fakes.base import UploadedFile
from fakes.telegram_api import FakeTelegramAPI


async def test_form_json_and_multipart_bodies(
    fake_telegram: FakeTelegramAPI, http: aiohttp.ClientSession
) -> None:
    url = f"{fake_telegram.base_url}/bot{fake_telegram.token}/sendMessage"
    form = {"chat_id": "555", "text": "123", "reply_markup": '{"inline_keyboard":[]}'}
    async with http.post(url, data=form) as resp:
        assert resp.status == 200
    assert fake_telegram.calls[-1].params == {
        "chat_id": 555, "text": "123", "reply_markup": {"inline_keyboard": []}}
    async with http.post(url, json={"chat_id": 555, "text": "json"}) as resp:
        assert (await resp.json())["result"]["text"] == "json"
    data = aiohttp.FormData()
    data.add_field("chat_id", "555")
    data.add_field("text", "multi")
    data.add_field("document", b"%PDF", filename="a.pdf", content_type="application/pdf")
    async with http.post(url, data=data) as resp:
        assert resp.status == 200
    params = fake_telegram.calls[-1].params
    assert params["chat_id"] == 555 and params["text"] == "multi"
    assert params["document"] == UploadedFile("a.pdf", "application/pdf", b"%PDF")


async def test_get_me_by_get_unknown_method_and_bad_json(
    fake_telegram: FakeTelegramAPI, http: aiohttp.ClientSession
) -> None:
    base = f"{fake_telegram.base_url}/bot{fake_telegram.token}"
    async with http.get(f"{base}/getme") as resp:
        assert (await resp.json())["result"]["username"] == "fake_bot"
    assert fake_telegram.last_call().method == "getMe"
    async with http.post(f"{base}/noSuchMethod") as resp:
        assert (resp.status, (await resp.json())["description"]) == (404, "Not Found")
    async with http.post(f"{base}/sendMessage", data=b"{",
                         headers={"Content-Type": "application/json"}) as resp:
        assert resp.status == 400


async def test_wait_for_calls_and_sticky_script(
    fake_telegram: FakeTelegramAPI, http: aiohttp.ClientSession
) -> None:
    url = f"{fake_telegram.base_url}/bot{fake_telegram.token}/sendChatAction"
    fake_telegram.fail_next("sendChatAction", 500, times=None, delay=0.05)

    async def later() -> None:
        await asyncio.sleep(0.05)
        for _ in range(2):
            async with http.post(url, data={"chat_id": "1", "action": "typing"}) as resp:
                assert resp.status == 500

    task = asyncio.create_task(later())
    calls = await fake_telegram.wait_for_calls("sendChatAction", 2, timeout=2)
    await task
    assert [c.scripted for c in calls] == [True, True]
    fake_telegram.clear_scripts()
    async with http.post(url, data={"chat_id": "1", "action": "typing"}) as resp:
        assert resp.status == 200
    with pytest.raises(AssertionError, match="expected 1 answered call"):
        await fake_telegram.wait_for_calls("sendMessage", timeout=0.05)
