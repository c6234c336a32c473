"""Telegram's ``parse_mode=HTML`` parser, modelled on tdlib's ``parse_html``.

Produces the plain text and the message entities (UTF-16 offsets) Telegram would
store, or raises :class:`EntityParseError` with tdlib's wording, which the Bot API
returns as ``Bad Request: can't parse entities: <message>``.

Rules: every ``<`` starts a tag; only the supported tags are allowed and must nest
properly; the named entities ``&lt; &gt; &amp; &quot;`` and numeric entities are
decoded, any other ``&...`` stays literal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

ENTITY_TYPES: dict[str, str] = {
    "b": "bold",
    "strong": "bold",
    "i": "italic",
    "em": "italic",
    "u": "underline",
    "ins": "underline",
    "s": "strikethrough",
    "strike": "strikethrough",
    "del": "strikethrough",
    "tg-spoiler": "spoiler",
    "span": "spoiler",
    "a": "text_link",
    "code": "code",
    "pre": "pre",
    "blockquote": "blockquote",
    "tg-emoji": "custom_emoji",
}

_NAMED = {"lt": "<", "gt": ">", "amp": "&", "quot": '"'}
_ENTITY = re.compile(r"&(#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[a-zA-Z]+);")
_TAG_NAME = re.compile(r"[^\s>/]*")
_ATTR = re.compile(r"""([A-Za-z][\w-]*)(?:\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+)))?""")


class EntityParseError(ValueError):
    """The HTML is not acceptable to Telegram."""


@dataclass
class _Open:
    tag: str
    offset: int
    byte_offset: int
    attrs: dict[str, str]
    extra: dict[str, Any] = field(default_factory=dict)
    merged: bool = False


@dataclass
class ParsedText:
    """Plain text plus Bot API ``MessageEntity`` dicts."""

    text: str
    entities: list[dict[str, Any]]


def utf16_len(text: str) -> int:
    """Length in UTF-16 code units (Telegram's offset unit)."""
    return len(text.encode("utf-16-le")) // 2


def _decode_entity(source: str, pos: int) -> tuple[str, int] | None:
    match = _ENTITY.match(source, pos)
    if not match:
        return None
    name = match.group(1)
    if name.startswith("#"):
        code = int(name[2:], 16) if name[1:2] in "xX" else int(name[1:])
        if code == 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
            return None
        return chr(code), match.end()
    if name in _NAMED:
        return _NAMED[name], match.end()
    return None


def _unescape_attr(value: str) -> str:
    out, pos = [], 0
    while pos < len(value):
        decoded = _decode_entity(value, pos) if value[pos] == "&" else None
        if decoded:
            out.append(decoded[0])
            pos = decoded[1]
        else:
            out.append(value[pos])
            pos += 1
    return "".join(out)


def _tag_name(source: str, pos: int) -> str:
    match = _TAG_NAME.match(source, pos)
    return match.group(0).lower() if match else ""


def _parse_attrs(text: str) -> dict[str, str]:
    attrs = {}
    for match in _ATTR.finditer(text.rstrip("/")):
        value = next((g for g in match.groups()[1:] if g is not None), "")
        attrs[match.group(1).lower()] = _unescape_attr(value)
    return attrs


class _Parser:
    def __init__(self, source: str) -> None:
        self.source = source
        self.pos = 0
        self.out: list[str] = []
        self.u16 = 0
        self.stack: list[_Open] = []
        self.entities: list[dict[str, Any]] = []

    def byte_offset(self, pos: int) -> int:
        return len(self.source[:pos].encode("utf-8"))

    def emit(self, text: str) -> None:
        self.out.append(text)
        self.u16 += utf16_len(text)

    def run(self) -> ParsedText:
        while self.pos < len(self.source):
            char = self.source[self.pos]
            if char == "<":
                self.tag()
            elif char == "&" and (decoded := _decode_entity(self.source, self.pos)):
                self.emit(decoded[0])
                self.pos = decoded[1]
            else:
                self.emit(char)
                self.pos += 1
        if self.stack:
            raise EntityParseError(
                f'Can\'t find end tag corresponding to start tag "{self.stack[-1].tag}"'
            )
        self.entities.sort(key=lambda e: (e["offset"], -e["length"]))
        return ParsedText("".join(self.out), self.entities)

    def tag(self) -> None:
        start = self.pos
        close = self.source.find(">", start)
        if self.source.startswith("</", start):
            if close < 0:
                raise EntityParseError(f"Unclosed end tag at byte offset {self.byte_offset(start)}")
            self.end_tag(self.source[start + 2 : close].strip().lower(), start)
        else:
            name = _tag_name(self.source, start + 1)
            if name not in ENTITY_TYPES:
                raise EntityParseError(
                    f'Unsupported start tag "{name}" at byte offset {self.byte_offset(start)}'
                )
            if close < 0:
                raise EntityParseError(
                    f"Unclosed start tag at byte offset {self.byte_offset(start)}"
                )
            attrs_text = self.source[start + 1 + len(name) : close]
            self.start_tag(name, attrs_text, start)
        self.pos = close + 1

    def start_tag(self, name: str, attrs_text: str, start: int) -> None:
        attrs = _parse_attrs(attrs_text)
        opened = _Open(name, self.u16, self.byte_offset(start), attrs)
        if name == "span" and attrs.get("class") != "tg-spoiler":
            raise EntityParseError(
                f'Tag "span" must have class "tg-spoiler" at byte offset {opened.byte_offset}'
            )
        if name == "code" and self.stack and self.stack[-1].tag == "pre":
            language = attrs.get("class", "")
            if language.startswith("language-"):
                self.stack[-1].extra["language"] = language[len("language-") :]
                opened.merged = True
        self.stack.append(opened)

    def end_tag(self, name: str, start: int) -> None:
        if not self.stack:
            raise EntityParseError(f"Unexpected end tag at byte offset {self.byte_offset(start)}")
        top = self.stack[-1]
        if name != top.tag:
            raise EntityParseError(
                f"Unmatched end tag at byte offset {self.byte_offset(start)}, "
                f'expected "</{top.tag}>", found "</{name}>"'
            )
        self.stack.pop()
        entity = self.entity_for(top)
        if entity is not None and entity["length"] > 0:
            self.entities.append(entity)

    def entity_for(self, opened: _Open) -> dict[str, Any] | None:
        if opened.merged:
            return None
        entity: dict[str, Any] = {
            "type": ENTITY_TYPES[opened.tag],
            "offset": opened.offset,
            "length": self.u16 - opened.offset,
        }
        if opened.tag == "a":
            if not opened.attrs.get("href"):
                return None
            entity["url"] = opened.attrs["href"]
        elif opened.tag == "tg-emoji":
            if not opened.attrs.get("emoji-id"):
                raise EntityParseError('Tag "tg-emoji" must have attribute "emoji-id"')
            entity["custom_emoji_id"] = opened.attrs["emoji-id"]
        elif opened.tag == "blockquote" and "expandable" in opened.attrs:
            entity["type"] = "expandable_blockquote"
        entity.update(opened.extra)
        return entity


def parse_html(source: str) -> ParsedText:
    """Parse Telegram HTML; raise :class:`EntityParseError` like Telegram would."""
    return _Parser(source).run()
