"""How ``leaflet serve`` runs: the library, the site configuration, the limits and sizes (plain data,
passed to worker processes through the environment as JSON)."""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path

from leaflet.loaders.site_config import SiteConfig, load_site_config
from leaflet.options import BuildOptions
from leaflet.pdf.reading import MAX_FILE_BYTES

SETTINGS_ENVIRONMENT = "LEAFLET_SERVE_SETTINGS"
"""Where ``leaflet serve --workers N`` leaves the settings for its worker processes."""


@dataclass(frozen=True)
class ServiceSettings:
    """The service's choices; every limit has a default that holds without configuration."""

    library: Path | None = None
    """The folder of monographs that packets name (``baclofen`` for ``baclofen.yaml``)."""
    config: Path | None = None
    """The site configuration (``leaflet.toml``)."""
    max_body_bytes: int = MAX_FILE_BYTES + 8 * 1024 * 1024
    """Largest request body: an order PDF at the command line's limit (50 MiB), and monographs."""
    request_seconds: float = 30.0
    """Most time one request may take before it is answered 503."""
    threads: int = 4
    """Worker threads that build leaflets and packets (per process)."""
    cache_size: int = 256
    """Laid-out leaflets kept (each cache: leaflet PDFs, and leaflets for packets)."""
    idempotency_size: int = 1024
    """Packets kept for Idempotency-Key retries (in memory only; the oldest go first)."""

    def site_config(self) -> SiteConfig:
        return load_site_config(self.config) if self.config is not None else SiteConfig()

    def defaults(self, config: SiteConfig) -> BuildOptions:
        """The build options of a request that gives none: the configuration's defaults, else leaflet's."""
        chosen = {name: getattr(config, name) for name in ("paper", "columns", "large_print", "hyphenate")}
        return BuildOptions(**{name: value for name, value in chosen.items() if value is not None}, site=config.site)

    def to_json(self) -> str:
        return json.dumps(
            {name: str(value) if isinstance(value, Path) else value for name, value in asdict(self).items()}
        )

    @classmethod
    def from_json(cls, text: str) -> ServiceSettings:
        data = json.loads(text)
        for name in ("library", "config"):
            data[name] = Path(data[name]) if data[name] is not None else None
        return cls(**data)
