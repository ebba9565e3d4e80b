"""The Ukrainian and Russian analyser: one document's text in, one Analysis out.

It gives the same contract as the English pipeline (entities, places, times,
events, claims, quotes, all with spans into the original text), built from
tokens and morphology instead of a parse: ``tokens`` (razdel, pymorphy3),
``places`` (gazetteer through lemmas, ``regions``), ``times``, ``events``
and ``speech``. Word lists live in ``uk.py`` and ``ru.py``.
"""

from __future__ import annotations

import datetime as dt
import functools

from ...records import Analysis, DocumentMeta
from ..places.gazetteer import Gazetteer
from ..speech.claims import apply_denials
from ..versions import CYRILLIC
from . import ru, uk
from .events import CyrillicEvents
from .forms import search_forms
from .lexicon import Lexicon
from .places import find_places
from .speech import Speakers, entities, find_claims, find_organisations, find_people, find_quotes
from .times import find_times
from .tokens import morphology, tokenize

LEXICONS: dict[str, Lexicon] = {"uk": uk.LEXICON, "ru": ru.LEXICON}
# Part of the pipeline version: a change to these rules or word lists is a new version.
VERSION = CYRILLIC  # kept in extract/versions.py with the other components' versions


class CyrillicAnalyzer:
    """Analyses Ukrainian or Russian documents (one instance per language)."""

    def __init__(self, language: str, gazetteer: Gazetteer) -> None:
        self.language = language
        self.lexicon = LEXICONS[language]
        self.gazetteer = gazetteer
        self.events = CyrillicEvents(self.lexicon)
        morphology(language)  # fail now, with the install command, if the dictionary is missing

    def analyze(
        self,
        text: str,
        meta: DocumentMeta,
        published: dt.date | None,
        spans: list[tuple[int, int]] | None = None,
        pipeline: str = "",
    ) -> Analysis:
        """The Analysis of ``text`` (of the sentences inside ``spans`` when given)."""
        tokens, sentence_spans = tokenize(text, self.language, spans)
        lex = self.lexicon
        people = find_people(tokens, lex, text)
        person_tokens = {i for p in people for i in range(p.first, p.last + 1)}
        places = find_places(tokens, lex, self.gazetteer, text, person_tokens)
        place_tokens = {i for p in places for i in range(p.first, p.last + 1)}
        # Russian organisations come from natasha's NER (speech.entities); its spans beat
        # the abbreviation and head-noun rules there (factRuEval dev ORG F1, same run).
        orgs = (
            []
            if self.language == "ru"
            else [o for o in find_organisations(tokens, lex) if o[0] not in place_tokens]
        )
        times = find_times(tokens, lex, published, text)
        speakers = Speakers(tokens, lex, people, text)
        quotes = find_quotes(tokens, speakers, text)
        speakers.last = None
        events, mentions = self.events.find(
            tokens, sentence_spans, places, times, speakers, meta.id, published, text
        )
        speakers.last = None
        claims = find_claims(tokens, sentence_spans, speakers, events, mentions, text)
        return Analysis(
            document=meta,
            entities=tuple(entities(tokens, people, orgs, places, text, self.language)),
            places=tuple(p.mention for p in places),
            events=tuple(apply_denials(events, claims)),
            claims=tuple(claims),
            quotes=tuple(quotes),
            status="ok",
            pipeline=pipeline,
            search_forms=search_forms(tokens, self.language),
        )


@functools.lru_cache(maxsize=4)
def analyzer_for(language: str, gazetteer: Gazetteer) -> CyrillicAnalyzer:
    """One analyser per language and gazetteer, built once per process."""
    return CyrillicAnalyzer(language, gazetteer)


__all__ = ["LEXICONS", "VERSION", "CyrillicAnalyzer", "analyzer_for"]
