"""The extraction stage: one document's text and metadata in, one Analysis out.

``Analyzer`` loads spaCy and the gazetteer once (``setup``), parses documents
in batches with ``nlp.pipe``, and assembles entities, places, times, events,
claims and quotes. A document that fails is reported as an Analysis whose
status says why, never dropped; a document in another language is reported
as not analysed. ``PIPELINE_VERSION`` (derived from the components' versions in
``extract/versions.py``) is stored with every result.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import replace
from datetime import date
from typing import TYPE_CHECKING, Any

from ..config import Settings
from ..errors import ConfigError
from ..pipeline import Rejection
from ..records import Analysis, DocumentMeta, Entity, PlaceMention, Quote, TimeRange
from .entities import extract_entities
from .events.aggregates import find_aggregates
from .events.finder import find_events
from .lang import ANALYSED, CYRILLIC, sentence_languages
from .lang.cyrillic import CyrillicAnalyzer, analyzer_for
from .lang.tokens import available
from .places.resolver import resolve_places
from .speech.claims import apply_denials, find_claims
from .speech.quotes import extract_quotes
from .times import find_times
from .truecase import Truecaser, needs_truecasing, restore_spans
from .versions import PIPELINE_VERSION as PIPELINE_VERSION  # re-exported: scripts import it here

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Doc

    from .places.gazetteer import Gazetteer


DICTIONARY_MISSING = {
    "uk": "the Ukrainian dictionary is not installed: pip install 'dossier[uk]'",
    "ru": "the Russian dictionary is not installed: pip install pymorphy3-dicts-ru",
}

log = logging.getLogger(__name__)

PARAGRAPHS = "dossier_paragraphs"
_CYRILLIC_RUN = re.compile(r"[\u0400-\u04ff]{4,}")


def _keep(text: str, spans: list[tuple[int, int]]) -> str:
    """``text`` with everything outside ``spans`` blanked (line breaks kept): the English
    sentences of a mixed document, at their own offsets."""
    out = [ch if ch == "\n" else " " for ch in text]
    for start, end in spans:
        out[start:end] = text[start:end]
    return "".join(out)


def _failed(meta: DocumentMeta, exc: Exception, extra: dict[str, Any]) -> Analysis:
    """The Analysis of a document whose extraction raised: kept, with the reason."""
    log.exception("document %s failed extraction", meta.id, exc_info=exc)
    return _rejected(meta, Rejection.failure(PIPELINE_VERSION, meta.id, exc, extra))


def _rejected(meta: DocumentMeta, rejection: Rejection) -> Analysis:
    """The Analysis that keeps a rejected document: its status is the rejection's stored form
    (``Rejection.status``; ``extract.runner.outcome`` reads it back)."""
    return Analysis(
        document=meta,
        status=rejection.status,
        pipeline=rejection.stage,
        extra=dict(rejection.detail),
    )


def _combine(a: Analysis, b: Analysis) -> Analysis:
    """One Analysis of a document from the analyses of its parts (in different languages)."""

    def merged(x: tuple[Any, ...], y: tuple[Any, ...]) -> tuple[Any, ...]:
        return tuple(sorted(x + y, key=lambda r: getattr(r, "start", 0)))

    return replace(
        a,
        entities=merged(a.entities, b.entities),
        places=merged(a.places, b.places),
        events=tuple(sorted(a.events + b.events, key=lambda e: e.trigger.start)),
        claims=merged(a.claims, b.claims),
        quotes=merged(a.quotes, b.quotes),
        extra={**b.extra, **a.extra},
        search_forms=tuple(dict.fromkeys(a.search_forms + b.search_forms)),
    )


_ORIGINAL = "original_text"  # the one-case text as received, while its truecased copy is parsed


def _published(meta: DocumentMeta) -> date | None:
    if not meta.published:
        return None
    try:
        return date.fromisoformat(meta.published[:10])
    except ValueError:
        log.warning("document %s: unreadable publication date %r", meta.id, meta.published)
        return None


def _paragraph_starts(doc: Doc) -> Doc:
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
        self.nlp: Language | None = None
        self.gazetteer: Gazetteer | None = None
        self.truecaser: Truecaser | None = None

    def setup(self) -> None:
        """Load the spaCy pipeline and the gazetteer once per process."""
        if self.nlp is not None:
            return
        from spacy.language import Language

        from .nlp import load_nlp
        from .places.gazetteer import get_gazetteer

        if PARAGRAPHS not in Language.factories:
            Language.component(PARAGRAPHS)(_paragraph_starts)
        nlp = load_nlp(self.settings.spacy_model)
        if PARAGRAPHS not in nlp.pipe_names:
            nlp.add_pipe(PARAGRAPHS, before="parser" if "parser" in nlp.pipe_names else None)
        # The analyzer cuts text at max_document_chars itself; spaCy must not refuse it first.
        nlp.max_length = max(nlp.max_length, self.settings.max_document_chars + 1)
        self.nlp = nlp
        self.gazetteer = get_gazetteer()

    def _prepare(
        self, text: str, meta: DocumentMeta
    ) -> tuple[str, dict[str, Any], Analysis | None] | Analysis:
        """What spaCy must parse (English sentences, the rest blanked), notes, and the
        Ukrainian/Russian part already analysed; or the final Analysis when spaCy has
        nothing to parse."""
        lang = (meta.language or "").lower()[:2] or None
        if lang is not None and lang not in ANALYSED:
            return _rejected(
                meta,
                Rejection(
                    PIPELINE_VERSION, f"language {meta.language}", meta.id, kind="not_analysed"
                ),
            )
        extra: dict[str, Any] = {}
        limit = self.settings.max_document_chars
        if len(text) > limit:
            extra["truncated_at"] = limit
            extra["original_chars"] = len(text)
            text = text[:limit]
        if lang == "en" and not _CYRILLIC_RUN.search(text):
            return self._truecased(text, extra), extra, None
        parts = sentence_languages(text, lang)
        by_language: dict[str, list[tuple[int, int]]] = {}
        for start, end, language in parts:
            by_language.setdefault(language, []).append((start, end))
        missing = [
            language for language in CYRILLIC if language in by_language and not available(language)
        ]
        for language in missing:
            # Kept and reported, with the fix: the batch goes on.
            log.warning("document %s: no %s dictionary installed", meta.id, language)
            del by_language[language]
            extra.setdefault("not_analysed", []).append(
                f"language {language}: {DICTIONARY_MISSING[language]}"
            )
        if not by_language and missing:
            reason = f"language {missing[0]} ({DICTIONARY_MISSING[missing[0]]})"
            return _rejected(
                meta,
                Rejection(
                    PIPELINE_VERSION,
                    reason,
                    meta.id,
                    retryable=True,
                    kind="not_analysed",
                    detail=extra,
                ),
            )
        languages = sorted(by_language)
        if len(languages) > 1:
            extra["languages"] = languages
        cyrillic: Analysis | None = None
        try:
            for language in CYRILLIC:
                if language in by_language:
                    part = self._cyrillic(language).analyze(
                        text,
                        meta,
                        _published(meta),
                        by_language[language] if len(languages) > 1 else None,
                        PIPELINE_VERSION,
                    )
                    cyrillic = part if cyrillic is None else _combine(cyrillic, part)
        except ConfigError:
            raise  # a broken installation is not one bad document
        except Exception as exc:  # stage boundary: one bad document must not stop the batch
            return _failed(meta, exc, extra)
        english = by_language.get("en")
        if not english:
            base = cyrillic or Analysis(document=meta, status="ok", pipeline=PIPELINE_VERSION)
            return replace(base, extra={**base.extra, **extra})
        return self._truecased(_keep(text, english), extra), extra, cyrillic

    def _truecased(self, text: str, extra: dict[str, Any]) -> str:
        """One-case English text is parsed in restored case; spans get the original back."""
        if not needs_truecasing(text):
            return text
        extra[_ORIGINAL] = text
        restored: str = self._truecaser().restore(text)
        return restored

    def _cyrillic(self, language: str) -> CyrillicAnalyzer:
        if self.gazetteer is None:
            from .places.gazetteer import get_gazetteer

            self.gazetteer = get_gazetteer()
        return analyzer_for(language, self.gazetteer)

    def _loaded(self) -> tuple[Language, Gazetteer]:
        """The spaCy pipeline and the gazetteer, loading them first if need be."""
        self.setup()
        if self.nlp is None or self.gazetteer is None:  # setup() sets both or raises
            raise ConfigError("the analyser's spaCy pipeline or gazetteer failed to load")
        return self.nlp, self.gazetteer

    def _truecaser(self) -> Truecaser:
        if self.truecaser is None:
            self.truecaser = Truecaser(*self._loaded())
        return self.truecaser

    def analyze(self, text: str, meta: DocumentMeta) -> Analysis:
        """Extract everything DESIGN.md's analyze contract lists from one document."""
        return next(self.analyze_many([(text, meta)]))

    def analyze_many(
        self, items: Iterable[tuple[str, DocumentMeta]], batch_size: int = 64, n_process: int = 1
    ) -> Iterator[Analysis]:
        """Analyses in input order; a document that fails keeps its Rejection's status.

        ``items`` is consumed lazily, so one call can stream a whole store
        through ``nlp.pipe``; with ``n_process`` > 1 spaCy then starts its
        worker processes once, not once per batch.
        """
        nlp, _ = self._loaded()
        ready: dict[int, Analysis] = {}
        metas: dict[int, DocumentMeta] = {}
        partial: dict[int, Analysis] = {}
        seen = [0]

        def to_parse() -> Iterator[tuple[str, dict[str, Any]]]:
            for index, (text, meta) in enumerate(items):
                seen[0] = index + 1
                prepared = self._prepare(text, meta)
                if isinstance(prepared, Analysis):
                    ready[index] = prepared
                else:
                    metas[index] = meta
                    if prepared[2] is not None:
                        partial[index] = prepared[2]
                    yield prepared[0], {"index": index, **prepared[1]}

        parsed = nlp.pipe(to_parse(), as_tuples=True, batch_size=batch_size, n_process=n_process)
        next_out = 0
        for doc, ctx in parsed:
            index = ctx.pop("index")
            analysis = self._safe(doc, metas.pop(index), ctx)
            other = partial.pop(index, None)
            ready[index] = (
                analysis if other is None or analysis.status != "ok" else _combine(analysis, other)
            )
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

    def _safe(self, doc: Doc, meta: DocumentMeta, extra: dict[str, Any]) -> Analysis:
        original = extra.pop(_ORIGINAL, None)
        if original is not None:
            extra["truecased"] = True
        try:
            analysis = self.from_doc(doc, meta, extra)
            return analysis if original is None else restore_spans(analysis, original)
        except Exception as exc:  # stage boundary: one bad document must not stop the batch
            return _failed(meta, exc, extra)

    def from_doc(
        self, doc: Doc, meta: DocumentMeta, extra: dict[str, Any] | None = None
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


def _entities(doc: Doc) -> list[Entity]:
    return list(extract_entities(doc))


def _places(doc: Doc, gazetteer: Gazetteer | None) -> list[PlaceMention]:
    return list(resolve_places(doc, gazetteer))


def _times(doc: Doc, published: date | None) -> list[tuple[int, int, TimeRange]]:
    return list(find_times(doc, published))


def _quotes(doc: Doc, entities: list[Entity]) -> list[Quote]:
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
