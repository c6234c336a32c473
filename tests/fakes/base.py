"""Shared machinery for the platform fakes: call recording, scripted responses, serving.

Every fake is an :class:`FakeAPI`. It records each request as a :class:`RecordedCall`,
lets a test queue :class:`Scripted` responses per method, and serves itself on a random
127.0.0.1 port with ``async with fake.serve() as base_url: ...``.

Create fakes per test (asyncio primitives bind to the first event loop that uses them).
"""

from __future__ import annotations

import asyncio
import email.parser
import email.policy
import json
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from functools import partial
from typing import Any
from urllib.parse import parse_qsl

import aiohttp
from aiohttp import web
from multidict import CIMultiDict

Params = dict[str, Any]
Matcher = Callable[[Params], bool]

ANY_METHOD = "*"
_dumps = partial(json.dumps, ensure_ascii=False)


@dataclass
class UploadedFile:
    """A file part of a multipart request."""

    filename: str | None
    content_type: str
    data: bytes


@dataclass
class RecordedCall:
    """One request received by a fake.

    ``params`` holds the parsed parameters (query string merged with the body);
    ``status`` and ``response`` are filled in once the fake has answered.
    """

    method: str
    params: Params
    headers: CIMultiDict[str]
    http_method: str
    path: str
    body: bytes
    at: float = field(default_factory=time.monotonic)
    status: int | None = None
    response: Any = None
    scripted: bool = False
    body_error: str | None = None

    @property
    def done(self) -> bool:
        """Whether the fake has produced a response for this call."""
        return self.status is not None


@dataclass
class Reply:
    """An HTTP response a fake is about to send (``body`` is JSON unless str/bytes)."""

    status: int
    body: Any
    headers: Mapping[str, str] = field(default_factory=dict)

    def to_response(self) -> web.StreamResponse:
        """Convert to an aiohttp response."""
        if isinstance(self.body, bytes | str):
            return web.Response(status=self.status, body=self.body, headers=dict(self.headers))
        return web.json_response(
            self.body, status=self.status, headers=dict(self.headers), dumps=_dumps
        )


@dataclass
class Scripted:
    """A queued response that replaces the fake's normal behaviour for matching calls.

    ``times=None`` keeps it active until :meth:`FakeAPI.clear_scripts`. ``effect`` runs
    when it is served (e.g. to expire a token); ``delay`` sleeps before answering.
    """

    method: str
    reply: Reply
    times: int | None = 1
    match: Matcher | None = None
    delay: float = 0.0
    effect: Callable[[], None] | None = None

    def applies_to(self, method: str, params: Params) -> bool:
        """Whether this script answers a call to ``method`` with ``params``."""
        if self.method != ANY_METHOD and self.method.lower() != method.lower():
            return False
        return self.match is None or self.match(params)


class BadBody(ValueError):
    """The request body could not be parsed."""


async def wait_until(predicate: Callable[[], bool], event: asyncio.Event, timeout: float) -> bool:
    """Wait until ``predicate()`` holds, re-checking whenever ``event`` is set."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    while not predicate():
        remaining = deadline - loop.time()
        if remaining <= 0:
            return False
        event.clear()
        try:
            await asyncio.wait_for(event.wait(), remaining)
        except TimeoutError:
            return predicate()
    return True


class UpdateQueue:
    """Updates waiting to be fetched by long polling."""

    def __init__(self) -> None:
        self.items: list[dict[str, Any]] = []
        self._changed = asyncio.Event()

    def push(self, update: dict[str, Any]) -> None:
        """Queue an update and wake pollers."""
        self.items.append(update)
        self._changed.set()

    def clear(self) -> None:
        """Drop every pending update."""
        self.items.clear()

    async def wait_nonempty(self, timeout: float) -> bool:
        """Wait up to ``timeout`` seconds for at least one update."""
        return await wait_until(lambda: bool(self.items), self._changed, timeout)


def _parse_multipart(content_type: str, raw: bytes) -> Params:
    header = f"Content-Type: {content_type}\r\n\r\n".encode()
    parser = email.parser.BytesParser(policy=email.policy.HTTP)
    message = parser.parsebytes(header + raw)
    if not message.is_multipart():
        raise BadBody("malformed multipart body")
    params: Params = {}
    for part in message.iter_parts():
        name = part.get_param("name", header="content-disposition")
        if not name:
            continue
        data = part.get_payload(decode=True) or b""
        filename = part.get_filename()
        if filename is None and part.get_content_type() == "text/plain":
            params[str(name)] = data.decode(part.get_content_charset() or "utf-8")
        else:
            params[str(name)] = UploadedFile(filename, part.get_content_type(), data)
    return params


def parse_body(content_type: str, raw: bytes) -> tuple[Params, str]:
    """Parse a request body into a dict; return it with its kind (json/form/multipart/empty)."""
    mime = content_type.split(";", 1)[0].strip().lower()
    if not raw.strip():
        return {}, "empty"
    if mime == "application/json" or (not mime and raw.lstrip()[:1] in (b"{", b"[")):
        try:
            value = json.loads(raw)
        except ValueError as exc:
            raise BadBody(f"invalid JSON: {exc}") from exc
        if not isinstance(value, dict):
            raise BadBody("JSON body must be an object")
        return value, "json"
    try:
        if mime == "multipart/form-data":
            return _parse_multipart(content_type, raw), "multipart"
        return dict(parse_qsl(raw.decode("utf-8"), keep_blank_values=True)), "form"
    except BadBody:
        raise
    except ValueError as exc:  # includes UnicodeDecodeError
        raise BadBody(f"malformed {mime or 'form'} body: {exc}") from exc


class FakeAPI:
    """Base class: records calls, serves scripted responses, runs an aiohttp app."""

    def __init__(self) -> None:
        self.calls: list[RecordedCall] = []
        self.scripts: list[Scripted] = []
        self.base_url: str | None = None
        self._changed = asyncio.Event()

    # -- to implement -------------------------------------------------------------
    def add_routes(self, router: web.UrlDispatcher) -> None:
        """Register the fake's routes."""
        raise NotImplementedError

    # -- serving ------------------------------------------------------------------
    def make_app(self) -> web.Application:
        """A fresh aiohttp application bound to this fake (usable with ``TestServer``)."""
        app = web.Application()
        self.add_routes(app.router)
        return app

    @asynccontextmanager
    async def serve(self, host: str = "127.0.0.1", port: int = 0) -> AsyncIterator[str]:
        """Serve on ``host`` (random port by default); yield the base URL without slash."""
        runner = web.AppRunner(self.make_app(), access_log=None, shutdown_timeout=0.25)
        await runner.setup()
        try:
            await web.TCPSite(runner, host, port).start()
            bound_host, bound_port = runner.addresses[0][:2]
            self.base_url = f"http://{bound_host}:{bound_port}"
            yield self.base_url
        finally:
            await runner.cleanup()

    # -- recording ----------------------------------------------------------------
    async def record(
        self,
        request: web.Request,
        method: str,
        answer: Callable[[RecordedCall], Awaitable[Reply]],
    ) -> web.StreamResponse:
        """Record ``request`` as a call to ``method``, answer it and store the answer.

        ``call.params`` is the parsed body merged over the query string, both passed
        through :meth:`decode_params`. An unparsable body sets ``call.body_error``; ``answer`` decides.
        """
        raw = await request.read()
        params = self.decode_params(dict(request.query), "form")
        body_error = None
        try:
            body, kind = parse_body(request.headers.get("Content-Type", ""), raw)
            params.update(self.decode_params(body, kind))
        except BadBody as exc:
            body_error = str(exc)
        call = RecordedCall(
            method=method,
            params=params,
            headers=CIMultiDict(request.headers),
            http_method=request.method,
            path=request.path,
            body=raw,
            body_error=body_error,
        )
        self.calls.append(call)
        reply = await answer(call)
        call.status, call.response = reply.status, reply.body
        self._changed.set()
        return reply.to_response()

    def decode_params(self, params: Params, kind: str) -> Params:
        """Hook to type-convert parsed body values; ``kind`` is json/form/multipart/empty."""
        return params

    def calls_to(self, method: str) -> list[RecordedCall]:
        """Completed and pending calls to ``method`` (case-insensitive), in arrival order."""
        return [c for c in self.calls if method == ANY_METHOD or c.method.lower() == method.lower()]

    def last_call(self, method: str = ANY_METHOD) -> RecordedCall:
        """The most recent call to ``method``; AssertionError if there is none."""
        calls = self.calls_to(method)
        assert calls, f"no call to {method!r}; got {[c.method for c in self.calls]}"
        return calls[-1]

    async def wait_for_calls(
        self, method: str, count: int = 1, timeout: float = 5.0
    ) -> list[RecordedCall]:
        """Wait until ``count`` calls to ``method`` have been answered; return them all."""

        def answered() -> list[RecordedCall]:
            return [c for c in self.calls_to(method) if c.done]

        if not await wait_until(lambda: len(answered()) >= count, self._changed, timeout):
            seen = [c.method for c in self.calls]
            raise AssertionError(
                f"expected {count} answered call(s) to {method!r} within {timeout}s; got {seen}"
            )
        return answered()

    def reset(self) -> None:
        """Forget recorded calls and scripts."""
        self.calls.clear()
        self.clear_scripts()

    # -- scripting ----------------------------------------------------------------
    def script(self, scripted: Scripted) -> Scripted:
        """Queue a scripted response (FIFO among scripts for the same method)."""
        self.scripts.append(scripted)
        return scripted

    def clear_scripts(self) -> None:
        """Drop every pending scripted response."""
        self.scripts.clear()

    async def take_script(self, call: RecordedCall) -> Reply | None:
        """Consume the first script that applies to ``call`` and return its reply."""
        for scripted in self.scripts:
            if scripted.applies_to(call.method, call.params):
                break
        else:
            return None
        if scripted.times is not None:
            scripted.times -= 1
            if scripted.times <= 0:
                self.scripts.remove(scripted)
        call.scripted = True
        if scripted.effect is not None:
            scripted.effect()
        if scripted.delay:
            await asyncio.sleep(scripted.delay)
        return scripted.reply


@dataclass
class WebhookResult:
    """What an app's webhook route answered."""

    status: int
    text: str


async def post_webhook(
    url: str,
    body: bytes,
    headers: Mapping[str, str],
    session: aiohttp.ClientSession | None = None,
) -> WebhookResult:
    """POST a raw JSON webhook body to ``url`` the way a platform would."""
    all_headers = {"Content-Type": "application/json", **headers}
    if session is not None:
        async with session.post(url, data=body, headers=all_headers) as resp:
            return WebhookResult(resp.status, await resp.text())
    async with aiohttp.ClientSession() as own:
        return await post_webhook(url, body, headers, own)
