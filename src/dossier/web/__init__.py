"""The web app: server-rendered pages and the REST API under /api/v1, from one process."""

from .app import create_app

__all__ = ["create_app"]
