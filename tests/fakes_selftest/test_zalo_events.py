"""Zalo OA webhook event builders and the X-ZEvent-Signature scheme."""

from __future__ import annotations

import json

from fakes.zalo_events import (
    SIGNATURE_HEADER,
    TEST_VECTOR_APP_ID,
    TEST_VECTOR_BODY,
    TEST_VECTOR_MAC,
    TEST_VECTOR_SECRET,
    TEST_VECTOR_TIMESTAMP,
    compute_mac,
    deliver_event,
    encode_event,
    follow_event,
    oa_send_text,
    sign,
    signature_header,
    user_send_location,
    user_send_sticker,
    user_send_text,
)

from .helpers import Capture


def test_signature_test_vector() -> None:
    mac = compute_mac(TEST_VECTOR_APP_ID, TEST_VECTOR_BODY, TEST_VECTOR_TIMESTAMP,
                      TEST_VECTOR_SECRET)
    assert f"mac={mac}" == TEST_VECTOR_MAC
    assert mac.startswith("53fe2619") and mac.endswith("e138")
    assert sign(TEST_VECTOR_BODY, TEST_VECTOR_SECRET) == TEST_VECTOR_MAC


def test_signature_header_modes() -> None:
    body = encode_event(user_send_text("Chào"))
    valid = signature_header(body, "S")[SIGNATURE_HEADER]
    assert valid == sign(body, "S") and valid.startswith("mac=")
    assert signature_header(body, "S", "bare")[SIGNATURE_HEADER] == valid[4:]
    assert signature_header(body, "S", "bad")[SIGNATURE_HEADER] != valid
    assert signature_header(body, "S", "missing") == {}


def test_event_shapes_use_string_ids() -> None:
    event = user_send_text("Chào A4B", msg_id="cb31dff1c39642cc1b83", timestamp="1699003881354")
    assert event["event_name"] == "user_send_text"
    assert event["message"] == {"text": "Chào A4B", "msg_id": "cb31dff1c39642cc1b83"}
    assert event["timestamp"] == "1699003881354"
    assert all(isinstance(event[k]["id"], str) for k in ("sender", "recipient"))
    assert json.loads(encode_event(event)) == event
    assert user_send_sticker()["message"]["attachments"][0]["type"] == "sticker"
    location = user_send_location(10.77, 106.7)["message"]["attachments"][0]
    assert location["payload"]["coordinates"] == {"latitude": "10.77", "longitude": "106.7"}
    follow = follow_event(user_id="1")
    assert follow["follower"] == {"id": "1"} and "oa_id" in follow
    echo = oa_send_text("hi", user_id="1")
    assert (echo["sender"]["id"], echo["recipient"]["id"]) == (follow["oa_id"], "1")


async def test_deliver_event_signs_raw_body(capture: Capture) -> None:
    event = user_send_text("Chào")
    await deliver_event(capture.url, event, "S")
    await deliver_event(capture.url, event, "S", mode="missing")
    (headers, body), (unsigned, _) = capture.requests
    fields = json.loads(body)
    expected = compute_mac(fields["app_id"], body, fields["timestamp"], "S")
    assert headers[SIGNATURE_HEADER] == f"mac={expected}"
    assert SIGNATURE_HEADER not in unsigned
