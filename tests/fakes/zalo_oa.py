"""A local fake of the Zalo Official Account API v3 and its OAuth v4 token endpoint.

One aiohttp app serves both hosts, so use the same base URL for ``ZALO_OA_API_BASE``
and ``ZALO_OAUTH_BASE``:

* ``POST /v3.0/oa/message/cs`` (recorded as method ``"message/cs"``)
* ``POST /v4/oa/access_token`` (recorded as method ``"access_token"``)

Errors come back with HTTP 200 and ``{"error": <code>, "message": ...}`` as the real API
does [U]; ``fail_next_http`` scripts genuine 5xx responses.
"""

from __future__ import annotations

import secrets
import time
from dataclasses import dataclass
from typing import Any

from aiohttp import web

from .base import FakeAPI, Matcher, Params, RecordedCall, Reply, Scripted

SEND = "message/cs"
REFRESH = "access_token"
SEND_PATH = "/v3.0/oa/message/cs"
REFRESH_PATH = "/v4/oa/access_token"

DEFAULT_APP_ID = "2553928453557884079"
DEFAULT_OA_ID = "3662729599332560487"
DEFAULT_APP_SECRET = "APP_SECRET"
MAX_TEXT_LENGTH = 2000
MAX_BUTTONS = 5
TOKEN_EXPIRES_IN = "90000"
RATE_LIMIT_HEADERS = {"X-RateLimit-Limit": "4000", "X-RateLimit-Remain": "0"}

# Wording is [U]: only the codes are documented (channels.md 2.2).
ERROR_MESSAGES: dict[int, str] = {
    -32: "Request exceeds rate limit",
    -201: "Parameters are invalid",
    -211: "Out of quota",
    -213: "User has not followed the OA",
    -216: "Access token is invalid",
    -218: "User has reached the receive limit",
    -220: "Access token has expired",
    -227: "User is banned or has been inactive for more than 45 days",
    -230: "User has not interacted with the OA in the past 7 days",
    -232: "User's last interaction has expired",
    -240: "Message API v2 has been shut down, use v3",
    -244: "User has restricted this message type",
}
TOKEN_ERRORS = {-216, -220}

# OAuth v4 errors. Only -14014 comes from the docs; the other codes are [U].
INVALID_REFRESH_TOKEN = (-14014, "Invalid refresh token")
INVALID_APP_ID = (-14002, "Invalid app_id")
INVALID_SECRET_KEY = (-14003, "Invalid secret_key")
INVALID_GRANT_TYPE = (-14001, "Invalid grant_type")

BUTTON_PAYLOAD_KEYS: dict[str, tuple[str, ...] | None] = {
    "oa.query.show": None,  # payload is a string
    "oa.query.hide": None,
    "oa.open.url": ("url",),
    "oa.open.phone": ("phone_code",),
    "oa.open.sms": ("phone_code", "content"),
}


class ZaloError(Exception):
    """An OA API error answered with HTTP 200 ``{"error": code, "message": ...}``."""

    def __init__(self, code: int, message: str | None = None) -> None:
        super().__init__(message or ERROR_MESSAGES.get(code, "Unknown error"))
        self.code = code
        self.message = str(self)

    def reply(self) -> Reply:
        headers = RATE_LIMIT_HEADERS if self.code == -32 else {}
        return Reply(200, {"error": self.code, "message": self.message}, headers)


def invalid(field: str) -> ZaloError:
    """-201 ``<field> is invalid!``."""
    return ZaloError(-201, f"{field} is invalid!")


def oauth_error(error: tuple[int, str]) -> Reply:
    """An OAuth v4 error body (HTTP 200)."""
    return Reply(200, {"error": error[0], "error_name": error[1]})


@dataclass
class SentMessage:
    """A customer-service message the fake accepted."""

    user_id: str
    text: str | None
    buttons: list[dict[str, Any]]
    message_id: str
    sent_time: str
    body: Params


def _check_button(button: Any) -> None:
    if not isinstance(button, dict):
        raise invalid("buttons")
    title = button.get("title")
    if not isinstance(title, str) or not title.strip():
        raise invalid("title")
    kind = button.get("type")
    if kind not in BUTTON_PAYLOAD_KEYS:
        raise invalid("type")
    payload, keys = button.get("payload"), BUTTON_PAYLOAD_KEYS[kind]
    if keys is None:
        if not isinstance(payload, str) or not payload:
            raise invalid("payload")
    elif not isinstance(payload, dict) or not all(payload.get(k) for k in keys):
        raise invalid("payload")


def check_attachment(attachment: Any) -> tuple[list[dict[str, Any]], str | None]:
    """Validate an attachment; return its buttons and any text inside its payload.

    Accepts the SDK shape ``{"type":"template","payload":{"buttons":[...]}}`` and the
    community shape with ``"template_type":"button"`` and ``text`` in the payload.
    """
    if attachment is None:
        return [], None
    if not isinstance(attachment, dict) or not isinstance(attachment.get("payload"), dict):
        raise invalid("attachment")
    payload = attachment["payload"]
    if attachment.get("type") != "template":
        return [], None
    buttons = payload.get("buttons", [])
    if not isinstance(buttons, list) or len(buttons) > MAX_BUTTONS:
        raise invalid("buttons")
    for button in buttons:
        _check_button(button)
    text = payload.get("text")
    return buttons, text if isinstance(text, str) else None


def recipient_of(params: Params) -> str:
    """The recipient's ``user_id`` (or ``message_id`` for replies by message id)."""
    recipient = params.get("recipient")
    if not isinstance(recipient, dict):
        raise invalid("recipient")
    target = recipient.get("user_id", recipient.get("message_id"))
    if target is None or str(target) == "":
        raise invalid("recipient")
    if "user_id" in recipient and not str(target).isdigit():
        raise invalid("user_id")
    return str(target)


def check_message(params: Params) -> tuple[str | None, list[dict[str, Any]]]:
    """Validate ``message``; return the text and buttons."""
    message = params.get("message")
    if not isinstance(message, dict):
        raise invalid("message")
    buttons, payload_text = check_attachment(message.get("attachment"))
    text = message.get("text", payload_text)
    if text is None and message.get("attachment") is None:
        raise invalid("text")
    if text is not None and (not isinstance(text, str) or not text or len(text) > MAX_TEXT_LENGTH):
        raise invalid("text")
    return text, buttons


class FakeZaloOA(FakeAPI):
    """Fake of ``/v3.0/oa/message/cs`` (+ OAuth refresh) with rotating tokens.

    Inspect ``calls``, ``sent`` (accepted messages), ``access_token``, ``refresh_token``,
    ``refresh_count``.
    """

    def __init__(
        self,
        *,
        app_id: str = DEFAULT_APP_ID,
        app_secret: str = DEFAULT_APP_SECRET,
        oa_id: str = DEFAULT_OA_ID,
        access_token: str = "fake-oa-access-1",
        refresh_token: str = "fake-oa-refresh-1",
        quota: bool = True,
    ) -> None:
        """``quota=False`` omits ``data.quota`` from success responses (it is optional)."""
        super().__init__()
        self.app_id = app_id
        self.app_secret = app_secret
        self.oa_id = oa_id
        self.access_token = access_token
        self.refresh_token = refresh_token
        self.access_token_valid = True
        self.quota = quota
        self.refresh_count = 0
        self.used_refresh_tokens: set[str] = set()
        self.sent: list[SentMessage] = []

    def add_routes(self, router: web.UrlDispatcher) -> None:
        router.add_post(SEND_PATH, self._send_route)
        router.add_post(REFRESH_PATH, self._refresh_route)

    # -- test helpers -------------------------------------------------------------
    def expire_access_token(self) -> None:
        """Invalidate the current access token (next sends get -216 until a refresh)."""
        self.access_token_valid = False

    def sent_texts(self, user_id: str | None = None) -> list[str | None]:
        """Texts of accepted messages, optionally to one user."""
        return [m.text for m in self.sent if user_id in (None, m.user_id)]

    def fail_next(
        self,
        error: int,
        message: str | None = None,
        *,
        method: str = SEND,
        times: int | None = 1,
        match: Matcher | None = None,
        delay: float = 0.0,
        expire_token: bool | None = None,
    ) -> Scripted:
        """Answer the next ``times`` calls to ``method`` with Zalo error ``error`` (HTTP 200).

        -216/-220 also expire the current access token (``expire_token`` overrides);
        -32 carries the ``X-RateLimit-*`` headers. For ``method=REFRESH`` the body is the
        OAuth shape ``{"error", "error_name"}``.
        """
        if method == REFRESH:
            reply = oauth_error((error, message or "Error"))
        else:
            reply = ZaloError(error, message).reply()
        expire = error in TOKEN_ERRORS if expire_token is None else expire_token
        effect = self.expire_access_token if expire else None
        return self.script(Scripted(method, reply, times=times, match=match, delay=delay,
                                    effect=effect))

    def fail_next_http(
        self,
        status: int,
        body: str = "Internal Server Error",
        *,
        method: str = SEND,
        times: int | None = 1,
        match: Matcher | None = None,
        delay: float = 0.0,
    ) -> Scripted:
        """Answer the next calls to ``method`` with a plain HTTP error (e.g. 502)."""
        return self.script(Scripted(method, Reply(status, body), times=times, match=match,
                                    delay=delay))

    def fail_user(self, user_id: str, error: int, *, times: int | None = None) -> Scripted:
        """Make sends to ``user_id`` fail with ``error`` (default: until cleared)."""

        def to_user(params: Params) -> bool:
            recipient = params.get("recipient")
            return isinstance(recipient, dict) and str(recipient.get("user_id")) == user_id

        return self.fail_next(error, times=times, match=to_user)

    # -- message/cs ---------------------------------------------------------------
    async def _send_route(self, request: web.Request) -> web.StreamResponse:
        return await self.record(request, SEND, self._answer_send)

    async def _answer_send(self, call: RecordedCall) -> Reply:
        token = call.headers.get("access_token")
        if not self.access_token_valid or token != self.access_token:
            return ZaloError(-216).reply()
        scripted = await self.take_script(call)
        if scripted is not None:
            return scripted
        try:
            if call.body_error or not call.params:
                raise invalid("body")
            sent = self._accept(call.params)
        except ZaloError as exc:
            return exc.reply()
        return Reply(200, {"data": self._success_data(sent), "error": 0, "message": "Success"})

    def _accept(self, params: Params) -> SentMessage:
        user_id = recipient_of(params)
        text, buttons = check_message(params)
        sent = SentMessage(
            user_id=user_id,
            text=text,
            buttons=buttons,
            message_id=secrets.token_hex(10),
            sent_time=str(int(time.time() * 1000)),
            body=params,
        )
        self.sent.append(sent)
        return sent

    def _success_data(self, sent: SentMessage) -> dict[str, Any]:
        data: dict[str, Any] = {
            "message_id": sent.message_id,
            "user_id": sent.user_id,
            "sent_time": sent.sent_time,
        }
        if self.quota:
            data["quota"] = {"quota_type": "reply", "remain": "8", "total": "8"}
        return data

    # -- OAuth refresh ------------------------------------------------------------
    async def _refresh_route(self, request: web.Request) -> web.StreamResponse:
        return await self.record(request, REFRESH, self._answer_refresh)

    async def _answer_refresh(self, call: RecordedCall) -> Reply:
        scripted = await self.take_script(call)
        if scripted is not None:
            return scripted
        params = call.params
        if call.headers.get("secret_key") != self.app_secret:
            return oauth_error(INVALID_SECRET_KEY)
        if str(params.get("app_id", "")) != self.app_id:
            return oauth_error(INVALID_APP_ID)
        if params.get("grant_type") != "refresh_token":
            return oauth_error(INVALID_GRANT_TYPE)
        if params.get("refresh_token") != self.refresh_token:
            return oauth_error(INVALID_REFRESH_TOKEN)
        return Reply(200, self._rotate())

    def _rotate(self) -> dict[str, str]:
        self.used_refresh_tokens.add(self.refresh_token)
        self.refresh_count += 1
        suffix = f"{self.refresh_count + 1}-{secrets.token_hex(4)}"
        self.access_token = f"fake-oa-access-{suffix}"
        self.refresh_token = f"fake-oa-refresh-{suffix}"
        self.access_token_valid = True
        return {
            "access_token": self.access_token,
            "refresh_token": self.refresh_token,
            "expires_in": TOKEN_EXPIRES_IN,
        }
