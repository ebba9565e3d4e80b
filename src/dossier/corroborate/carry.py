"""Carrying analysts' reviews over when re-clustering renames, merges or splits incidents.

An incident's id derives from its earliest report, so a merge (or a report
published earlier) renames it. The store hands this rule the membership
before the write, the ids and members after it, and every stored review; it
writes and custody-logs what the rule returns in the same transaction
(``store.incidents.update_incidents(carry=...)``).
"""

from __future__ import annotations

from typing import Any

from ..store.incidents import CarriedReview, Member, Membership
from ..store.reviews import ReviewState


def carry_reviews(
    before: Membership,
    now_ids: set[str],
    members: list[Member],
    reviewed: dict[str, ReviewState],
) -> list[CarriedReview]:
    """The reviews to write so that none is left behind by re-clustering.

    The review of a vanished id goes to the new incident sharing most of its
    events. When that incident has a review of its own (or gets several), the
    reviews fold into one: flags and edits add up (the target's edits win a
    clash), and differing verdicts become ``in_review``, so a person looks
    again. Flags also spread to every new incident holding events of a
    flagged one (a split must not unrestrict the part it splits off). A
    target whose state would not change is left out.
    """
    new_members: dict[tuple[str, str], str] = {(e, p): i for i, e, p, _ in members}
    carried: dict[str, list[str]] = {}
    for old_id in sorted(reviewed):
        if old_id in now_ids or old_id not in before:
            continue
        counts: dict[str, int] = {}
        for key in before[old_id]:
            if key in new_members:
                counts[new_members[key]] = counts.get(new_members[key], 0) + 1
        if counts:
            target = min(counts, key=lambda i: (-counts[i], i))
            carried.setdefault(target, []).append(old_id)
    spread: dict[str, set[str]] = {}
    for old_id, keys in before.items():
        flags = set(reviewed[old_id].flags) if old_id in reviewed else set()
        for key in keys if flags else ():
            into = new_members.get(key)
            if into is not None and into != old_id:
                spread.setdefault(into, set()).update(flags)
    out = []
    for target in sorted(set(carried) | set(spread)):
        sources = carried.get(target, [])
        own = reviewed.get(target)
        states = ([own] if own else []) + [reviewed[s] for s in sources]
        flags = set(spread.get(target, set()))
        edits: dict[str, Any] = {}
        for state in reversed(states):  # the target's own edits applied last, so they win
            flags |= set(state.flags)
            edits.update(state.edits)
        statuses = {state.status for state in states} - {"unreviewed"}
        status = (
            "unreviewed" if not statuses else statuses.pop() if len(statuses) == 1 else "in_review"
        )
        assigned = next((state.assigned_to for state in states if state.assigned_to), None)
        merged = ReviewState(status, assigned, tuple(sorted(flags)), edits)
        if own and merged == ReviewState(
            own.status, own.assigned_to, tuple(sorted(own.flags)), own.edits
        ):
            continue
        detail = {
            "from": sources[0] if len(sources) == 1 else sources,
            "shared_events": sum(
                1 for s in sources for key in before[s] if new_members.get(key) == target
            ),
            "status": status,
            "flags": sorted(flags),
        }
        out.append(CarriedReview(target, merged, detail))
    return out
