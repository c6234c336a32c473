"""Rendering replies for each channel: plain text (Zalo, terminal) and Telegram HTML."""
from __future__ import annotations

import html

from bot.messages import Reply, Span


def span_plain(span: Span) -> str:
    if span.kind == "link" and span.url and span.url != span.text:
        return f"{span.text} ({span.url})"
    return span.text


def span_html(span: Span) -> str:
    text = html.escape(span.text, quote=False)
    if span.kind == "bold":
        return f"<b>{text}</b>"
    if span.kind == "italic":
        return f"<i>{text}</i>"
    if span.kind == "link" and span.url:
        return f'<a href="{html.escape(span.url, quote=True)}">{text}</a>'
    return text


def to_plain(reply: Reply) -> str:
    return "\n".join("".join(span_plain(s) for s in line) for line in reply.lines)


def to_html(reply: Reply) -> str:
    return "\n".join("".join(span_html(s) for s in line) for line in reply.lines)
