"""Quality metrics of the matcher on labelled questions (`motcua eval`)."""
from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from bot.matching.matcher import MatchResult
from bot.nlp.text import has_diacritics, strip_diacritics


@dataclass
class LabelledQuestion:
    id: str
    text: str
    gold: list[str]
    aspect: str | None = None
    style: str = "?"

    @property
    def in_scope(self) -> bool:
        return bool(self.gold)


@dataclass
class Tally:
    questions: int = 0
    in_scope: int = 0
    hit1: int = 0
    hit3: int = 0
    rejected_in_scope: int = 0
    off_topic: int = 0
    off_topic_rejected: int = 0
    aspect_labelled: int = 0
    aspect_right: int = 0

    def add(self, q: LabelledQuestion, r: MatchResult) -> None:
        self.questions += 1
        codes = [c.code for c in r.candidates] if r.status != "none" else []
        if q.in_scope:
            self.in_scope += 1
            self.hit1 += bool(codes[:1] and codes[0] in q.gold)
            self.hit3 += any(c in q.gold for c in codes[:3])
            self.rejected_in_scope += r.status == "none"
            if q.aspect:
                self.aspect_labelled += 1
                self.aspect_right += r.aspect == q.aspect
        else:
            self.off_topic += 1
            self.off_topic_rejected += r.status == "none"

    def metrics(self) -> dict[str, float | int | None]:
        def ratio(a: int, b: int) -> float | None:
            return round(a / b, 4) if b else None

        return {
            "questions": self.questions,
            "hit@1": ratio(self.hit1, self.in_scope),
            "hit@3": ratio(self.hit3, self.in_scope),
            "off_topic_rejected": ratio(self.off_topic_rejected, self.off_topic),
            "in_scope_rejected": ratio(self.rejected_in_scope, self.in_scope),
            "aspect_accuracy": ratio(self.aspect_right, self.aspect_labelled),
        }


@dataclass
class Report:
    overall: Tally = field(default_factory=Tally)
    by_style: dict[str, Tally] = field(default_factory=lambda: defaultdict(Tally))
    with_diacritics: Tally = field(default_factory=Tally)
    without_diacritics: Tally = field(default_factory=Tally)
    stripped_copy: Tally = field(default_factory=Tally)  # every in-scope question, diacritics removed
    errors: list[dict] = field(default_factory=list)

    def as_dict(self) -> dict:
        return {
            "overall": self.overall.metrics(),
            "by_style": {k: v.metrics() for k, v in sorted(self.by_style.items())},
            "typed_with_diacritics": self.with_diacritics.metrics(),
            "typed_without_diacritics": self.without_diacritics.metrics(),
            "same_questions_diacritics_removed": self.stripped_copy.metrics(),
        }


def read_questions(path: Path) -> list[LabelledQuestion]:
    out = []
    with path.open(encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            d = json.loads(line)
            out.append(
                LabelledQuestion(
                    id=str(d.get("id", n)),
                    text=d["text"],
                    gold=list(d.get("gold") or []),
                    aspect=d.get("aspect"),
                    style=d.get("style") or "?",
                )
            )
    return out


def evaluate(questions: Iterable[LabelledQuestion], match: Callable[[str], MatchResult]) -> Report:
    report = Report()
    for q in questions:
        r = match(q.text)
        report.overall.add(q, r)
        report.by_style[q.style].add(q, r)
        letters = "".join(ch for ch in q.text if ch.isalpha())
        (report.with_diacritics if has_diacritics(letters) else report.without_diacritics).add(q, r)
        if q.in_scope:
            stripped = strip_diacritics(q.text)
            report.stripped_copy.add(q, match(stripped) if stripped != q.text else r)
        wrong = (q.in_scope and (r.status == "none" or not r.candidates or r.candidates[0].code not in q.gold)) or (
            not q.in_scope and r.status != "none"
        )
        if wrong or (q.in_scope and q.aspect and r.aspect != q.aspect):
            report.errors.append(
                {
                    "id": q.id,
                    "text": q.text,
                    "gold": q.gold,
                    "aspect": [q.aspect, r.aspect],
                    "status": r.status,
                    "got": [(c.code, c.name[:70], c.score) for c in r.candidates[:3]],
                    "confidence": round(r.confidence, 3),
                    "signals": r.signals,
                }
            )
    return report


def format_report(report: Report, title: str) -> str:
    d = report.as_dict()
    cols = ["questions", "hit@1", "hit@3", "off_topic_rejected", "in_scope_rejected", "aspect_accuracy"]

    def row(name: str, m: dict) -> str:
        cells = [f"{m[c]:.3f}" if isinstance(m[c], float) else ("-" if m[c] is None else str(m[c])) for c in cols]
        return f"{name:<34}" + "".join(f"{c:>12}" for c in cells)

    lines = [title, f"{'':<34}" + "".join(f"{c[:11]:>12}" for c in cols), row("overall", d["overall"])]
    for style, m in d["by_style"].items():
        lines.append(row(f"  style {style}", m))
    lines.append(row("typed with diacritics", d["typed_with_diacritics"]))
    lines.append(row("typed without diacritics", d["typed_without_diacritics"]))
    lines.append(row("same in-scope, diacritics removed", d["same_questions_diacritics_removed"]))
    return "\n".join(lines)
