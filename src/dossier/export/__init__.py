"""Exports: ACLED-layout CSV, GeoJSON, JSON Lines, signed evidence bundles, incident reports."""

from .formats import MEDIA_TYPES, WRITERS, export_incidents, iter_incidents

__all__ = ["MEDIA_TYPES", "WRITERS", "export_incidents", "iter_incidents"]
