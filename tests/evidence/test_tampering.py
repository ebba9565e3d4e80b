"""``dossier verify`` catches every kind of tampering and names the object or entry.

One real store (ingest, extract with the real model, corroborate, review,
flag) is built once per module; each test copies it, tampers with the copy
the way a person with file access could, and checks that verify exits 1
naming exactly what was done.
"""

from __future__ import annotations

import hashlib
import json
import shutil
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from databases import Raw, clone_database, create_database, drop_database
from dossier.cli import main
from dossier.config import Settings
from dossier.evidence.canonical import hash_value
from dossier.evidence.custody import make_entry
from dossier.evidence.keys import load_private_key
from dossier.evidence.merkle import merkle_root
from dossier.extract.analyzer import PIPELINE_VERSION
from dossier.records import checkpoint_message
from dossier.review.accounts import Account
from dossier.review.actions import flag_document, review
from dossier.store.database import Store

RunCli = Callable[..., Any]

STORIES = [
    "Russian shelling killed 12 civilians in Kharkiv on Monday, local officials said.",
    "Troops abducted the mayor of Melitopol on Friday, Ukrainian officials said.",
    "Investigators exhumed 40 bodies from a mass grave near the church in Izium on Friday.",
]
LATE = "A missile strike hit a shopping centre in Kremenchuk on Monday, officials said.\n"


def _cli(home: Path, url: str, *args: str) -> str:
    env = {"DOSSIER_HOME": str(home), "DOSSIER_ACTOR": "tester", "DOSSIER_DATABASE_URL": url}
    result = CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return str(result.stdout)


def _build(root: Path, url: str) -> Path:
    """A store with documents, extraction runs, incidents, reviews and flags."""
    home, folder = root / "home", root / "inputs"
    folder.mkdir()
    for i, story in enumerate(STORIES):
        (folder / f"story-{i}.txt").write_text(story + "\n", encoding="utf-8")
    _cli(home, url, "init")
    _cli(home, url, "ingest", "--published", "2022-03-01", str(folder))
    _cli(home, url, "extract")
    _cli(home, url, "corroborate")
    store = Store.open(Settings(home=home, actor="tester", database_url=url or None), create=False)
    with store.connect() as conn:
        incidents = [r[0] for r in conn.exec_driver_sql("SELECT id FROM incidents ORDER BY id")]
        doc = conn.exec_driver_sql("SELECT id FROM documents ORDER BY id LIMIT 1").scalar_one()
    reviewer = Account("rev", "reviewer")
    review(store, reviewer, [incidents[0]], "confirm", "two sources agree")
    link = {"kind": "follow_up", "to": incidents[2]}
    review(store, reviewer, [incidents[1]], "link", "same day", link)
    flag_document(store, reviewer, doc, ["personal_information"], "names a witness")
    store.engine.dispose()
    assert "verify: all checks passed" in _cli(home, url, "verify")
    return home


Template = Callable[[str], tuple[Path, str]]


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Template]:
    """The store built once per module and backend: (home, database URL; "" for SQLite)."""
    built: dict[str, tuple[Path, str]] = {}

    def get(backend: str) -> tuple[Path, str]:
        if backend not in built:
            url = "" if backend == "sqlite" else create_database()
            built[backend] = (_build(tmp_path_factory.mktemp("template"), url), url)
        return built[backend]

    yield get
    for _, url in built.values():
        if url:
            drop_database(url)


@pytest.fixture
def db(templates: Template, home: Path, database_url: str) -> Iterator[Raw]:
    """A copy of the template store at ``home``; returns a raw connection to its database."""
    template, template_url = templates("sqlite" if database_url == "sqlite" else "postgres")
    shutil.copytree(template, home)
    if database_url == "sqlite":
        url = f"sqlite:///{(home / 'dossier.db').resolve()}"
    else:
        clone_database(template_url, database_url)
        url = database_url
    conn = Raw(url)
    yield conn
    conn.close()


def failed_verify(run_cli: RunCli, *args: str) -> str:
    result = run_cli("verify", *args)
    assert result.exit_code == 1, result.stdout
    last = result.stdout.splitlines()[-1]
    assert last.startswith("verify: FAILED; first break: ")
    return str(result.stdout)


def one(conn: Raw, sql: str, *params: Any) -> Any:
    return conn.execute(sql, params).fetchone()


def seq_of(conn: Raw, action: str, object_id: str) -> int:
    return int(
        one(
            conn,
            "SELECT max(seq) FROM custody WHERE action = ? AND object_id = ?",
            action,
            object_id,
        )[0]
    )


def first_document(conn: Raw) -> str:
    return str(one(conn, "SELECT id FROM documents ORDER BY id LIMIT 1")[0])


def rewrite_log(
    conn: Raw,
    change: Callable[[int, str, dict[str, Any]], tuple[str, dict[str, Any]]],
    *,
    resign_with: Path | None = None,
) -> None:
    """Rewrite every entry through ``change`` and rehash the chain; re-sign with a key dir."""
    prev, leaves = "0" * 64, []
    for seq, time, actor, action, object_id, object_hash, detail, _, _ in conn.execute(
        "SELECT * FROM custody ORDER BY seq"
    ).fetchall():
        actor, body = change(seq, actor, json.loads(detail))
        entry = make_entry(seq, prev, actor, action, object_id, object_hash, body, time)
        conn.execute(
            "UPDATE custody SET actor = ?, detail = ?, prev_hash = ?, entry_hash = ? WHERE seq = ?",
            (actor, json.dumps(body), entry.prev_hash, entry.entry_hash, seq),
        )
        prev = entry.entry_hash
        leaves.append(bytes.fromhex(entry.entry_hash))
    if resign_with is None:
        return
    key = load_private_key(resign_with)
    for size, time in conn.execute("SELECT size, time FROM checkpoints").fetchall():
        root = merkle_root(leaves[:size]).hex()
        signature = key.sign(checkpoint_message(size, root, time)).hex()
        conn.execute(
            "UPDATE checkpoints SET root = ?, signature = ? WHERE size = ?",
            (root, signature, size),
        )


def mallory_first(seq: int, actor: str, detail: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    return ("mallory" if seq == 1 else actor), detail


# --- the database itself ------------------------------------------------------


@pytest.mark.sqlite_only  # the database file itself
def test_an_emptied_database_fails_and_is_not_replaced(
    run_cli: RunCli, db: Raw, home: Path
) -> None:
    db.close()
    (home / "dossier.db").write_bytes(b"")
    out = failed_verify(run_cli)
    assert out.splitlines()[:2] == [
        "database: 0 checked, FAILED",
        f"  sqlite:///{home / 'dossier.db'}: the database file is empty; "
        "run `dossier init` for a new store",
    ]
    assert (home / "dossier.db").stat().st_size == 0, "verify must not create a schema"
    again = run_cli("ingest", str(home / "keys"))
    assert again.exit_code == 2 and "the database file is empty" in again.stderr
    assert (home / "dossier.db").stat().st_size == 0, "ingest must not start a new chain"


@pytest.mark.sqlite_only  # the database file itself
def test_a_deleted_database_fails_and_is_not_recreated(
    run_cli: RunCli, db: Raw, home: Path
) -> None:
    db.close()
    (home / "dossier.db").unlink()
    out = failed_verify(run_cli)
    assert f"  sqlite:///{home / 'dossier.db'}: no database; run `dossier init`" in out
    assert not (home / "dossier.db").exists()


# --- deleted objects ----------------------------------------------------------


def test_a_deleted_document_row_is_named(run_cli: RunCli, db: Raw) -> None:
    doc = first_document(db)
    seq = seq_of(db, "ingested", doc)
    db.execute("DELETE FROM incident_events WHERE document_id = ?", (doc,))
    db.execute("DELETE FROM events WHERE document_id = ?", (doc,))
    db.execute("DELETE FROM extraction_runs WHERE document_id = ?", (doc,))
    db.execute("DELETE FROM documents WHERE id = ?", (doc,))
    out = failed_verify(run_cli)
    assert f"document {doc}: logged as ingested (custody entry {seq}) but its row is missing" in out
    assert f"extraction run of document {doc} by {PIPELINE_VERSION}: logged (custody entry" in out


def test_a_deleted_document_with_its_artifact_and_blob_is_named(
    run_cli: RunCli, db: Raw, home: Path
) -> None:
    doc, sha = one(db, "SELECT id, artifact_sha256 FROM documents ORDER BY id LIMIT 1")
    for table in ("incident_events", "events", "extraction_runs"):
        db.execute(f"DELETE FROM {table} WHERE document_id = ?", (doc,))
    db.execute("DELETE FROM documents WHERE id = ?", (doc,))
    db.execute("DELETE FROM artifacts WHERE sha256 = ?", (sha,))
    blob = home / "artifacts" / sha[:2] / sha[2:]
    blob.unlink()
    out = failed_verify(run_cli)
    seq = seq_of(db, "acquired", f"sha256:{sha}")
    assert (
        f"  artifact sha256:{sha}: logged as acquired (custody entry {seq}) "
        "but its row is missing\n"
        f"  artifact sha256:{sha} is missing from {home / 'artifacts'}\n" in out
    )
    assert f"document {doc}: logged as ingested" in out


def test_a_deleted_blob_is_named(run_cli: RunCli, db: Raw, home: Path) -> None:
    sha = one(db, "SELECT sha256 FROM artifacts ORDER BY sha256 LIMIT 1")[0]
    (home / "artifacts" / sha[:2] / sha[2:]).unlink()
    out = failed_verify(run_cli)
    assert f"first break: artifact sha256:{sha} is missing from {home / 'artifacts'}" in out


def test_a_deleted_extraction_run_is_named(run_cli: RunCli, db: Raw) -> None:
    run_id, doc = one(db, "SELECT id, document_id FROM extraction_runs ORDER BY id LIMIT 1")
    seq = seq_of(db, "extracted", doc)
    db.execute("DELETE FROM events WHERE run_id = ?", (run_id,))
    db.execute("DELETE FROM extraction_runs WHERE id = ?", (run_id,))
    out = failed_verify(run_cli)
    assert (
        f"extraction runs: 3 checked, FAILED\n"
        f"  extraction run of document {doc} by {PIPELINE_VERSION}: logged (custody entry {seq}) "
        "but its row is missing\n" in out
    )


def test_a_deleted_event_is_named(run_cli: RunCli, db: Raw) -> None:
    event, doc = one(db, "SELECT id, document_id FROM events ORDER BY id LIMIT 1")
    db.execute("DELETE FROM events WHERE id = ?", (event,))
    out = failed_verify(run_cli)
    assert (
        f"  event {event} of extraction run of document {doc} by {PIPELINE_VERSION}: "
        "its row is missing" in out
    )


def test_a_deleted_review_is_named(run_cli: RunCli, db: Raw) -> None:
    incident = one(db, "SELECT incident_id FROM incident_reviews")[0]
    seq = seq_of(db, "review.status", incident)
    db.execute("DELETE FROM incident_reviews")
    out = failed_verify(run_cli)
    assert (
        f"first break: review of incident {incident}: differs from custody entry {seq} "
        "(its row is missing)" in out
    )


def test_an_edited_review_is_named(run_cli: RunCli, db: Raw) -> None:
    incident = one(db, "SELECT incident_id FROM incident_reviews")[0]
    db.execute("UPDATE incident_reviews SET status = 'rejected'")
    out = failed_verify(run_cli)
    assert f"review of incident {incident}: differs from custody entry" in out
    assert "(its row was changed)" in out


def test_a_deleted_link_is_named(run_cli: RunCli, db: Raw) -> None:
    db.execute("DELETE FROM incident_links")
    out = failed_verify(run_cli)
    assert "first break: incident links: 0 row(s), but link entries made 1" in out


def test_deleted_document_flags_are_named(run_cli: RunCli, db: Raw) -> None:
    doc = one(db, "SELECT document_id FROM document_flags")[0]
    seq = seq_of(db, "review.flag_document", doc)
    db.execute("DELETE FROM document_flags")
    out = failed_verify(run_cli)
    assert (
        f"first break: flags of document {doc}: custody entry {seq} set "
        "['personal_information'], missing" in out
    )


def test_edited_document_flags_are_named(run_cli: RunCli, db: Raw) -> None:
    doc = one(db, "SELECT document_id FROM document_flags")[0]
    db.execute("UPDATE document_flags SET flags = '[]'")
    out = failed_verify(run_cli)
    seq = seq_of(db, "review.flag_document", doc)
    assert (
        f"first break: flags of document {doc}: custody entry {seq} set "
        "['personal_information'], now []" in out
    )


def test_flags_planted_without_a_custody_entry_are_named(run_cli: RunCli, db: Raw) -> None:
    doc = one(db, "SELECT id FROM documents ORDER BY id DESC LIMIT 1")[0]
    db.execute(
        "INSERT INTO document_flags (document_id, flags, updated_at, updated_by) "
        "VALUES (?, '[\"restricted\"]', '2022-01-01T00:00:00Z', 'mallory')",
        (doc,),
    )
    out = failed_verify(run_cli)
    assert f"flags of document {doc}: no custody entry set them" in out


def test_the_newest_checkpoint_deleted_is_named(run_cli: RunCli, db: Raw) -> None:
    n = one(db, "SELECT max(seq) FROM custody")[0]
    db.execute("DELETE FROM checkpoints WHERE size = ?", (n,))
    covered = one(db, "SELECT max(size) FROM checkpoints")[0]
    out = failed_verify(run_cli)
    span = f"entry {n}" if covered == n - 1 else f"entries {covered + 1}..{n}"
    assert f"first break: custody {span} covered by no signed checkpoint" in out


def test_every_checkpoint_deleted_after_a_rehashed_edit_is_named(run_cli: RunCli, db: Raw) -> None:
    rows = db.execute("SELECT seq FROM custody").fetchall()
    rewrite_log(db, mallory_first)
    db.execute("DELETE FROM checkpoints")
    db.execute("DELETE FROM custody_frontier")
    out = failed_verify(run_cli)
    assert f"custody chain: {len(rows)} checked, ok\n" in out
    assert "checkpoints: 0 checked, FAILED\n" in out
    assert f"first break: custody entries 1..{len(rows)} covered by no signed checkpoint" in out


# --- edited fields outside the text hash --------------------------------------


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("published", "2021-01-01"),
        ("publisher", "Forged Wire"),
        ("url", "https://example.org/forged"),
        ("title", "Nothing happened"),
        ("language", "ru"),
        ("restricted", True),
    ],
)
def test_edited_document_metadata_is_named(
    run_cli: RunCli, db: Raw, column: str, value: object
) -> None:
    doc = first_document(db)
    db.execute(f"UPDATE documents SET {column} = ? WHERE id = ?", (value, doc))
    out = failed_verify(run_cli)
    seq = seq_of(db, "ingested", doc)
    assert (
        f"first break: document {doc}: metadata (title, url, publisher, published, language, "
        f"restricted) differs from custody entry {seq}" in out
    )


@pytest.mark.parametrize(
    ("column", "value"),
    [
        ("source_path", "/elsewhere/x.txt"),
        ("acquired_at", "2020-01-01T00:00:00Z"),
        ("acquired_by", "mallory"),
    ],
)
def test_edited_artifact_acquisition_is_named(
    run_cli: RunCli, db: Raw, column: str, value: str
) -> None:
    sha = one(db, "SELECT sha256 FROM artifacts ORDER BY sha256 LIMIT 1")[0]
    db.execute(f"UPDATE artifacts SET {column} = ? WHERE sha256 = ?", (value, sha))
    out = failed_verify(run_cli)
    seq = seq_of(db, "acquired", f"sha256:{sha}")
    assert (
        f"first break: artifact sha256:{sha}: recorded fields (source_path, acquired_at, "
        f"acquired_by, media type, status) differ from custody entry {seq}" in out
    )


def test_an_edited_harm_figure_is_named(run_cli: RunCli, db: Raw) -> None:
    event, doc, record = one(
        db, "SELECT id, document_id, record FROM events WHERE record LIKE '%\"harm\":[{%' LIMIT 1"
    )
    data = json.loads(record)
    data["harm"][0]["min"] = 1
    db.execute("UPDATE events SET record = ? WHERE id = ?", (json.dumps(data), event))
    out = failed_verify(run_cli)
    assert (
        f"first break: event {event} of extraction run of document {doc} by "
        f"{PIPELINE_VERSION}: record" in out
    )


def test_an_edited_event_status_is_named(run_cli: RunCli, db: Raw) -> None:
    event = one(db, "SELECT id FROM events ORDER BY id LIMIT 1")[0]
    db.execute("UPDATE events SET status = 'negated' WHERE id = ?", (event,))
    out = failed_verify(run_cli)
    assert f"first break: event {event} of extraction run" in out
    assert ": status differ(s) from the analysis logged in custody entry" in out


def test_an_analysis_rewritten_with_a_fresh_hash_is_named(run_cli: RunCli, db: Raw) -> None:
    run_id, doc, analysis = one(db, "SELECT id, document_id, analysis FROM extraction_runs LIMIT 1")
    forged = analysis.replace('"denied"', '"asserted"').replace('"alleged"', '"asserted"') + " "
    digest = hashlib.sha256(forged.encode()).hexdigest()
    db.execute(
        "UPDATE extraction_runs SET analysis = ?, analysis_sha256 = ? WHERE id = ?",
        (forged, digest, run_id),
    )
    out = failed_verify(run_cli)
    seq = seq_of(db, "extracted", doc)
    assert (
        f"first break: extraction run of document {doc} by {PIPELINE_VERSION}: "
        "analysis (events, harm, "
        f"status) differs from custody entry {seq}" in out
    )


def test_an_edited_incident_is_named(run_cli: RunCli, db: Raw) -> None:
    incident, record = one(db, "SELECT id, record FROM incidents ORDER BY id LIMIT 1")
    data = json.loads(record)
    data["grade"] = "corroborated"
    db.execute(
        "UPDATE incidents SET record = ?, grade = 'corroborated' WHERE id = ?",
        (json.dumps(data), incident),
    )
    out = failed_verify(run_cli)
    seq = seq_of(db, "corroborated", "incidents")
    assert (
        f"first break: incidents: the 3 incident(s) are not the corroboration result of "
        f"custody entry {seq} (edited, deleted or added)" in out
    )


def test_a_moved_incident_member_is_named(run_cli: RunCli, db: Raw) -> None:
    db.execute(
        "DELETE FROM incident_events WHERE (incident_id, event_id, pipeline) = (SELECT"
        " incident_id, event_id, pipeline FROM incident_events ORDER BY 1, 2, 3 LIMIT 1)"
    )
    out = failed_verify(run_cli)
    assert "first break: incidents: member events differ from the corroboration result" in out


# --- the artifact store and the keys ------------------------------------------


def test_a_planted_blob_is_named(run_cli: RunCli, db: Raw, home: Path) -> None:
    data = b"planted later, never ingested"
    sha = hashlib.sha256(data).hexdigest()
    blob = home / "artifacts" / sha[:2] / sha[2:]
    blob.parent.mkdir(exist_ok=True)
    blob.write_bytes(data)
    out = failed_verify(run_cli)
    assert (
        f"first break: blob {blob}: in the artifact store but in no custody 'acquired' entry" in out
    )


def test_a_blob_left_by_a_killed_ingest_is_only_a_note(
    run_cli: RunCli, db: Raw, home: Path
) -> None:
    # What an ingest killed between writing the bytes and logging them leaves.
    sha = Store.open(Settings(home=home), create=False).artifacts.put(b"the bytes came first")
    result = run_cli("verify")
    assert result.exit_code == 0, result.stdout
    assert (
        f"note: blob sha256:{sha} was written by an ingest interrupted before it logged it; "
        "ingest that file again\n" in result.stdout
    )


@pytest.mark.parametrize(("name", "what"), [("ed25519.key", "private"), ("ed25519.pub", "public")])
def test_a_missing_key_is_named_and_never_replaced(
    run_cli: RunCli, db: Raw, home: Path, name: str, what: str
) -> None:
    (home / "keys" / name).unlink()
    out = failed_verify(run_cli)
    assert f"first break: {home / 'keys' / name}: the {what} key is missing; restore it" in out
    assert not (home / "keys" / name).exists(), "verify must never make a new key"


def test_a_key_pair_that_does_not_match_is_named(
    run_cli: RunCli, db: Raw, home: Path, tmp_path: Path
) -> None:
    other = tmp_path / "other"
    Store.open(Settings(home=other, database_url=f"sqlite:///{other / 'dossier.db'}"))
    shutil.copy(other / "keys" / "ed25519.pub", home / "keys" / "ed25519.pub")
    out = failed_verify(run_cli)
    assert "the private key does not belong to" in out
    assert "not this installation's" in out  # every checkpoint is now someone else's


# --- the outside anchor -------------------------------------------------------


def _roll_back(conn: Raw, home: Path, size: int, *, cover_tracks: bool = True) -> None:
    """Remove every entry after ``size`` with what it logged: documents, artifacts, checkpoints."""
    for object_id, action in conn.execute(
        "SELECT object_id, action FROM custody WHERE seq > ?", (size,)
    ).fetchall():
        if action == "ingested":
            conn.execute("DELETE FROM documents WHERE id = ?", (object_id,))
        elif action == "acquired":
            sha = object_id.removeprefix("sha256:")
            conn.execute("DELETE FROM artifacts WHERE sha256 = ?", (sha,))
            blob = home / "artifacts" / sha[:2] / sha[2:]
            blob.unlink()
    conn.execute("DELETE FROM custody WHERE seq > ?", (size,))
    conn.execute("DELETE FROM checkpoints WHERE size > ?", (size,))
    if cover_tracks:
        conn.execute("DELETE FROM custody_frontier")  # the next writer rebuilds it


def test_a_rolled_back_ingest_passes_alone_but_fails_against_an_anchor(
    run_cli: RunCli, db: Raw, home: Path, tmp_path: Path
) -> None:
    before = one(db, "SELECT max(seq) FROM custody")[0]
    late = tmp_path / "late.txt"
    late.write_text(LATE, encoding="utf-8")
    assert run_cli("ingest", "--published", "2022-06-27", str(late)).exit_code == 0
    anchor = tmp_path / "anchor.json"
    written = run_cli("anchor", "-o", str(anchor))
    assert written.exit_code == 0
    record = json.loads(anchor.read_text())
    assert record["size"] == before + 2
    assert written.stdout == (
        f"anchor: size {before + 2}, root {record['root']}, key {record['key_id']} -> {anchor}\n"
    )
    assert run_cli("verify", "--anchor", str(anchor)).exit_code == 0

    _roll_back(db, home, before)
    alone = run_cli("verify")
    assert alone.exit_code == 0, "without an outside record a clean rollback is invisible"
    assert f"head: size {before}, root " in alone.stdout
    out = failed_verify(run_cli, "--anchor", str(anchor))
    assert (
        f"first break: anchor {anchor} (size {before + 2}): the log has only {before} entries; "
        "2 anchored entries were removed (rolled back)" in out
    )


def test_a_rollback_that_leaves_the_stored_frontier_is_named(
    run_cli: RunCli, db: Raw, home: Path, tmp_path: Path
) -> None:
    before = one(db, "SELECT max(seq) FROM custody")[0]
    late = tmp_path / "late.txt"
    late.write_text(LATE, encoding="utf-8")
    assert run_cli("ingest", "--published", "2022-06-27", str(late)).exit_code == 0
    _roll_back(db, home, before, cover_tracks=False)
    out = failed_verify(run_cli)
    assert (
        f"first break: custody frontier (size {before + 2}): does not match the log's first "
        f"{before + 2} entries" in out
    )


def test_a_forged_stored_frontier_is_named(run_cli: RunCli, db: Raw) -> None:
    size, nodes = one(db, "SELECT size, nodes FROM custody_frontier")
    forged = [[h, "00" * 32] for h, _ in json.loads(nodes)]
    db.execute("UPDATE custody_frontier SET nodes = ?", (json.dumps(forged),))
    out = failed_verify(run_cli)
    assert f"first break: custody frontier (size {size}): does not match the log's first" in out


def test_a_log_rewritten_and_re_signed_fails_against_an_anchor(
    run_cli: RunCli, db: Raw, home: Path, tmp_path: Path
) -> None:
    anchor = tmp_path / "anchor.json"
    assert run_cli("anchor", "-o", str(anchor)).exit_code == 0
    # Someone holding the private key rewrites the first entry and signs everything anew.
    rewrite_log(db, mallory_first, resign_with=home / "keys")
    db.execute("DELETE FROM custody_frontier")
    assert run_cli("verify").exit_code == 0, "a re-signed rewrite is consistent on its own"
    out = failed_verify(run_cli, "--anchor", str(anchor))
    assert "no longer have the anchored root (the log was rewritten)" in out


def test_a_forged_anchor_is_named(run_cli: RunCli, db: Raw, tmp_path: Path) -> None:
    anchor = tmp_path / "anchor.json"
    assert run_cli("anchor", "-o", str(anchor)).exit_code == 0
    record = json.loads(anchor.read_text())
    record["root"] = hash_value("forged")
    anchor.write_text(json.dumps(record))
    out = failed_verify(run_cli, "--anchor", str(anchor))
    assert f"first break: anchor {anchor} (size {record['size']}): signature does not verify" in out
    anchor.write_text("not json")
    out = failed_verify(run_cli, "--anchor", str(anchor))
    assert f"first break: {anchor}: not an anchor file: not JSON" in out


# --- the tampering verify caught before --------------------------------------


def test_a_flipped_byte_in_an_artifact_blob_names_the_artifact(
    run_cli: RunCli, db: Raw, home: Path
) -> None:
    sha = db.execute("SELECT sha256 FROM artifacts ORDER BY sha256 LIMIT 1").fetchone()[0]
    blob = home / "artifacts" / sha[:2] / sha[2:]
    blob.chmod(0o644)
    data = bytearray(blob.read_bytes())
    data[5] ^= 0x01
    blob.write_bytes(bytes(data))
    out = failed_verify(run_cli)
    assert "artifacts: 3 checked, FAILED\n" in out
    assert f"first break: artifact sha256:{sha} at {blob} does not match its hash" in out


@pytest.mark.parametrize("column", ["detail", "actor"])
def test_an_edited_custody_row_is_named(run_cli: RunCli, db: Raw, column: str) -> None:
    value = json.dumps({"forged": True}) if column == "detail" else "mallory"
    db.execute(f"UPDATE custody SET {column} = ? WHERE seq = 3", (value,))
    out = failed_verify(run_cli)
    assert "custody entry 3: content does not match its entry_hash (edited)" in out


def test_a_deleted_custody_row_is_named(run_cli: RunCli, db: Raw) -> None:
    n = one(db, "SELECT count(*) FROM custody")[0]
    db.execute("DELETE FROM custody WHERE seq = 2")
    out = failed_verify(run_cli)
    assert (
        f"custody chain: {n - 1} checked, FAILED\n"
        "  custody entry 3: sequence jumps from 1 to 3 (entry missing)\n" in out
    )


def test_deleting_the_last_custody_row_breaks_the_checkpoint(run_cli: RunCli, db: Raw) -> None:
    n = db.execute("SELECT max(seq) FROM custody").fetchone()[0]
    db.execute("DELETE FROM custody WHERE seq = ?", (n,))
    out = failed_verify(run_cli)
    assert f"checkpoint at size {n}: covers {n} entries but the log has only {n - 1}" in out


def test_two_swapped_custody_rows_are_named(run_cli: RunCli, db: Raw) -> None:
    cols = "time, actor, action, object_id, object_hash, detail, prev_hash, entry_hash"
    two = tuple(db.execute("SELECT * FROM custody WHERE seq = 2").fetchone())
    three = tuple(db.execute("SELECT * FROM custody WHERE seq = 3").fetchone())
    # entry_hash is unique: park row 2 on a placeholder while moving row 3's content.
    db.execute("UPDATE custody SET entry_hash = 'x' WHERE seq = 2")
    for seq, row in ((3, two), (2, three)):
        db.execute(
            f"UPDATE custody SET ({cols}) = (?, ?, ?, ?, ?, ?, ?, ?) WHERE seq = ?", (*row[1:], seq)
        )
    out = failed_verify(run_cli)
    assert "custody entry 2: prev_hash does not match the previous entry" in out


def test_a_replaced_checkpoint_signature_is_named(run_cli: RunCli, db: Raw) -> None:
    size, signature = db.execute(
        "SELECT size, signature FROM checkpoints ORDER BY size LIMIT 1"
    ).fetchone()
    forged = ("0" if signature[0] != "0" else "1") + signature[1:]
    db.execute("UPDATE checkpoints SET signature = ? WHERE size = ?", (forged, size))
    out = failed_verify(run_cli)
    assert f"first break: checkpoint at size {size}: signature does not verify" in out


def test_an_edited_document_text_is_named(run_cli: RunCli, db: Raw) -> None:
    doc_id = first_document(db)
    db.execute("UPDATE documents SET text = text || ' Nobody was hurt.' WHERE id = ?", (doc_id,))
    out = failed_verify(run_cli)
    assert f"first break: document {doc_id}: text does not match its text_sha256" in out


def test_document_text_edited_with_a_fresh_hash_is_caught_by_the_custody_log(
    run_cli: RunCli, db: Raw
) -> None:
    # Regression: verify compared the text only with its own row's hash, so an
    # edit that also rewrote text_sha256 passed.
    doc_id, text = db.execute("SELECT id, text FROM documents ORDER BY id LIMIT 1").fetchone()
    forged = text.replace("killed", "met").replace("abducted", "met").replace("exhumed", "saw")
    digest = hashlib.sha256(forged.encode()).hexdigest()
    db.execute(
        "UPDATE documents SET text = ?, text_sha256 = ? WHERE id = ?", (forged, digest, doc_id)
    )
    out = failed_verify(run_cli)
    assert (
        f"first break: document {doc_id}: text_sha256 does not match its custody 'ingested' entry"
        in out
    )


def test_an_artifact_row_unknown_to_the_custody_log_is_named(
    run_cli: RunCli, db: Raw, home: Path
) -> None:
    from dossier.evidence.artifacts import ArtifactStore

    sha = ArtifactStore(home / "artifacts").put(b"slipped in later")
    db.execute(
        "INSERT INTO artifacts (sha256, media_type, size, acquired_at, acquired_by, status) "
        "VALUES (?, 'text/plain', 16, '2022-01-01T00:00:00Z', 'mallory', 'document')",
        (sha,),
    )
    out = failed_verify(run_cli)
    assert f"artifact sha256:{sha}: no custody 'acquired' entry with this hash" in out


def test_a_store_written_before_metadata_hashing_verifies_with_a_not_covered_note(
    run_cli: RunCli, db: Raw, home: Path
) -> None:
    # Entries of older Dossier versions carry no record_sha256 / metadata_sha256.
    def old_style(seq: int, actor: str, detail: dict[str, Any]) -> tuple[str, dict[str, Any]]:
        for key in ("record_sha256", "metadata_sha256", "members_sha256"):
            detail.pop(key, None)
        return actor, detail

    rewrite_log(db, old_style, resign_with=home / "keys")
    db.execute("DELETE FROM custody_frontier")  # older stores had none
    result = run_cli("verify")
    assert result.exit_code == 0, result.stdout
    assert (
        "note: artifacts: 3 not covered (logged before Dossier hashed their recorded fields)\n"
        in result.stdout
    )
    assert "note: documents: 3 not covered" in result.stdout
    assert "note: incidents: 3 not covered" in result.stdout
