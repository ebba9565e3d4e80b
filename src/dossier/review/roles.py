"""The four roles, ordered: each role may do everything the roles below it may.

viewer reads; analyst edits and proposes; reviewer confirms and rejects and
sees restricted material; admin manages accounts.
"""

from __future__ import annotations

from ..ontology import FLAGS as FLAGS
from ..ontology import LINK_KINDS as LINK_KINDS
from ..ontology import ROLES as ROLES


def rank(role: str | None) -> int:
    """Position of ``role`` in ROLES; -1 for anonymous or an unknown role (deny)."""
    return ROLES.index(role) if role in ROLES else -1


def at_least(role: str | None, needed: str) -> bool:
    """Whether an account with ``role`` may do what needs ``needed``."""
    return rank(role) >= rank(needed) >= 0


def visible(flags: list[str] | set[str], role: str | None) -> str:
    """How flagged content shows to ``role``: 'hidden', 'blurred' or 'shown'.

    Restricted material is for reviewers; so is the text of personal
    information (analysts see its metadata only, like viewers); graphic
    violence is blurred until the reader asks. What else follows from a flag
    (a restricted incident's documents, names derived from a personal
    document) is decided by ``review.visibility``.
    """
    if "restricted" in flags and not at_least(role, "reviewer"):
        return "hidden"
    if "personal_information" in flags and not at_least(role, "reviewer"):
        return "hidden"
    if "graphic_violence" in flags:
        return "blurred"
    return "shown"
