"""Splitting rendered replies to a platform's message limit at line boundaries."""
from __future__ import annotations

from collections.abc import Callable


def split_lines(lines: list[str], limit: int, measure: Callable[[str], int] = len) -> list[str]:
    """Join lines into chunks of at most ``limit`` (as measured); a line longer than the limit
    is cut at spaces (``measure`` must be ≥ len for that cut to be safe, e.g. plain text)."""
    chunks: list[str] = []
    current: list[str] = []
    size = 0
    for line in lines:
        pieces = [line] if measure(line) <= limit else _cut(line, limit)
        for piece in pieces:
            extra = measure(piece) + (1 if current else 0)
            if current and size + extra > limit:
                chunks.append("\n".join(current))
                current, size = [], 0
                extra = measure(piece)
            current.append(piece)
            size += extra
    if current:
        chunks.append("\n".join(current))
    return [c for c in chunks if c.strip()] or [""]


def _cut(line: str, limit: int) -> list[str]:
    out = []
    while len(line) > limit:
        cut = line.rfind(" ", 0, limit)
        cut = cut if cut > limit // 2 else limit
        out.append(line[:cut])
        line = line[cut:].lstrip()
    out.append(line)
    return out
