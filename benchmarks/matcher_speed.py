"""Speed, memory and quality of the procedure matcher next to two plain baselines.

One run, same questions for every system: index build time, per-question latency (one warm-up
pass, then 3 timed passes), resident memory, and hit@k / rejection on the labelled questions;
then build time, latency and memory on a 50,000-procedure synthetic catalogue.

    .venv/bin/python benchmarks/matcher_speed.py [--quick] [--size 50000]

Results: printed, and written to benchmarks/results/matcher_speed.json.
"""
from __future__ import annotations

import argparse
import ctypes
import gc
import json
import os
import platform
import shlex
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import fields
from pathlib import Path

import numpy as np

from baselines import BM25Baseline, FuzzyBaseline
from synthetic import synthetic_catalogue

from bot.catalogue.load import load_catalogue
from bot.matching.evaluate import LabelledQuestion, Tally, evaluate, read_questions
from bot.matching.matcher import Matcher, MatchPolicy, MatchResult
from bot.paths import DEV_QUESTIONS

HERE = Path(__file__).resolve().parent
QUESTION_SETS = {
    "dev": DEV_QUESTIONS,
    "citizen": HERE / "data" / "citizen_questions.jsonl",
    "fresh": HERE / "data" / "fresh_questions.jsonl",
}
RESULTS = HERE / "results" / "matcher_speed.json"
PASSES = 3
FUZZY_LARGE_STRIDE = 5  # rapidfuzz needs ~0.3 s a question at 50k: time every 5th question, once
LARGE_WARMUP = 10
TARGETS = {"shipped_p50_ms": 1.0, "shipped_p99_ms": 5.0, "speedup_vs_fuzzy_p50": 10.0, "large_p99_ms": 20.0}

Match = Callable[[str], MatchResult]
System = Matcher | FuzzyBaseline | BM25Baseline


# -- measuring ----------------------------------------------------------------------------
def memory_mb(key: str = "VmRSS") -> float:
    """VmRSS (current) or VmHWM (peak) of this process, in MB."""
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    raise KeyError(key)


def settle() -> None:
    """Collect garbage and hand free heap back to the OS, so RSS deltas are not hidden by reuse."""
    gc.collect()
    ctypes.CDLL("libc.so.6").malloc_trim(0)


def build(factory: Callable[[], object]) -> tuple[object, dict]:
    """Build time and RSS increase; systems are built before anything big is freed."""
    settle()
    before = memory_mb()
    start = time.perf_counter()
    system = factory()
    seconds = time.perf_counter() - start
    gc.collect()
    return system, {"build_s": round(seconds, 3), "rss_increase_mb": round(memory_mb() - before, 1)}


def percentiles(samples: Sequence[float]) -> dict:
    ms = np.asarray(samples) * 1000
    return {
        "n": len(ms),
        "p50_ms": round(float(np.percentile(ms, 50)), 3),
        "p99_ms": round(float(np.percentile(ms, 99)), 3),
        "mean_ms": round(float(ms.mean()), 3),
    }


def timed_pass(match: Match, texts: Sequence[str]) -> list[float]:
    out = []
    for text in texts:
        start = time.perf_counter()
        match(text)
        out.append(time.perf_counter() - start)
    return out


def latency(match: Match, texts: Sequence[str], passes: int = PASSES, warmup: int | None = None) -> dict:
    """Warm up over all texts (reported as the first pass) or only the first ``warmup`` ones
    (not reported); p50/p99/mean pool the ``passes`` timed passes."""
    first = timed_pass(match, texts if warmup is None else texts[:warmup])
    timed = [s for _ in range(passes) for s in timed_pass(match, texts)]
    out = {**percentiles(timed), "passes": passes}
    return out if warmup is not None else {**out, "first_pass": percentiles(first)}


def calibrate(system: FuzzyBaseline | BM25Baseline, dev: Sequence[LabelledQuestion]) -> float:
    """The threshold on the best score that decides most dev questions right: an in-scope
    question right at rank 1 and kept, an off-topic one rejected (ties: the lowest threshold)."""
    rows = []
    for q in dev:
        found = system.search(q.text)
        best = found[0].score if found else 0.0
        rows.append((best, q.in_scope, bool(found) and found[0].code in q.gold))
    options = sorted({0.0, *(best for best, _, _ in rows)})
    options.append(options[-1] + 1)

    def right(t: float) -> int:
        return sum((best >= t and hit) if in_scope else best < t for best, in_scope, hit in rows)

    return max(options, key=lambda t: (right(t), -t))


def quality(match: Match, question_sets: dict[str, list[LabelledQuestion]]) -> dict:
    tallies = {name: evaluate(qs, match).overall for name, qs in question_sets.items()}
    tallies["all"] = Tally(**{f.name: sum(getattr(t, f.name) for t in tallies.values()) for f in fields(Tally)})
    keep = ("questions", "hit@1", "hit@3", "off_topic_rejected", "in_scope_rejected")
    return {name: {k: t.metrics()[k] for k in keep} for name, t in tallies.items()}


def served(system: System) -> int:
    return len(system.index) if isinstance(system, Matcher) else len(system.procedures)


# -- phases ---------------------------------------------------------------------------------
def shipped_phase(question_sets: dict[str, list[LabelledQuestion]], texts: list[str], started: float) -> dict:
    catalogue, load = build(load_catalogue)
    factories = {
        "matcher": lambda: Matcher(catalogue, MatchPolicy()),
        "rapidfuzz": lambda: FuzzyBaseline(catalogue),
        "bm25": lambda: BM25Baseline(catalogue),
    }
    built = {name: build(factory) for name, factory in factories.items()}  # all alive: honest RSS
    rows: dict[str, dict] = {}
    for name, (system, row) in built.items():
        if not isinstance(system, Matcher) and question_sets.get("dev"):
            system.threshold = row["threshold"] = calibrate(system, question_sets["dev"])
        row["served"] = served(system)
        row["latency"] = latency(system.match, texts)
        row["quality"] = quality(system.match, question_sets)
        rows[name] = row
        print(f"  shipped {name} done ({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)
    return {"procedures": len(catalogue), "load": load, "systems": rows, "peak_rss_mb": round(memory_mb("VmHWM"), 1)}


def large_phase(size: int, texts: list[str], started: float) -> dict:
    """Run in a fresh process (see main) so nothing freed earlier is reused by these builds."""
    catalogue, made = build(lambda: synthetic_catalogue(load_catalogue(), size))
    built = {
        "bm25": build(lambda: BM25Baseline(catalogue)),
        "rapidfuzz": build(lambda: FuzzyBaseline(catalogue)),
        "matcher": build(lambda: Matcher(catalogue, MatchPolicy())),
    }
    subsets = {"matcher": texts, "bm25": texts, "rapidfuzz": texts[::FUZZY_LARGE_STRIDE]}
    rows: dict[str, dict] = {}
    for name in ("matcher", "bm25", "rapidfuzz"):
        system, row = built[name]
        row["served"] = served(system)
        if name == "matcher":
            row["latency"] = latency(system.match, texts)
        else:
            row["latency"] = latency(system.match, subsets[name], 1, warmup=LARGE_WARMUP)
        rows[name] = row
        print(f"  {size} {name} done ({time.perf_counter() - started:.0f} s)", file=sys.stderr, flush=True)
    return {"procedures": len(catalogue), "catalogue": made, "systems": rows, "peak_rss_mb": round(memory_mb("VmHWM"), 1)}


# -- printing -------------------------------------------------------------------------------
def speed_table(title: str, rows: dict[str, dict]) -> str:
    cols = f"{'system':<11}{'build s':>9}{'ΔRSS MB':>9}{'served':>8}{'n':>6}{'p50 ms':>9}{'p99 ms':>9}{'mean ms':>9}"
    lines = [title, cols + f"{'1st p50':>9}{'1st p99':>9}"]
    for name, r in rows.items():
        lat, first = r["latency"], r["latency"].get("first_pass")
        line = (f"{name:<11}{r['build_s']:>9.2f}{r['rss_increase_mb']:>9.1f}{r['served']:>8}{lat['n']:>6}"
                f"{lat['p50_ms']:>9.3f}{lat['p99_ms']:>9.3f}{lat['mean_ms']:>9.3f}")
        line += f"{first['p50_ms']:>9.3f}{first['p99_ms']:>9.3f}" if first else f"{'-':>9}{'-':>9}"
        lines.append(line)
    return "\n".join(lines)


def quality_table(rows: dict[str, dict]) -> str:
    cols = ("questions", "hit@1", "hit@3", "off_topic_rejected", "in_scope_rejected")
    lines = [f"{'system':<11}{'set':<9}" + "".join(f"{c:>19}" for c in cols)]
    for name, r in rows.items():
        for qset, m in r["quality"].items():
            cells = ["-" if m[c] is None else f"{m[c]:.3f}" if isinstance(m[c], float) else str(m[c]) for c in cols]
            lines.append(f"{name:<11}{qset:<9}" + "".join(f"{c:>19}" for c in cells))
    return "\n".join(lines)


def check(label: str, value: float, target: float, higher_is_better: bool = False) -> dict:
    ok = value >= target if higher_is_better else value <= target
    sign = "≥" if higher_is_better else "≤"
    print(f"  {label:<36}{value:>9.3f}   target {sign} {target:<5g} {'PASS' if ok else 'FAIL'}")
    return {"label": label, "value": round(value, 3), "target": f"{sign} {target:g}", "pass": ok}


def code_version() -> str:
    """Commit of the measured code, "+dirty" when bot/ has uncommitted changes (read-only git)."""
    def git(*args: str) -> str:
        return subprocess.run(["git", *args], cwd=HERE.parent, capture_output=True, text=True).stdout.strip()

    return (git("rev-parse", "--short", "HEAD") or "unknown") + ("+dirty" if git("status", "--porcelain", "bot") else "")


# -- run --------------------------------------------------------------------------------------
def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="skip the large synthetic catalogue")
    parser.add_argument("--size", type=int, default=50_000, help="synthetic catalogue size (default 50000)")
    parser.add_argument("--large-only", action="store_true", help=argparse.SUPPRESS)  # the child process
    args = parser.parse_args()
    started = time.perf_counter()
    question_sets = {n: read_questions(p) for n, p in QUESTION_SETS.items() if p.exists()}
    texts = [q.text for qs in question_sets.values() for q in qs]
    if args.large_only:
        print(json.dumps(large_phase(args.size, texts, started)))
        return

    command = shlex.join(sys.orig_argv)
    print(f"$ {command}")
    version = code_version()
    print(f"code {version}, python {platform.python_version()}, {os.cpu_count()} CPUs, {platform.platform()}")
    print("questions: " + ", ".join(f"{n} {len(qs)}" for n, qs in question_sets.items()) + f" (all {len(texts)})\n")
    results: dict = {"command": command, "code": version, "cpus": os.cpu_count(), "python": platform.python_version(),
                     "questions": {n: len(qs) for n, qs in question_sets.items()}}

    shipped = results["shipped"] = shipped_phase(question_sets, texts, started)
    rows = shipped["systems"]
    print(speed_table(f"== Shipped catalogue ({shipped['procedures']} procedures): warm-up pass (1st), then "
                      f"{PASSES} timed passes over {len(texts)} questions ==", rows))
    print(f"peak RSS of the process: {shipped['peak_rss_mb']:.0f} MB")
    print("\n== Quality (a hit counts only when status != none) ==")
    print(quality_table(rows))
    print(
        "rejection rules: matcher = its own decision (MatchPolicy thresholds, tuned on benchmarks/data);\n"
        f"  rapidfuzz = 'none' when best token_set_ratio < {rows['rapidfuzz'].get('threshold', 0):.2f};"
        f" bm25 = 'none' when no name shares a syllable or best score < {rows['bm25'].get('threshold', 0):.3f}.\n"
        "  Baseline thresholds maximise right decisions on dev only (in-scope right at rank 1 and kept,\n"
        "  off-topic rejected), so dev is their calibration set. Baselines have no code lookup or aspects."
    )

    if not args.quick:
        child = [sys.executable, __file__, "--large-only", "--size", str(args.size)]
        out = subprocess.run(child, check=True, stdout=subprocess.PIPE, text=True).stdout
        large = results["large"] = json.loads(out.strip().splitlines()[-1])
        print()
        print(speed_table(
            f"== Synthetic catalogue ({large['procedures']} procedures, made in {large['catalogue']['build_s']:.1f} s, "
            f"+{large['catalogue']['rss_increase_mb']:.0f} MB RSS), fresh process ==\n"
            f"matcher: warm-up pass, {PASSES} timed passes over all questions; baselines: warm-up on "
            f"{LARGE_WARMUP}, 1 timed pass (rapidfuzz: every {FUZZY_LARGE_STRIDE}th question)", large["systems"]))
        print(f"peak RSS of that process: {large['peak_rss_mb']:.0f} MB")

    print("\n== Targets ==")
    m, f = rows["matcher"]["latency"], rows["rapidfuzz"]["latency"]
    checks = [
        check("shipped matcher p50 ms", m["p50_ms"], TARGETS["shipped_p50_ms"]),
        check("shipped matcher p99 ms", m["p99_ms"], TARGETS["shipped_p99_ms"]),
        check("p50 speed-up vs rapidfuzz (×)", f["p50_ms"] / m["p50_ms"], TARGETS["speedup_vs_fuzzy_p50"], True),
    ]
    if "large" in results:
        p99 = results["large"]["systems"]["matcher"]["latency"]["p99_ms"]
        checks.append(check(f"{args.size // 1000}k matcher p99 ms", p99, TARGETS["large_p99_ms"]))
    results["targets"] = checks
    results["elapsed_s"] = round(time.perf_counter() - started, 1)
    RESULTS.parent.mkdir(parents=True, exist_ok=True)
    RESULTS.write_text(json.dumps(results, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    print(f"\nwrote {RESULTS.relative_to(HERE.parent)}; {results['elapsed_s']:.0f} s in all")


if __name__ == "__main__":
    main()
