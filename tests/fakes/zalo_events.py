"""Builders and signing for Zalo OA v3 webhook events (channels.md 2.1).

Every ID and the ``timestamp`` (epoch ms) are strings, as Zalo sends them. Sign with
:func:`signature_header`: ``X-ZEvent-Signature: mac=sha256(app_id + body + timestamp +
oa_secret_key)`` (a plain SHA-256, not an HMAC).
"""

from __future__ import annotations

import hashlib
import json
import secrets
import time
from typing import Any, Literal

import aiohttp

from .base import WebhookResult, post_webhook
from .zalo_oa import DEFAULT_APP_ID, DEFAULT_OA_ID

SIGNATURE_HEADER = "X-ZEvent-Signature"
DEFAULT_USER_ID = "6142494823000000001"
DEFAULT_OA_SECRET = "OA_SECRET"

# Test vector from channels.md 2.1.
TEST_VECTOR_APP_ID = "2553928453557884079"
TEST_VECTOR_BODY = (
    b'{"app_id":"2553928453557884079","event_name":"user_send_text","timestamp":"1699003881354"}'
)
TEST_VECTOR_TIMESTAMP = "1699003881354"
TEST_VECTOR_SECRET = "OA_SECRET"
TEST_VECTOR_MAC = "mac=53fe26197d2e64cab2630e23f661640ddcb1dde9a353409fa455c21545e4e138"

SignatureMode = Literal["valid", "bare", "bad", "missing"]


def now_ms() -> str:
    """Current epoch milliseconds as a string."""
    return str(int(time.time() * 1000))


def new_msg_id() -> str:
    """A Zalo-like message id (20 hex characters)."""
    return secrets.token_hex(10)


def _event(
    event_name: str,
    sender_id: str,
    recipient_id: str,
    message: dict[str, Any] | None,
    *,
    app_id: str,
    timestamp: str | None,
    user_id_by_app: str | None,
) -> dict[str, Any]:
    event: dict[str, Any] = {
        "event_name": event_name,
        "app_id": app_id,
        "sender": {"id": sender_id},
        "recipient": {"id": recipient_id},
    }
    if message is not None:
        event["message"] = message
    event["timestamp"] = timestamp or now_ms()
    if user_id_by_app:
        event["user_id_by_app"] = user_id_by_app
    return event


def user_event(
    event_name: str,
    message: dict[str, Any],
    *,
    user_id: str = DEFAULT_USER_ID,
    oa_id: str = DEFAULT_OA_ID,
    app_id: str = DEFAULT_APP_ID,
    msg_id: str | None = None,
    timestamp: str | None = None,
    user_id_by_app: str | None = "979122185046046317",
) -> dict[str, Any]:
    """A user → OA event; ``message`` gets a ``msg_id`` if it has none."""
    message = {**message, "msg_id": msg_id or message.get("msg_id") or new_msg_id()}
    return _event(event_name, user_id, oa_id, message, app_id=app_id, timestamp=timestamp,
                  user_id_by_app=user_id_by_app)


def user_send_text(text: str, **kwargs: Any) -> dict[str, Any]:
    """``user_send_text`` (query-button taps arrive like this too, with the payload as text)."""
    return user_event("user_send_text", {"text": text}, **kwargs)


def user_send_image(url: str, text: str = "", **kwargs: Any) -> dict[str, Any]:
    """``user_send_image`` with one image attachment."""
    attachment = {"type": "image", "payload": {"thumbnail": url, "url": url}}
    return user_event("user_send_image", {"text": text, "attachments": [attachment]}, **kwargs)


def user_send_sticker(sticker_id: str = "bfe458bf64fa8da4d4eb", **kwargs: Any) -> dict[str, Any]:
    """``user_send_sticker`` with one sticker attachment."""
    url = f"https://zalo-api.zadn.vn/api/emoticon/sticker/webpc?eid={sticker_id}"
    attachment = {"type": "sticker", "payload": {"id": sticker_id, "url": url}}
    return user_event("user_send_sticker", {"attachments": [attachment]}, **kwargs)


def user_send_location(latitude: float, longitude: float, **kwargs: Any) -> dict[str, Any]:
    """``user_send_location`` with coordinates as strings."""
    coordinates = {"latitude": str(latitude), "longitude": str(longitude)}
    attachment = {"type": "location", "payload": {"coordinates": coordinates}}
    return user_event("user_send_location", {"attachments": [attachment]}, **kwargs)


def user_send_file(url: str, name: str = "file.pdf", **kwargs: Any) -> dict[str, Any]:
    """``user_send_file`` with one file attachment."""
    attachment = {"type": "file", "payload": {"url": url, "name": name, "size": "1024"}}
    return user_event("user_send_file", {"attachments": [attachment]}, **kwargs)


def follow_event(
    event_name: Literal["follow", "unfollow"] = "follow",
    *,
    user_id: str = DEFAULT_USER_ID,
    oa_id: str = DEFAULT_OA_ID,
    app_id: str = DEFAULT_APP_ID,
    timestamp: str | None = None,
    user_id_by_app: str | None = "979122185046046317",
) -> dict[str, Any]:
    """``follow``/``unfollow``: ``{"follower":{"id"}, "oa_id", ...}`` (no sender/message)."""
    event: dict[str, Any] = {
        "event_name": event_name,
        "app_id": app_id,
        "oa_id": oa_id,
        "follower": {"id": user_id},
        "source": "oa_profile",
        "timestamp": timestamp or now_ms(),
    }
    if user_id_by_app:
        event["user_id_by_app"] = user_id_by_app
    return event


def unfollow_event(**kwargs: Any) -> dict[str, Any]:
    """``unfollow``."""
    return follow_event("unfollow", **kwargs)


def oa_send_text(
    text: str,
    *,
    user_id: str = DEFAULT_USER_ID,
    oa_id: str = DEFAULT_OA_ID,
    app_id: str = DEFAULT_APP_ID,
    msg_id: str | None = None,
    timestamp: str | None = None,
) -> dict[str, Any]:
    """``oa_send_text``: the echo of the OA's own message (sender is the OA)."""
    message = {"text": text, "msg_id": msg_id or new_msg_id()}
    return _event("oa_send_text", oa_id, user_id, message, app_id=app_id,
                  timestamp=timestamp, user_id_by_app=None)


def encode_event(event: dict[str, Any]) -> bytes:
    """Serialise an event to the raw bytes that get signed and posted."""
    return json.dumps(event, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def compute_mac(app_id: str, raw_body: bytes, timestamp: str, oa_secret_key: str) -> str:
    """Hex SHA-256 of ``app_id + raw_body + timestamp + oa_secret_key``."""
    digest = hashlib.sha256()
    digest.update(app_id.encode("utf-8"))
    digest.update(raw_body)
    digest.update(timestamp.encode("utf-8"))
    digest.update(oa_secret_key.encode("utf-8"))
    return digest.hexdigest()


def sign(raw_body: bytes, oa_secret_key: str, *, bare: bool = False) -> str:
    """Signature value for a body, taking ``app_id``/``timestamp`` from the body itself."""
    fields = json.loads(raw_body)
    mac = compute_mac(str(fields["app_id"]), raw_body, str(fields["timestamp"]), oa_secret_key)
    return mac if bare else f"mac={mac}"


def signature_header(
    raw_body: bytes, oa_secret_key: str, mode: SignatureMode = "valid"
) -> dict[str, str]:
    """Headers for a webhook POST: valid ``mac=``, ``bare`` hex, ``bad`` mac or ``missing``."""
    if mode == "missing":
        return {}
    if mode == "bad":
        return {SIGNATURE_HEADER: f"mac={'0' * 64}"}
    return {SIGNATURE_HEADER: sign(raw_body, oa_secret_key, bare=mode == "bare")}


async def deliver_event(
    url: str,
    event: dict[str, Any],
    oa_secret_key: str = DEFAULT_OA_SECRET,
    *,
    mode: SignatureMode = "valid",
    session: aiohttp.ClientSession | None = None,
) -> WebhookResult:
    """POST a signed event to an app's OA webhook (replay by delivering it twice)."""
    body = encode_event(event)
    return await post_webhook(url, body, signature_header(body, oa_secret_key, mode), session)
