"""Review actions on incidents, each one custody-logged with its account and reason.

Status, edits, flags and assignment are rows of ``incident_reviews`` keyed by
the incident id, which corroboration keeps stable across re-clustering; merge
and split are judgements between member event ids (positive = same incident,
negative = different) that corroboration's ``cluster(reports, judgements)``
reads. So no decision is lost when ``dossier corroborate`` runs again.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Any

from ..edit_values import EditValueError, check_edit
from ..errors import ReviewInvalid, ReviewNotAllowed, ReviewNotFound
from ..evidence.canonical import canonical_json, sha256_hex
from ..evidence.custody import utc_now
from ..ontology import HAPPENED, REVIEW_STATUSES, VERDICTS
from ..store import reviews
from ..store.database import Store
from ..store.reviews import ReviewState, ReviewWriter
from .accounts import Account
from .inputs import ParamsError, check_params, check_reason
from .roles import FLAGS, LINK_KINDS, at_least

# the least role each action needs; status changes to a verdict need a reviewer
NEEDS = {
    "status": "analyst",
    "confirm": "reviewer",
    "reject": "reviewer",
    "edit": "analyst",
    "note": "analyst",
    "assign": "analyst",
    "flag": "analyst",
    "link": "analyst",
    "merge": "reviewer",
    "split": "reviewer",
}


@dataclass(frozen=True)
class Outcome:
    incident_id: str
    action: str
    entry_seq: int
    # merge and split take effect at once: the incident that holds the
    # decided events now, whether the decision took effect, and why not
    result: str | None = None
    took_effect: bool | None = None
    message: str = ""
    outcome_seq: int | None = None  # the custody entry saying how it came out


def _edit(edits: dict[str, Any], params: dict[str, Any]) -> dict[str, Any]:
    field = params.get("field")
    try:
        value = check_edit(field, params.get("value"))
    except EditValueError as exc:
        raise ReviewInvalid(f"edit refused: {exc}") from exc
    params["value"] = value  # the normalised value is what the custody entry records
    return {**edits, str(field): value}


def _act(
    tx: ReviewWriter,
    account: Account,
    incident_id: str,
    action: str,
    reason: str,
    params: dict[str, Any],
) -> dict[str, Any]:
    """Apply one action inside the transaction of ``tx``; returns the custody detail."""
    state = tx.state(incident_id).json()
    detail: dict[str, Any] = {"reason": reason, "role": account.role}
    if action in ("confirm", "reject"):
        action, params = "status", {"status": "confirmed" if action == "confirm" else "rejected"}
    if action == "status":
        status = params.get("status")
        if status not in REVIEW_STATUSES:
            raise ReviewInvalid(
                f"unknown status {status!r}; choose one of {', '.join(REVIEW_STATUSES)}"
            )
        if status in VERDICTS and not at_least(account.role, "reviewer"):
            raise ReviewNotAllowed(f"setting {status} needs the reviewer role")
        detail.update(old=state["status"], status=status)
        state["status"] = status
    elif action == "edit":
        state["edits"] = _edit(state["edits"], params)
        detail.update(field=params["field"], value=params["value"])
    elif action == "note":
        detail["note"] = str(params.get("note") or reason)
    elif action == "assign":
        to = params.get("to") or None
        if to and not tx.account_exists(to):
            raise ReviewInvalid(f"no account {to!r} to assign to")
        detail.update(old=state["assigned_to"], to=to)
        state["assigned_to"] = to
    elif action == "flag":
        flag, on = params.get("flag"), bool(params.get("on", True))
        if flag not in FLAGS:
            raise ReviewInvalid(f"unknown flag {flag!r}; choose one of {', '.join(FLAGS)}")
        if flag == "restricted" and not at_least(account.role, "reviewer"):
            raise ReviewNotAllowed("the restricted flag needs the reviewer role")
        lifting = flag == "personal_information" and not on and flag in state["flags"]
        if lifting and not at_least(account.role, "reviewer"):
            # what analysts may not read stays unread: only a reviewer may lift it
            raise ReviewNotAllowed("lifting the personal_information flag needs the reviewer role")
        state["flags"] = sorted(
            set(state["flags"]) | {flag} if on else set(state["flags"]) - {flag}
        )
        detail.update(flag=flag, on=on)
    elif action == "link":
        kind, to = params.get("kind"), str(params.get("to") or "")
        if kind not in LINK_KINDS:
            raise ReviewInvalid(f"unknown link {kind!r}; choose one of {', '.join(LINK_KINDS)}")
        if not tx.exists(to) or to == incident_id:
            raise ReviewNotFound(f"no other incident {to!r} to link to")
        tx.add_link(incident_id, to, kind, account.name, reason)
        detail.update(kind=kind, to=to)
    elif action in ("merge", "split"):
        detail.update(_judge(tx, account, incident_id, action, reason, params))
    else:
        raise ReviewInvalid(f"unknown action {action!r}; choose one of {', '.join(NEEDS)}")
    if action in ("status", "edit", "assign", "flag"):
        saved = ReviewState(
            state["status"], state["assigned_to"], tuple(state["flags"]), state["edits"]
        )
        tx.save(incident_id, saved, account.name)
    return {"action": action, "detail": detail, "state": state}


def _judge(
    tx: ReviewWriter,
    account: Account,
    incident_id: str,
    action: str,
    reason: str,
    params: dict[str, Any],
) -> dict[str, Any]:
    mine = tx.members(incident_id)
    if action == "merge":
        other = str(params.get("with") or "")
        theirs = tx.members(other) if other != incident_id else []
        if not theirs or not mine:
            raise ReviewNotFound(f"no other incident {other!r} with reports to merge with")
        union = _happened_first(tx, list(dict.fromkeys(mine + theirs)))
        # Every event tied to one anchor: the analyst's decision holds the whole
        # of both incidents together, whatever the machine's rules say; and it
        # overrides an earlier split between any two of them.
        pairs = [(union[0], e, "positive") for e in union[1:]]
        starred = {frozenset(p[:2]) for p in pairs}
        pairs += [
            (a, b, "positive")
            for a, b in _negatives_in_force(tx, union)
            if frozenset((a, b)) not in starred
        ]
        result: dict[str, Any] = {"with": other, "events": union}
    else:
        split = [e for e in params.get("events") or [] if e in mine]
        rest = [e for e in mine if e not in split]
        if not split or not rest:
            raise ReviewInvalid("split needs some, but not all, of the incident's event ids")
        # apart from each other; each part held together as the analyst saw it
        pairs = [(a, b, "negative") for a in split for b in rest]
        pairs += [
            (part[0], e, "positive")
            for part in (_happened_first(tx, split), _happened_first(tx, rest))
            for e in part[1:]
        ]
        result = {"events": split, "rest": rest}
    tx.add_judgements(pairs, account.name, reason, utc_now())
    result["judgements"] = len(pairs)
    return result


def _happened_first(tx: ReviewWriter, events: list[str]) -> list[str]:
    """``events`` with reports of what happened first: the anchor of a decision must be
    one that corroboration places (a hypothetical report joins no incident)."""
    happened = tx.with_status(events, HAPPENED)
    return sorted(events, key=lambda e: e not in happened)


def _negatives_in_force(tx: ReviewWriter, events: list[str]) -> list[tuple[str, str]]:
    """The pairs among ``events`` whose latest judgement is negative."""
    rows = tx.judgements_among(events)
    latest: dict[frozenset[str], tuple[str, str, str]] = {}
    for row in sorted(rows, key=lambda r: (r.time, r.id)):
        latest[frozenset((row.left_id, row.right_id))] = (row.left_id, row.right_id, row.kind)
    return sorted((a, b) for a, b, kind in latest.values() if kind == "negative")


def review(
    store: Store,
    account: Account,
    incident_ids: Iterable[str],
    action: str,
    reason: str,
    params: dict[str, Any] | None = None,
    *,
    hidden: Collection[str] = (),
) -> list[Outcome]:
    """Apply ``action`` to each incident in one transaction, one custody entry per incident.

    Incidents in ``hidden`` (those the account's role may not see) are refused
    exactly as ids that do not exist, as targets of a link too.
    """
    needed = NEEDS.get(action)
    if needed is None:
        raise ReviewInvalid(f"unknown action {action!r}; choose one of {', '.join(NEEDS)}")
    if not at_least(account.role, needed):
        raise ReviewNotAllowed(
            f"{action} needs the {needed} role; {account.name} is {account.role}"
        )
    reason = (reason or "").strip()
    if not reason:
        raise ReviewInvalid("every review action needs a reason")
    try:
        check_reason(reason)
        params = check_params(action, dict(params or {}))
    except ParamsError as exc:
        raise ReviewInvalid(str(exc)) from exc
    out = []
    decided: list[tuple[int, dict[str, Any], str | None]] = []
    with reviews.writing(store) as tx:
        for incident_id in dict.fromkeys(incident_ids):
            if incident_id in hidden or not tx.exists(incident_id):
                raise ReviewNotFound(f"no incident {incident_id!r}")
            to = str((params or {}).get("to") or "")
            if action == "link" and to in hidden and (params or {}).get("kind") in LINK_KINDS:
                raise ReviewNotFound(f"no other incident {to!r} to link to")
            done = _act(tx, account, incident_id, action, reason, dict(params or {}))
            digest = sha256_hex(canonical_json(done["state"]))
            entry = tx.log(
                account.name, f"review.{done['action']}", incident_id, digest, done["detail"]
            )
            out.append(Outcome(incident_id, done["action"], entry.seq))
            if action in ("merge", "split"):
                decided.append((len(out) - 1, done["detail"], tx.pipeline(incident_id)))
    if decided:
        from ..corroborate.runner import run_corroboration

        # one re-corroboration per pipeline, however many incidents the action covered
        for pipeline in sorted({p for _, _, p in decided if p is not None}):
            mine = [(n, detail) for n, detail, p in decided if p == pipeline]
            watch = [e for _, detail in mine for e in _decided_events(detail)]
            summary = run_corroboration(store, pipeline, add_new=False, watch=watch)
            for n, detail in mine:
                out[n] = _take_effect(
                    store, account, out[n], detail, pipeline, summary.placed, summary.digest
                )
    return out


def _decided_events(detail: dict[str, Any]) -> list[str]:
    return list(detail.get("events") or []) + list(detail.get("rest") or [])


def outcome(store: Store, seq: int, incident_id: str) -> dict[str, Any] | None:
    """How the merge or split of custody entry ``seq`` came out, if it concerns ``incident_id``."""
    entry = reviews.custody_entry(store, seq)
    if entry is None or entry.action != "review.outcome":
        return None
    detail: dict[str, Any] = dict(entry.detail)
    if incident_id not in (entry.object_id, detail.get("result")):
        return None
    return detail


def _why_loose(store: Store, pipeline: str, events: list[str]) -> str:
    """Why these decided reports belong to no incident after corroboration."""
    status = reviews.event_statuses(store, pipeline, events)
    said = sorted(e for e in events if status.get(e) not in HAPPENED)
    waiting = sorted(set(events) - set(said))
    parts = []
    if said:
        parts.append(
            f"{len(said)} report(s) ({', '.join(said[:3])}) join no incident: the text reports "
            f"them as {', '.join(sorted({str(status.get(e)) for e in said}))}, not as having "
            "happened"
        )
    if waiting:
        parts.append(
            f"{len(waiting)} report(s) ({', '.join(waiting[:3])}) are not corroborated yet; "
            "run `dossier corroborate`"
        )
    return "; ".join(parts)


def _take_effect(
    store: Store,
    account: Account,
    done: Outcome,
    detail: dict[str, Any],
    pipeline: str,
    placed: dict[str, str | None],
    digest: str,
) -> Outcome:
    """Say how a merge or split came out once corroboration has run, in the custody log.

    The judgements are already committed, so the decision holds even where
    this step cannot apply it yet: the next ``dossier corroborate`` will.
    """
    events = _decided_events(detail)
    loose = sorted(e for e in events if placed.get(e) is None)
    if done.action == "merge":
        homes = sorted({i for e in events if (i := placed.get(e)) is not None})
        ok = not loose and len(homes) == 1
        result = homes[0] if len(homes) == 1 else None
        if len(homes) == 1:
            message = f"merged {done.incident_id} and {detail['with']} into {result}"
            message += f" ({len(events) - len(loose)} reports)"
        else:
            message = (
                f"the merge did not take effect: the reports are in {len(homes)} incidents"
                + ("" if loose else ", kept apart by an earlier judgement among them")
            )
    else:
        split = set(detail["events"])
        apart = {placed.get(e) for e in split} - {None}
        rest = {placed.get(e) for e in detail["rest"]} - {None}
        ok = not loose and len(apart) == 1 and len(rest) == 1 and not (apart & rest)
        result = next(iter(apart)) if len(apart) == 1 else None
        message = (
            f"split {len(split)} report(s) off {done.incident_id} into {result}; "
            f"the other {len(detail['rest'])} stay in {next(iter(rest))}"
            if ok
            else "the split did not take effect: the two parts are not two incidents"
        )
    if loose:
        message += "; " + _why_loose(store, pipeline, loose)
    with reviews.writing(store) as tx:
        entry = tx.log(
            account.name,
            "review.outcome",
            done.incident_id,
            digest,
            {"decision": done.entry_seq, "result": result, "took_effect": ok, "message": message},
        )
    return Outcome(done.incident_id, done.action, done.entry_seq, result, ok, message, entry.seq)


def flag_document(
    store: Store, account: Account, document_id: str, flags: list[str], reason: str
) -> None:
    """Set a document's sensitivity flags (restricted needs a reviewer)."""
    if not at_least(account.role, "analyst"):
        raise ReviewNotAllowed("flagging needs the analyst role")
    bad = [f for f in flags if f not in FLAGS]
    if bad:
        raise ReviewInvalid(f"unknown flags {bad}; choose from {', '.join(FLAGS)}")
    if not reason.strip():
        raise ReviewInvalid("every review action needs a reason")
    try:
        check_reason(reason)
    except ParamsError as exc:
        raise ReviewInvalid(str(exc)) from exc
    with reviews.writing(store) as tx:
        before = tx.document_flags_of(document_id)
        if ("restricted" in before) != ("restricted" in flags) and not at_least(
            account.role, "reviewer"
        ):
            raise ReviewNotAllowed("the restricted flag needs the reviewer role")
        if "personal_information" in set(before) - set(flags) and not at_least(
            account.role, "reviewer"
        ):
            # below reviewer the text is hidden: lifting the flag would be reading it
            raise ReviewNotAllowed("lifting the personal_information flag needs the reviewer role")
        tx.save_document_flags(document_id, flags, account.name)
        tx.log(
            account.name,
            "review.flag_document",
            document_id,
            # The hash of the new flags, so a bundle that withholds the detail still proves them.
            sha256_hex(canonical_json(sorted(flags))),
            {"reason": reason, "flags": sorted(flags)},
        )
