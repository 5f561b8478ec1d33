"""The service's Prometheus metrics, in a registry of its own (no process-global collector): requests by
endpoint and status, latency histograms, leaflets laid out, packets made, cache hits, failures by code.

Labels are route templates, statuses and diagnostic codes only: never a path as sent, a query value or
anything of a request's body, so no patient's detail can reach a label.
"""

from __future__ import annotations

from prometheus_client import CollectorRegistry, Counter, Gauge, Histogram, generate_latest

LATENCY_BUCKETS = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0)


class Metrics:
    """The ``leaflet_`` series of one service."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry(auto_describe=True)
        registry = self.registry
        self.requests = Counter("leaflet_requests", "Requests answered", ["endpoint", "status"], registry=registry)
        self.latency = Histogram(
            "leaflet_request_duration_seconds",
            "Time to answer a request",
            ["endpoint"],
            buckets=LATENCY_BUCKETS,
            registry=registry,
        )
        self.layouts = Counter("leaflet_layouts", "Leaflets laid out (cache misses)", registry=registry)
        self.packets = Counter("leaflet_packets", "Packets made (idempotent replays not counted)", registry=registry)
        self.replays = Counter(
            "leaflet_idempotent_replays", "Answers replayed for an Idempotency-Key", registry=registry
        )
        self.failures = Counter("leaflet_failures", "Requests refused or failed, by code", ["code"], registry=registry)
        self.cache_entries = Gauge("leaflet_cache_entries", "Laid-out leaflets held", ["cache"], registry=registry)
        self.cache_hits = Gauge("leaflet_cache_hits", "Cache hits so far", ["cache"], registry=registry)

    def exposition(self) -> bytes:
        """The metrics in Prometheus' text format."""
        return generate_latest(self.registry)
