"""An incremental corroborate touches only the incidents the new events reach.

A new report of a known incident rewrites that incident alone (under a new
id: an incident's id follows its members); incidents
elsewhere keep their rows, ids, records and reviews; a full rebuild from the
store comes out as the incremental run left it.
"""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import delete, select

from dossier.corroborate.runner import run_corroboration
from dossier.ingest.runner import IngestOptions, ingest_paths
from dossier.records import Actor, Analysis, DocumentMeta, Event, Harm, Place, Span, TimeRange
from dossier.review import actions
from dossier.review.accounts import Account
from dossier.store import extractions, tables
from dossier.store.database import Store

PIPELINE = "extract.test-incremental"
PLACES = {
    "Kharkiv": Place("Kharkiv", 49.99, 36.23, "UA", "Kharkiv Oblast", "locality", 706483),
    "Lviv": Place("Lviv", 49.84, 24.03, "UA", "Lviv Oblast", "locality", 702550),
    "Odesa": Place("Odesa", 46.48, 30.73, "UA", "Odesa Oblast", "locality", 698740),
}
DAYS = {"Kharkiv": "2022-03-01", "Lviv": "2022-03-18", "Odesa": "2022-04-02"}
OUTLETS = ["Kyiv Wire", "Lviv Daily", "Odesa Post", "Harbour Times"]


def add_report(store: Store, folder: Path, city: str, n: int) -> str:
    """Ingest one short report of a strike on ``city`` and save its extraction; the document id."""
    sentence = (
        f"A missile struck an apartment block in {city} on {DAYS[city]}, killing {5 + n} "
        f"civilians, officials told reporter number {n}."
    )
    path = folder / f"{city.lower()}-{n}.txt"
    path.write_text(f"Strike on {city} ({n})\n\n{sentence}\n", encoding="utf-8")
    ingest_paths(store, [str(path)], IngestOptions(publisher=OUTLETS[n], published=DAYS[city]))
    d = tables.documents
    with store.engine.connect() as conn:
        doc = conn.execute(
            select(d.c.id, d.c.title).where(d.c.title == f"Strike on {city} ({n})")
        ).one()
    event = Event(
        id=f"ev_{city.lower()}_{n}",
        type="attack_on_civilians",
        trigger=Span("struck", 0, 0),
        sentence=Span(sentence, 0, len(sentence)),
        place=PLACES[city],
        time=TimeRange(DAYS[city], DAYS[city], "day"),
        perpetrator=Actor("Russian forces", "RU"),
        harm=(Harm("killed", "civilians", 5 + n, 5 + n, f"{5 + n} civilians"),),
        status="alleged",
    )
    meta = DocumentMeta(doc.id, doc.title, DAYS[city], OUTLETS[n], "en")
    extractions.save(store, [Analysis(meta, events=(event,), pipeline=PIPELINE)], "tester")
    return str(doc.id)


def rows(store: Store) -> dict[str, tuple[str, str]]:
    i = tables.incidents
    with store.engine.connect() as conn:
        return {r.id: (r.updated_at, r.record) for r in conn.execute(select(i))}


def members(store: Store) -> dict[str, set[str]]:
    m = tables.incident_events
    out: dict[str, set[str]] = {}
    with store.engine.connect() as conn:
        for r in conn.execute(select(m.c.incident_id, m.c.document_id)):
            out.setdefault(r.incident_id, set()).add(r.document_id)
    return out


def test_a_new_report_rewrites_its_incident_alone(store: Store, tmp_path: Path) -> None:
    docs = {city: [add_report(store, tmp_path, city, n) for n in range(2)] for city in PLACES}
    first = run_corroboration(store, PIPELINE)
    assert first.incidents == 3, "three strikes, two reports each"
    before, held = rows(store), members(store)
    by_city = {c: next(i for i, m in held.items() if set(docs[c]) <= m) for c in PLACES}
    reviewer = Account("reviewer", "reviewer")
    actions.review(store, reviewer, [by_city["Lviv"]], "confirm", "checked twice")
    run_corroboration(store, PIPELINE)  # the verdict enters Lviv's record
    before, held = rows(store), members(store)

    new_doc = add_report(store, tmp_path, "Kharkiv", 2)
    summary = run_corroboration(store, PIPELINE)

    assert (summary.new_events, summary.rebuilt) == (1, False)
    # the incident the report joins is written anew (its id follows its members), alone
    assert (summary.written, summary.removed) == (1, 1)
    after, now = rows(store), members(store)
    kharkiv = next(i for i, m in now.items() if new_doc in m)
    assert now[kharkiv] == {*docs["Kharkiv"], new_doc}
    assert set(before) - set(after) == {by_city["Kharkiv"]}
    assert set(after) - set(before) == {kharkiv}
    for city in ("Lviv", "Odesa"):
        iid = by_city[city]
        assert after[iid] == before[iid], f"{city}: its row was rewritten"
        assert now[iid] == held[iid]
    assert '"review":"confirmed"' in after[by_city["Lviv"]][1]
    # the same store corroborated from scratch comes out as the incremental run left it
    with store.transaction() as conn:
        conn.execute(delete(tables.corroboration_state))
    full = run_corroboration(store, PIPELINE)
    assert full.rebuilt is True
    assert members(store) == now
    assert {i: r[1] for i, r in rows(store).items()} == {i: r[1] for i, r in after.items()}
