"""A local fake of the Zalo Bot Platform API (Telegram-like, channels.md 2.4).

Routes ``POST /bot{token}/{method}`` with JSON bodies and the ``{"ok", "result"}``
envelope. Differences from Telegram that the fake reproduces: getUpdates returns one
update object (HTTP 408 ``{"ok":false,"description":"Request timeout"}`` when idle) and
getWebhookInfo answers 404 when no webhook is set. Result shapes other than getMe's are
[U] (no official docs were readable).
"""

from __future__ import annotations

import time
from typing import Any
from urllib.parse import urlsplit

from .base import Params
from .bot_api import ApiError, BotAPIFake, MethodHandler

DEFAULT_TOKEN = "1234567890:fake-zalo-bot-token"
MAX_TEXT_LENGTH = 2000
SECRET_LENGTH = range(8, 257)
DEFAULT_POLL_TIMEOUT = 30.0
CHAT_ACTIONS = {"typing", "upload_photo"}


def bad_request(description: str) -> ApiError:
    """HTTP 400 ``{"ok":false,"error_code":400,"description":...}``."""
    return ApiError(400, description)


def now_ms() -> int:
    """Current epoch milliseconds (Zalo Bot ``date`` unit)."""
    return int(time.time() * 1000)


class FakeZaloBot(BotAPIFake):
    """Fake Zalo Bot API. Inspect ``calls``, ``sent`` (accepted sends), ``webhook``."""

    def __init__(
        self,
        token: str = DEFAULT_TOKEN,
        *,
        max_poll_timeout: float | None = 1.0,
        account_name: str = "fake_zalo_bot",
    ) -> None:
        """``max_poll_timeout`` caps how long an idle getUpdates waits before 408."""
        super().__init__(token, max_poll_timeout=max_poll_timeout)
        self.bot_info: dict[str, Any] = {
            "id": token.split(":", 1)[0],
            "account_name": account_name,
            "account_type": "BASIC",
            "can_join_groups": False,
        }
        self.sent: list[Params] = []
        self.webhook: dict[str, Any] | None = None
        self._last_message_id = 0

    def api_methods(self) -> dict[str, MethodHandler]:
        return {
            "getMe": self.get_me,
            "sendMessage": self.send_message,
            "sendPhoto": self.send_photo,
            "sendSticker": self.send_sticker,
            "sendChatAction": self.send_chat_action,
            "setWebhook": self.set_webhook,
            "deleteWebhook": self.delete_webhook,
            "getWebhookInfo": self.get_webhook_info,
            "getUpdates": self.get_updates,
        }

    # -- test helpers -------------------------------------------------------------
    def push_update(self, update: dict[str, Any]) -> None:
        """Queue one update (e.g. from ``zalo_bot_events``) for getUpdates."""
        self.updates.push(update)

    def sent_texts(self, chat_id: str | None = None) -> list[str]:
        """Texts (or captions) of accepted sends, optionally to one chat."""
        return [
            str(s.get("text") or s.get("caption") or "")
            for s in self.sent
            if chat_id in (None, s["chat_id"])
        ]

    # -- helpers ------------------------------------------------------------------
    @staticmethod
    def _chat_id(params: Params) -> str:
        chat_id = params.get("chat_id")
        if chat_id in (None, ""):
            raise bad_request("chat_id is required")
        return str(chat_id)

    def _accept(self, params: Params) -> dict[str, Any]:
        self._last_message_id += 1
        record = {**params, "chat_id": self._chat_id(params)}
        self.sent.append(record)
        return {"message_id": str(self._last_message_id), "date": now_ms()}

    # -- methods ------------------------------------------------------------------
    async def get_me(self, params: Params) -> dict[str, Any]:
        return dict(self.bot_info)

    async def send_message(self, params: Params) -> dict[str, Any]:
        self._chat_id(params)
        text = params.get("text")
        if not isinstance(text, str) or not text:
            raise bad_request("text is required")
        if len(text) > MAX_TEXT_LENGTH:
            raise bad_request(f"text must not exceed {MAX_TEXT_LENGTH} characters")
        return self._accept(params)

    async def send_photo(self, params: Params) -> dict[str, Any]:
        self._chat_id(params)
        if not params.get("photo"):
            raise bad_request("photo is required")
        if len(str(params.get("caption") or "")) > MAX_TEXT_LENGTH:
            raise bad_request(f"caption must not exceed {MAX_TEXT_LENGTH} characters")
        return self._accept(params)

    async def send_sticker(self, params: Params) -> dict[str, Any]:
        self._chat_id(params)
        if not params.get("sticker"):
            raise bad_request("sticker is required")
        return self._accept(params)

    async def send_chat_action(self, params: Params) -> bool:
        self._chat_id(params)
        if params.get("action") not in CHAT_ACTIONS:
            raise bad_request("action is invalid")
        return True

    async def set_webhook(self, params: Params) -> dict[str, Any]:
        url = str(params.get("url") or "")
        if urlsplit(url).scheme != "https":
            raise bad_request("url must be a valid HTTPS URL")
        if len(str(params.get("secret_token") or "")) not in SECRET_LENGTH:
            raise bad_request("secret_token must be 8-256 characters")
        self.webhook = {"url": url, "secret_token": params["secret_token"], "updated_at": now_ms()}
        return {"url": url, "updated_at": self.webhook["updated_at"]}

    async def delete_webhook(self, params: Params) -> dict[str, Any]:
        self.webhook = None
        return {"url": "", "updated_at": now_ms()}

    async def get_webhook_info(self, params: Params) -> dict[str, Any]:
        if self.webhook is None:
            raise ApiError(404, "Not Found")
        return {"url": self.webhook["url"], "updated_at": self.webhook["updated_at"]}

    async def get_updates(self, params: Params) -> dict[str, Any]:
        if self.webhook is not None:
            raise ApiError(409, "Conflict: webhook is active; call deleteWebhook first")
        timeout = params.get("timeout", DEFAULT_POLL_TIMEOUT)
        if not await self.updates.wait_nonempty(self.poll_timeout(timeout)):
            raise ApiError(408, "Request timeout", with_error_code=False)
        return self.updates.items.pop(0)
