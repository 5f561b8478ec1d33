"""What wraps every request: the body size limit, the request's metrics, and its one log line.

A plain ASGI middleware (not Starlette's ``BaseHTTPMiddleware``, which copies each body through a
queue). The endpoint label is the route's path when it is one of the service's, else ``other``: a path as
sent never becomes a label or a log field. The log line carries the method, that label, the status, the
time and the problem's code: no query, no header, no body.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from leaflet.service.metrics import Metrics
from leaflet.service.problems import PROBLEM_TYPE, simple

Scope = MutableMapping[str, Any]
Message = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[Message]]
Send = Callable[[Message], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

ENDPOINTS = ("/v1/leaflets", "/v1/packets", "/v1/check", "/healthz", "/metrics", "/docs", "/openapi.json")
logger = logging.getLogger("leaflet.service")


class BodyTooLargeError(Exception):
    """The request's body went past the limit while it was read."""

    def __init__(self, limit: int) -> None:
        super().__init__(limit)
        self.limit = limit


def too_large_problem(limit: int) -> dict:
    return simple(413, "body-too-large", f"the request is larger than {limit // 2**20} MiB", hint="send less")


def internal_problem(error: Exception) -> dict:
    message = f"internal error ({type(error).__name__}); a bug in leaflet, please report it"
    return simple(500, "internal", message)


class RequestMiddleware:
    """Refuses bodies over ``limit`` bytes (by Content-Length at once, else as they are read), and counts,
    times and logs every request."""

    def __init__(self, app: App, *, limit: int, metrics: Metrics) -> None:
        self.app = app
        self.limit = limit
        self.metrics = metrics

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path = scope.get("path", "")
        endpoint = path if path in ENDPOINTS else "other"
        started = time.perf_counter()
        status: dict[str, Any] = {"code": 500}
        scope.setdefault("state", {})

        async def sending(message: Message) -> None:
            if message["type"] == "http.response.start":
                status["code"], status["started"] = message["status"], True
            await send(message)

        try:
            if self._declared_size(scope) > self.limit:
                await self._answer(sending, 413, too_large_problem(self.limit))
                scope["state"]["problem"] = "body-too-large"
            else:
                await self.app(scope, self._counting(receive), sending)
        except Exception as exc:  # a bug: its type only (its text might quote what was sent), no traceback
            scope["state"]["problem"] = "internal"
            logger.error("internal error (%s) in %s; a bug in leaflet", type(exc).__name__, endpoint)
            if status["code"] == 500 and not status.get("started"):
                await self._answer(sending, 500, internal_problem(exc))
        finally:
            elapsed = time.perf_counter() - started
            self.metrics.requests.labels(endpoint, str(status["code"])).inc()
            self.metrics.latency.labels(endpoint).observe(elapsed)
            code = scope["state"].get("problem")
            if code:
                self.metrics.failures.labels(code).inc()
            logger.info(
                "%s %s %d %.1f ms",
                scope.get("method", ""),
                endpoint,
                status["code"],
                elapsed * 1000,
                extra={"endpoint": endpoint, "status": status["code"], "ms": round(elapsed * 1000, 2), "code": code},
            )

    def _declared_size(self, scope: Scope) -> int:
        for name, value in scope.get("headers", ()):
            if name == b"content-length":
                try:
                    return int(value)
                except ValueError:
                    return 0
        return 0

    def _counting(self, receive: Receive) -> Receive:
        seen = 0

        async def counted() -> Message:
            nonlocal seen
            message = await receive()
            seen += len(message.get("body", b""))
            if seen > self.limit:
                raise BodyTooLargeError(self.limit)
            return message

        return counted

    async def _answer(self, send: Send, status: int, problem: dict) -> None:
        body = json.dumps(problem).encode()
        headers = [(b"content-type", PROBLEM_TYPE.encode()), (b"content-length", str(len(body)).encode())]
        headers.append((b"connection", b"close"))
        await send({"type": "http.response.start", "status": status, "headers": headers})
        await send({"type": "http.response.body", "body": body})
