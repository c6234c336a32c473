"""Zalo Official Account: signed webhook events in, OA v3 customer-service messages out."""
from __future__ import annotations

import hashlib
import hmac
import json
import logging

import aiohttp
from aiohttp import web
from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker

from bot.channels.base import SENT, Outcome, QueuedChannel, deliver, flat_buttons, plain_chunks
from bot.db.chat import TokenRepository
from bot.dispatcher import ChatService
from bot.messages import IncomingMessage, Reply
from bot.settings import Settings

log = logging.getLogger(__name__)
LIMIT = 2000
MAX_BUTTONS = 4
ACTION_PREFIX = "#act:"
WEBHOOK_PATH = "/webhooks/zalo-oa"
UNSUPPORTED = {"user_send_image", "user_send_sticker", "user_send_file", "user_send_location", "user_send_gif",
               "user_send_audio", "user_send_video", "user_send_link", "user_send_business_card"}
TOKEN_EXPIRED = {-216, -220}
OUT_OF_REACH = {-213: "not following", -227: "banned or inactive", -230: "outside 7-day window",
                -232: "interaction expired", -244: "restricted"}
BACK_OFF = {-32, -211, -218}


def signature(app_id: str, body: bytes, timestamp: str, secret_key: str) -> str:
    """Plain SHA-256 (not an HMAC) of app_id + raw body + timestamp + OA secret key."""
    return hashlib.sha256(app_id.encode() + body + timestamp.encode() + secret_key.encode()).hexdigest()


def incoming(event: dict) -> IncomingMessage | None:
    name = event.get("event_name", "")
    message = event.get("message") if isinstance(event.get("message"), dict) else {}
    key = f"zoa:{message.get('msg_id')}" if message.get("msg_id") else None
    if name == "follow":
        follower = str((event.get("follower") or {}).get("id", ""))
        return IncomingMessage("zalo_oa", follower, follower, "command", command="start") if follower else None
    sender = str((event.get("sender") or {}).get("id", ""))
    if not sender or name.startswith("oa_send") or name in {"user_received_message", "user_seen_message"}:
        return None  # the OA's own echoes and receipts: answering them would loop
    if name == "user_send_text":
        text = str(message.get("text", ""))
        if text.startswith(ACTION_PREFIX):
            return IncomingMessage("zalo_oa", sender, sender, "action", action=text[len(ACTION_PREFIX):], dedupe_key=key)
        if text.startswith("/") and len(text) > 1:
            words = text[1:].split()
            return IncomingMessage("zalo_oa", sender, sender, "command", text=text, command=words[0].lower(),
                                   args=tuple(words[1:]), dedupe_key=key)
        return IncomingMessage("zalo_oa", sender, sender, "text", text=text, dedupe_key=key)
    if name in UNSUPPORTED:
        return IncomingMessage("zalo_oa", sender, sender, "event", text="unsupported", dedupe_key=key)
    return None


def message_bodies(user_id: str, reply: Reply) -> list[dict]:
    """Customer-service message bodies: ≤ 4 buttons as hidden queries, more as a numbered menu."""
    buttons = flat_buttons(reply)
    as_template = 0 < len(buttons) <= MAX_BUTTONS
    chunks = plain_chunks(reply, LIMIT, numbered=not as_template)
    bodies = [{"recipient": {"user_id": user_id}, "message": {"text": chunk}} for chunk in chunks]
    if as_template:
        bodies[-1]["message"]["attachment"] = {
            "type": "template",
            "payload": {"buttons": [
                {"title": b.label[:100], "type": "oa.open.url", "payload": {"url": b.url}} if b.url else
                {"title": b.label[:100], "type": "oa.query.hide", "payload": ACTION_PREFIX + b.action}
                for b in buttons
            ]},
        }
    return bodies


class ZaloOAChannel(QueuedChannel):
    name = "zalo_oa"

    def __init__(self, settings: Settings, service: ChatService, sessions: async_sessionmaker[AsyncSession]):
        assert settings.zalo_oa_access_token and settings.zalo_oa_secret_key and settings.zalo_oa_app_id
        super().__init__(service)
        self._sessions = sessions
        self._app_id = settings.zalo_oa_app_id
        self._secret_key = settings.zalo_oa_secret_key.get_secret_value()
        self._app_secret = settings.zalo_app_secret.get_secret_value() if settings.zalo_app_secret else None
        self._access_token = settings.zalo_oa_access_token.get_secret_value()
        self._refresh_token = settings.zalo_oa_refresh_token.get_secret_value() if settings.zalo_oa_refresh_token else None
        self._api = settings.zalo_oa_api_base_url.rstrip("/")
        self._oauth = settings.zalo_oauth_base_url.rstrip("/")

    def recipient(self, message: IncomingMessage) -> str:
        return message.user_id

    async def prepare(self) -> None:
        async with self._sessions() as session:
            tokens = TokenRepository(session)
            self._access_token = await tokens.get("zalo_oa_access_token") or self._access_token
            self._refresh_token = await tokens.get("zalo_oa_refresh_token") or self._refresh_token

    async def webhook(self, request: web.Request) -> web.Response:
        body = await request.read()  # the signature covers the raw bytes
        given = request.headers.get("X-ZEvent-Signature", "").strip().removeprefix("mac=").strip()
        try:
            event = json.loads(body)
            timestamp = str(event["timestamp"])
        except (ValueError, KeyError, TypeError):
            return web.Response(status=401 if not given else 400)
        expected = signature(self._app_id, body, timestamp, self._secret_key)
        if not given or not hmac.compare_digest(given.lower(), expected):
            return web.Response(status=401)
        message = incoming(event)
        if event.get("event_name") == "unfollow":
            user = str((event.get("follower") or {}).get("id", ""))
            if user:
                self.service.mark_unreachable(self.name, user, "unfollowed")
        elif message is not None and self.service.first_time(message.dedupe_key):
            self.inbox.put(message)
        return web.json_response({"error": 0})

    async def send(self, user_id: str, reply: Reply) -> Outcome:
        for body in message_bodies(user_id, reply):
            outcome = await deliver(lambda: self._post(body))
            if outcome.kind != "sent":
                log.warning("zalo_oa: message not delivered (%s: %s)", outcome.kind, outcome.reason)
                return outcome
        return SENT

    async def _post(self, body: dict, refreshed: bool = False) -> Outcome:
        assert self._http is not None
        try:
            async with self._http.post(f"{self._api}/v3.0/oa/message/cs", json=body,
                                       headers={"access_token": self._access_token}) as response:
                if response.status == 429 or response.status >= 500:
                    return Outcome("retry", f"http {response.status}")
                data = await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError) as exc:
            return Outcome("retry", type(exc).__name__)
        code = int(data.get("error", 0) or 0) if isinstance(data, dict) else -1
        if code == 0:
            return SENT
        if code in TOKEN_EXPIRED and not refreshed and await self._refresh():
            return await self._post(body, refreshed=True)
        if code in OUT_OF_REACH:
            return Outcome("unreachable", OUT_OF_REACH[code])
        if code in BACK_OFF:
            return Outcome("retry", f"zalo {code}", after=None)
        return Outcome("failed", f"zalo {code}")

    async def _refresh(self) -> bool:
        """Exchange the one-time refresh token; the new pair is stored before it is used."""
        if not (self._refresh_token and self._app_secret):
            log.error("zalo_oa: access token expired and no refresh token / app secret is configured")
            return False
        assert self._http is not None
        form = {"app_id": self._app_id, "grant_type": "refresh_token", "refresh_token": self._refresh_token}
        try:
            async with self._http.post(f"{self._oauth}/v4/oa/access_token", data=form,
                                       headers={"secret_key": self._app_secret}) as response:
                data = await response.json(content_type=None)
        except (aiohttp.ClientError, TimeoutError, ValueError):
            log.warning("zalo_oa: token refresh failed (network)")
            return False
        if not isinstance(data, dict) or not data.get("access_token") or not data.get("refresh_token"):
            log.error("zalo_oa: token refresh refused (error %s)", data.get("error") if isinstance(data, dict) else "?")
            return False
        async with self._sessions() as session, session.begin():
            tokens = TokenRepository(session)
            await tokens.put("zalo_oa_access_token", data["access_token"])
            await tokens.put("zalo_oa_refresh_token", data["refresh_token"])
        self._access_token, self._refresh_token = data["access_token"], data["refresh_token"]
        log.info("zalo_oa: access token refreshed")
        return True
