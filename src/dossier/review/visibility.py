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
from dataclasses import asdict, dataclass, field, replace
from typing import Any

from ..corroborate.grade import grade
from ..corroborate.incidents import chains_of
from ..extract.lang.forms import query_forms
from ..records import Actor
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
from .incidents import get_incident, list_incidents
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

    def recounted(self, f: IncidentFilter, sort: str = "-date") -> list[dict[str, Any]]:
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
        for record in list_incidents(self.store, loose, sort=sort)[0]:
            shown = self.incident(record)
            if f.min_sources is not None and shown["independent_sources"] < f.min_sources:
                continue
            if f.grade and shown["grade"] != f.grade:
                continue
            if f.type and f.type not in (shown.get("types") or [shown.get("type")]):
                continue
            if f.side and (shown.get("perpetrator") or {}).get("side") != f.side:
                continue
            time = shown.get("time") or {}
            if f.since and (time.get("end") or time.get("start") or "") < f.since:
                continue
            if f.until and (time.get("start") or time.get("end") or "9999") > f.until:
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
    ) -> tuple[list[dict[str, Any]], int]:
        """The store's list_incidents for this role: hidden ones neither listed nor counted.

        Incidents judged by ``recounted`` follow the store's page, so paging
        stays exact: they take the positions after its last row.
        """
        f = self.scope(f or IncidentFilter())
        items, total = list_incidents(self.store, f, sort=sort, limit=limit, offset=offset)
        shown = [self.incident(i) for i in items]
        extra = self.recounted(f, sort)
        if extra:
            start = max(0, offset - total)
            stop = None if limit is None else max(0, offset + limit - total)
            shown += extra[start:stop]
        return shown, total + len(extra)

    def get_incident(self, incident_id: str) -> dict[str, Any] | None:
        """The incident as this role sees it; None when it is hidden or does not exist."""
        if self.incident_hidden(incident_id):
            return None
        incident = get_incident(self.store, incident_id)
        return None if incident is None else self.incident(incident)

    def incident(self, record: dict[str, Any]) -> dict[str, Any]:
        """An incident record with what comes from hidden or personal documents removed."""
        if self.full or record["id"] not in self.s.tainted_incidents:
            return record
        sources = record.get("sources") or []
        hidden = {s["document"] for s in sources if self.document_state(s["document"]) == "hidden"}
        personal = {
            s["document"] for s in sources if self.document_state(s["document"]) == "personal"
        }
        secrets = self.secrets(record["id"])
        out = dict(record)
        kept = [s for s in sources if s["document"] not in hidden]
        hidden_events = {s.get("event") for s in sources if s["document"] in hidden}
        out["sources"] = kept
        out["events"] = [e for e in record.get("events") or [] if e not in hidden_events]
        figures = [f for f in record.get("harm_figures") or [] if f.get("document") not in hidden]
        out["harm_figures"] = [
            {**f, "text": MARK, "source": MARK, "min": None, "max": None}
            if f.get("document") in personal
            else f
            for f in figures
        ]
        if "harm_figures" in record:
            out["harm"] = _harm_ranges(out["harm_figures"], record.get("harm") or [])
        for key in ("asserted_by", "denied_by"):
            out[key] = [a for a in record.get(key) or [] if a.get("text") not in secrets.hidden]
        out["independent_sources"] = len({s.get("origin") or s.get("document") for s in kept})
        if hidden:
            # what only the hidden reports said goes with them: their outlets and dates,
            # the types, side, time and place they alone gave
            out.update(self._from_kept_events(record, out["events"]))
            out["source_chains"] = _chains(kept)
            published = sorted(str(s["published"]) for s in kept if s.get("published"))
            for key, value in (("first_report", published[:1]), ("last_report", published[-1:])):
                if key in record:
                    out[key] = value[0] if value else None
            out["contested"] = bool(out["denied_by"]) or (
                record.get("contested", False) and not record.get("denied_by")
            )
            origins = sorted({str(s.get("origin") or s.get("publisher") or "?") for s in kept})
            level, reason = grade(
                origins,
                [Actor(a["text"], a.get("side")) for a in out["asserted_by"]],
                [Actor(a["text"], a.get("side")) for a in out["denied_by"]],
                record.get("review") or "unreviewed",
            )
            if record.get("grade") != "discounted":
                out["grade"] = level
            out["grade_reason"] = reason
        names = sorted(secrets.hidden | secrets.personal, key=len, reverse=True)
        scrubbed: dict[str, Any] = _scrub(out, names)
        return scrubbed

    def _from_kept_events(self, record: dict[str, Any], refs: list[str]) -> dict[str, Any]:
        """Type, types, perpetrator, time and place as the visible reports alone give them."""
        ids = sorted({str(ref).rsplit("#", 1)[-1] for ref in refs})
        if not ids:
            return {}
        events = reviews.event_records(self.store, ids)
        kept = list(events.values())
        if not kept:
            return {}
        out: dict[str, Any] = {}
        types = sorted({e["type"] for e in kept})
        out["types"] = [t for t in record.get("types") or [] if t in types] or types
        if record.get("type") not in types:
            out["type"] = max(types, key=lambda t: sum(e["type"] == t for e in kept))
        sides = [(e.get("perpetrator") or {}).get("side") for e in kept]
        perpetrator = record.get("perpetrator") or {}
        if perpetrator.get("side") not in sides:
            known = [e["perpetrator"] for e in kept if e.get("perpetrator")]
            out["perpetrator"] = known[0] if known else None
        starts = sorted(str(e["time"]["start"]) for e in kept if (e.get("time") or {}).get("start"))
        ends = sorted(str(e["time"]["end"]) for e in kept if (e.get("time") or {}).get("end"))
        time = dict(record.get("time") or {})
        time["start"] = starts[0] if starts else None
        time["end"] = ends[-1] if ends else time.get("end")
        out["time"] = time
        places = [e["place"] for e in kept if e.get("place")]
        place = record.get("place") or {}
        if places and place.get("name") not in {p.get("name") for p in places}:
            out["place"] = places[0]
        return out

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
            incident = get_incident(self.store, iid)
            if incident is None:
                continue
            shown = self.incident(incident)
            place = shown.get("place") or {}
            body = " ".join(
                [
                    shown["type"],
                    place.get("name") or "",
                    place.get("admin1") or "",
                    json.dumps(shown, ensure_ascii=False),
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


def _harm_ranges(figures: list[dict[str, Any]], harm: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Harm ranges again from the figures left (the corroboration rule: lowest min to highest)."""
    out = []
    seen: set[tuple[Any, Any]] = set()
    for h in harm:
        if (h.get("kind"), h.get("category")) in seen:
            continue
        seen.add((h.get("kind"), h.get("category")))
        group = [
            f
            for f in figures
            if f.get("kind") == h.get("kind") and f.get("category") == h.get("category")
        ]
        lows = [f["min"] for f in group if isinstance(f.get("min"), int)]
        highs: list[int] = [
            f["max"] if isinstance(f.get("max"), int) else f["min"]
            for f in group
            if isinstance(f.get("max"), int) or isinstance(f.get("min"), int)
        ]
        if not group:
            continue
        closed = len(lows) > 1 or any(isinstance(f.get("max"), int) for f in group)
        out.append(
            {
                **{k: v for k, v in h.items() if k != "text"},
                "min": min(lows) if lows else None,
                "max": max(highs) if highs and closed else None,
            }
        )
    return out


def _scrub(value: Any, names: list[str], key: str = "") -> Any:
    """Replace every secret string inside ``value`` (ids and codes left alone) with MARK.

    A secret is replaced where it stands as whole words ("she" inside
    "shelling" stays), longest first.
    """
    if not names:
        return value
    pattern = re.compile(
        "|".join(rf"(?<!\w){re.escape(n)}(?!\w)" for n in sorted(names, key=len, reverse=True))
    )
    return _walk(value, pattern, key)


def _walk(value: Any, pattern: re.Pattern[str], key: str) -> Any:
    if key in _STRUCTURAL:
        return value
    if isinstance(value, dict):
        return {k: _walk(v, pattern, k) for k, v in value.items()}
    if isinstance(value, list):
        return [_walk(v, pattern, key) for v in value]
    if isinstance(value, str):
        return pattern.sub(MARK, value)
    return value


def view(store: Store, role: str | None) -> View:
    """The policy for ``role`` over ``store`` (None: anonymous, sees the least)."""
    return View(store, role)


def _chains(sources: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The source chains of an incident's visible reports ("local authorities, via 2 outlets")."""
    pairs = [
        (
            str(src.get("origin") or src.get("publisher") or src.get("document")),
            str(src.get("publisher") or src.get("document")),
        )
        for src in sources
    ]
    return [asdict(chain) for chain in chains_of(pairs)]
