"""Who sees what: the one policy every route, page, export, report and search goes through.

DESIGN.md, "Who sees what", for a role below reviewer (viewer, analyst, anonymous):

- *Hidden* (as if it did not exist: not listed, not counted, 404): an incident
  a reviewer flagged ``restricted``; a document restricted at ingest or flagged
  restricted; every document of a restricted incident; every event of a
  hidden document; an incident all of whose documents are hidden (nothing of
  it could be shown that did not come from hidden material).
- *Personal*: a document flagged ``personal_information`` (itself, or through
  an incident so flagged) shows its metadata
  only (id, publisher, url, dates, hashes, flags); its title, author, text,
  analysis, evidence sentences, and every name or number derived from it
  (harm figures and their sources, asserted_by/denied_by texts, grade_reason,
  quotes, claims, snippets) read ``[REDACTED]``, and search does not match it.
- A visible incident holding hidden or personal documents (*tainted*) is shown
  as if those reports were absent or redacted: hidden reports, figures and
  events are dropped, grade and independent-source count are recomputed from
  what remains, and every string drawn from those documents is redacted.
- Custody entries about hidden objects are left out; the others keep only the
  detail keys in ``SAFE_DETAIL`` (no source paths, reasons, notes or edited
  values).

Reviewers and admins see everything. The store query does the filtering where
it can (``IncidentFilter.exclude``, ``search.Hide``) so totals, pages, facets
and counts never include a hidden match; records are redacted on the way out.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, fields, is_dataclass, replace
from typing import Any, TypeVar

from ..corroborate.grade import grade
from ..corroborate.incidents import chains_of
from ..extract.lang.forms import query_forms
from ..records import (
    Actor,
    Harm,
    HarmFigure,
    Incident,
    IncidentSource,
    ReviewedIncident,
    SourceChain,
    place_from_json,
)
from ..store import reviews
from ..store.database import Store
from ..store.incidents import IncidentFilter, get_stored, incident_events
from ..store.search import (
    Hide,
    Hit,
    _like_snippet,
    incidents_matching,
    matching_incident_ids,
    search,
    terms,
)
from .incidents import get_reviewed, list_reviewed
from .roles import at_least

MARK = "[REDACTED]"
FULL_ROLE = "reviewer"
# custody detail keys that identify no source: everything else (source_path,
# reason, note, value, locator, to, rejected, ...) is withheld below reviewer
SAFE_DETAIL = frozenset(
    {"stage", "pipeline", "status", "old", "media_type", "size", "flag", "on", "role", "field"}
)
_PHONE = re.compile(r"\+?\d[\d ()./-]{6,}\d")
_STRUCTURAL = frozenset(
    {"id", "type", "types", "document", "event", "events", "grade", "review", "flags"}
)


@dataclass(frozen=True)
class Sensitivity:
    """Which incidents and documents are hidden or personal, read once per request."""

    hidden_incidents: frozenset[str] = frozenset()
    hidden_documents: frozenset[str] = frozenset()
    personal_documents: frozenset[str] = frozenset()
    tainted_incidents: frozenset[str] = frozenset()  # visible, holding hidden/personal documents


def sensitivity(store: Store) -> Sensitivity:
    """Read the flags and memberships that decide what is hidden or personal."""
    with reviews.reading(store) as rows:
        incident_flags = rows.flagged_incidents(("restricted", "personal_information"))
        flagged = {iid for iid, flags in incident_flags.items() if "restricted" in flags}
        # an incident flagged personal information makes each of its documents personal
        personal_incidents = {
            iid for iid, flags in incident_flags.items() if "personal_information" in flags
        }
        doc_flags = rows.document_flags()
        hidden_docs = rows.restricted_documents()
        hidden_docs |= {doc for doc, flags in doc_flags.items() if "restricted" in flags}
        hidden_docs |= rows.documents_of(flagged)
        personal = {doc for doc, flags in doc_flags.items() if "personal_information" in flags}
        personal |= rows.documents_of(personal_incidents)
        personal -= hidden_docs
        touched = rows.incidents_of(hidden_docs | personal)
        touched -= flagged
        with_visible = {iid for iid, doc in rows.memberships(touched) if doc not in hidden_docs}
    hidden_incidents = flagged | (touched - with_visible)
    return Sensitivity(
        frozenset(hidden_incidents),
        frozenset(hidden_docs),
        frozenset(personal),
        frozenset(touched - hidden_incidents),
    )


@dataclass
class _Secrets:
    """Strings drawn from hidden and personal documents, to redact wherever they appear."""

    hidden: set[str] = field(default_factory=set)
    personal: set[str] = field(default_factory=set)


def _event_strings(record: dict[str, Any]) -> set[str]:
    out = set()
    perp = record.get("perpetrator") or {}
    if perp.get("text"):
        out.add(perp["text"])
    for key in ("asserted_by", "denied_by", "harm"):
        out |= {str(x["text"]) for x in record.get(key) or [] if x.get("text")}
    s = record.get("sentence") or {}
    if s.get("text"):
        out.add(s["text"])
    return out


def redact_event(record: dict[str, Any]) -> dict[str, Any]:
    """An event of a personal document: its texts and numbers redacted, place and time kept."""
    out = dict(record)
    for key in ("sentence", "trigger", "perpetrator"):
        if isinstance(out.get(key), dict) and "text" in out[key]:
            out[key] = {**out[key], "text": MARK}
    for key in ("asserted_by", "denied_by"):
        out[key] = [{**x, "text": MARK} for x in out.get(key) or []]
    out["harm"] = [{**h, "text": MARK, "min": None, "max": None} for h in out.get("harm") or []]
    return out


def _cached(store: Store) -> tuple[Sensitivity, dict[str, _Secrets]]:
    """Sensitivity (and per-incident secrets) of ``store``, read again when the custody log grew.

    Every change that can move what is hidden (ingest, extraction, flags,
    reviews, corroboration) appends a custody entry, so the head of the log is
    a sound cache key: one indexed query per request instead of eight.
    """
    head = reviews.custody_head(store)
    cache = store.__dict__.get("_visibility_cache")
    if cache is None or cache[0] != head:
        cache = (head, sensitivity(store), {})
        store.__dict__["_visibility_cache"] = cache
    return cache[1], cache[2]


class View:
    """What one role may see of one store; build with ``view(store, role)``."""

    def __init__(self, store: Store, role: str | None) -> None:
        self.store = store
        self.role = role
        self.full = at_least(role, FULL_ROLE)
        self._secrets: dict[str, _Secrets] = {}
        if self.full:
            self.s = Sensitivity()
        else:
            self.s, self._secrets = _cached(store)

    # -- deciding ----------------------------------------------------------
    def incident_hidden(self, incident_id: str) -> bool:
        return incident_id in self.s.hidden_incidents

    def document_state(self, document_id: str) -> str:
        """'hidden', 'personal' or 'shown' for this role."""
        if document_id in self.s.hidden_documents:
            return "hidden"
        if document_id in self.s.personal_documents:
            return "personal"
        return "shown"

    def _recounted(self, f: IncidentFilter) -> bool:
        """Whether ``f`` filters on figures a tainted incident shows recomputed."""
        shown_fields = (f.grade, f.type, f.side, f.since, f.until)
        return bool(self.s.tainted_incidents) and (
            f.min_sources is not None or any(bool(x) for x in shown_fields)
        )

    def scope(self, f: IncidentFilter) -> IncidentFilter:
        """``f`` narrowed in the store query to the incidents this role may see.

        A filter on source count, grade, type, side or dates would judge a
        tainted incident by its stored values, hidden reports included; such
        incidents are left to ``recounted`` instead, which judges them as this
        role sees them.
        """
        if self.full:
            return f
        hidden = set(self.s.hidden_incidents)
        if self._recounted(f):
            hidden |= self.s.tainted_incidents
        if not hidden:
            return f
        return replace(f, exclude=tuple(sorted(set(f.exclude) | hidden)))

    def recounted(self, f: IncidentFilter, sort: str = "-date") -> list[ReviewedIncident]:
        """Tainted incidents matching ``f`` by their redacted figures (empty unless needed)."""
        if self.full or not self._recounted(f):
            return []
        among = self.s.tainted_incidents - self.s.hidden_incidents
        if f.ids is not None:
            among &= set(f.ids)
        loose = replace(
            f,
            min_sources=None,
            grade=None,
            type=None,
            side=None,
            since=None,
            until=None,
            ids=tuple(sorted(among)),
            exclude=tuple(sorted(self.s.hidden_incidents)),
        )
        out = []
        for reviewed in list_reviewed(self.store, loose, sort=sort)[0]:
            shown = self.incident(reviewed)
            inc = shown.incident
            if f.min_sources is not None and inc.independent_sources < f.min_sources:
                continue
            if f.grade and inc.grade != f.grade:
                continue
            if f.type and f.type not in (inc.types or (inc.type,)):
                continue
            if f.side and (inc.perpetrator.side if inc.perpetrator else None) != f.side:
                continue
            if f.since and (inc.time.end or inc.time.start or "") < f.since:
                continue
            if f.until and (inc.time.start or inc.time.end or "9999") > f.until:
                continue
            out.append(shown)
        return out

    # -- incidents ---------------------------------------------------------
    def list_incidents(
        self,
        f: IncidentFilter | None = None,
        *,
        sort: str = "-date",
        limit: int | None = None,
        offset: int = 0,
    ) -> tuple[list[ReviewedIncident], int]:
        """The store's list_reviewed for this role: hidden ones neither listed nor counted.

        Incidents judged by ``recounted`` follow the store's page, so paging
        stays exact: they take the positions after its last row.
        """
        f = self.scope(f or IncidentFilter())
        items, total = list_reviewed(self.store, f, sort=sort, limit=limit, offset=offset)
        shown = [self.incident(i) for i in items]
        extra = self.recounted(f, sort)
        if extra:
            start = max(0, offset - total)
            stop = None if limit is None else max(0, offset + limit - total)
            shown += extra[start:stop]
        return shown, total + len(extra)

    def get_incident(self, incident_id: str) -> ReviewedIncident | None:
        """The incident as this role sees it; None when it is hidden or does not exist."""
        if self.incident_hidden(incident_id):
            return None
        incident = get_reviewed(self.store, incident_id)
        return None if incident is None else self.incident(incident)

    def incident(self, reviewed: ReviewedIncident) -> ReviewedIncident:
        """A reviewed incident with what comes from hidden or personal documents removed."""
        if self.full or reviewed.id not in self.s.tainted_incidents:
            return reviewed
        record = reviewed.incident
        sources = record.sources
        hidden = {s.document for s in sources if self.document_state(s.document) == "hidden"}
        personal = {s.document for s in sources if self.document_state(s.document) == "personal"}
        secrets = self.secrets(record.id)
        kept = tuple(s for s in sources if s.document not in hidden)
        hidden_events = {s.event for s in sources if s.document in hidden}
        figures = tuple(
            replace(f, text=MARK, source=MARK, min=None, max=None) if f.document in personal else f
            for f in record.harm_figures
            if f.document not in hidden
        )
        shown = replace(
            record,
            sources=kept,
            events=tuple(e for e in record.events if e not in hidden_events),
            harm_figures=figures,
            harm=_harm_ranges(figures, record.harm),
            asserted_by=tuple(a for a in record.asserted_by if a.text not in secrets.hidden),
            denied_by=tuple(a for a in record.denied_by if a.text not in secrets.hidden),
            independent_sources=len({s.origin or s.document for s in kept}),
        )
        if hidden:
            # what only the hidden reports said goes with them: their outlets and dates,
            # the types, side, time and place they alone gave
            shown = self._from_kept_events(shown, record)
            published = sorted(str(s.published) for s in kept if s.published)
            origins = sorted({str(s.origin or s.publisher or "?") for s in kept})
            level, reason = grade(
                origins, list(shown.asserted_by), list(shown.denied_by), record.review
            )
            shown = replace(
                shown,
                source_chains=_chains(kept),
                first_report=published[0] if published else None,
                last_report=published[-1] if published else None,
                contested=bool(shown.denied_by) or (record.contested and not record.denied_by),
                grade=record.grade if record.grade == "discounted" else level,
                grade_reason=reason,
            )
        names = sorted(secrets.hidden | secrets.personal, key=len, reverse=True)
        # the machine's values of edited fields were worked out from every report, hidden
        # and personal ones too: below the full role they are not shown for such an incident
        out: ReviewedIncident = _scrub(
            replace(reviewed, incident=shown, machine_withheld=True), names
        )
        return out

    def _from_kept_events(self, shown: Incident, record: Incident) -> Incident:
        """Type, types, perpetrator, time and place as the visible reports alone give them."""
        ids = sorted({str(ref).rsplit("#", 1)[-1] for ref in shown.events})
        if not ids:
            return shown
        events = reviews.event_records(self.store, ids)
        kept = list(events.values())
        if not kept:
            return shown
        types = sorted({e["type"] for e in kept})
        shown = replace(shown, types=tuple(t for t in record.types if t in types) or tuple(types))
        if record.type not in types:
            shown = replace(shown, type=max(types, key=lambda t: sum(e["type"] == t for e in kept)))
        sides = [(e.get("perpetrator") or {}).get("side") for e in kept]
        if (record.perpetrator.side if record.perpetrator else None) not in sides:
            known = [e["perpetrator"] for e in kept if e.get("perpetrator")]
            perp = known[0] if known else None
            shown = replace(
                shown,
                perpetrator=None if perp is None else Actor(perp.get("text", ""), perp.get("side")),
            )
        starts = sorted(str(e["time"]["start"]) for e in kept if (e.get("time") or {}).get("start"))
        ends = sorted(str(e["time"]["end"]) for e in kept if (e.get("time") or {}).get("end"))
        shown = replace(
            shown,
            time=replace(
                record.time,
                start=starts[0] if starts else None,
                end=ends[-1] if ends else record.time.end,
            ),
        )
        places = [e["place"] for e in kept if e.get("place")]
        name = record.place.name if record.place else None
        if places and name not in {p.get("name") for p in places}:
            shown = replace(shown, place=place_from_json(places[0]))
        return shown

    def secrets(self, incident_id: str) -> _Secrets:
        """Strings of the incident's hidden and personal documents absent from its shown ones."""
        if incident_id in self._secrets:
            return self._secrets[incident_id]
        by_doc: dict[str, set[str]] = {}
        reports = incident_events(self.store, incident_id)
        docs = sorted({r.document for r in reports})
        rows = reviews.document_texts(self.store, docs)
        for rep in reports:
            strings = by_doc.setdefault(rep.document, set())
            strings |= _event_strings(rep.event)
            strings.add(rep.sentence)
        stored = get_stored(self.store, incident_id)
        # sources and figures are the machine's (no review edits them): the typed record
        machine = None if stored is None else stored.incident
        for src in machine.sources if machine else ():
            if src.origin:
                by_doc.setdefault(src.document, set()).add(src.origin)
        for fig in machine.harm_figures if machine else ():
            by_doc.setdefault(fig.document, set()).update(x for x in (fig.source, fig.text) if x)
        from ..store.extractions import latest_analysis

        public: set[str] = set()  # places are no secret, whoever names them
        for rep in reports:
            public |= _place_names(rep.event)
        for doc in docs:
            state = self.document_state(doc)
            row = rows.get(doc)
            strings = by_doc.setdefault(doc, set())
            analysis = latest_analysis(self.store, doc) or {}
            public |= {
                str(p.get(k))
                for p in analysis.get("places") or []
                for k in ("text", "name")
                if p.get(k)
            }
            if state == "shown" or row is None:
                strings |= _analysis_names(analysis)
                continue
            strings |= {x for x in (row.title, row.author) if x}
            if state == "hidden" and row.publisher:
                strings.add(row.publisher)
            strings |= set(_PHONE.findall(row.text or ""))
            strings |= _analysis_names(analysis)
            if state == "personal" and row.publisher:
                # the publisher is metadata, shown; a figure's source equal to it is no secret
                strings.discard(row.publisher)
        shown = public.union(*(v for k, v in by_doc.items() if self.document_state(k) == "shown"))
        out = _Secrets()
        for doc, strings in by_doc.items():
            state = self.document_state(doc)
            keep = {x for x in strings if len(x.strip()) > 2} - shown
            if state == "hidden":
                out.hidden |= keep
            elif state == "personal":
                out.personal |= keep
        self._secrets[incident_id] = out
        return out

    def reports(self, incident_id: str) -> list[dict[str, Any]]:
        """The incident's reports (incident_events) this role may see, personal ones redacted."""
        out = []
        for rep in incident_events(self.store, incident_id):
            state = self.document_state(rep.document)
            if state == "hidden":
                continue
            shown = rep.json()
            if state == "personal":
                shown.update(title=MARK, sentence=None, event=redact_event(rep.event))
            out.append({**shown, "personal": state == "personal"})
        return out

    def links(self, items: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Links to incidents this role may see; their reasons are review reasons."""
        if self.full:
            return items
        return [{**x, "reason": None} for x in items if not self.incident_hidden(x["other"])]

    def incident_ids(self, ids: Iterable[str]) -> list[str]:
        """The ids of ``ids`` this role may see, in order."""
        return [x for x in ids if not self.incident_hidden(x)]

    # -- documents and events ----------------------------------------------
    def document(self, doc: dict[str, Any]) -> dict[str, Any] | None:
        """A document row (review.queries.get_document) as this role sees it; None when hidden."""
        if self.full:
            return doc
        state = self.document_state(doc["id"])
        if state == "hidden":
            return None
        out = {k: v for k, v in doc.items() if k not in ("source_path", "source_url")}
        if state == "personal":
            out.update(title=MARK, author=MARK if doc.get("author") else None, text=None)
        out["flags"] = sorted(
            set(doc.get("flags") or [])
            | ({"personal_information"} if state == "personal" else set())
        )
        return out

    def events(self, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
        """Stored event records ("document" key holds the document id) this role may see."""
        out = []
        for ev in rows:
            state = self.document_state(ev["document"])
            if state == "hidden":
                continue
            out.append(redact_event(ev) if state == "personal" else ev)
        return out

    # -- search ------------------------------------------------------------
    def hide(self) -> Hide:
        """What search must neither return nor count for this role."""
        if self.full:
            return Hide()
        return Hide(
            documents=self.s.hidden_documents | self.s.personal_documents,
            incidents=self.s.hidden_incidents | self.s.tainted_incidents,
        )

    def _tainted_matches(self, query: str) -> list[tuple[str, str]]:
        """Tainted incidents whose redacted record still holds every word: (id, redacted body)."""
        words = [w.casefold() for w in terms(query)]
        out = []
        # redaction only takes words away: the stored record must match first
        for iid in sorted(incidents_matching(self.store, query, self.s.tainted_incidents)):
            incident = get_reviewed(self.store, iid)
            if incident is None:
                continue
            shown = self.incident(incident)
            place = shown.incident.place
            body = " ".join(
                [
                    shown.incident.type,
                    (place.name if place else None) or "",
                    (place.admin1 if place else None) or "",
                    json.dumps(shown.to_json(), ensure_ascii=False),
                ]
            )
            tokens = {t.casefold() for t in terms_all(body)}
            if words and all(w in tokens for w in words):
                out.append((iid, body))
        return out

    def search(
        self, query: str, *, limit: int = 20, offset: int = 0, kind: str | None = None
    ) -> tuple[list[Hit], int]:
        """Search hits and total as this role may see them; a hidden match is never counted."""
        hits, total = search(
            self.store,
            query,
            limit=limit,
            offset=offset,
            kind=kind,
            hide=self.hide(),
            expand=query_forms,  # "Бучі" also finds the documents that say "Буча"
        )
        if self.full or kind == "document" or not self.s.tainted_incidents:
            return hits, total
        extra = self._tainted_matches(query)
        start = max(0, offset - total)
        room = max(0, offset + limit - total)
        words = terms(query)
        hits += [
            Hit("incident", iid, "", _like_snippet(body, words)) for iid, body in extra[start:room]
        ]
        return hits, total + len(extra)

    def matching_incident_ids(self, query: str) -> set[str]:
        """Incidents matching ``query`` through what this role may see (the list's q filter)."""
        ids = matching_incident_ids(self.store, query, self.hide())
        if not self.full and self.s.tainted_incidents:
            ids |= {iid for iid, _ in self._tainted_matches(query)}
        return ids - self.s.hidden_incidents

    # -- custody -----------------------------------------------------------
    def hidden_object(self, object_id: str) -> bool:
        return (
            object_id in self.s.hidden_incidents
            or object_id in self.s.hidden_documents
            or object_id in self._hidden_artifacts()
        )

    def _hidden_artifacts(self) -> frozenset[str]:
        cached: frozenset[str] | None = getattr(self, "_artifacts", None)
        if cached is None:
            with reviews.reading(self.store) as rows:
                hidden = {"sha256:" + x for x in rows.artifacts_of(self.s.hidden_documents)}
                # an artifact one of whose documents is visible stays listed
                shown = {
                    "sha256:" + sha
                    for sha, doc in rows.documents_of_artifacts(x.split(":", 1)[1] for x in hidden)
                    if doc not in self.s.hidden_documents
                }
            cached = frozenset(hidden - shown)
            self._artifacts = cached
        return cached

    def custody(self, entries: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        """Custody entries (as dicts) without hidden objects and without identifying details."""
        if self.full:
            return list(entries)
        out = []
        for e in entries:
            if self.hidden_object(e["object_id"]):
                continue
            detail = {k: v for k, v in (e.get("detail") or {}).items() if k in SAFE_DETAIL}
            if e.get("action") != "review.status":
                detail.pop("old", None)  # an assignment's previous assignee names a person
            out.append({**e, "detail": detail})
        return out


_TOKEN = re.compile(r"\w+", re.UNICODE)


def terms_all(text: str) -> list[str]:
    return _TOKEN.findall(text)


def _place_names(record: dict[str, Any]) -> set[str]:
    place = record.get("place") or {}
    return {str(place[k]) for k in ("name", "admin1", "text") if place.get(k)}


def _analysis_names(analysis: dict[str, Any]) -> set[str]:
    names: set[str] = set()
    for ent in analysis.get("entities") or []:
        if ent.get("label") in ("PERSON", "ORG", "NORP"):
            names |= {str(x) for x in (ent.get("text"), ent.get("canonical")) if x}
    for item in [*(analysis.get("quotes") or []), *(analysis.get("claims") or [])]:
        speaker = item.get("speaker") or {}
        names |= {str(x) for x in (speaker.get("name"), speaker.get("role")) if x}
        if item.get("text"):
            names.add(str(item["text"]))
    for ev in analysis.get("events") or []:
        names |= _event_strings(ev)
    return names


def _harm_ranges(figures: tuple[HarmFigure, ...], harm: tuple[Harm, ...]) -> tuple[Harm, ...]:
    """Harm ranges again from the figures left (the corroboration rule: lowest min to highest)."""
    out = []
    seen: set[tuple[str, str]] = set()
    for h in harm:
        if (h.kind, h.category) in seen:
            continue
        seen.add((h.kind, h.category))
        group = [f for f in figures if f.kind == h.kind and f.category == h.category]
        if not group:
            continue
        lows = [f.min for f in group if isinstance(f.min, int)]
        highs: list[int] = []
        for f in group:
            if isinstance(f.max, int):
                highs.append(f.max)
            elif isinstance(f.min, int):
                highs.append(f.min)
        closed = len(lows) > 1 or any(isinstance(f.max, int) for f in group)
        out.append(
            replace(
                h,
                min=min(lows) if lows else None,
                max=max(highs) if highs and closed else None,
            )
        )
    return tuple(out)


_T = TypeVar("_T")


def _scrub(value: _T, names: list[str]) -> _T:
    """Replace every secret string inside the record ``value`` (ids and codes left alone) with MARK.

    A secret is replaced where it stands as whole words ("she" inside
    "shelling" stays), longest first.
    """
    if not names:
        return value
    pattern = re.compile(
        "|".join(rf"(?<!\w){re.escape(n)}(?!\w)" for n in sorted(names, key=len, reverse=True))
    )
    out: _T = _walk(value, pattern, "")
    return out


def _walk(value: Any, pattern: re.Pattern[str], key: str) -> Any:
    if key in _STRUCTURAL:
        return value
    if is_dataclass(value) and not isinstance(value, type):
        changes = {f.name: _walk(getattr(value, f.name), pattern, f.name) for f in fields(value)}
        return replace(value, **changes)
    if isinstance(value, dict):
        return {k: _walk(v, pattern, k) for k, v in value.items()}
    if isinstance(value, tuple):
        return tuple(_walk(v, pattern, key) for v in value)
    if isinstance(value, list):
        return [_walk(v, pattern, key) for v in value]
    if isinstance(value, str):
        return pattern.sub(MARK, value)
    return value


def view(store: Store, role: str | None) -> View:
    """The policy for ``role`` over ``store`` (None: anonymous, sees the least)."""
    return View(store, role)


def _chains(sources: tuple[IncidentSource, ...]) -> tuple[SourceChain, ...]:
    """The source chains of an incident's visible reports ("local authorities, via 2 outlets")."""
    pairs = [
        (str(src.origin or src.publisher or src.document), str(src.publisher or src.document))
        for src in sources
    ]
    return chains_of(pairs)
