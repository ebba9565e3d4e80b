"""Rules that hold whatever the page: who sees flagged content, search operators as text."""

from __future__ import annotations

import pytest

from dossier.review.roles import at_least, visible
from dossier.store.search import segments, terms
from dossier.web.views import evidence, mark


@pytest.mark.parametrize(
    ("flags", "role", "expected"),
    [
        (["restricted"], "analyst", "hidden"),
        (["restricted"], "reviewer", "shown"),
        (["personal_information"], "viewer", "hidden"),
        (["personal_information"], "analyst", "hidden"),
        (["personal_information"], "reviewer", "shown"),
        (["graphic_violence"], "admin", "blurred"),
        (["graphic_violence", "restricted"], "viewer", "hidden"),
        ([], None, "shown"),
    ],
)
def test_flagged_content_visibility_by_role(
    flags: list[str], role: str | None, expected: str
) -> None:
    assert visible(flags, role) == expected


def test_unknown_or_missing_role_is_denied() -> None:
    assert not at_least(None, "viewer")
    assert not at_least("superuser", "viewer")
    assert at_least("admin", "reviewer") and not at_least("analyst", "reviewer")


def test_search_terms_drop_fts_syntax() -> None:
    assert terms('title:"x" OR NEAR(a b) * -c') == ["title", "x", "OR", "NEAR", "a", "b", "c"]


def test_snippet_markers_become_segments() -> None:
    assert segments("a \x02Bucha\x03 b") == [("a ", False), ("Bucha", True), (" b", False)]


def test_marks_keep_the_text_whole_and_skip_overlaps() -> None:
    text = "Shelling hit Kharkiv market"
    out = mark(text, [(13, 20, "place"), (0, 8, "event"), (14, 18, "entity")])
    assert "".join(t for t, _ in out) == text
    assert [(t, c) for t, c in out if c] == [("Shelling", "event"), ("Kharkiv", "place")]


def test_evidence_marks_sentence_and_trigger_in_context() -> None:
    text = "Intro words here. Troops shot two men in Bucha. Outro words."
    out = evidence(text, {"start": 18, "end": 47}, {"start": 25, "end": 29}, context=10)
    assert ("shot", "evidence trigger") in out
    assert "".join(t for t, c in out if c.startswith("evidence")) == "Troops shot two men in Bucha."
