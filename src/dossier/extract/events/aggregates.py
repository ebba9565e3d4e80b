"""Aggregates: figures that cover many incidents, recorded as context beside the events.

"At least 2,400 people have been killed in Mariupol since the start of the war",
"so far this year, 300 people have been shot": the clause's scope words
(``harm.aggregate_scope``) say the figure sums many occurrences. It is kept with
its kind, range, scope, place, who gives it, text and span, so an analyst sees
it, and it never becomes one incident's harm (``harm.sentence_harm`` leaves it out).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

from ...records import Actor, Aggregate, Entity, Place, PlaceMention
from . import harm as harm_mod

if TYPE_CHECKING:
    from spacy.tokens import Doc


def find_aggregates(
    doc: Doc, places: Sequence[PlaceMention], entities: Sequence[Entity]
) -> list[Aggregate]:
    """Every figure of the document whose clause gives it a scope wider than one incident."""
    out: dict[tuple[str, int, int], Aggregate] = {}
    for sent in doc.sents:
        for tok in sent:
            told = harm_mod.governs_figure(tok)
            if told is None:
                continue
            scope = harm_mod.aggregate_scope(tok)
            if scope is None:
                continue
            for figure in harm_mod.figures_of(tok, told):
                if (figure.min is None and figure.max is None) or figure.start is None:
                    continue
                end = figure.end if figure.end is not None else figure.start
                key = (figure.kind, figure.start, end)
                out.setdefault(
                    key,
                    Aggregate(
                        kind=figure.kind,
                        min=figure.min,
                        max=figure.max,
                        scope=scope,
                        place=_place_in(places, sent.start_char, sent.end_char),
                        given_by=_given_by(doc, figure.start, end, entities),
                        text=figure.text,
                        start=figure.start,
                        end=end,
                    ),
                )
    return sorted(out.values(), key=lambda a: (a.start, a.kind))


def _place_in(places: Sequence[PlaceMention], start: int, end: int) -> Place | None:
    """The first place the sentence names: the area the figure covers."""
    for mention in places:
        if start <= mention.start and mention.end <= end:
            return mention.place
    return None


def _given_by(doc: Doc, start: int, end: int, entities: Sequence[Entity]) -> Actor | None:
    from ..speech.speakers import speaker_for

    speaker = speaker_for(doc, start, end, list(entities))
    if speaker is None or not (speaker.name or speaker.role):
        return None
    return Actor(speaker.name or speaker.role or "", speaker.side)
