"""Telegram webhook benchmark: updates posted to /webhooks/telegram of one server process,
replies absorbed by the fake Bot API; the chat service side by side with a minimal PTB echo bot.

Reports throughput (updates/s, posted as fast as 32 concurrent senders allow) and p50/p99
latency from the POST to the reply's sendMessage at a steady 100 updates/s.
Run: .venv/bin/python benchmarks/webhook_throughput.py [--updates N]
"""
from __future__ import annotations

import argparse
import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import aiohttp

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from fakes.telegram_api import FakeTelegramAPI  # noqa: E402
from fakes.telegram_updates import encode_update, make_text_update  # noqa: E402

SECRET = "bench-secret"


class AbsorbingTelegramAPI(FakeTelegramAPI):
    """The fake Bot API without HTML validation (the tests validate it): parsing long replies in
    the load generator's process would otherwise measure the generator, not the server."""

    @staticmethod
    def _render_text(params):
        return str(params.get("text") or ""), []
RESULTS = ROOT / "benchmarks" / "results" / "webhook_throughput.json"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process, from /proc."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def questions() -> list[str]:
    texts = []
    for name in ("citizen_questions.jsonl", "fresh_questions.jsonl"):
        with open(ROOT / "benchmarks" / "data" / name, encoding="utf-8") as f:
            texts.extend(json.loads(line)["text"] for line in f if line.strip())
    return texts


async def start_process(command: list[str], env: dict, port: int) -> subprocess.Popen:
    process = subprocess.Popen(command, env=env, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    async with aiohttp.ClientSession() as http:
        for _ in range(600):
            try:
                async with http.get(f"http://127.0.0.1:{port}/healthz") as response:
                    if response.status == 200:
                        return process
            except aiohttp.ClientError:
                pass
            if process.poll() is not None:
                raise RuntimeError(process.stderr.read().decode()[-2000:])
            await asyncio.sleep(0.1)
    raise RuntimeError("server did not start")


async def run_load(fake: FakeTelegramAPI, url: str, texts: list[str], first_chat: int, rate: float | None):
    """Post one update per text (a new chat each), as fast as 32 senders allow or at ``rate``
    per second; returns (seconds until the last first reply, latencies in ms)."""
    fake.reset()
    posted: dict[int, float] = {}
    headers = {"X-Telegram-Bot-Api-Secret-Token": SECRET, "Content-Type": "application/json"}
    async with aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=32)) as http:
        async def post(n: int, text: str) -> None:
            chat = first_chat + n
            body = encode_update(make_text_update(chat, chat, text))
            posted[chat] = time.monotonic()
            async with http.post(url, data=body, headers=headers) as response:
                assert response.status == 200

        start = time.monotonic()
        if rate is None:
            semaphore = asyncio.Semaphore(32)

            async def bounded(n: int, text: str) -> None:
                async with semaphore:
                    await post(n, text)

            await asyncio.gather(*(bounded(n, t) for n, t in enumerate(texts)))
        else:
            tasks = []
            for n, text in enumerate(texts):
                await asyncio.sleep(max(0.0, start + n / rate - time.monotonic()))
                tasks.append(asyncio.create_task(post(n, text)))
            await asyncio.gather(*tasks)
        deadline = time.monotonic() + 600
        while True:
            first_reply: dict[int, float] = {}
            for call in fake.calls_to("sendMessage"):
                chat = int(call.params["chat_id"])
                if chat in posted and chat not in first_reply:
                    first_reply[chat] = call.at
            if len(first_reply) == len(posted) or time.monotonic() > deadline:
                break
            await asyncio.sleep(0.02)
    latencies = sorted((first_reply[c] - posted[c]) * 1000 for c in first_reply)
    return max(first_reply.values()) - start, latencies


def summary(elapsed: float, latencies: list[float], count: int) -> dict:
    return {
        "updates": count,
        "updates_per_s": round(count / elapsed, 1),
        "p50_ms": round(statistics.median(latencies), 2),
        "p99_ms": round(latencies[min(len(latencies) - 1, int(len(latencies) * 0.99))], 2),
    }


async def main(updates: int) -> dict:
    fake = AbsorbingTelegramAPI()
    texts = (questions() * (updates // 400 + 2))[:updates]
    results: dict = {"command": " ".join([".venv/bin/python", *sys.argv]), "cpus": os.cpu_count()}
    async with fake.serve() as api:
        with tempfile.TemporaryDirectory() as tmp:
            base_env = {**os.environ, "TELEGRAM_BOT_TOKEN": fake.token, "TELEGRAM_WEBHOOK_SECRET": SECRET,
                        "TELEGRAM_API_BASE_URL": f"{api}/bot", "LOG_LEVEL": "WARNING", "PUBLIC_BASE_URL": ""}
            systems = {
                "motcua": [sys.executable, "-m", "bot.cli", "serve"],
                "ptb_echo": [sys.executable, str(ROOT / "benchmarks" / "echo_bot.py")],
            }
            for name, command in systems.items():
                port = free_port()
                env = {**base_env, "PORT": str(port), "DATABASE_URL": f"sqlite:///{tmp}/{name}.sqlite3"}
                process = await start_process(command + ([str(port)] if name == "ptb_echo" else []), env, port)
                try:
                    url = f"http://127.0.0.1:{port}/webhooks/telegram"
                    await run_load(fake, url, texts[:50], 10_000_000, None)  # warm-up
                    cpu_before = cpu_seconds(process.pid)
                    flat = await run_load(fake, url, texts, 20_000_000, None)
                    cpu_per_update = (cpu_seconds(process.pid) - cpu_before) / len(texts) * 1000
                    steady = await run_load(fake, url, texts, 30_000_000, 100.0)
                    results[name] = {"max_throughput": summary(*flat, len(texts)),
                                     "at_100_per_s": summary(*steady, len(texts)),
                                     "server_cpu_ms_per_update": round(cpu_per_update, 2)}
                finally:
                    process.terminate()
                    process.wait(timeout=30)
    ours, echo = results["motcua"], results["ptb_echo"]
    results["targets"] = {
        "throughput_vs_echo": round(ours["max_throughput"]["updates_per_s"] / echo["max_throughput"]["updates_per_s"], 3),
        "throughput_ok": ours["max_throughput"]["updates_per_s"] >= 0.5 * echo["max_throughput"]["updates_per_s"],
        "p99_at_100_ok": ours["at_100_per_s"]["p99_ms"] <= 50,
    }
    return results


def print_table(results: dict) -> None:
    print(f"$ {results['command']}   ({results['cpus']} CPUs)")
    print(f"{'system':<10}{'max upd/s':>11}{'p50 ms':>9}{'p99 ms':>9}{'CPU ms/upd':>12}   "
          f"{'@100/s upd/s':>13}{'p50 ms':>9}{'p99 ms':>9}")
    for name in ("motcua", "ptb_echo"):
        flat, steady = results[name]["max_throughput"], results[name]["at_100_per_s"]
        print(f"{name:<10}{flat['updates_per_s']:>11}{flat['p50_ms']:>9}{flat['p99_ms']:>9}"
              f"{results[name]['server_cpu_ms_per_update']:>12}   "
              f"{steady['updates_per_s']:>13}{steady['p50_ms']:>9}{steady['p99_ms']:>9}")
    t = results["targets"]
    print(f"throughput vs echo bot: {t['throughput_vs_echo']:.2f}× (target ≥ 0.5: {'PASS' if t['throughput_ok'] else 'FAIL'}); "
          f"p99 at 100 updates/s ≤ 50 ms: {'PASS' if t['p99_at_100_ok'] else 'FAIL'}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--updates", type=int, default=1000)
    args = parser.parse_args()
    results = asyncio.run(main(args.updates))
    RESULTS.parent.mkdir(exist_ok=True)
    RESULTS.write_text(json.dumps(results, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print_table(results)
