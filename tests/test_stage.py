"""The stage layer of dossier.pipeline: rejections, the extraction stage's runner half,
and the Corroborator as the GlobalStage."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import RunCli
from corroborate.corroboration_reports import SLOVIANSK, make_report
from databases import Raw, home_database_url
from dossier.config import Settings
from dossier.corroborate import Corroborator, Judgement, event_ref, incident_id
from dossier.corroborate.clusters import ChangeSet, StoreView
from dossier.extract.runner import ExtractionStage, ExtractSummary, outcome, save_batch, stored
from dossier.extract.versions import PIPELINE_VERSION
from dossier.pipeline import GlobalStage, Rejection, Stage
from dossier.records import Analysis, DocumentMeta
from dossier.store import extractions
from dossier.store.database import Store
from dossier.store.integrity import verify_store


def test_rejection_status_is_the_stored_form_and_reads_back() -> None:
    failed = Rejection.failure("extract.v9", "sha256:ab", ValueError("bad offset"), {"x": 1})
    assert failed.status == "failed: ValueError: bad offset"
    assert (failed.kind, failed.retryable, dict(failed.detail)) == ("failed", False, {"x": 1})
    skipped = Rejection("extract.v9", "language zxx", "sha256:ab", kind="not_analysed")
    assert skipped.status == "not analysed: language zxx"
    for rejection in (failed, skipped):
        back = Rejection.from_status("extract.v9", "sha256:ab", rejection.status, {"x": 1})
        assert back is not None and (back.kind, back.reason) == (rejection.kind, rejection.reason)
    # A result's status, and the spelling records.py's comment once had, are no rejection.
    for status in ("ok", "ok; truncated", "not_analysed: language zxx"):
        assert Rejection.from_status("extract.v9", "sha256:ab", status) is None


def test_rejection_refuses_an_unknown_kind() -> None:
    with pytest.raises(ValueError, match="'skipped' is not one of"):
        Rejection("s", "r", "h", kind="skipped")  # type: ignore[arg-type]


def test_an_analysis_that_failed_is_the_stages_rejection_and_is_stored_unchanged() -> None:
    meta = DocumentMeta(id="sha256:cd", title="t", published=None, publisher=None, language="en")
    failed = Analysis(
        document=meta,
        status="failed: KeyError: 'x'",
        pipeline=PIPELINE_VERSION,
        extra={"truncated_at": 10},
    )
    result = outcome(failed)
    assert isinstance(result, Rejection)
    assert (result.stage, result.input_hash, result.kind) == (PIPELINE_VERSION, meta.id, "failed")
    assert stored(result, meta).to_json() == failed.to_json()
    ok = Analysis(document=meta, pipeline=PIPELINE_VERSION)
    assert outcome(ok) is ok


def test_a_document_left_for_want_of_a_dictionary_is_retryable() -> None:
    meta = DocumentMeta(id="sha256:ef", title=None, published=None, publisher=None, language="uk")
    missing = "the Ukrainian dictionary is not installed: pip install 'dossier[uk]'"
    left = Analysis(
        document=meta,
        status=f"not analysed: language uk ({missing})",
        pipeline=PIPELINE_VERSION,
        extra={"not_analysed": [f"language uk: {missing}"]},
    )
    other = Analysis(document=meta, status="not analysed: language zxx", pipeline=PIPELINE_VERSION)
    results = [outcome(left), outcome(other)]
    assert all(isinstance(r, Rejection) and r.kind == "not_analysed" for r in results)
    assert [r.retryable for r in results if isinstance(r, Rejection)] == [True, False]


def test_the_extraction_stage_and_the_corroborator_meet_their_protocols() -> None:
    # mypy checks these assignments against the protocols; the names are the versions.
    stage: Stage[tuple[str, DocumentMeta], Analysis] = ExtractionStage(Settings())
    corroborator: GlobalStage[StoreView, ChangeSet, object] = Corroborator()
    assert stage.name == PIPELINE_VERSION and stage.name.startswith("extract.v2-")
    assert corroborator.name.startswith("corroborate.v")


def test_the_runner_stores_a_rejection_as_a_run_that_says_why(
    run_cli: RunCli, home: Path, tmp_path: Path
) -> None:
    assert run_cli("init").exit_code == 0
    report = tmp_path / "report.txt"
    report.write_text("Shelling hit the market in Kharkiv on Monday, officials said.\n")
    assert run_cli("ingest", str(report)).exit_code == 0
    store = Store.open(Settings(home=home))
    ((_, meta),) = next(extractions.pending(store, PIPELINE_VERSION, 10))
    rejection = Rejection.failure(PIPELINE_VERSION, meta.id, RuntimeError("parser crashed"))
    summary = ExtractSummary(PIPELINE_VERSION)
    save_batch(store, [(rejection, meta)], summary, None)
    assert (summary.documents, summary.failed, summary.not_analysed, summary.events) == (1, 1, 0, 0)
    raw = Raw(home_database_url(home))
    try:
        rows = raw.execute("SELECT pipeline, status, analysis FROM extraction_runs").all()
    finally:
        raw.close()
    assert [(r[0], r[1]) for r in rows] == [
        (PIPELINE_VERSION, "failed: RuntimeError: parser crashed")
    ]
    assert json.loads(rows[0][2])["document"]["id"] == meta.id
    # Kept, logged and checked like any run: the document is no longer pending.
    assert extractions.count_pending(store, PIPELINE_VERSION) == 0
    assert verify_store(store).ok


def test_process_is_add_then_judge() -> None:
    a = make_report("a")
    b = make_report("b", published="2022-04-09")
    far = make_report("c", place=SLOVIANSK, sentence="Shelling hit Sloviansk.")
    split = Judgement(event_ref(a), event_ref(b), "negative", "ana", "2022-05-01T10:00:00")
    by_steps = Corroborator()
    by_steps.add([a, far])
    by_steps.add([b])
    by_steps.judge([split])
    staged = Corroborator()
    staged.process(StoreView({}), ChangeSet(reports=(a, far)))
    changes = staged.process(StoreView(None), ChangeSet(reports=(b,), judgements=(split,)))
    assert [i.events for i in staged.incidents()] == [i.events for i in by_steps.incidents()]
    assert len(staged.incidents()) == 3
    assert incident_id(b) in changes.created  # the split gave b an incident of its own
    assert incident_id(a) in changes.updated
