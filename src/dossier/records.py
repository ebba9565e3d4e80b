"""The records of DESIGN.md as typed, frozen dataclasses.

Field names follow the JSON contracts of DESIGN.md; ``to_json()`` on each
record gives exactly the contract's shape, so the CLI, the API and the
exports all speak one language.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from datetime import datetime
from typing import Any

# The vocabularies live in ontology.py; re-exported here for older imports.
from .ontology import DETENTION_SUBTYPES as DETENTION_SUBTYPES
from .ontology import EVENT_TYPES as EVENT_TYPES
from .ontology import DetentionSubtype as DetentionSubtype
from .ontology import EventStatus as EventStatus
from .ontology import EventType as EventType
from .ontology import HarmKind as HarmKind
from .ontology import PlacePrecision as PlacePrecision
from .ontology import QuoteKind, killed_lower_bound
from .ontology import Stance as Stance
from .ontology import TimePrecision as TimePrecision

# --- foundation -------------------------------------------------------------


@dataclass(frozen=True)
class Artifact:
    """Immutable original bytes, addressed by their SHA-256."""

    sha256: str
    media_type: str
    size: int
    acquired_at: datetime
    acquired_by: str
    source_path: str | None = None
    source_url: str | None = None
    status: str = "document"  # "document", "container" or "rejected"
    reason: str | None = None

    @property
    def id(self) -> str:
        return f"sha256:{self.sha256}"


@dataclass(frozen=True)
class Document:
    """Clean text and metadata of one article, pointing at its artifact."""

    id: str  # "sha256:<hex of the clean text's origin: artifact hash + record locator>"
    artifact_sha256: str
    locator: str  # where inside the artifact ("" for a whole file, "line:3", "record:2")
    text: str
    text_sha256: str
    title: str | None = None
    url: str | None = None
    publisher: str | None = None
    author: str | None = None
    published: str | None = None  # ISO date or datetime
    language: str | None = None
    status: str = "ok"  # "ok", then ingest's notes: "ok; <note>; ..." (never extraction's)
    near_duplicate_group: str | None = None
    restricted: bool = False


@dataclass(frozen=True)
class CustodyEntry:
    """One link of the append-only, hash-chained custody log."""

    seq: int
    time: str  # ISO 8601 UTC
    actor: str
    action: str
    object_id: str
    object_hash: str | None
    detail: dict[str, Any]
    prev_hash: str
    entry_hash: str

    def body(self) -> dict[str, Any]:
        """The fields the entry hash covers (everything but the hash itself)."""
        return {
            "seq": self.seq,
            "time": self.time,
            "actor": self.actor,
            "action": self.action,
            "object_id": self.object_id,
            "object_hash": self.object_hash,
            "detail": self.detail,
            "prev_hash": self.prev_hash,
        }


@dataclass(frozen=True)
class Checkpoint:
    """A signed Merkle root over the custody log's first ``size`` entries."""

    size: int
    root: str
    time: str
    signature: str  # hex Ed25519 signature over checkpoint_message()
    key_id: str

    def message(self) -> bytes:
        return checkpoint_message(self.size, self.root, self.time)


def checkpoint_message(size: int, root: str, time: str) -> bytes:
    """The exact bytes a checkpoint signature covers."""
    return f"dossier-checkpoint-v1\n{size}\n{root}\n{time}\n".encode()


# --- extraction ---------------------------------------------------------------


@dataclass(frozen=True)
class Span:
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Entity:
    text: str
    label: str  # PERSON, ORG, GPE, LOC, NORP, FAC
    start: int
    end: int
    canonical: str
    role: str | None = None
    # Latin letters of a name written in another script (display and search)
    transliteration: str | None = None


@dataclass(frozen=True)
class Place:
    """A resolved place: a gazetteer entry and its precision."""

    name: str
    lat: float
    lon: float
    country: str | None
    admin1: str | None
    precision: PlacePrecision
    geonames_id: int | None = None
    admin2: str | None = None


@dataclass(frozen=True)
class PlaceMention:
    text: str
    start: int
    end: int
    place: Place


@dataclass(frozen=True)
class TimeRange:
    start: str | None  # ISO date
    end: str | None
    precision: TimePrecision
    text: str | None = None


@dataclass(frozen=True)
class Actor:
    text: str
    side: str | None  # ISO 3166 alpha-2


@dataclass(frozen=True)
class Harm:
    kind: HarmKind
    category: str  # civilians, officials, children, people, ...
    min: int | None
    max: int | None
    text: str
    start: int | None = None  # the figure's span in the document text, when read from it
    end: int | None = None


@dataclass(frozen=True)
class Event:
    id: str
    type: EventType
    trigger: Span
    sentence: Span
    place: Place | None
    time: TimeRange
    perpetrator: Actor | None
    harm: tuple[Harm, ...]
    status: EventStatus
    asserted_by: tuple[Actor, ...] = ()
    denied_by: tuple[Actor, ...] = ()
    subtype: DetentionSubtype | None = None  # detentions only


@dataclass(frozen=True)
class Aggregate:
    """A figure that covers more than one incident: context, never an incident's harm."""

    kind: HarmKind
    min: int | None
    max: int | None
    scope: str  # the words that widen it: "since the start of the war", "this year"
    place: Place | None
    given_by: Actor | None
    text: str
    start: int
    end: int


@dataclass(frozen=True)
class Speaker:
    name: str | None
    role: str | None = None
    side: str | None = None


@dataclass(frozen=True)
class Claim:
    speaker: Speaker
    stance: Stance
    text: str
    start: int
    end: int
    events: tuple[str, ...] = ()


@dataclass(frozen=True)
class Quote:
    speaker: Speaker
    text: str
    start: int
    end: int
    kind: QuoteKind


@dataclass(frozen=True)
class DocumentMeta:
    id: str
    title: str | None
    published: str | None
    publisher: str | None
    language: str | None
    url: str | None = None


@dataclass(frozen=True)
class Analysis:
    """Everything the extraction pipeline proposes for one document."""

    document: DocumentMeta
    entities: tuple[Entity, ...] = ()
    places: tuple[PlaceMention, ...] = ()
    events: tuple[Event, ...] = ()
    claims: tuple[Claim, ...] = ()
    quotes: tuple[Quote, ...] = ()
    aggregates: tuple[Aggregate, ...] = ()
    # "ok", or a dossier.pipeline.Rejection's status: "failed: …", "not analysed: …"
    status: str = "ok"
    pipeline: str = ""
    extra: dict[str, Any] = field(default_factory=dict)
    # Lemmas and transliterations of a Cyrillic text, for search; not part of the contract.
    search_forms: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The ``dossier analyze --json`` contract of DESIGN.md."""
        out: dict[str, Any] = {
            "document": asdict(self.document),
            "entities": [asdict(e) for e in self.entities],
            "places": [place_mention_json(p) for p in self.places],
            "events": [event_json(e) for e in self.events],
            "claims": [asdict(c) for c in self.claims],
            "quotes": [asdict(q) for q in self.quotes],
            "aggregates": [asdict(a) for a in self.aggregates],
            "status": self.status,
            "pipeline": self.pipeline,
        }
        if self.extra:
            out["notes"] = dict(self.extra)
        for claim in out["claims"]:
            claim["events"] = list(claim["events"])
        return out


def place_json(place: Place | None) -> dict[str, Any] | None:
    return None if place is None else asdict(place)


def place_mention_json(mention: PlaceMention) -> dict[str, Any]:
    out: dict[str, Any] = {"text": mention.text, "start": mention.start, "end": mention.end}
    out.update(asdict(mention.place))
    return out


def event_json(event: Event) -> dict[str, Any]:
    out = asdict(event)
    out["harm"] = [asdict(h) for h in event.harm]
    out["asserted_by"] = [asdict(a) for a in event.asserted_by]
    out["denied_by"] = [asdict(a) for a in event.denied_by]
    return out


# --- corroboration ------------------------------------------------------------


@dataclass(frozen=True)
class Report:
    """One event of one document, with what corroboration needs of its document."""

    event: Event
    document_id: str
    publisher: str | None
    url: str | None
    published: str | None
    text_sha256: str
    origin: str | None = None  # the party relayed ("Ukraine's state railway"), if any
    embedding: tuple[float, ...] | None = None
    wire: str | None = None  # the wire the text credits in its dateline ("(Reuters) -"), if any


@dataclass(frozen=True)
class IncidentSource:
    document: str
    publisher: str | None
    url: str | None
    published: str | None
    origin: str  # the independent source this report counts as
    event: str


@dataclass(frozen=True)
class SourceChain:
    """One independent source and the outlets that carried it ("city council, via 4 outlets")."""

    source: str
    outlets: tuple[str, ...]  # distinct publishers, earliest first
    reports: int
    text: str


@dataclass(frozen=True)
class HarmFigure:
    kind: str
    category: str
    min: int | None
    max: int | None
    text: str
    document: str
    source: str  # who gives the figure (the origin)


@dataclass(frozen=True)
class Incident:
    id: str
    type: str
    types: tuple[str, ...]
    place: Place | None
    time: TimeRange
    perpetrator: Actor | None
    harm: tuple[Harm, ...]
    harm_figures: tuple[HarmFigure, ...]
    sources: tuple[IncidentSource, ...]
    independent_sources: int
    contested: bool
    denied_by: tuple[Actor, ...]
    asserted_by: tuple[Actor, ...]
    grade: str
    grade_reason: str
    review: str = "unreviewed"
    first_report: str | None = None
    last_report: str | None = None
    events: tuple[str, ...] = ()
    source_chains: tuple[SourceChain, ...] = ()

    @property
    def fatalities(self) -> int | None:
        """The largest lower bound of people killed (``ontology.fatalities``'s rule)."""
        return killed_lower_bound((h.kind, h.min) for h in self.harm)

    def to_json(self) -> dict[str, Any]:
        """The ``dossier incidents --json`` contract of DESIGN.md, plus the extra fields."""
        perp = self.perpetrator
        return {
            "id": self.id,
            "type": self.type,
            "types": list(self.types),
            "place": place_json(self.place),
            "time": {
                "start": self.time.start,
                "end": self.time.end,
                "precision": self.time.precision,
            },
            "perpetrator": None if perp is None else {"side": perp.side, "text": perp.text},
            "harm": [
                {"kind": h.kind, "category": h.category, "min": h.min, "max": h.max}
                for h in self.harm
            ],
            "sources": [
                {
                    "document": s.document,
                    "publisher": s.publisher,
                    "url": s.url,
                    "published": s.published,
                    "origin": s.origin,
                    "event": s.event,
                }
                for s in self.sources
            ],
            "independent_sources": self.independent_sources,
            "contested": self.contested,
            "denied_by": [_actor_json(a) for a in self.denied_by],
            "grade": self.grade,
            "review": self.review,
            "grade_reason": self.grade_reason,
            "harm_figures": [asdict(f) for f in self.harm_figures],
            "first_report": self.first_report,
            "last_report": self.last_report,
            "asserted_by": [_actor_json(a) for a in self.asserted_by],
            "events": list(self.events),
            "source_chains": [
                {**asdict(c), "outlets": list(c.outlets)} for c in self.source_chains
            ],
        }


def _actor_json(actor: Actor) -> dict[str, Any]:
    return {"text": actor.text, "side": actor.side}


# --- review -------------------------------------------------------------------


@dataclass(frozen=True)
class ReviewedIncident:
    """An incident as people read it: the machine's record with its review laid over.

    ``incident`` carries the valid review edits (the fields named in
    ``edited``), the review status, and the grade ``discounted`` when the
    verdict is so; ``machine`` is the record as corroboration wrote it.
    ``review.incidents`` builds it; ``to_json()`` is the one JSON form the
    CLI, the API and the exports give.
    """

    incident: Incident
    machine: Incident
    assigned_to: str | None = None
    flags: tuple[str, ...] = ()
    edited: tuple[str, ...] = ()  # in the order the edits are stored
    warnings: tuple[str, ...] = ()  # review edits left out, and why
    # the machine's values of edited fields are left out (they may come from hidden reports)
    machine_withheld: bool = False

    @property
    def id(self) -> str:
        return self.incident.id

    @property
    def review(self) -> str:
        return self.incident.review

    def to_json(self) -> dict[str, Any]:
        """The incident contract with ``review``, ``assigned_to``, ``flags`` and the edits."""
        out = self.incident.to_json()
        out["assigned_to"] = self.assigned_to
        out["flags"] = list(self.flags)
        if self.edited:
            if not self.machine_withheld:
                machine = self.machine.to_json()
                out["machine"] = {k: machine.get(k) for k in self.edited}
            out.update({k: edit_json(self.incident, k) for k in self.edited})
            out["edited"] = sorted(self.edited)
        if self.warnings:
            out["warnings"] = list(self.warnings)
        return out


def edit_json(incident: Incident, field_name: str) -> Any:
    """A reviewed field of ``incident`` in the form ``edit_values.check_edit`` gives it."""
    if field_name == "type":
        return incident.type
    if field_name == "place":
        return place_json(incident.place)
    if field_name == "time":
        return asdict(incident.time)
    if field_name == "perpetrator":
        perp = incident.perpetrator
        return None if perp is None else {"text": perp.text, "side": perp.side}
    if field_name == "harm":
        return [
            {"kind": h.kind, "category": h.category, "min": h.min, "max": h.max, "text": h.text}
            for h in incident.harm
        ]
    raise ValueError(f"{field_name!r} is not a reviewable field of an incident")


# --- reading records back from their JSON -------------------------------------------


def place_from_json(d: dict[str, Any] | None) -> Place | None:
    if not d:
        return None
    return Place(
        name=d["name"],
        lat=d["lat"],
        lon=d["lon"],
        country=d.get("country"),
        admin1=d.get("admin1"),
        precision=d["precision"],
        geonames_id=d.get("geonames_id"),
        admin2=d.get("admin2"),
    )


def event_from_json(d: dict[str, Any]) -> Event:
    """The Event whose ``event_json`` is ``d``."""
    perp = d.get("perpetrator")
    return Event(
        id=d["id"],
        type=d["type"],
        trigger=Span(**d["trigger"]),
        sentence=Span(**d["sentence"]) if "text" in d["sentence"] else Span("", **d["sentence"]),
        place=place_from_json(d.get("place")),
        time=TimeRange(**d["time"]),
        perpetrator=Actor(**perp) if perp else None,
        harm=tuple(Harm(**h) for h in d.get("harm", [])),
        status=d["status"],
        asserted_by=tuple(Actor(**a) for a in d.get("asserted_by", [])),
        denied_by=tuple(Actor(**a) for a in d.get("denied_by", [])),
        subtype=d.get("subtype"),
    )


def incident_from_json(d: dict[str, Any]) -> Incident:
    """The Incident whose ``corroborate.incident_json`` is ``d``.

    Fields added to the record after its first version (figures, chains,
    report dates, member events) may be missing from an older stored record;
    they read as empty. Texts the JSON does not carry (a harm range's words,
    a time's words) read as empty or None.
    """
    perp = d.get("perpetrator")
    time = d.get("time") or {}
    return Incident(
        id=d["id"],
        type=d["type"],
        types=tuple(d.get("types") or [d["type"]]),
        place=place_from_json(d.get("place")),
        time=TimeRange(time.get("start"), time.get("end"), time.get("precision", "unknown")),
        perpetrator=Actor(perp.get("text", ""), perp.get("side")) if perp else None,
        harm=tuple(
            Harm(h["kind"], h["category"], h.get("min"), h.get("max"), h.get("text", ""))
            for h in d.get("harm") or []
        ),
        harm_figures=tuple(
            HarmFigure(
                f["kind"],
                f["category"],
                f.get("min"),
                f.get("max"),
                f.get("text", ""),
                f.get("document", ""),
                f.get("source", ""),
            )
            for f in d.get("harm_figures") or []
        ),
        sources=tuple(
            IncidentSource(
                s["document"],
                s.get("publisher"),
                s.get("url"),
                s.get("published"),
                s.get("origin") or "",
                s.get("event", ""),
            )
            for s in d.get("sources") or []
        ),
        independent_sources=d.get("independent_sources", 0),
        contested=bool(d.get("contested", False)),
        denied_by=tuple(Actor(a["text"], a.get("side")) for a in d.get("denied_by") or []),
        asserted_by=tuple(Actor(a["text"], a.get("side")) for a in d.get("asserted_by") or []),
        grade=d.get("grade", ""),
        grade_reason=d.get("grade_reason", ""),
        review=d.get("review", "unreviewed"),
        first_report=d.get("first_report"),
        last_report=d.get("last_report"),
        events=tuple(d.get("events") or []),
        source_chains=tuple(
            SourceChain(c["source"], tuple(c["outlets"]), c["reports"], c["text"])
            for c in d.get("source_chains") or []
        ),
    )
