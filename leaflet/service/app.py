"""The HTTP API of ``leaflet serve`` (FastAPI): leaflets, packets, checks, health and metrics.

FastAPI rather than bare Starlette: it is Starlette underneath (same speed, same ASGI), and it writes
the OpenAPI description and the ``/docs`` page from the routes, which pharmacy-system integrators read
first; with Starlette alone that description would be written and kept by hand.

Consumes :class:`ServiceSettings`; returns the ASGI application. The work runs in a pool of
``settings.threads`` threads (:mod:`leaflet.service.work`), each request bounded by
``settings.request_seconds``; the order-reading bounds of the command line hold inside it.
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import re
from collections.abc import AsyncIterator, Callable
from concurrent.futures import ThreadPoolExecutor
from contextlib import asynccontextmanager
from typing import Any, TypeVar

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse, Response
from starlette.datastructures import UploadFile
from starlette.exceptions import HTTPException as StarletteHTTPException

from leaflet import __version__
from leaflet.errors import LeafletError
from leaflet.service.caches import IdempotencyReuseError, IdempotencyStore, Remembered
from leaflet.service.metrics import Metrics
from leaflet.service.middleware import BodyTooLargeError, RequestMiddleware, too_large_problem
from leaflet.service.problems import PROBLEM_TYPE, problem, simple, status_of
from leaflet.service.settings import ServiceSettings
from leaflet.service.work import Made, Service, Upload

Result = TypeVar("Result")
MONOGRAPH_TYPES = {
    "application/yaml": ".yaml",
    "application/x-yaml": ".yaml",
    "text/yaml": ".yaml",
    "text/x-yaml": ".yaml",
    "text/plain": ".txt",
    "application/fhir+json": ".json",  # an EU ePI Bundle
    "application/json": ".json",
    "application/fhir+xml": ".xml",
    "application/xml": ".xml",  # an ePI Bundle in XML, or an FDA SPL document
    "text/xml": ".xml",
}
"""Media types of a monograph body, and the kind of file each is read as."""
IDEMPOTENCY_KEY = re.compile(r"^[\x21-\x7e]{1,200}$")
MONOGRAPH_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "application/yaml": {"schema": {"type": "string"}},
            "text/plain": {"schema": {"type": "string"}},
            "application/fhir+json": {"schema": {"type": "object"}},
            "application/xml": {"schema": {"type": "string"}},
        },
    }
}
PACKET_BODY = {
    "requestBody": {
        "required": True,
        "content": {
            "multipart/form-data": {
                "schema": {
                    "type": "object",
                    "required": ["order", "monographs"],
                    "properties": {
                        "order": {"type": "string", "format": "binary", "description": "the order PDF"},
                        "monographs": {
                            "type": "array",
                            "items": {"type": "string"},
                            "description": "library names (baclofen for baclofen.yaml) or uploaded .yaml/.txt files",
                        },
                        "patient": {
                            "type": "string",
                            "description": "JSON: patient, rx, dispensed, directions, pharmacy (strings)",
                        },
                        "paper": {"type": "string", "enum": ["auto", "a4", "letter"]},
                        "order_id": {"type": "string", "description": "carried by the QR code when there is no rx"},
                    },
                }
            }
        },
    }
}


class ServiceState:
    """What the app holds while it runs: the work, its threads, the idempotent answers, the metrics."""

    def __init__(self, settings: ServiceSettings) -> None:
        self.settings = settings
        self.metrics = Metrics()
        config = settings.site_config()
        self.service = Service(
            library=settings.library,
            site=config.site,
            defaults=settings.defaults(config),
            metrics=self.metrics,
            cache_size=settings.cache_size,
        )
        self.answers = IdempotencyStore(settings.idempotency_size)
        self.executor = ThreadPoolExecutor(max_workers=settings.threads, thread_name_prefix="leaflet")

    async def run(self, work: Callable[[], Result]) -> Result:
        """``work()`` in a worker thread, within the request's time."""
        future = asyncio.wrap_future(self.executor.submit(work))
        return await asyncio.wait_for(future, self.settings.request_seconds)


def create_app(settings: ServiceSettings) -> FastAPI:
    """The service's ASGI application."""
    state = ServiceState(settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        yield
        state.executor.shutdown(wait=False, cancel_futures=True)

    app = FastAPI(title="leaflet", version=__version__, lifespan=lifespan, summary="Patient leaflets as a service")
    app.state.leaflet = state
    _add_error_handlers(app, state)
    _add_leaflet_routes(app, state)
    _add_packet_route(app, state)
    _add_status_routes(app, state)
    app.add_middleware(RequestMiddleware, limit=settings.max_body_bytes, metrics=state.metrics)
    return app


def problem_response(request: Request, status: int, body: dict, headers: dict[str, str] | None = None) -> JSONResponse:
    """``body`` as problem+json; its code is noted for the request's log line and failure metric."""
    request.scope.setdefault("state", {})["problem"] = body["code"]
    return JSONResponse(body, status_code=status, media_type=PROBLEM_TYPE, headers=headers)


def _add_error_handlers(app: FastAPI, state: ServiceState) -> None:
    @app.exception_handler(LeafletError)
    async def leaflet_error(request: Request, error: LeafletError) -> JSONResponse:
        status = status_of(error)
        return problem_response(request, status, problem(status, error.diagnostics))

    @app.exception_handler(BodyTooLargeError)
    async def too_large(request: Request, error: BodyTooLargeError) -> JSONResponse:
        return problem_response(request, 413, too_large_problem(error.limit))

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, error: RequestValidationError) -> JSONResponse:
        # Only where and what kind: pydantic's own message may quote the value sent.
        first = error.errors()[0] if error.errors() else {}
        where = ".".join(str(part) for part in first.get("loc", ("request",)))
        body = simple(400, "request-invalid", f"{first.get('type', 'invalid')} value", where=where)
        return problem_response(request, 400, body)

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, error: StarletteHTTPException) -> JSONResponse:
        code = {404: "not-found", 405: "method-not-allowed"}.get(error.status_code, "http")
        return problem_response(request, error.status_code, simple(error.status_code, code, str(error.detail)))

    @app.exception_handler(TimeoutError)
    async def timeout(request: Request, error: TimeoutError) -> JSONResponse:
        seconds = state.settings.request_seconds
        body = simple(503, "timeout", f"the request took longer than {seconds:g} s", hint="try again later")
        return problem_response(request, 503, body, headers={"Retry-After": "5"})


def _monograph_suffix(request: Request) -> str:
    media = request.headers.get("content-type", "").split(";")[0].strip().lower()
    suffix = MONOGRAPH_TYPES.get(media)
    if suffix is None:
        raise RefusedError(
            415,
            "media-type",
            "a monograph is sent as application/yaml, text/plain, application/fhir+json or application/xml",
        )
    return suffix


class RefusedError(Exception):
    def __init__(self, status: int, code: str, message: str, *, where: str = "request") -> None:
        super().__init__(message)
        self.status, self.code, self.message, self.where = status, code, message, where


def _add_leaflet_routes(app: FastAPI, state: ServiceState) -> None:
    @app.exception_handler(RefusedError)
    async def refused(request: Request, error: RefusedError) -> JSONResponse:
        return problem_response(
            request, error.status, simple(error.status, error.code, error.message, where=error.where)
        )

    @app.post(
        "/v1/leaflets",
        response_class=Response,
        openapi_extra=MONOGRAPH_BODY,
        responses={200: {"content": {"application/pdf": {}}}},
    )
    async def leaflets(
        request: Request,
        paper: str | None = None,
        columns: int | None = None,
        large_print: bool | None = None,
        language: str | None = None,
    ) -> Response:
        """The leaflet PDF of the monograph in the body (YAML or plain text)."""
        suffix = _monograph_suffix(request)
        body = await request.body()
        options = state.service.options(paper=paper, columns=columns, large_print=large_print, language=language)
        made, hit = await state.run(lambda: state.service.leaflet(body, suffix, options))
        state.metrics.cache_entries.labels("leaflets").set(len(state.service.leaflets))
        return _pdf(made, {"Leaflet-Cache": "hit" if hit else "miss"})

    @app.post("/v1/check", openapi_extra=MONOGRAPH_BODY)
    async def check(request: Request, profile: str = "basic") -> dict[str, Any]:
        """The findings of ``leaflet check`` about the monograph in the body."""
        suffix = _monograph_suffix(request)
        body = await request.body()
        findings = await state.run(lambda: state.service.check(body, suffix, profile))
        errors = sum(finding["severity"] == "error" for finding in findings)
        return {"errors": errors, "warnings": len(findings) - errors, "findings": findings}


def _pdf(made: Made, headers: dict[str, str]) -> Response:
    headers = {**headers, "Leaflet-Warnings": ", ".join(made.warnings)} if made.warnings else headers
    return Response(made.pdf, media_type="application/pdf", headers=headers)


def _add_packet_route(app: FastAPI, state: ServiceState) -> None:
    @app.post(
        "/v1/packets",
        response_class=Response,
        openapi_extra=PACKET_BODY,
        responses={200: {"content": {"application/pdf": {}}}},
    )
    async def packets(request: Request) -> Response:
        """The packet: the order's pages, then the leaflets, personalised when ``patient`` is given.

        With an ``Idempotency-Key`` header, a retry returns the same bytes without making it again."""
        parts = await _packet_parts(request)
        key = request.headers.get("idempotency-key")
        if key is None:
            made = await state.run(lambda: state.service.packet(**parts))
            return _pdf(made, {})
        if not IDEMPOTENCY_KEY.match(key):
            raise RefusedError(400, "idempotency-key", "Idempotency-Key is 1 to 200 printable ASCII characters")
        fingerprint = _fingerprint(parts)

        def remembered() -> Remembered:
            made = state.service.packet(**parts)
            warnings = (("Leaflet-Warnings", ", ".join(made.warnings)),) if made.warnings else ()
            return Remembered(fingerprint, made.pdf, warnings)

        try:
            answer, replay = await state.run(lambda: state.answers.answer(key, fingerprint, remembered))
        except IdempotencyReuseError:
            raise RefusedError(
                422, "idempotency-key-reused", "this Idempotency-Key was used for another request"
            ) from None
        if replay:
            state.metrics.replays.inc()
        headers = dict(answer.headers) | {"Idempotent-Replayed": "true" if replay else "false"}
        return Response(answer.body, media_type="application/pdf", headers=headers)


async def _packet_parts(request: Request) -> dict[str, Any]:
    """The packet's parts from the multipart form: order, monographs, patient, paper, order_id."""
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise RefusedError(415, "media-type", "a packet request is multipart/form-data")
    form = await request.form(max_files=64, max_fields=64)
    order = form.get("order")
    if not isinstance(order, UploadFile):
        raise RefusedError(422, "order-missing", "no order PDF", where="order")
    monographs: list[str | Upload] = []
    for item in form.getlist("monographs"):
        if isinstance(item, UploadFile):
            name = (item.filename or "").lower()
            suffix = next((s for s in (".yaml", ".yml", ".txt", ".json", ".xml") if name.endswith(s)), "")
            monographs.append(Upload(suffix, await item.read()))
        else:
            monographs.append(item)
    patient = form.get("patient")
    patient_bytes = await patient.read() if isinstance(patient, UploadFile) else (patient or "").encode() or None
    paper, order_id = form.get("paper", "auto"), form.get("order_id")
    if paper not in ("auto", "a4", "letter"):
        raise RefusedError(422, "options", "paper is auto, a4 or letter", where="paper")
    if order_id is not None and (not isinstance(order_id, str) or not re.fullmatch(r"[A-Za-z0-9._-]{1,100}", order_id)):
        raise RefusedError(422, "options", "order_id is letters, digits, '.', '_' and '-'", where="order_id")
    order_bytes = await order.read()
    return {
        "order": order_bytes,
        "monographs": monographs,
        "patient": patient_bytes,
        "paper": paper,
        "order_id": order_id,
    }


def _fingerprint(parts: dict[str, Any]) -> str:
    """What identifies a packet request (not the multipart boundary, which a client draws anew each time)."""
    digest = hashlib.sha256()
    digest.update(hashlib.sha256(parts["order"]).digest())
    for item in parts["monographs"]:
        digest.update(b"N" + item.encode() if isinstance(item, str) else b"U" + hashlib.sha256(item.data).digest())
    digest.update(json.dumps([parts["paper"], parts["order_id"]]).encode())
    digest.update(hashlib.sha256(parts["patient"] or b"").digest())
    return digest.hexdigest()


def _add_status_routes(app: FastAPI, state: ServiceState) -> None:
    @app.get("/healthz")
    async def healthz() -> dict[str, str]:
        """Whether the service answers (and its version)."""
        return {"status": "ok", "version": __version__}

    @app.get("/metrics", response_class=Response)
    async def metrics() -> Response:
        """Prometheus metrics, ``leaflet_`` series."""
        for name, cache in (("leaflets", state.service.leaflets), ("templates", state.service.templates)):
            state.metrics.cache_entries.labels(name).set(len(cache))
            state.metrics.cache_hits.labels(name).set(cache.hits)
        return Response(state.metrics.exposition(), media_type="text/plain; version=0.0.4; charset=utf-8")
