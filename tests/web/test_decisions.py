"""Merge and split take effect at once, and ``dossier corroborate`` keeps them.

The store here is corroborated by the real stage (not the builder's
grouping), as it is after ``dossier corroborate``.
"""

from __future__ import annotations

import json
import pickle
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient
from sqlalchemy import select

from dossier.config import Settings
from dossier.corroborate.runner import CORROBORATE_VERSION, run_corroboration
from dossier.extract.analyzer import PIPELINE_VERSION
from dossier.review.incidents import list_incidents
from dossier.store import custody_log, tables
from dossier.store.database import Store
from dossier.web import create_app
from dossier.web.settings import WebSettings

from .conftest import csrf_of

Api = Callable[[str | None], TestClient]


@pytest.fixture
def app(web_home: Path) -> FastAPI:
    store = Store.open(Settings(home=web_home))
    run_corroboration(store, PIPELINE_VERSION)
    store.engine.dispose()
    return create_app(
        Settings(home=web_home), WebSettings(secret_key="test-secret", login_attempts=5)
    )


def _incidents(api: Api, **params: Any) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = (
        api("reviewer").get("/api/v1/incidents", params={"sort": "id", **params}).json()["items"]
    )
    return items


def _kharkiv(api: Api) -> list[dict[str, Any]]:
    return [
        i
        for i in _incidents(api, type="attack_on_civilians")
        if (i["place"] or {}).get("name") == "Kharkiv"
    ]


def test_merge_in_the_web_app_is_one_incident_at_once_and_after_corroborate(
    as_role: Callable[[str | None], TestClient], api: Api, run_cli: Any
) -> None:
    # Two shellings of Kharkiv two days apart: the machine keeps them apart.
    a, b = _kharkiv(api)
    assert a["time"]["start"] != b["time"]["start"]
    union = set(a["events"]) | set(b["events"])
    browser = as_role("reviewer")
    token = csrf_of(browser.get(f"/incidents/{a['id']}").text)
    r = browser.post(
        f"/incidents/{a['id']}/review",
        data={"csrf_token": token, "action": "merge", "with": b["id"], "reason": "one strike"},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text
    location = r.headers["location"]
    page = browser.get(location)
    (merged,) = _kharkiv(api)
    assert set(merged["events"]) == union  # every report of both, none left behind
    assert location.startswith(f"/incidents/{merged['id']}?decision=")
    assert f"merged {a['id']} and {b['id']} into {merged['id']}" in page.text
    assert 'class="decision took-effect"' in page.text

    result = run_cli("corroborate")
    assert result.exit_code == 0, result.stderr
    (after,) = _kharkiv(api)
    assert (after["id"], set(after["events"])) == (merged["id"], union)
    # the merge, its outcome and the carried reviews are all on record: verify passes
    verify = run_cli("verify")
    assert verify.exit_code == 0, verify.stdout


def test_split_takes_effect_at_once_and_survives_corroborate(api: Api, run_cli: Any) -> None:
    multi = [i for i in _incidents(api) if len(i["events"]) > 1]
    inc = multi[0]
    # the last report goes: the first (the anchor) keeps the incident's id
    rest, off = inc["events"][:-1], inc["events"][-1:]
    r = api("reviewer").post(
        f"/api/v1/incidents/{inc['id']}/review",
        json={
            "action": "split",
            "reason": "two occurrences",
            "params": {"events": [off[0].split("#")[-1]]},
        },
    )
    assert r.status_code == 200, r.text
    (done,) = r.json()["done"]
    assert done["took_effect"] is True and done["result"] not in (None, inc["id"])

    def parts() -> list[set[str]]:
        return sorted(
            (set(i["events"]) for i in _incidents(api) if set(i["events"]) & set(inc["events"])),
            key=lambda events: inc["events"][0] not in events,
        )

    assert parts() == [set(rest), set(off)]
    assert run_cli("corroborate").exit_code == 0
    assert parts() == [set(rest), set(off)]


def test_review_and_restriction_carry_over_a_merge(api: Api, store: Store) -> None:
    a, b = _kharkiv(api)
    reviewer = api("reviewer")
    for iid, body in (
        (a["id"], {"action": "flag", "reason": "graphic", "params": {"flag": "restricted"}}),
        (b["id"], {"action": "confirm", "reason": "verified", "params": {}}),
    ):
        assert reviewer.post(f"/api/v1/incidents/{iid}/review", json=body).status_code == 200
    r = reviewer.post(
        f"/api/v1/incidents/{b['id']}/review",
        json={"action": "merge", "reason": "one strike", "params": {"with": a["id"]}},
    )
    merged_id = r.json()["done"][0]["result"]
    merged = reviewer.get(f"/api/v1/incidents/{merged_id}").json()
    assert merged["review"] == "confirmed" and "restricted" in merged["flags"]
    # what the viewer may not see before the merge it may not see after it
    seen = api("viewer").get(f"/api/v1/incidents/{merged_id}")
    assert seen.status_code == 404 or all(rep["sentence"] is None for rep in seen.json()["reports"])
    gone = ({a["id"], b["id"]} - {merged_id}).pop()
    carried = [e for e in custody_log.entries(store) if e.action == "review_carried"]
    assert [(e.object_id, e.detail["from"]) for e in carried] == [(merged_id, gone)]
    outcome = [e for e in custody_log.entries(store) if e.action == "review.outcome"]
    assert [(e.object_id, e.detail["took_effect"]) for e in outcome] == [(b["id"], True)]
    # the folded review state is what the carried entry hashes: verify checks it
    from dossier.store.integrity import verify_store

    report = verify_store(store)
    assert report.ok, report.first_problem


def test_corroborate_after_a_merge_rewrites_nothing(api: Api, store: Store, run_cli: Any) -> None:
    a, b = _kharkiv(api)
    api("reviewer").post(
        f"/api/v1/incidents/{a['id']}/review",
        json={"action": "merge", "reason": "one strike", "params": {"with": b["id"]}},
    )
    result = run_cli("corroborate")
    assert result.exit_code == 0
    last = [e for e in custody_log.entries(store) if e.action == "corroborated"][-1]
    assert (last.detail["written"], last.detail["removed"]) == (0, 0)
    with store.engine.connect() as conn:
        judged = conn.execute(select(tables.judgements.c.kind)).scalars().all()
    assert set(judged) == {"positive"} and len(judged) == len(a["events"]) + len(b["events"]) - 1


def test_state_is_json_keyed_on_the_pipeline_and_corroboration_versions(
    store: Store, web_home: Path
) -> None:
    with store.engine.connect() as conn:
        rows = conn.execute(select(tables.corroboration_state)).all()
    assert [(r.pipeline, r.version) for r in rows] == [(PIPELINE_VERSION, CORROBORATE_VERSION)]
    data = json.loads(rows[0].data)
    assert data["state"]["events"] and not list(web_home.glob("corroboration/*"))


@pytest.mark.parametrize(
    "data",
    [
        "not json at all",
        json.dumps({"pipeline": PIPELINE_VERSION, "version": "corroborate.v0", "state": {}}),
        None,  # a state naming an event the store does not hold
    ],
)
def test_a_broken_or_foreign_state_is_rebuilt_never_trusted(store: Store, data: str | None) -> None:
    s = tables.corroboration_state
    with store.engine.connect() as conn:
        good = conn.execute(select(s.c.data)).scalar_one()
    before = {i["id"]: i["events"] for i in list_incidents(store)[0]}
    if data is None:
        state = json.loads(good)
        state["state"]["events"][0] = "sha256:nothing#ev_nothing"
        data = json.dumps(state)
    with store.transaction() as conn:
        conn.execute(s.update().values(data=data))
    summary = run_corroboration(store, PIPELINE_VERSION)
    assert summary.rebuilt is True
    assert {i["id"]: i["events"] for i in list_incidents(store)[0]} == before
    assert run_corroboration(store, PIPELINE_VERSION).rebuilt is False


def test_a_pickle_in_the_data_directory_is_never_loaded(
    store: Store, web_home: Path, tmp_path: Path
) -> None:
    marker = tmp_path / "ran"

    class Payload:
        def __reduce__(self) -> tuple[Any, ...]:
            return (open, (str(marker), "w"))

    cache = web_home / "corroboration" / f"state-{PIPELINE_VERSION}.pickle"
    cache.parent.mkdir(parents=True, exist_ok=True)
    cache.write_bytes(pickle.dumps(Payload()))
    with store.engine.connect() as conn:
        conn.execute(tables.corroboration_state.delete())
        conn.commit()
    assert run_corroboration(store, PIPELINE_VERSION).rebuilt is True
    assert not marker.exists()


def test_new_documents_leave_other_incidents_their_rows_ids_and_reviews(
    api: Api, store: Store, run_cli: Any, tmp_path: Path
) -> None:
    first = _incidents(api)
    reviewer = api("reviewer")
    for inc in first[:2]:
        body = {"action": "confirm", "reason": "checked", "params": {}}
        assert reviewer.post(f"/api/v1/incidents/{inc['id']}/review", json=body).status_code == 200
    assert run_cli("corroborate").exit_code == 0  # the verdicts enter the records' grades
    with store.engine.connect() as conn:
        stamped = dict(
            conn.execute(select(tables.incidents.c.id, tables.incidents.c.updated_at)).all()
        )
    report = tmp_path / "zaporizhzhia.txt"
    report.write_text(
        "Missile strike on Zaporizhzhia school\n\n"
        "A Russian missile struck a school in Zaporizhzhia on 12 May 2022, killing three "
        "civilians, the regional governor said.\n"
    )
    ingested = run_cli(
        "ingest", str(report), "--publisher", "Other Wire", "--published", "2022-05-12"
    )
    assert ingested.exit_code == 0, ingested.stderr
    assert run_cli("extract").exit_code == 0
    assert run_cli("corroborate").exit_code == 0
    after = {i["id"]: i for i in _incidents(api)}
    new = set(after) - {i["id"] for i in first}
    assert new and all(i["id"] in after for i in first)
    assert all(after[i["id"]]["events"] == i["events"] for i in first)
    assert [after[i["id"]]["review"] for i in first[:2]] == ["confirmed", "confirmed"]
    with store.engine.connect() as conn:
        now = dict(conn.execute(select(tables.incidents.c.id, tables.incidents.c.updated_at)).all())
    assert {i: now[i] for i in stamped} == stamped  # not one old row rewritten
    last = [e for e in custody_log.entries(store) if e.action == "corroborated"][-1]
    assert (last.detail["written"], last.detail["removed"]) == (len(new), 0)


def test_the_incident_page_and_json_show_who_says_so_and_via_whom(
    as_role: Callable[[str | None], TestClient], api: Api
) -> None:
    (theatre,) = [i for i in _incidents(api) if (i["place"] or {}).get("name") == "Mariupol"]
    # "city officials said", relayed by one outlet: the city's government, not the outlet
    assert [c["text"] for c in theatre["source_chains"]] == ["local authorities, via 1 outlet"]
    page = as_role("viewer").get(f"/incidents/{theatre['id']}").text
    assert '<span class="chain">local authorities, via 1 outlet</span>' in page


def _stored_record(store: Store, incident_id: str) -> dict[str, Any]:
    i = tables.incidents
    with store.engine.connect() as conn:
        record: dict[str, Any] = json.loads(
            conn.execute(select(i.c.record).where(i.c.id == incident_id)).scalar_one()
        )
    return record


def test_a_withdrawn_verdict_leaves_the_record_at_the_next_run(api: Api, store: Store) -> None:
    inc = _incidents(api)[0]
    reviewer = api("reviewer")
    for status in ("discounted", "unreviewed"):
        body = {"action": "status", "reason": "second look", "params": {"status": status}}
        assert reviewer.post(f"/api/v1/incidents/{inc['id']}/review", json=body).status_code == 200
        run_corroboration(store, PIPELINE_VERSION)
        record = _stored_record(store, inc["id"])
        assert (record["review"], record["grade"] == "discounted") == (
            status,
            status == "discounted",
        )


def test_a_run_that_lost_a_race_for_the_state_runs_again(
    store: Store, monkeypatch: pytest.MonkeyPatch
) -> None:
    from dossier.corroborate import runner
    from dossier.store.corroboration_state import SavedState, StateConflict, save_state

    real = runner.load_state
    calls: list[int] = []

    def stale(*args: Any) -> SavedState | None:
        saved = real(*args)
        calls.append(1)
        if len(calls) == 1 and saved is not None:  # another run saved since
            return SavedState(saved.revision - 1, saved.data)
        return saved

    monkeypatch.setattr(runner, "load_state", stale)
    summary = run_corroboration(store, PIPELINE_VERSION)
    assert len(calls) == 2 and summary.rebuilt is False
    with (
        store.transaction() as conn,
        pytest.raises(StateConflict, match="run `dossier corroborate` again"),
    ):
        save_state(conn, PIPELINE_VERSION, CORROBORATE_VERSION, 0, {})


def test_corroborate_says_how_much_it_wrote(api: Api, store: Store, run_cli: Any) -> None:
    incidents = _incidents(api)
    events = sum(len(i["events"]) for i in incidents)
    result = run_cli("corroborate")
    digest = [e for e in custody_log.entries(store) if e.action == "corroborated"][-1].object_hash
    assert (result.exit_code, result.stdout) == (
        0,
        f"corroborated {events} event(s) (0 new) into {len(incidents)} incident(s), 0 written, "
        f"0 removed; result sha256:{digest[:16]}\n",
    )


def test_a_bulk_merge_runs_corroboration_once_and_lists_each_outcome(
    as_role: Callable[[str | None], TestClient], api: Api, store: Store
) -> None:
    (a, b), third = _kharkiv(api), _incidents(api, type="attack_on_protected")[0]
    browser = as_role("reviewer")
    token = csrf_of(browser.get("/incidents").text)
    runs_before = [e for e in custody_log.entries(store) if e.action == "corroborated"]
    r = browser.post(
        "/incidents/bulk",
        data={
            "csrf_token": token,
            "ids": [b["id"], third["id"]],
            "action": "merge",
            "with": a["id"],
            "reason": "one attack",
        },
    )
    assert r.status_code == 200, r.text
    union = set(a["events"]) | set(b["events"]) | set(third["events"])
    (merged,) = [i for i in _incidents(api) if set(i["events"]) & union]
    assert set(merged["events"]) == union
    assert r.text.count('<li class="decision">merged ') == 2
    runs = [e for e in custody_log.entries(store) if e.action == "corroborated"]
    outcomes = [e for e in custody_log.entries(store) if e.action == "review.outcome"]
    assert len(runs) == len(runs_before) + 1  # one run for both merges
    assert len(outcomes) == 2 and {e.object_hash for e in outcomes} == {runs[-1].object_hash}


def test_only_those_who_may_decide_see_how_a_decision_came_out(
    as_role: Callable[[str | None], TestClient], api: Api
) -> None:
    a, b = _kharkiv(api)
    r = api("reviewer").post(
        f"/api/v1/incidents/{a['id']}/review",
        json={"action": "merge", "reason": "one strike", "params": {"with": b["id"]}},
    )
    (done,) = r.json()["done"]
    url = f"/incidents/{done['result']}?decision={done['outcome_seq']}"
    assert done["message"] in as_role("reviewer").get(url).text
    for role in ("viewer", "analyst"):
        page = as_role(role).get(url)
        assert page.status_code == 200 and 'id="decision"' not in page.text
    # a custody entry that is no decision's outcome shows nothing
    other = f"/incidents/{done['result']}?decision={done['entry_seq']}"
    assert 'id="decision"' not in as_role("reviewer").get(other).text


def test_a_merge_overrides_an_earlier_split_between_any_two_of_its_reports(api: Api) -> None:
    a, b = _kharkiv(api)
    reviewer = api("reviewer")

    def act(iid: str, action: str, params: dict[str, Any]) -> dict[str, Any]:
        body = {"action": action, "reason": "second thoughts", "params": params}
        r = reviewer.post(f"/api/v1/incidents/{iid}/review", json=body)
        assert r.status_code == 200, r.text
        (done,) = r.json()["done"]
        assert done["took_effect"] is True, done["message"]
        return dict(done)

    merged = act(a["id"], "merge", {"with": b["id"]})["result"]
    # split b's reports off again: every report of b is now judged apart from every one of a
    act(merged, "split", {"events": [ref.split("#")[-1] for ref in b["events"]]})
    assert len(_kharkiv(api)) == 2
    again = act(a["id"], "merge", {"with": b["id"]})
    (one,) = _kharkiv(api)
    assert one["id"] == again["result"] and set(one["events"]) == set(a["events"]) | set(
        b["events"]
    )


def test_a_visible_incident_shows_only_what_its_visible_reports_say(api: Api, store: Store) -> None:
    # Regression: merged with a report a viewer may not see, an incident kept the time
    # (and could keep the types, side and place) only that hidden report gave.
    from dossier.review.accounts import get_account
    from dossier.review.actions import flag_document

    a, b = _kharkiv(api)
    early, late = sorted((a, b), key=lambda i: i["time"]["start"])
    reviewer = api("reviewer")
    r = reviewer.post(
        f"/api/v1/incidents/{early['id']}/review",
        json={"action": "merge", "reason": "one strike", "params": {"with": late["id"]}},
    )
    merged_id = r.json()["done"][0]["result"]
    hidden_doc = early["sources"][0]["document"]
    account = get_account(store, "reviewer")
    assert account is not None
    flag_document(store, account, hidden_doc, ["restricted"], "protect the witness")
    seen = api("viewer").get(f"/api/v1/incidents/{merged_id}").json()
    assert hidden_doc not in {s["document"] for s in seen["sources"]}
    assert seen["time"]["start"] == late["time"]["start"]
    assert (
        reviewer.get(f"/api/v1/incidents/{merged_id}").json()["time"]["start"]
        == (early["time"]["start"])
    )
    # and a filter judges it by what the viewer sees: the hidden day finds nothing
    day = early["time"]["start"]
    listed = api("viewer").get("/api/v1/incidents", params={"since": day, "until": day}).json()
    assert merged_id not in {i["id"] for i in listed["items"]}
    by_reviewer = reviewer.get("/api/v1/incidents", params={"since": day, "until": day}).json()
    assert merged_id in {i["id"] for i in by_reviewer["items"]}
