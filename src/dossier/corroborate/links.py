"""Machine links: whether two reports are one occurrence, and how strongly.

A link needs all hard rules (type, place, time, perpetrator side) and never
joins two events of one document, which the extractor already decided are
different events, unless they come from one sentence typed twice (cause and
consequence). Then either

- the pair is *precise*: the same named place (same gazetteer entry, or a
  point within its threshold) and day ranges of at most a week each: in one
  town, in the same days, a compatible violation is one occurrence; or
- the evidence sentences support it: MinHash Jaccard (or embedding cosine)
  at or above the support level. Coarse places (a region, a country),
  neighbouring but different towns and vague dates are ambiguous on their
  own, so they need the text to say it is the same event.

The strength orders merges when the clustering must choose (see clusters).
"""

from __future__ import annotations

from collections.abc import Callable

from ..geo import haversine_km
from ..records import Place, Report
from .compatibility import (
    DISTANCE_KM,
    DayRange,
    places_compatible,
    sides_compatible,
    times_compatible,
    types_compatible,
)
from .similarity import COSINE_SUPPORT, JACCARD_SUPPORT

# Longest day range that still pins an event to "these days": a week.
PRECISE_DAYS = 8

Strength = tuple[int, float]  # (tier, -closeness): smaller is stronger
SAME_SENTENCE: Strength = (-1, 0.0)


def _same_place(a: Place, b: Place) -> bool:
    if a.geonames_id is not None and a.geonames_id == b.geonames_id:
        return True
    if a.precision == "point" or b.precision == "point":
        limit = max(DISTANCE_KM.get(a.precision, 0.0), DISTANCE_KM.get(b.precision, 0.0))
        return haversine_km(a.lat, a.lon, b.lat, b.lon) <= limit
    return (
        a.precision == b.precision
        and a.precision in ("locality", "admin2")
        and a.name.lower() == b.name.lower()
        and a.country == b.country
    )


def _gap(a: DayRange | None, b: DayRange | None) -> int:
    if a is None or b is None:
        return 0
    return max(0, a.start - b.end, b.start - a.end)


def link(
    a: Report,
    b: Report,
    days_a: DayRange | None,
    days_b: DayRange | None,
    text_similarity: Callable[[], tuple[float, float]],
) -> Strength | None:
    """The strength of the machine link between two reports, or None for no link.

    ``text_similarity`` is called only when the text must decide; it returns
    (similarity, support level) so MinHash and embeddings keep their own scales.
    """
    ea, eb = a.event, b.event
    if a.document_id == b.document_id:
        # One sentence typed twice (the strike and the deaths it caused) is one
        # occurrence; other events of one document are the extractor's
        # decision that they are distinct.
        same_sentence = ea.sentence.start < eb.sentence.end and eb.sentence.start < ea.sentence.end
        return SAME_SENTENCE if same_sentence and types_compatible(ea.type, eb.type) else None
    if not types_compatible(ea.type, eb.type):
        return None
    if not sides_compatible(
        ea.perpetrator.side if ea.perpetrator else None,
        eb.perpetrator.side if eb.perpetrator else None,
    ):
        return None
    if not times_compatible(days_a, days_b) or not places_compatible(ea.place, eb.place):
        return None
    if (
        ea.place is not None
        and eb.place is not None
        and _same_place(ea.place, eb.place)
        and days_a is not None
        and days_b is not None
        and days_a.days <= PRECISE_DAYS
        and days_b.days <= PRECISE_DAYS
    ):
        distance = haversine_km(ea.place.lat, ea.place.lon, eb.place.lat, eb.place.lon)
        return (0, distance / 100.0 + _gap(days_a, days_b))
    similarity, support = text_similarity()
    if similarity >= support:
        return (1, -similarity)
    return None


def support_level(embedded: bool) -> float:
    """The similarity that counts as textual support, on the scale in use."""
    return COSINE_SUPPORT if embedded else JACCARD_SUPPORT
