"""Which of a sentence's time expressions date an event, and which only bound it.

A news sentence often dates two things: "Officials said on Monday that the
hospital was shelled on Sunday"; "Villagers buried nine people on Wednesday, a
day after a jet bombed the monastery". A time dates the event when the
dependency path between them stays inside one clause; a time on a clause that
governs the event's clause through reported speech, a relative clause or an
"after"/"since" clause dates something later (the report, the aftermath), so
it only bounds the event from above. Participle and "when" clauses ("struck on
Tuesday, killing nine"; "killed when rockets hit on Monday") share their time.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ...records import TimeRange

if TYPE_CHECKING:
    from spacy.tokens import Token


# Dependencies that open a clause with its own time.
_CLAUSE_EDGES = frozenset({"ccomp", "relcl", "parataxis", "csubj", "csubjpass"})
# Subordinators whose clause happens at another time than the clause it modifies.
_LATER_MARKERS = frozenset({"after", "since", "once"})  # the governing clause is later
_EARLIER_MARKERS = frozenset({"before", "until", "till"})  # the governing clause is earlier


def _boundary(token: Token) -> str | None:
    """The kind of clause boundary between a token and its head, if any."""
    if token.dep_ in _CLAUSE_EDGES:
        return "later"
    if token.dep_ == "advcl":
        marks = {c.lower_ for c in token.children if c.dep_ == "mark"}
        if marks & _LATER_MARKERS:
            return "later"
        if marks & _EARLIER_MARKERS:
            return "earlier"
    return None


def _path_up(token: Token, top: Token) -> list[Token]:
    """Tokens from ``token`` up to ``top``, ``top`` excluded."""
    out = []
    while token.i != top.i and token.head.i != token.i:
        out.append(token)
        token = token.head
    return out


def _common_ancestor(a: Token, b: Token) -> Token:
    above_b = {t.i for t in [b, *b.ancestors]}
    return next(t for t in [a, *a.ancestors] if t.i in above_b)


def clause_times(
    trigger: Token, times: list[tuple[int, int, TimeRange]]
) -> tuple[list[TimeRange], TimeRange | None]:
    """The times that date the trigger's act (closest first), and a later time that bounds it.

    ``times`` are the (start char, end char, range) of the trigger's sentence.
    """
    doc = trigger.doc
    own: list[tuple[int, TimeRange]] = []
    bound: TimeRange | None = None
    for start, end, time in times:
        span = doc.char_span(start, end, alignment_mode="expand")
        if span is None:
            continue
        top = _common_ancestor(trigger, span.root)
        up_trigger = [_boundary(t) for t in _path_up(trigger, top)]
        up_time = [_boundary(t) for t in _path_up(span.root, top)]
        if not any(up_trigger) and not any(up_time):
            own.append((len(up_trigger) + len(up_time), time))
        elif (
            not any(up_time)
            and "earlier" not in up_trigger
            and time.end is not None
            and (bound is None or bound.end is None or time.end < bound.end)
        ):
            bound = time  # the time of a clause that reports or follows the event
    if not own:
        return [], bound
    nearest = min(d for d, _ in own)
    return [t for d, t in own if d == nearest], bound


__all__ = ["clause_times"]
