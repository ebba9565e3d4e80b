"""A store holding real ingested files, saved extractions and corroborated incidents.

The texts are written here (two news reports and a restricted witness
statement) and go through the real ingest; extraction records are built by
hand from records.py so the export tests do not depend on the extraction
pipeline's current quality.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from dossier.config import Settings
from dossier.ingest import IngestOptions, ingest_paths
from dossier.records import (
    Actor,
    Analysis,
    Claim,
    DocumentMeta,
    Entity,
    Event,
    Harm,
    Place,
    Quote,
    Span,
    Speaker,
    TimeRange,
)
from dossier.store import extractions
from dossier.store.database import Store
from dossier.store.incidents import replace_incidents

PIPELINE = "test.records.v1"

REPORT_A = (
    "Bodies of civilians found in Irpin after withdrawal\n\n"
    "IRPIN, Ukraine (Wire) - Ukrainian officials said on Sunday that Russian troops "
    "shot at least 12 civilians in Irpin last week.\n"
    '"We found them in the streets," said Oleksandr Markushyn, the town\'s mayor.\n'
    "The Kremlin denied any involvement and called the reports a provocation.\n"
)

REPORT_B = (
    "Missile strike hits market in Kramatorsk\n\n"
    "A missile struck the central market in Kramatorsk on Friday, killing 5 people "
    "and injuring 20, regional governor Pavlo Kyrylenko said.\n"
    "Russia's defence ministry said it did not target civilian sites.\n"
)

WITNESS = """Statement of witness W-17, taken in Irpin.

My neighbour Olena Kovalenko saw soldiers shoot three men outside the shop on Soborna street.
Olena Kovalenko told me the soldiers spoke Russian. I, Ivan Petrenko, confirm this statement.
"""


def span(text: str, needle: str, nth: int = 0) -> Span:
    start = -1
    for _ in range(nth + 1):
        start = text.index(needle, start + 1)
    return Span(needle, start, start + len(needle))


def sentence_of(text: str, needle: str) -> Span:
    i = text.index(needle)
    start = text.rfind("\n", 0, i) + 1
    end = text.find("\n", i)
    end = len(text) if end < 0 else end
    return Span(text[start:end], start, end)


def person(text: str, name: str, nth: int = 0) -> Entity:
    s = span(text, name, nth)
    return Entity(name, "PERSON", s.start, s.end, name)


IRPIN = Place("Irpin", 50.5218, 30.2506, "UA", "Kyiv Oblast", "locality", 702972, "Bucha Raion")
KRAMATORSK = Place("Kramatorsk", 48.7233, 37.5563, "UA", "Donetsk Oblast", "locality", 704508)


def analyses(docs: dict[str, tuple[str, str]]) -> list[Analysis]:
    """Analyses for the three documents; ``docs`` maps a name to (document id, text)."""
    out = []
    doc_a, a = docs["a"]
    ev_a = Event(
        id="ev-a1",
        type="killing",
        trigger=span(a, "shot"),
        sentence=sentence_of(a, "shot"),
        place=IRPIN,
        time=TimeRange("2022-03-28", "2022-04-03", "week", "last week"),
        perpetrator=Actor("Russian troops", "RU"),
        harm=(Harm("killed", "civilians", 12, None, "at least 12 civilians"),),
        status="alleged",
        asserted_by=(Actor("Ukrainian officials", "UA"),),
        denied_by=(Actor("The Kremlin", "RU"),),
    )
    q = span(a, "We found them in the streets")
    out.append(
        Analysis(
            document=DocumentMeta(
                doc_a, "Bodies of civilians found in Irpin", "2022-04-04", "Wire", "en"
            ),
            entities=(person(a, "Oleksandr Markushyn"),),
            events=(ev_a,),
            claims=(
                Claim(
                    Speaker("The Kremlin", None, "RU"),
                    "denies",
                    sentence_of(a, "denied").text,
                    sentence_of(a, "denied").start,
                    sentence_of(a, "denied").end,
                    ("ev-a1",),
                ),
            ),
            quotes=(
                Quote(Speaker("Oleksandr Markushyn", "mayor"), q.text, q.start, q.end, "direct"),
            ),
            pipeline=PIPELINE,
        )
    )
    doc_w, w = docs["w"]
    ev_w = Event(
        id="ev-w1",
        type="killing",
        trigger=span(w, "shoot"),
        sentence=sentence_of(w, "shoot"),
        place=IRPIN,
        time=TimeRange("2022-03-30", "2022-03-30", "day", None),
        perpetrator=Actor("soldiers", "RU"),
        harm=(Harm("killed", "civilians", 3, 3, "three men"),),
        status="asserted",
    )
    out.append(
        Analysis(
            document=DocumentMeta(doc_w, "Statement of witness W-17", "2022-04-10", "NGO", "en"),
            entities=(
                person(w, "Olena Kovalenko"),
                person(w, "Olena Kovalenko", 1),
                person(w, "Ivan Petrenko"),
            ),
            events=(ev_w,),
            claims=(
                Claim(
                    Speaker("Olena Kovalenko"),
                    "accuses",
                    sentence_of(w, "spoke Russian").text,
                    sentence_of(w, "spoke Russian").start,
                    sentence_of(w, "spoke Russian").end,
                    ("ev-w1",),
                ),
            ),
            pipeline=PIPELINE,
        )
    )
    doc_b, b = docs["b"]
    ev_b = Event(
        id="ev-b1",
        type="attack_on_civilians",
        trigger=span(b, "struck"),
        sentence=sentence_of(b, "struck"),
        place=KRAMATORSK,
        time=TimeRange("2022-04-08", "2022-04-08", "day", "on Friday"),
        perpetrator=None,
        harm=(Harm("killed", "people", 5, 5, "5 people"), Harm("injured", "people", 20, 20, "20")),
        status="asserted",
        asserted_by=(Actor("regional governor Pavlo Kyrylenko", "UA"),),
        denied_by=(Actor("Russia's defence ministry", "RU"),),
    )
    out.append(
        Analysis(
            document=DocumentMeta(doc_b, "Missile strike hits market", "2022-04-08", "Daily", "en"),
            entities=(person(b, "Pavlo Kyrylenko"),),
            events=(ev_b,),
            pipeline=PIPELINE,
        )
    )
    return out


def incident_records(docs: dict[str, tuple[str, str]]) -> list[dict[str, Any]]:
    irpin = {
        "name": "Irpin",
        "lat": 50.5218,
        "lon": 30.2506,
        "country": "UA",
        "admin1": "Kyiv Oblast",
        "admin2": "Bucha Raion",
        "precision": "locality",
    }
    return [
        {
            "id": "inc-irpin",
            "type": "killing",
            "types": ["killing"],
            "place": irpin,
            "time": {"start": "2022-03-28", "end": "2022-04-03", "precision": "week"},
            "perpetrator": {"side": "RU", "text": "Russian troops"},
            "harm": [{"kind": "killed", "category": "civilians", "min": 12, "max": None}],
            "sources": [
                {
                    "document": docs["a"][0],
                    "publisher": "Wire",
                    "url": None,
                    "published": "2022-04-04",
                },
                {
                    "document": docs["w"][0],
                    "publisher": "NGO",
                    "url": None,
                    "published": "2022-04-10",
                },
            ],
            "independent_sources": 2,
            "contested": True,
            "denied_by": [{"text": "The Kremlin", "side": "RU"}],
            "grade": "contested",
            "review": "unreviewed",
            "first_report": "2022-04-04",
            "last_report": "2022-04-10",
        },
        {
            "id": "inc-kramatorsk",
            "type": "attack_on_civilians",
            "types": ["attack_on_civilians", "killing"],
            "place": {
                "name": "Kramatorsk",
                "lat": 48.7233,
                "lon": 37.5563,
                "country": "UA",
                "admin1": "Donetsk Oblast",
                "precision": "locality",
            },
            "time": {"start": "2022-04-08", "end": "2022-04-08", "precision": "day"},
            "perpetrator": {"side": None, "text": None},
            "harm": [
                {"kind": "killed", "category": "people", "min": 5, "max": 5},
                {"kind": "injured", "category": "people", "min": 20, "max": 20},
            ],
            "sources": [
                {
                    "document": docs["b"][0],
                    "publisher": "Daily",
                    "url": "https://example.org/k",
                    "published": "2022-04-08",
                }
            ],
            "independent_sources": 1,
            "contested": True,
            "denied_by": [{"text": "Russia's defence ministry", "side": "RU"}],
            "grade": "single_source",
            "review": "unreviewed",
            "first_report": "2022-04-08",
            "last_report": "2022-04-08",
        },
    ]


@dataclass
class Case:
    store: Store
    docs: dict[str, tuple[str, str]]  # name -> (document id, text)
    originals: dict[str, bytes]  # name -> original bytes


@pytest.fixture
def case(tmp_path: Path) -> Case:
    """A store with three ingested documents (one restricted), extractions and two incidents."""
    return build_case(Store.open(Settings(home=tmp_path / "home", actor="tester")), tmp_path)


def build_case(store: Store, tmp_path: Path) -> Case:
    tmp_path.mkdir(parents=True, exist_ok=True)
    files = {"a": REPORT_A, "b": REPORT_B, "w": WITNESS}
    docs: dict[str, tuple[str, str]] = {}
    originals: dict[str, bytes] = {}
    for name, text in files.items():
        path = tmp_path / f"{name}.txt"
        path.write_text(text, encoding="utf-8")
        options = IngestOptions(publisher="Wire", published="2022-04-04", restricted=name == "w")
        [result] = ingest_paths(store, [str(path)], options)
        assert result.new, result.failures
        doc_id = result.new[0]
        docs[name] = (doc_id, stored_text(store, doc_id))
        originals[name] = path.read_bytes()
    extractions.save(store, analyses(docs), "tester")
    members = [
        ("inc-irpin", "ev-a1", PIPELINE, docs["a"][0]),
        ("inc-irpin", "ev-w1", PIPELINE, docs["w"][0]),
        ("inc-kramatorsk", "ev-b1", PIPELINE, docs["b"][0]),
    ]
    replace_incidents(store, incident_records(docs), members, "tester")
    return Case(store, docs, originals)


def stored_text(store: Store, doc_id: str) -> str:
    from sqlalchemy import select

    from dossier.store import tables

    with store.engine.connect() as conn:
        return str(
            conn.execute(
                select(tables.documents.c.text).where(tables.documents.c.id == doc_id)
            ).scalar_one()
        )


@pytest.fixture
def cli(run_cli: Any) -> Any:
    """``run_cli`` with the export commands registered (until cli.py wires them itself)."""
    from dossier.cli import main
    from dossier.cli.export import register

    if "bundle" not in main.commands:
        register(main)
    return run_cli


@pytest.fixture
def cli_case(home: Path, tmp_path: Path) -> Case:
    """The same case, in the data directory the ``cli`` fixture points at."""
    return build_case(Store.open(Settings(home=home, actor="tester")), tmp_path / "inputs")
