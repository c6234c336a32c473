"""A large, deterministic synthetic catalogue recombined from real procedures (scale benchmark).

Each variant takes a real procedure, appends a qualifier phrase cut from another real name
("… đối với tổ chức tín dụng", "… của hộ gia đình") and sometimes a level aside, borrows the
field and one result from a third procedure, and keeps its own documents. Codes are
``9.000000``, ``9.000001``… so they never collide with real ones and still validate.
"""
from __future__ import annotations

import random
import re
from collections.abc import Sequence

from bot.catalogue.schema import Procedure

_QUALIFIER = re.compile(r"\s((?:đối với|trong trường hợp|cho|của)\s.+)$")
_LEVEL_ASIDES = ("(thực hiện tại cấp xã)", "(thực hiện tại cấp tỉnh)", "(cấp xã)", "(cấp tỉnh)")
MAX_QUALIFIER_WORDS = 10


def qualifiers(procedures: Sequence[Procedure]) -> list[str]:
    """Distinct qualifier phrases found at the end of real names, at most 10 words each."""
    found: dict[str, None] = {}
    for p in procedures:
        m = _QUALIFIER.search(p.name.rstrip(". "))
        if m and "cấp" not in m.group(1)[:12]:
            found[" ".join(m.group(1).split()[:MAX_QUALIFIER_WORDS])] = None
    return list(found)


def synthetic_catalogue(real: Sequence[Procedure], size: int = 50_000, seed: int = 2025) -> list[Procedure]:
    """``real`` plus ``size - len(real)`` validated variants, the same for the same inputs."""
    rng = random.Random(seed)
    phrases = qualifiers(real)
    fields = Procedure.model_fields
    out = list(real)
    for n in range(size - len(real)):
        base, other = rng.choice(real), rng.choice(real)
        name = f"{base.name.rstrip('. ')} {rng.choice(phrases)}"
        if rng.random() < 0.3:
            name = f"{name} {rng.choice(_LEVEL_ASIDES)}"
        data = {f: getattr(base, f) for f in fields}  # nested models are reused, not copied
        data.update(
            code=f"9.{n:06d}",
            name=name,
            field=other.field if rng.random() < 0.5 else base.field,
            results=[*base.results[:1], *other.results[:1]],
        )
        out.append(Procedure.model_validate(data))
    return out
