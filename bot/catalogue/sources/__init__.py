"""Readers turning each raw source record into a partial canonical procedure dict.

A partial is a ``dict`` keyed by :class:`bot.catalogue.schema.Procedure` field names; a reader only
sets the fields its source knows. ``build.py`` merges the partials of one code.
"""
from __future__ import annotations

import re
from typing import Any

Partial = dict[str, Any]

CODE_RE = re.compile(r"^\d\.\d{6}$")


def normalise_code(raw: object) -> str | None:
    """Strip spaces and a trailing dot; return None unless the result looks like "1.001193"."""
    code = re.sub(r"\s+", "", str(raw or "")).rstrip(".")
    return code if CODE_RE.match(code) else None
