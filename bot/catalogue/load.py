"""Load the shipped catalogue (``procedures_data/catalogue.jsonl.gz``)."""
from __future__ import annotations

import gzip
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from bot.catalogue.schema import Procedure
from bot.paths import CATALOGUE_FILE


def _lines(path: Path) -> Iterator[str]:
    with gzip.open(path, "rt", encoding="utf-8") as fh:
        for line in fh:
            if line.strip():
                yield line


def iter_catalogue_dicts(path: Path = CATALOGUE_FILE) -> Iterator[dict[str, Any]]:
    """Raw dicts, unvalidated (for tools that only need a few fields)."""
    for line in _lines(path):
        yield json.loads(line)


def load_catalogue(path: Path = CATALOGUE_FILE) -> list[Procedure]:
    """Every procedure, validated against :class:`Procedure`, in file order (sorted by code)."""
    return [Procedure.model_validate_json(line) for line in _lines(path)]
