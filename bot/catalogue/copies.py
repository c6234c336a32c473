"""Scraped detail pages that are copies of another procedure's page.

One source carries the very same documents, steps, conditions and results under procedures of
different fields (a Sơn La production-support project under e-ID locking, a youth-volunteer
allowance under seal registration). A page cannot describe procedures of two fields, so such a
page is withheld from every code that carries it: the merge then takes those facts from another
source or leaves them unknown, and the answer card points to the portal instead.
"""
from __future__ import annotations

import json
from collections import defaultdict
from typing import Any

from bot.catalogue.sources import Partial

PAGE_FIELDS = ("document_groups", "steps", "conditions", "results")
# A withheld page keeps only what identifies the procedure; everything else on it may be the other one's.
IDENTITY_FIELDS = frozenset({"code", "name", "field", "portal_url"})


def _plain(value: Any) -> Any:
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value.model_dump() if hasattr(value, "model_dump") else value


def _fingerprint(partial: Partial) -> str | None:
    page = [_plain(partial.get(name)) for name in PAGE_FIELDS]
    if sum(bool(part) for part in page) < 2:
        return None  # too little on the page to call two pages the same
    return json.dumps(page, ensure_ascii=False, sort_keys=True)


def copied_pages(by_code: dict[str, dict[str, Partial]], field_of: dict[str, str | None]) -> dict[str, list[str]]:
    """code -> source stems whose page is shared verbatim with a procedure of another field."""
    pages: dict[tuple[str, str], list[str]] = defaultdict(list)
    for code, partials in by_code.items():
        for stem, partial in partials.items():
            if (fingerprint := _fingerprint(partial)) is not None:
                pages[(stem, fingerprint)].append(code)
    copied: dict[str, list[str]] = defaultdict(list)
    for (stem, _), codes in pages.items():
        if len({field_of.get(code) for code in codes}) > 1:
            for code in codes:
                copied[code].append(stem)
    return dict(copied)


def withhold(partial: Partial) -> Partial:
    return {name: value for name, value in partial.items() if name in IDENTITY_FIELDS}
