"""Re-extraction by version: a new pipeline version extracts every document again,
keeps the old runs beside the new, and corroboration reads each document's newest run."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import RunCli
from databases import Raw, home_database_url
from dossier.extract import analyzer

REPO = Path(__file__).resolve().parents[2]
NEW = "extract.v2-test000000"


def runs(home: Path) -> list[tuple[str, str]]:
    con = Raw(home_database_url(home))
    try:
        return sorted(
            tuple(row)
            for row in con.execute(
                "SELECT a.source_path, r.pipeline FROM extraction_runs r "
                "JOIN documents d ON d.id = r.document_id "
                "JOIN artifacts a ON a.sha256 = d.artifact_sha256"
            ).fetchall()
        )
    finally:
        con.close()


def member_pipelines(home: Path) -> set[str]:
    con = Raw(home_database_url(home))
    try:
        return {row[0] for row in con.execute("SELECT pipeline FROM incident_events")}
    finally:
        con.close()


def test_a_new_pipeline_version_re_extracts_and_corroborates_the_newest_runs(
    run_cli: RunCli, home: Path, shared_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    inputs = tmp_path / "inputs"
    inputs.mkdir()
    english = shutil.copy(shared_dir / "samples" / "bucha-article.txt", inputs)
    ukrainian = shutil.copy(REPO / "samples" / "bucha-article-uk.txt", inputs)
    assert run_cli("init").exit_code == 0
    assert run_cli("ingest", "--published", "2022-04-04", str(inputs)).exit_code == 0
    old = analyzer.PIPELINE_VERSION
    first = run_cli("extract")
    assert first.stdout.startswith(f"extracted 2 document(s) with {old}:"), first.stderr
    before = run_cli("corroborate").stdout
    incidents_before = json.loads(run_cli("incidents", "--json").stdout)
    assert incidents_before and member_pipelines(home) == {old}

    monkeypatch.setattr(analyzer, "PIPELINE_VERSION", NEW)
    # --only-new leaves documents extracted by the older pipeline as they are.
    assert run_cli("extract", "--only-new").stdout.startswith("extracted 0 document(s)")
    again = run_cli("extract")
    assert again.exit_code == 0, again.stderr
    assert again.stdout.startswith(f"extracted 2 document(s) with {NEW}:")
    assert runs(home) == sorted(
        (str(Path(path).resolve()), pipeline)
        for path in (english, ukrainian)
        for pipeline in (old, NEW)
    )
    assert run_cli("extract").stdout.startswith("extracted 0 document(s)")

    after = run_cli("corroborate").stdout
    # The same events once each, not twice: each document's newest run only.
    assert after.split(" event(s)")[0] == before.split(" event(s)")[0]
    assert member_pipelines(home) == {NEW}
    incidents_after = json.loads(run_cli("incidents", "--json").stdout)
    assert [(i["id"], i["sources"]) for i in incidents_after] == [
        (i["id"], i["sources"]) for i in incidents_before
    ]

    # A document ingested now is the one --only-new extracts.
    russian = shutil.copy(REPO / "samples" / "bucha-article-ru.txt", tmp_path)
    assert run_cli("ingest", "--published", "2022-04-04", str(russian)).exit_code == 0
    monkeypatch.setattr(analyzer, "PIPELINE_VERSION", NEW + "x")
    only = run_cli("extract", "--only-new")
    assert only.stdout.startswith(f"extracted 1 document(s) with {NEW}x:")
    assert [p for path, p in runs(home) if path.endswith("-ru.txt")] == [NEW + "x"]
