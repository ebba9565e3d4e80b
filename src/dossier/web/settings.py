"""Settings of the web app; environment variables ``DOSSIER_WEB_<NAME>`` override them.

Kept beside the app (not in ``config.Settings``) because only ``dossier serve``
reads them; docs/web.md documents each one.
"""

from __future__ import annotations

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class WebSettings(BaseSettings):
    """How the web app behaves: cookies, tiles, queues, limits."""

    model_config = SettingsConfigDict(env_prefix="DOSSIER_WEB_", frozen=True)

    secret_key: str | None = Field(
        default=None,
        description="Key of the CSRF tokens; default: a random key kept in the home.",
    )
    secure_cookies: bool = Field(
        default=False,
        description="Mark cookies Secure even over plain HTTP (set it behind a TLS proxy).",
    )
    session_hours: int = Field(default=12, description="How long a login lasts.")
    tile_url: str | None = Field(
        default=None,
        description=(
            "Optional online map tile URL template (https://…/{z}/{x}/{y}.png, {s} for a, b, c); "
            "default: none, the offline borders and labels only. The CSP then allows that origin."
        ),
    )
    tile_attribution: str = Field(
        default="",
        description="Attribution shown under the tile layer (plain text), as its licence asks.",
    )
    stale_days: int = Field(
        default=7, description="Incidents in review longer than this show in the queue."
    )
    page_size: int = Field(default=50, description="Incidents per page of the list.")
    login_attempts: int = Field(
        default=5,
        description="Free failed logins per name and address per 15 minutes; then waits double.",
    )
    trusted_proxies: str = Field(
        default="",
        description=(
            "Comma-separated addresses or networks of reverse proxies whose X-Forwarded-For "
            "is believed; default none: the peer address is the client."
        ),
    )
    max_body_bytes: int = Field(
        default=1024 * 1024,
        description="Largest request body (forms, JSON); a larger one is refused with 413.",
    )
    map_points: int = Field(default=20000, description="Most incidents drawn on the map at once.")
