"""Builders for Zalo Bot Platform webhook/getUpdates bodies (channels.md 2.4).

IDs are strings and ``date`` is epoch milliseconds. Bodies arrive flat; some clients
see them wrapped as ``{"ok":true,"result":{...}}`` [U], so :func:`wrap` builds that form.
"""

from __future__ import annotations

import json
import time
from itertools import count
from typing import Any

import aiohttp

from .base import WebhookResult, post_webhook

SECRET_HEADER = "X-Bot-Api-Secret-Token"
DEFAULT_CHAT_ID = "12345"
DEFAULT_USER_ID = "67890"
_message_ids = count(1000)


def _message(
    *,
    chat_id: str,
    user_id: str | None,
    display_name: str,
    message_id: str | None,
    date: int | None,
    chat_type: str,
    **content: Any,
) -> dict[str, Any]:
    return {
        "message_id": message_id or str(next(_message_ids)),
        "date": date if date is not None else int(time.time() * 1000),
        **content,
        "from": {"id": user_id or chat_id, "display_name": display_name, "is_bot": False},
        "chat": {"id": chat_id, "chat_type": chat_type},
    }


def bot_event(
    event_name: str,
    *,
    chat_id: str = DEFAULT_CHAT_ID,
    user_id: str | None = DEFAULT_USER_ID,
    display_name: str = "An",
    message_id: str | None = None,
    date: int | None = None,
    chat_type: str = "PRIVATE",
    **content: Any,
) -> dict[str, Any]:
    """``{"event_name", "message": {message_id, date, <content>, from, chat}}``."""
    message = _message(chat_id=chat_id, user_id=user_id, display_name=display_name,
                       message_id=message_id, date=date, chat_type=chat_type, **content)
    return {"event_name": event_name, "message": message}


def text_event(text: str, **kwargs: Any) -> dict[str, Any]:
    """``message.text.received``."""
    return bot_event("message.text.received", text=text, **kwargs)


def image_event(photo_url: str, caption: str | None = None, **kwargs: Any) -> dict[str, Any]:
    """``message.image.received`` with ``photo_url`` (and optional ``caption``)."""
    content: dict[str, Any] = {"photo_url": photo_url}
    if caption is not None:
        content["caption"] = caption
    return bot_event("message.image.received", **content, **kwargs)


def sticker_event(sticker: str = "sticker-1", **kwargs: Any) -> dict[str, Any]:
    """``message.sticker.received`` [U: field name]."""
    return bot_event("message.sticker.received", sticker=sticker, **kwargs)


def unsupported_event(**kwargs: Any) -> dict[str, Any]:
    """``message.unsupported.received``."""
    return bot_event("message.unsupported.received", **kwargs)


def wrap(event: dict[str, Any]) -> dict[str, Any]:
    """The wrapped form ``{"ok": true, "result": event}``."""
    return {"ok": True, "result": event}


def secret_headers(secret_token: str | None) -> dict[str, str]:
    """``{"X-Bot-Api-Secret-Token": secret}`` (empty when ``None``)."""
    return {SECRET_HEADER: secret_token} if secret_token is not None else {}


def encode_event(event: dict[str, Any]) -> bytes:
    """UTF-8 JSON bytes of an event."""
    return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


async def deliver_event(
    url: str,
    event: dict[str, Any],
    secret_token: str | None = None,
    *,
    wrapped: bool = False,
    session: aiohttp.ClientSession | None = None,
) -> WebhookResult:
    """POST an event to an app's Zalo Bot webhook, flat or wrapped."""
    body = encode_event(wrap(event) if wrapped else event)
    return await post_webhook(url, body, secret_headers(secret_token), session)
