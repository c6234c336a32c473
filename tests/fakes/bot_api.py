"""Common core of Telegram-style bot APIs: ``/bot{token}/{method}`` with an ok/result envelope.

Shared by :class:`~fakes.telegram_api.FakeTelegramAPI` and
:class:`~fakes.zalo_bot.FakeZaloBot`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from .base import (
    FakeAPI,
    Matcher,
    Params,
    RecordedCall,
    Reply,
    Scripted,
    UpdateQueue,
)

MethodHandler = Callable[[Params], Awaitable[Any]]

DEFAULT_DESCRIPTIONS: dict[int, str] = {
    400: "Bad Request",
    401: "Unauthorized",
    403: "Forbidden: bot was blocked by the user",
    404: "Not Found",
    408: "Request timeout",
    409: "Conflict",
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Unavailable",
    504: "Gateway Timeout",
}


class ApiError(Exception):
    """Raised by a method handler to answer with an error envelope."""

    def __init__(
        self,
        status: int,
        description: str,
        parameters: dict[str, Any] | None = None,
        *,
        with_error_code: bool = True,
    ) -> None:
        super().__init__(description)
        self.status = status
        self.description = description
        self.parameters = parameters
        self.with_error_code = with_error_code

    def reply(self) -> Reply:
        """The error envelope ``{"ok":false,"error_code","description","parameters"?}``."""
        body = error_body(self.status, self.description, self.parameters,
                          with_error_code=self.with_error_code)
        return Reply(self.status, body)


def error_body(
    status: int,
    description: str,
    parameters: dict[str, Any] | None = None,
    *,
    with_error_code: bool = True,
) -> dict[str, Any]:
    """Build an error envelope."""
    body: dict[str, Any] = {"ok": False}
    if with_error_code:
        body["error_code"] = status
    body["description"] = description
    if parameters:
        body["parameters"] = parameters
    return body


def default_description(status: int, retry_after: int | None = None) -> str:
    """Platform-like description for a scripted error status."""
    if status == 429:
        return f"Too Many Requests: retry after {retry_after if retry_after is not None else 1}"
    return DEFAULT_DESCRIPTIONS.get(status, f"Error {status}")


class BotAPIFake(FakeAPI):
    """A fake of a ``/bot{token}/{method}`` JSON API.

    Subclasses implement :meth:`api_methods`. Each method handler receives the parsed
    params and returns the ``result`` or raises :class:`ApiError`. ``updates`` holds
    what getUpdates will return.
    """

    def __init__(self, token: str, *, max_poll_timeout: float | None = None) -> None:
        super().__init__()
        self.token = token
        self.max_poll_timeout = max_poll_timeout
        self.updates = UpdateQueue()
        self._methods = {name.lower(): (name, fn) for name, fn in self.api_methods().items()}

    def api_methods(self) -> dict[str, MethodHandler]:
        """Map of canonical method name to handler."""
        raise NotImplementedError

    def add_routes(self, router: web.UrlDispatcher) -> None:
        """``GET``/``POST /bot{token}/{method}``."""
        router.add_route("GET", "/bot{token}/{method}", self._route)
        router.add_route("POST", "/bot{token}/{method}", self._route)

    async def _route(self, request: web.Request) -> web.StreamResponse:
        token, sent_name = request.match_info["token"], request.match_info["method"]
        name, handler = self._methods.get(sent_name.lower(), (sent_name, None))

        async def answer(call: RecordedCall) -> Reply:
            return await self._answer(call, token, handler)

        return await self.record(request, name, answer)

    async def _answer(self, call: RecordedCall, token: str, handler: MethodHandler | None) -> Reply:
        if token != self.token:
            return ApiError(401, "Unauthorized").reply()
        scripted = await self.take_script(call)
        if scripted is not None:
            return scripted
        if handler is None:
            return ApiError(404, "Not Found").reply()
        try:
            if call.body_error:
                raise ApiError(400, f"Bad Request: {call.body_error}")
            result = await handler(call.params)
        except ApiError as exc:
            return exc.reply()
        return Reply(200, {"ok": True, "result": result})

    def poll_timeout(self, value: Any) -> float:
        """Seconds a long poll may wait: the client's ``timeout`` capped by ``max_poll_timeout``."""
        try:
            seconds = max(float(value or 0), 0.0)
        except (TypeError, ValueError):
            seconds = 0.0
        if self.max_poll_timeout is not None:
            seconds = min(seconds, self.max_poll_timeout)
        return seconds

    def fail_next(
        self,
        method: str,
        status: int,
        description: str | None = None,
        *,
        retry_after: int | None = None,
        parameters: dict[str, Any] | None = None,
        times: int | None = 1,
        match: Matcher | None = None,
        delay: float = 0.0,
    ) -> Scripted:
        """Make the next ``times`` calls to ``method`` (``"*"`` = any) fail with ``status``.

        ``description`` defaults to the platform wording for the status (429 →
        "Too Many Requests: retry after N", 403 → "Forbidden: bot was blocked by the user").
        ``retry_after`` is sent as ``parameters.retry_after``; ``match`` restricts the
        script to calls whose params satisfy it; ``times=None`` means until cleared.
        """
        params = dict(parameters or {})
        if retry_after is not None:
            params["retry_after"] = retry_after
        elif status == 429:
            params.setdefault("retry_after", 1)
        text = description or default_description(status, params.get("retry_after"))
        body = error_body(status, text, params or None)
        reply = Reply(status, body)
        return self.script(Scripted(method, reply, times=times, match=match, delay=delay))

    def respond_next(
        self,
        method: str,
        result: Any,
        *,
        times: int | None = 1,
        match: Matcher | None = None,
        delay: float = 0.0,
    ) -> Scripted:
        """Make the next calls to ``method`` succeed with ``{"ok":true,"result":result}``."""
        reply = Reply(200, {"ok": True, "result": result})
        return self.script(Scripted(method, reply, times=times, match=match, delay=delay))
