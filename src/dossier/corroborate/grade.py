"""The corroboration grade of an incident, adapted from Airwars' grading.

Airwars grades civilian-harm claims by how many independent sources report
them and whether a party contests them. Dossier's grades, strongest rule first:

- ``discounted``: an analyst has discounted or rejected the incident;
- ``contested``: a party denies it;
- ``well_corroborated``: three or more independent sources, at least one an
  official body, an NGO or international body, or a named witness;
- ``corroborated``: two or more independent sources;
- ``single_source``: one source.

Every grade comes with its reason in words, for the analyst and the reader.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from ..records import Actor

# Institutions whose word carries weight in a case file: state bodies and
# officials, NGOs and international monitors. Matched as whole words in the
# name of a source or asserting party.
_OFFICIAL = (
    r"ministry|minister|government|governor|mayor|police|prosecutor|prosecutor's|"
    r"administration|military|army|armed forces|president|presidential|office|council|"
    r"authorities|officials?|spokesm[ae]n|spokeswoman|railway|emergency service|"
    r"general staff|kremlin|pentagon|commissioner|ombudsman"
)
_NGO = (
    r"human rights|amnesty|watch|united nations|un|ohchr|unicef|unhcr|icrc|red cross|"
    r"red crescent|msf|médecins|doctors without borders|ngo|monitoring mission|osce|who|"
    r"airwars|acled|memorial|bellingcat"
)
_WITNESS = r"witness|witnesses|resident|residents|survivor|survivors|eyewitness"
_AUTHORITY = re.compile(rf"\b(?:{_OFFICIAL}|{_NGO}|{_WITNESS})\b", re.IGNORECASE)
# A named person ("Olena Kovalenko, a resident") is a named witness: two or
# more capitalised words in a row.
_PERSON_NAME = re.compile(r"\b[A-Z][a-z]+(?:[ -][A-Z][a-z]+)+\b")


def is_authoritative(name: str, *, may_be_person: bool = False) -> bool:
    """True for an official body, an NGO or international body, or a named witness.

    Outlet names are capitalised words too, so a bare personal name counts
    only for a party the text says asserts the event (``may_be_person``).
    """
    if _AUTHORITY.search(name):
        return True
    return may_be_person and bool(_PERSON_NAME.search(name))


def grade(
    sources: Sequence[str],
    asserted_by: Sequence[Actor],
    denied_by: Sequence[Actor],
    review: str = "unreviewed",
) -> tuple[str, str]:
    """Return (grade, reason) for an incident's independent sources and claims."""
    independent = sorted(set(sources))
    n = len(independent)
    listed = ", ".join(independent)
    plural = "source" if n == 1 else "independent sources"
    if review in ("discounted", "rejected"):
        return "discounted", f"an analyst marked the incident {review}; {n} {plural} ({listed})"
    if denied_by:
        who = ", ".join(sorted({a.text for a in denied_by}))
        return "contested", f"denied by {who}; reported by {n} {plural} ({listed})"
    weighty = sorted(
        {name for name in independent if is_authoritative(name)}
        | {a.text for a in asserted_by if is_authoritative(a.text, may_be_person=True)}
    )
    if n >= 3 and weighty:
        return (
            "well_corroborated",
            f"{n} independent sources ({listed}), including official, NGO or "
            f"witness accounts ({', '.join(weighty)})",
        )
    if n >= 2:
        extra = "" if n < 3 else "; none of them an official body, NGO or named witness"
        return "corroborated", f"{n} independent sources ({listed}){extra}"
    return "single_source", f"only one source ({listed})" if n else "no source"
