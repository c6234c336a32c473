"""The one internal message type and the reply type every channel renders."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Literal

SpanKind = Literal["plain", "bold", "italic", "link"]
MessageKind = Literal["text", "command", "action", "event"]


@dataclass(frozen=True, slots=True)
class Span:
    text: str
    kind: SpanKind = "plain"
    url: str | None = None


def bold(text: str) -> Span:
    return Span(text, "bold")


def link(text: str, url: str) -> Span:
    return Span(text, "link", url)


Line = tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class Button:
    label: str
    action: str  # ASCII, at most 60 bytes (fits Telegram callback_data and Zalo payloads)
    url: str | None = None

    def __post_init__(self) -> None:
        if len(self.action.encode()) > 60 or not self.action.isascii():
            raise ValueError(f"button action must be ASCII and at most 60 bytes: {self.action!r}")


@dataclass(frozen=True, slots=True)
class Reply:
    lines: tuple[Line, ...]
    buttons: tuple[tuple[Button, ...], ...] = ()

    @staticmethod
    def of(*lines: str | Span | Line | list, buttons: tuple[tuple[Button, ...], ...] = ()) -> Reply:
        built: list[Line] = []
        for line in lines:
            if isinstance(line, str):
                built.append((Span(line),))
            elif isinstance(line, Span):
                built.append((line,))
            else:
                built.append(tuple(Span(s) if isinstance(s, str) else s for s in line))
        return Reply(tuple(built), buttons)

    def as_dict(self) -> dict:
        """JSON-ready form, for messages that wait in the outbox."""
        return {
            "lines": [[[s.text, s.kind, s.url] for s in line] for line in self.lines],
            "buttons": [[[b.label, b.action, b.url] for b in row] for row in self.buttons],
        }

    @staticmethod
    def from_dict(data: dict) -> Reply:
        return Reply(
            tuple(tuple(Span(text, kind, url) for text, kind, url in line) for line in data.get("lines", ())),
            tuple(tuple(Button(label, action, url) for label, action, url in row) for row in data.get("buttons", ())),
        )


@dataclass(frozen=True, slots=True)
class IncomingMessage:
    channel: str  # telegram | zalo_oa | zalo_bot | web | cli
    conversation_id: str
    user_id: str
    kind: MessageKind
    text: str = ""
    command: str | None = None
    args: tuple[str, ...] = ()
    action: str | None = None
    dedupe_key: str | None = None
    client: str | None = None  # the web page's address: limits guessing across invented sessions
    received_at: datetime = field(default_factory=lambda: datetime.now(timezone.utc))
