"""The extraction stage: one document's text and metadata in, one Analysis out.

``Analyzer`` loads spaCy and the gazetteer once (``setup``), parses documents
in batches with ``nlp.pipe``, and assembles entities, places, times, events,
claims and quotes. A document that fails is reported as an Analysis whose
status says why, never dropped; a document in another language is reported
as not analysed. ``PIPELINE_VERSION`` is stored with every result.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Iterator
from datetime import date
from typing import Any

from ..config import Settings
from ..records import Analysis, DocumentMeta, Entity, PlaceMention, Quote, TimeRange
from .aggregates import find_aggregates
from .claims import apply_denials, find_claims
from .events import find_events

log = logging.getLogger(__name__)

PIPELINE_VERSION = "extract.v2"  # v2: harm kinds and counts, aggregates, speakers
PARAGRAPHS = "dossier_paragraphs"


def _published(meta: DocumentMeta) -> date | None:
    if not meta.published:
        return None
    try:
        return date.fromisoformat(meta.published[:10])
    except ValueError:
        log.warning("document %s: unreadable publication date %r", meta.id, meta.published)
        return None


def _paragraph_starts(doc: Any) -> Any:
    """A line break ends a sentence: headlines and paragraphs have no final full stop."""
    for token in doc[1:]:
        prev = doc[token.i - 1]
        if prev.is_space and "\n" in prev.text and not token.is_space:
            token.is_sent_start = True
    return doc


class Analyzer:
    """Runs the extraction pipeline over documents (one stage, versioned PIPELINE_VERSION)."""

    name = PIPELINE_VERSION

    def __init__(self, settings: Settings | None = None) -> None:
        self.settings = settings or Settings()
        self.nlp: Any = None
        self.gazetteer: Any = None

    def setup(self) -> None:
        """Load the spaCy pipeline and the gazetteer once per process."""
        if self.nlp is not None:
            return
        from spacy.language import Language

        from .gazetteer import get_gazetteer
        from .nlp import load_nlp

        if PARAGRAPHS not in Language.factories:
            Language.component(PARAGRAPHS)(_paragraph_starts)
        nlp = load_nlp(self.settings.spacy_model)
        if PARAGRAPHS not in nlp.pipe_names:
            nlp.add_pipe(PARAGRAPHS, before="parser" if "parser" in nlp.pipe_names else None)
        # The analyzer cuts text at max_document_chars itself; spaCy must not refuse it first.
        nlp.max_length = max(nlp.max_length, self.settings.max_document_chars + 1)
        self.nlp = nlp
        self.gazetteer = get_gazetteer()

    def _prepare(self, text: str, meta: DocumentMeta) -> tuple[str, dict[str, Any]] | Analysis:
        """The text to parse and notes about it, or the final Analysis when it is not parsed."""
        lang = (meta.language or "").lower()
        if lang and not lang.startswith("en"):
            return Analysis(
                document=meta,
                status=f"not analysed: language {meta.language}",
                pipeline=PIPELINE_VERSION,
            )
        extra: dict[str, Any] = {}
        limit = self.settings.max_document_chars
        if len(text) > limit:
            extra["truncated_at"] = limit
            extra["original_chars"] = len(text)
            text = text[:limit]
        return text, extra

    def analyze(self, text: str, meta: DocumentMeta) -> Analysis:
        """Extract everything DESIGN.md's analyze contract lists from one document."""
        return next(self.analyze_many([(text, meta)]))

    def analyze_many(
        self, items: Iterable[tuple[str, DocumentMeta]], batch_size: int = 64, n_process: int = 1
    ) -> Iterator[Analysis]:
        """Analyses in input order; a document that fails gets status "failed: <reason>".

        ``items`` is consumed lazily, so one call can stream a whole store
        through ``nlp.pipe``; with ``n_process`` > 1 spaCy then starts its
        worker processes once, not once per batch.
        """
        self.setup()
        ready: dict[int, Analysis] = {}
        metas: dict[int, DocumentMeta] = {}
        seen = [0]

        def to_parse() -> Iterator[tuple[str, dict[str, Any]]]:
            for index, (text, meta) in enumerate(items):
                seen[0] = index + 1
                prepared = self._prepare(text, meta)
                if isinstance(prepared, Analysis):
                    ready[index] = prepared
                else:
                    metas[index] = meta
                    yield prepared[0], {"index": index, **prepared[1]}

        parsed = self.nlp.pipe(
            to_parse(), as_tuples=True, batch_size=batch_size, n_process=n_process
        )
        next_out = 0
        for doc, ctx in parsed:
            index = ctx.pop("index")
            ready[index] = self._safe(doc, metas.pop(index), ctx)
            while next_out in ready:
                yield ready.pop(next_out)
                next_out += 1
        while next_out < seen[0]:
            yield ready.pop(next_out)
            next_out += 1

    def process_batch(self, items: Iterable[tuple[str, DocumentMeta]]) -> list[Analysis]:
        """The Stage interface of STYLE.md: one Analysis per input, failures included."""
        return list(
            self.analyze_many(
                items,
                batch_size=self.settings.extract_batch_size,
                n_process=max(1, self.settings.extract_processes),
            )
        )

    def _safe(self, doc: Any, meta: DocumentMeta, extra: dict[str, Any]) -> Analysis:
        try:
            return self.from_doc(doc, meta, extra)
        except Exception as exc:  # stage boundary: one bad document must not stop the batch
            log.exception("document %s failed extraction", meta.id)
            return Analysis(
                document=meta,
                status=f"failed: {type(exc).__name__}: {exc}",
                pipeline=PIPELINE_VERSION,
                extra=extra,
            )

    def from_doc(
        self, doc: Any, meta: DocumentMeta, extra: dict[str, Any] | None = None
    ) -> Analysis:
        """Assemble the Analysis of an already parsed document."""
        published = _published(meta)
        entities = _entities(doc)
        places = _places(doc, self.gazetteer)
        times = _times(doc, published)
        found = find_events(doc, meta.id, places, times, published)
        claims = find_claims(doc, found.events, found.mentions)
        events = apply_denials(found.events, claims)
        return Analysis(
            document=meta,
            entities=tuple(entities),
            places=tuple(places),
            events=tuple(events),
            claims=tuple(claims),
            quotes=tuple(_quotes(doc, entities)),
            aggregates=tuple(find_aggregates(doc, places, entities)),
            status="ok",
            pipeline=PIPELINE_VERSION,
            extra=dict(extra or {}),
        )


# The neighbouring extractors are separate modules; each is optional at import so a
# partial checkout still analyses what it can.
def _entities(doc: Any) -> list[Entity]:
    try:
        from .entities import extract_entities
    except ImportError:
        return [
            Entity(e.text, e.label_, e.start_char, e.end_char, e.text)
            for e in doc.ents
            if e.label_ in ("PERSON", "ORG", "GPE", "LOC", "NORP", "FAC")
        ]
    return list(extract_entities(doc))


def _places(doc: Any, gazetteer: Any) -> list[PlaceMention]:
    from .places import resolve_places

    return list(resolve_places(doc, gazetteer))


def _times(doc: Any, published: date | None) -> list[tuple[int, int, TimeRange]]:
    try:
        from .times import find_times
    except ImportError:
        return []
    return list(find_times(doc, published))


def _quotes(doc: Any, entities: list[Entity]) -> list[Quote]:
    try:
        from .quotes import extract_quotes
    except ImportError:
        return []
    return list(extract_quotes(doc, entities))


def essential_fields(analysis: Analysis) -> dict[str, Any]:
    """What a regression check compares: the findings, not offsets or wording of evidence."""
    return {
        "status": analysis.status,
        "events": [
            {
                "type": e.type,
                "place": None
                if e.place is None
                else {
                    "name": e.place.name,
                    "precision": e.place.precision,
                    "country": e.place.country,
                },
                "perpetrator_side": e.perpetrator.side if e.perpetrator else None,
                "status": e.status,
                "harm": sorted(
                    (
                        {"kind": h.kind, "category": h.category, "min": h.min, "max": h.max}
                        for h in e.harm
                    ),
                    key=lambda h: (h["kind"], h["category"]),
                ),
                "asserted_by": sorted(a.text for a in e.asserted_by),
                "denied_by": sorted(a.text for a in e.denied_by),
            }
            for e in analysis.events
        ],
        "claims": [{"stance": c.stance, "speaker": c.speaker.name} for c in analysis.claims],
        "quotes": [{"speaker": q.speaker.name, "kind": q.kind} for q in analysis.quotes],
    }
