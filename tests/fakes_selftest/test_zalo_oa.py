"""FakeZaloOA: customer-service send, token checks and OAuth refresh rotation."""

from __future__ import annotations

from typing import Any

import aiohttp

from fakes.zalo_oa import FakeZaloOA

USER = "2512523625412515"


async def send(
    http: aiohttp.ClientSession, fake: FakeZaloOA, message: dict[str, Any], token: str | None = None
) -> dict[str, Any]:
    """POST a message/cs request the way the OA API expects."""
    headers = {"access_token": token or fake.access_token}
    body = {"recipient": {"user_id": USER}, "message": message}
    async with http.post(f"{fake.base_url}/v3.0/oa/message/cs", json=body, headers=headers) as resp:
        assert resp.status == 200
        return await resp.json()


async def refresh(
    http: aiohttp.ClientSession, fake: FakeZaloOA, refresh_token: str
) -> dict[str, Any]:
    """POST the OAuth v4 refresh form."""
    form = {"app_id": fake.app_id, "grant_type": "refresh_token", "refresh_token": refresh_token}
    async with http.post(f"{fake.base_url}/v4/oa/access_token", data=form,
                         headers={"secret_key": fake.app_secret}) as resp:
        assert resp.status == 200
        return await resp.json()


async def test_send_success_and_recording(
    fake_zalo_oa: FakeZaloOA, http: aiohttp.ClientSession
) -> None:
    reply = await send(http, fake_zalo_oa, {"text": "xin chào"})
    assert reply["error"] == 0 and reply["message"] == "Success"
    assert reply["data"]["user_id"] == USER and len(reply["data"]["message_id"]) == 20
    assert reply["data"]["quota"] == {"quota_type": "reply", "remain": "8", "total": "8"}
    call = fake_zalo_oa.last_call("message/cs")
    assert call.params["message"] == {"text": "xin chào"}
    assert call.headers["access_token"] == fake_zalo_oa.access_token
    assert fake_zalo_oa.sent_texts(USER) == ["xin chào"]


async def test_text_limit_and_buttons(
    fake_zalo_oa: FakeZaloOA, http: aiohttp.ClientSession
) -> None:
    assert (await send(http, fake_zalo_oa, {"text": "a" * 2000}))["error"] == 0
    assert (await send(http, fake_zalo_oa, {"text": "a" * 2001}))["error"] == -201
    button = {"title": "Có", "type": "oa.query.hide", "payload": "#act:yes"}
    link = {"title": "Docs", "type": "oa.open.url", "payload": {"url": "https://x.vn"}}
    sdk = {"type": "template", "payload": {"buttons": [button, link]}}
    assert (await send(http, fake_zalo_oa, {"text": "Chọn", "attachment": sdk}))["error"] == 0
    community = {"type": "template",
                 "payload": {"template_type": "button", "text": "Chọn", "buttons": [button]}}
    assert (await send(http, fake_zalo_oa, {"attachment": community}))["error"] == 0
    assert fake_zalo_oa.sent[-1].text == "Chọn" and fake_zalo_oa.sent[-1].buttons == [button]
    six = {"type": "template", "payload": {"buttons": [button] * 6}}
    assert (await send(http, fake_zalo_oa, {"text": "x", "attachment": six}))["error"] == -201
    bad_url = {"type": "template", "payload": {"buttons": [{**link, "payload": {}}]}}
    assert (await send(http, fake_zalo_oa, {"text": "x", "attachment": bad_url}))["error"] == -201


async def test_wrong_token_is_216(
    fake_zalo_oa: FakeZaloOA, http: aiohttp.ClientSession
) -> None:
    reply = await send(http, fake_zalo_oa, {"text": "x"}, token="nope")
    assert reply == {"error": -216, "message": "Access token is invalid"}


async def test_refresh_rotates_and_rejects_reuse(
    fake_zalo_oa: FakeZaloOA, http: aiohttp.ClientSession
) -> None:
    old_access, old_refresh = fake_zalo_oa.access_token, fake_zalo_oa.refresh_token
    tokens = await refresh(http, fake_zalo_oa, old_refresh)
    assert set(tokens) == {"access_token", "refresh_token", "expires_in"}
    assert tokens["expires_in"] == "90000"
    assert tokens["access_token"] != old_access and tokens["refresh_token"] != old_refresh
    assert (tokens["access_token"], tokens["refresh_token"]) == (
        fake_zalo_oa.access_token, fake_zalo_oa.refresh_token)
    assert await refresh(http, fake_zalo_oa, old_refresh) == {
        "error": -14014, "error_name": "Invalid refresh token"}
    assert (await send(http, fake_zalo_oa, {"text": "x"}, token=old_access))["error"] == -216
    call = fake_zalo_oa.calls_to("access_token")[0]
    assert call.headers["secret_key"] == fake_zalo_oa.app_secret
    assert call.params["grant_type"] == "refresh_token"


async def test_scripted_216_expires_token_until_refresh(
    fake_zalo_oa: FakeZaloOA, http: aiohttp.ClientSession
) -> None:
    fake_zalo_oa.fail_next(-216)
    assert (await send(http, fake_zalo_oa, {"text": "x"}))["error"] == -216
    assert (await send(http, fake_zalo_oa, {"text": "x"}))["error"] == -216  # still expired
    await refresh(http, fake_zalo_oa, fake_zalo_oa.refresh_token)
    assert (await send(http, fake_zalo_oa, {"text": "x"}))["error"] == 0


async def test_scripted_errors(
    fake_zalo_oa: FakeZaloOA, http: aiohttp.ClientSession
) -> None:
    fake_zalo_oa.fail_user(USER, -230)
    assert (await send(http, fake_zalo_oa, {"text": "x"}))["error"] == -230
    assert (await send(http, fake_zalo_oa, {"text": "x"}))["error"] == -230
    fake_zalo_oa.clear_scripts()
    fake_zalo_oa.fail_next(-32)
    body = {"recipient": {"user_id": USER}, "message": {"text": "x"}}
    headers = {"access_token": fake_zalo_oa.access_token}
    url = f"{fake_zalo_oa.base_url}/v3.0/oa/message/cs"
    async with http.post(url, json=body, headers=headers) as resp:
        assert (await resp.json())["error"] == -32
        assert resp.headers["X-RateLimit-Remain"] == "0"
    fake_zalo_oa.fail_next_http(502)
    async with http.post(url, json=body, headers=headers) as resp:
        assert resp.status == 502
    assert (await send(http, fake_zalo_oa, {"text": "x"}))["error"] == 0
