"""Evidence bundles: verified offline, each kind of tampering caught and named, redaction."""

from __future__ import annotations

import ast
import json
import re
import subprocess
import sys
import tracemalloc
import warnings
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from hypothesis import given, settings
from hypothesis import strategies as st

from dossier.evidence.canonical import canonical_json, sha256_hex
from dossier.evidence.keys import load_private_key
from dossier.evidence.merkle import inclusion_proof, merkle_root
from dossier.export.bundle import build_bundle
from dossier.export.proofs import inclusion_proofs, tree_levels
from dossier.export.redaction import MARK, redact_text, redact_value
from dossier.export.verify_bundle import BundleReport, Limits, verify_bundle
from dossier.export.verify_bundle import main as verifier_main
from dossier.store import custody_log

from .conftest import Case

Files = dict[str, bytes]
VERIFIER_FILE = Path(__file__).parents[2] / "src" / "dossier" / "export" / "verify_bundle.py"


def read_zip(path: Path) -> Files:
    with zipfile.ZipFile(path) as zf:
        return {n: zf.read(n) for n in zf.namelist()}


def write_zip(path: Path, files: Files) -> None:
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in files.items():
            zf.writestr(name, data)


def resign(files: Files, key: Ed25519PrivateKey) -> None:
    """Rewrite the manifest for the current files and sign it, as a producer would."""
    manifest = json.loads(files["manifest.json"])
    manifest["files"] = {
        n: sha256_hex(d) for n, d in files.items() if n not in ("manifest.json", "manifest.sig")
    }
    files["manifest.json"] = canonical_json(manifest)
    files["manifest.sig"] = key.sign(files["manifest.json"]).hex().encode()


def tampered(
    bundle: Path,
    tmp_path: Path,
    change: Callable[[Files], None],
    key: Ed25519PrivateKey | None = None,
) -> Path:
    files = read_zip(bundle)
    change(files)
    if key is not None:
        resign(files, key)
    out = tmp_path / f"tampered-{len(list(tmp_path.glob('tampered-*')))}.zip"
    write_zip(out, files)
    return out


def public_key(case: Case) -> Path:
    return case.store.settings.keys_dir / "ed25519.pub"


def verify(path: Path, case: Case) -> BundleReport:
    """Verify against the installation's real public key, as a recipient with it would."""
    return verify_bundle(path, public_key(case))


def problems(report: BundleReport, check: str) -> list[str]:
    return next(c.problems for c in report.checks if c.name == check)


@pytest.fixture
def bundle(case: Case, tmp_path: Path) -> Path:
    out = tmp_path / "bundle.zip"
    build_bundle(case.store, ["inc-irpin", "inc-kramatorsk"], out)
    return out


def original_name(case: Case, files: Files, doc: str) -> str:
    sha = sha256_hex(case.originals[doc])
    assert f"originals/{sha}" in files
    return f"originals/{sha}"


def test_fresh_bundle_verifies_against_the_key_given(bundle: Path, case: Case) -> None:
    with_key = verify(bundle, case)
    assert with_key.ok, with_key.problems
    assert any(str(public_key(case)) in n for n in with_key.notes)


def test_without_key_a_bundle_fails_unless_the_embedded_key_is_trusted_loudly(
    bundle: Path,
) -> None:
    report = verify_bundle(bundle)
    assert not report.ok
    [problem] = problems(report, "signature")
    assert problem.startswith("no --key given: a bundle signed by any key would pass")
    trusting = verify_bundle(bundle, trust_embedded_key=True)
    assert trusting.ok, trusting.problems
    assert any(
        n.startswith("WARNING: --trust-embedded-key") and "internally consistent" in n
        for n in trusting.notes
    )


def test_checkpoint_covers_every_entry_including_the_bundling_itself(
    bundle: Path, case: Case
) -> None:
    files = read_zip(bundle)
    entries = [json.loads(x) for x in files["custody/entries.jsonl"].decode().splitlines()]
    checkpoint = json.loads(files["custody/checkpoint.json"])
    assert checkpoint == {**checkpoint, **vars(custody_log.checkpoints(case.store)[-1])}
    assert max(e["seq"] for e in entries) == checkpoint["size"]
    bundled = [e for e in entries if e["action"] == "bundled"]
    assert {e["object_id"] for e in bundled} == {"inc-irpin", "inc-kramatorsk"}
    assert {"acquired", "ingested", "extracted", "corroborated"} <= {e["action"] for e in entries}


def test_changed_byte_in_an_original_is_named(bundle: Path, case: Case, tmp_path: Path) -> None:
    name = original_name(case, read_zip(bundle), "a")

    def flip(files: Files) -> None:
        data = bytearray(files[name])
        data[10] ^= 0x01
        files[name] = bytes(data)

    report = verify(tampered(bundle, tmp_path, flip), case)
    assert not report.ok
    assert problems(report, "files") == [f"{name}: SHA-256 does not match the manifest (changed)"]
    assert f"{name}: content does not match the hash it is named by (changed)" in problems(
        report, "records"
    )
    # even re-signed by the real key, the original no longer matches what custody logged
    resigned = verify(
        tampered(bundle, tmp_path, flip, load_private_key(case.store.settings.keys_dir)), case
    )
    assert problems(resigned, "files") == [] and not resigned.ok
    assert any(name in p for p in problems(resigned, "records"))


def test_removed_file_is_named(bundle: Path, case: Case, tmp_path: Path) -> None:
    name = original_name(case, read_zip(bundle), "b")
    report = verify(tampered(bundle, tmp_path, lambda f: f.pop(name)), case)
    assert not report.ok
    assert problems(report, "files") == [
        f"{name}: listed in the manifest but missing from the bundle"
    ]


def test_added_file_is_named(bundle: Path, case: Case, tmp_path: Path) -> None:
    report = verify(
        tampered(bundle, tmp_path, lambda f: f.update({"records/extra.json": b"[]"})), case
    )
    assert problems(report, "files") == [
        "records/extra.json: in the bundle but not listed in the manifest (added)"
    ]


def edit_event(files: Files) -> None:
    events = json.loads(files["records/events.json"])
    events[0]["event"]["harm"][0]["min"] = 1000
    files["records/events.json"] = json.dumps(events).encode()


def test_edited_record_is_named(bundle: Path, case: Case, tmp_path: Path) -> None:
    report = verify(tampered(bundle, tmp_path, edit_event), case)
    assert problems(report, "files") == [
        "records/events.json: SHA-256 does not match the manifest (changed)"
    ]
    # re-signed, the record still disagrees with the extraction logged in custody
    resigned = verify(
        tampered(bundle, tmp_path, edit_event, load_private_key(case.store.settings.keys_dir)),
        case,
    )
    assert not resigned.ok and problems(resigned, "files") == []
    assert any(
        p.startswith("records/events.json: event ") and "(edited)" in p
        for p in problems(resigned, "records")
    )


def test_edited_custody_entry_is_named(bundle: Path, case: Case, tmp_path: Path) -> None:
    def edit(files: Files) -> None:
        lines = files["custody/entries.jsonl"].decode().splitlines()
        entry = json.loads(lines[0])
        entry["actor"] = "someone else"
        lines[0] = json.dumps(entry)
        files["custody/entries.jsonl"] = ("\n".join(lines) + "\n").encode()

    report = verify(
        tampered(bundle, tmp_path, edit, load_private_key(case.store.settings.keys_dir)), case
    )
    assert problems(report, "custody") == [
        "custody entry 1: content does not match its entry_hash (edited)"
    ]


def test_forged_signature_is_caught(bundle: Path, case: Case, tmp_path: Path) -> None:
    forger = Ed25519PrivateKey.generate()

    def forge(files: Files) -> None:
        files["manifest.sig"] = forger.sign(files["manifest.json"]).hex().encode()

    report = verify(tampered(bundle, tmp_path, forge), case)
    assert not report.ok
    [problem] = problems(report, "signature")
    assert problem.startswith("manifest.sig: the signature over manifest.json does not verify")


def test_key_option_rejects_a_bundle_whose_key_was_swapped(
    bundle: Path, case: Case, tmp_path: Path
) -> None:
    forger = Ed25519PrivateKey.generate()
    pem = forger.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )

    def swap(files: Files) -> None:
        files["public_key.pem"] = pem
        edit_event(files)

    forged = tampered(bundle, tmp_path, swap, forger)
    trusting = verify_bundle(forged, trust_embedded_key=True)
    # the forger's own key signs the manifest, but cannot sign the custody checkpoint
    assert problems(trusting, "signature") == []
    assert any("checkpoint.json: signature" in p for p in problems(trusting, "checkpoint"))
    strict = verify(forged, case)
    assert any(p.startswith("manifest.sig:") for p in problems(strict, "signature"))


def test_proof_for_the_wrong_checkpoint_is_named(bundle: Path, case: Case, tmp_path: Path) -> None:
    older = custody_log.checkpoints(case.store)[0]
    assert older.size < json.loads(read_zip(bundle)["custody/checkpoint.json"])["size"]

    def swap_checkpoint(files: Files) -> None:
        files["custody/checkpoint.json"] = json.dumps(vars(older)).encode()

    key = load_private_key(case.store.settings.keys_dir)
    report = verify(tampered(bundle, tmp_path, swap_checkpoint, key), case)
    assert problems(report, "checkpoint") == []  # a genuine, signed checkpoint...
    custody = problems(report, "custody")
    assert custody and all(
        "wrong checkpoint" in p for p in custody
    )  # ...that the proofs do not lead to

    def bend_proof(files: Files) -> None:
        proofs = json.loads(files["custody/proofs.json"])
        proofs["proofs"][0]["path"][0] = "00" * 32
        files["custody/proofs.json"] = json.dumps(proofs).encode()

    report = verify(tampered(bundle, tmp_path, bend_proof, key), case)
    [problem] = problems(report, "custody")
    assert problem.startswith(
        "custody entry 1: inclusion proof does not lead to the checkpoint root"
    )


def test_restricted_original_is_withheld_and_names_redacted(bundle: Path, case: Case) -> None:
    files = read_zip(bundle)
    doc_id, text = case.docs["w"]
    sha = sha256_hex(case.originals["w"])
    assert f"originals/{sha}" not in files
    assert sha in files[f"originals/{sha}.withheld.txt"].decode()
    everything = b"".join(files.values()).decode("utf-8", "replace")
    for name in (
        "Olena Kovalenko",
        "Ivan Petrenko",
        str(Path(case.store.settings.home).parent / "w.txt"),
    ):
        assert name in text or name.endswith("w.txt")
        assert name not in everything
    redacted = files[f"texts/{doc_id.split(':')[1]}.txt"].decode()
    # the names the model found, and what it missed that a name could be (capitalised
    # words, numbers): more marks than names, the story words kept
    assert redacted.count(MARK) >= 3 and "soldiers shoot three men" in redacted
    manifest = json.loads(files["manifest.json"])
    assert manifest["redacted_documents"] == [doc_id] and manifest["include_restricted"] is False
    assert "[REDACTED]" in files["README.txt"].decode()


def test_include_restricted_ships_the_original_and_logs_the_disclosure(
    case: Case, tmp_path: Path
) -> None:
    out = tmp_path / "full.zip"
    build_bundle(case.store, ["inc-irpin"], out, include_restricted=True)
    assert verify(out, case).ok
    files = read_zip(out)
    assert files[f"originals/{sha256_hex(case.originals['w'])}"] == case.originals["w"]
    entries = [json.loads(x) for x in files["custody/entries.jsonl"].decode().splitlines()]
    disclosed = [e for e in entries if e["action"] == "disclosed_restricted"]
    assert [e["object_id"] for e in disclosed] == [case.docs["w"][0]]
    assert disclosed[0]["actor"] == "tester"


def test_unknown_incident_is_refused_before_anything_is_logged(case: Case, tmp_path: Path) -> None:
    from dossier.errors import NotFound

    before = len(list(custody_log.entries(case.store)))
    with pytest.raises(NotFound, match="no-such"):
        build_bundle(case.store, ["no-such"], tmp_path / "x.zip")
    assert len(list(custody_log.entries(case.store))) == before
    assert not (tmp_path / "x.zip").exists()


def test_release_verifier_runs_standalone_with_only_stdlib_and_cryptography(
    bundle: Path, case: Case, tmp_path: Path
) -> None:
    source = VERIFIER_FILE.read_bytes()
    assert read_zip(bundle)["verify_bundle.py.txt"] == source  # the copy to read is the same
    imported = set()
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Import):
            imported |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom):
            assert node.level == 0, "relative import in the standalone verifier"
            imported.add((node.module or "").split(".")[0])
    assert imported - set(sys.stdlib_module_names) == {"cryptography"}
    script = tmp_path / "alone" / "verify_bundle.py"
    script.parent.mkdir()
    script.write_bytes(source)
    key = str(public_key(case))
    # -I: isolated mode, so neither PYTHONPATH nor the working directory offers dossier
    ok = subprocess.run(
        [sys.executable, "-I", str(script), str(bundle), "--key", key],
        capture_output=True,
        text=True,
        cwd=script.parent,
    )
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert ok.stdout.strip().endswith("verify-bundle: all checks passed")
    assert "WARNING" not in ok.stdout  # its own copy matches it
    bad = tampered(bundle, tmp_path, lambda f: f.pop("records/incidents.json"))
    failed = subprocess.run(
        [sys.executable, "-I", str(script), str(bad), "--key", key], capture_output=True, text=True
    )
    assert (
        failed.returncode == 1
        and "records/incidents.json: listed in the manifest but missing" in failed.stdout
    )
    assert failed.stderr == ""


def test_cli_bundle_and_verify_bundle(cli: Any, cli_case: Case, tmp_path: Path, home: Path) -> None:
    out = tmp_path / "cli.zip"
    made = cli("bundle", "inc-kramatorsk", "-o", str(out))
    assert made.exit_code == 0, made.stderr
    assert made.stdout.startswith(
        f"bundle {out}: 1 incident(s), 1 document(s), 1 original(s), 0 withheld"
    )
    checked = cli("verify-bundle", str(out), "--key", str(home / "keys" / "ed25519.pub"))
    assert checked.exit_code == 0
    assert checked.stdout.strip().endswith("verify-bundle: all checks passed")
    broken = tampered(out, tmp_path, edit_event)
    failed = cli("verify-bundle", str(broken))
    assert failed.exit_code == 1
    assert (
        "  records/events.json: SHA-256 does not match the manifest (changed)"
        in failed.stdout.splitlines()
    )
    missing = cli("bundle", "nope", "-o", str(tmp_path / "n.zip"))
    assert missing.exit_code == 2 and "no incident 'nope'" in missing.stderr


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=70), st.data())
def test_batched_proofs_equal_rfc6962_proofs(n: int, data: st.DataObject) -> None:
    leaves = [i.to_bytes(4, "big") for i in range(n)]
    index = data.draw(st.integers(min_value=0, max_value=n - 1))
    assert inclusion_proofs(leaves, [index])[index] == inclusion_proof(leaves, index)
    assert tree_levels(leaves)[-1][0] == merkle_root(leaves)


@given(
    st.lists(st.sampled_from(["Anna Bell", "Tom", "x", " ", "met", "."]), min_size=1, max_size=12)
)
def test_redaction_moves_spans_onto_the_same_words(words: list[str]) -> None:
    text = " ".join(words) + " saw it."
    analysis = {
        "entities": [],
        "events": [
            {"trigger": {"text": "saw", "start": text.rindex("saw"), "end": text.rindex("saw") + 3}}
        ],
    }
    if "Anna Bell" in text:
        i = text.index("Anna Bell")
        analysis["entities"].append(
            {
                "text": "Anna Bell",
                "label": "PERSON",
                "start": i,
                "end": i + 9,
                "canonical": "Anna Bell",
            }
        )
    red = redact_text(text, analysis)
    moved = redact_value(analysis, red)
    trig = moved["events"][0]["trigger"]
    assert red.text[trig["start"] : trig["end"]] == "saw"
    assert "Anna Bell" not in red.text
    for e in moved["entities"]:
        assert red.text[e["start"] : e["end"]] == MARK


def test_malformed_content_is_reported_not_crashed_on(
    bundle: Path, case: Case, tmp_path: Path
) -> None:
    def garble(files: Files) -> None:
        files["custody/entries.jsonl"] = b"{not json\n"

    report = verify(tampered(bundle, tmp_path, garble), case)
    assert not report.ok
    assert any(c.name == "structure" and c.problems for c in report.checks)
    assert "custody/entries.jsonl: SHA-256 does not match the manifest (changed)" in problems(
        report, "files"
    )


def test_not_a_zip_is_named(tmp_path: Path) -> None:
    path = tmp_path / "nope.zip"
    path.write_bytes(b"not a zip")
    report = verify_bundle(path)
    assert not report.ok and report.problems[0].startswith(f"{path}: not a readable zip file")


def _flag(case: Case, table: str, key: str, value: str) -> None:
    from sqlalchemy import insert

    from dossier.store import tables
    from dossier.store.accounts_tables import document_flags

    now = "2026-01-01T00:00:00Z"
    with case.store.transaction() as conn:
        if table == "document_flags":
            conn.execute(
                insert(document_flags).values(
                    document_id=key, flags='["restricted"]', updated_at=now, updated_by="rev"
                )
            )
        else:
            conn.execute(
                insert(tables.incident_reviews).values(
                    incident_id=key,
                    status=value,
                    flags='["restricted"]',
                    edits="{}",
                    updated_at=now,
                    updated_by="rev",
                )
            )


def test_document_flagged_restricted_by_a_reviewer_is_withheld(case: Case, tmp_path: Path) -> None:
    _flag(case, "document_flags", case.docs["b"][0], "")
    out = tmp_path / "flagged.zip"
    summary = build_bundle(case.store, ["inc-kramatorsk"], out)
    assert summary.withheld == 1 and summary.originals == 0
    files = read_zip(out)
    assert "Pavlo Kyrylenko" not in files["records/documents.json"].decode() + "".join(
        d.decode("utf-8", "replace")
        for n, d in files.items()
        if n.startswith(("texts/", "analyses/"))
    )
    assert verify(out, case).ok


def test_incident_flagged_restricted_redacts_all_its_documents(case: Case, tmp_path: Path) -> None:
    _flag(case, "incident_reviews", "inc-kramatorsk", "in_review")
    out = tmp_path / "flagged.zip"
    build_bundle(case.store, ["inc-kramatorsk", "inc-irpin"], out)
    manifest = json.loads(read_zip(out)["manifest.json"])
    assert set(manifest["redacted_documents"]) == {case.docs["b"][0], case.docs["w"][0]}
    assert verify(out, case).ok


@pytest.fixture(scope="module")
def shared_bundle(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    from dossier.config import Settings
    from dossier.store.database import Store

    from .conftest import build_case

    root = tmp_path_factory.mktemp("shared")
    case = build_case(Store.open(Settings(home=root / "home", actor="tester")), root)
    out = root / "bundle.zip"
    build_bundle(case.store, ["inc-irpin", "inc-kramatorsk"], out)
    return out, public_key(case)


@settings(max_examples=80, deadline=None)
@given(st.data())
def test_any_single_changed_byte_in_any_file_is_detected(
    shared_bundle: tuple[Path, Path],
    tmp_path_factory: pytest.TempPathFactory,
    data: st.DataObject,
) -> None:
    path, key = shared_bundle
    files = read_zip(path)
    name = data.draw(st.sampled_from(sorted(files)))
    position = data.draw(st.integers(min_value=0, max_value=len(files[name]) - 1))
    mask = data.draw(st.integers(min_value=1, max_value=255))
    changed = bytearray(files[name])
    changed[position] ^= mask
    files[name] = bytes(changed)
    out = tmp_path_factory.mktemp("flip") / "b.zip"
    write_zip(out, files)
    report = verify_bundle(out, key)
    assert not report.ok, f"{name}[{position}] ^ {mask} went unnoticed"


def test_cli_bundle_selects_incidents_by_filter(cli: Any, cli_case: Case, tmp_path: Path) -> None:
    out = tmp_path / "filtered.zip"
    made = cli("bundle", "--admin1", "Donetsk Oblast", "-o", str(out))
    assert made.exit_code == 0, made.stderr
    assert json.loads(read_zip(out)["manifest.json"])["incidents"] == ["inc-kramatorsk"]
    nothing = cli("bundle", "-o", str(tmp_path / "none.zip"))
    assert nothing.exit_code == 2 and "name the incidents to bundle" in nothing.stderr
    no_match = cli("bundle", "--country", "PL", "-o", str(tmp_path / "none.zip"))
    assert no_match.exit_code == 2 and not (tmp_path / "none.zip").exists()


def test_damaged_public_key_is_named_not_crashed_on(bundle: Path, tmp_path: Path) -> None:
    # the embedded key is what is damaged, so it is the one trusted here
    # found by the single-byte property test: a flipped byte made an unknown key type
    def damage(files: Files) -> None:
        pem = bytearray(files["public_key.pem"])
        pem[35] ^= 1
        files["public_key.pem"] = bytes(pem)

    report = verify_bundle(tampered(bundle, tmp_path, damage), trust_embedded_key=True)
    assert any(p.startswith("cannot load the public key") for p in problems(report, "signature"))


def test_signature_spelled_in_uppercase_counts_as_changed(
    bundle: Path, case: Case, tmp_path: Path
) -> None:
    # found by the single-byte property test: fromhex() reads "A" like "a"
    def upper(files: Files) -> None:
        files["manifest.sig"] = files["manifest.sig"].upper()

    report = verify(tampered(bundle, tmp_path, upper), case)
    assert problems(report, "signature") == ["manifest.sig: not 128 lowercase hex digits (changed)"]


# ---------------------------------------------------------------------------
# The attack suite: every forgery fails with a named reason and exit 1, no traceback.


def write_entries(path: Path, entries: list[tuple[str, bytes]], **kw: Any) -> None:
    """A zip with exactly these entries, in this order (duplicates allowed)."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # zipfile warns on a duplicate name; that is the attack
        with zipfile.ZipFile(path, "w", **kw) as zf:
            for name, data in entries:
                zf.writestr(name, data)


def duplicate_first(bundle: Path, tmp_path: Path, case: Case) -> Path:
    files = read_zip(bundle)
    forged = json.loads(files["records/incidents.json"])
    forged[0]["perpetrator"] = {"side": "UA", "text": "Ukrainian troops"}
    out = tmp_path / "dup.zip"
    write_entries(
        out,
        [("records/incidents.json", json.dumps(forged).encode()), *files.items()],
    )
    return out


def prepended(bundle: Path, tmp_path: Path, case: Case) -> Path:
    out = tmp_path / "pre.zip"
    out.write_bytes(b"#!/bin/sh\necho forged\n" + bundle.read_bytes())
    return out


def appended(bundle: Path, tmp_path: Path, case: Case) -> Path:
    out = tmp_path / "post.zip"
    out.write_bytes(bundle.read_bytes() + b"PK\x03\x04 a forged entry after the end")
    return out


def commented(bundle: Path, tmp_path: Path, case: Case) -> Path:
    out = tmp_path / "comment.zip"
    out.write_bytes(bundle.read_bytes())
    with zipfile.ZipFile(out, "a") as zf:
        zf.comment = b"hidden"
    return out


def directory_with_data(bundle: Path, tmp_path: Path, case: Case) -> Path:
    out = tmp_path / "dir.zip"
    write_entries(out, [*read_zip(bundle).items(), ("records/", b"a forged record")])
    return out


def renamed_local_header(bundle: Path, tmp_path: Path, case: Case) -> Path:
    data = bundle.read_bytes()
    name = b"records/incidents.json"
    # the first occurrence is the local header (the central directory comes last)
    i = data.index(name)
    out = tmp_path / "names.zip"
    out.write_bytes(data[:i] + b"records/incidentsXjson" + data[i + len(name) :])
    return out


def bad_crc(bundle: Path, tmp_path: Path, case: Case) -> Path:
    stored = tmp_path / "stored.zip"
    write_entries(stored, list(read_zip(bundle).items()), compression=zipfile.ZIP_STORED)
    data = bytearray(stored.read_bytes())
    i = data.index(b'"perpetrator"')
    data[i + 1] ^= 0x20  # "Perpetrator": a changed byte the manifest would also catch
    out = tmp_path / "crc.zip"
    out.write_bytes(bytes(data))
    return out


def resigned(files: Files, case: Case, tmp_path: Path, name: str) -> Path:
    out = tmp_path / name
    write_zip(out, files)
    return out


def list_manifest(bundle: Path, tmp_path: Path, case: Case) -> Path:
    files = read_zip(bundle)
    files["manifest.json"] = b"[]"
    files["manifest.sig"] = (
        load_private_key(case.store.settings.keys_dir).sign(b"[]").hex().encode()
    )
    return resigned(files, case, tmp_path, "list.zip")


def wrong_types_manifest(bundle: Path, tmp_path: Path, case: Case) -> Path:
    files = read_zip(bundle)
    manifest = json.loads(files["manifest.json"])
    manifest["files"] = list(manifest["files"])
    manifest["checkpoint"]["size"] = "12"
    files["manifest.json"] = canonical_json(manifest)
    files["manifest.sig"] = (
        load_private_key(case.store.settings.keys_dir).sign(files["manifest.json"]).hex().encode()
    )
    return resigned(files, case, tmp_path, "types.zip")


def swapped_verifier(bundle: Path, tmp_path: Path, case: Case) -> Path:
    files = read_zip(bundle)
    files["verify_bundle.py.txt"] = b'print("verify-bundle: all checks passed")\n'
    return resigned(files, case, tmp_path, "swapped.zip")


def edited_perpetrator_resigned(bundle: Path, tmp_path: Path, case: Case) -> Path:
    files = read_zip(bundle)
    incidents = json.loads(files["records/incidents.json"])
    incidents[0]["perpetrator"] = {"side": "UA", "text": "Ukrainian troops"}
    files["records/incidents.json"] = json.dumps(incidents).encode()
    resign(files, load_private_key(case.store.settings.keys_dir))
    return resigned(files, case, tmp_path, "perp.zip")


def unsafe_names(bundle: Path, tmp_path: Path, case: Case) -> Path:
    out = tmp_path / "slip.zip"
    link = zipfile.ZipInfo("originals/link")
    link.external_attr = (0o120777 << 16) | 0x20
    with zipfile.ZipFile(out, "w") as zf:
        for name, data in read_zip(bundle).items():
            zf.writestr(name, data)
        zf.writestr("../outside.txt", b"x")
        zf.writestr("/etc/cron.d/x", b"x")
        zf.writestr("records/notes.jsonX.exe", b"x")  # the X becomes a NUL below
        zf.writestr(link, b"/etc/passwd")
    # zipfile writes a name only up to a NUL; stored names can hold one
    out.write_bytes(out.read_bytes().replace(b"notes.jsonX.exe", b"notes.json\x00.exe"))
    return out


ATTACKS: dict[str, tuple[Callable[[Path, Path, Case], Path], str, str]] = {
    "duplicate name, forged copy first": (
        duplicate_first,
        "zip",
        "records/incidents.json: 2 entries of this name",
    ),
    "data prepended": (prepended, "zip", "data was prepended or inserted"),
    "data appended": (appended, "zip", "data was appended after the zip"),
    "zip comment": (commented, "zip", "or a zip comment added"),
    "directory entry with data": (
        directory_with_data,
        "zip",
        "records/: a directory entry carrying 15 bytes of data",
    ),
    "local and central names differ": (
        renamed_local_header,
        "zip",
        "records/incidents.json: the local header names it 'records/incidentsXjson'",
    ),
    "CRC error": (bad_crc, "zip", ": CRC-32 mismatch: damaged or altered"),
    "list-valued manifest": (
        list_manifest,
        "signature",
        "manifest.json: a JSON list, expected an object",
    ),
    "manifest of wrong types": (
        wrong_types_manifest,
        "signature",
        "manifest.json: 'files' must map file names to SHA-256 hex digests",
    ),
    "swapped verifier copy": (
        swapped_verifier,
        "files",
        "verify_bundle.py.txt: SHA-256 does not match the manifest (changed)",
    ),
    "edited perpetrator re-signed with the real key": (
        edited_perpetrator_resigned,
        "seal",
        "records/incidents.json: record 0 (inc-irpin) differs from the one sealed",
    ),
    "zip-slip, absolute and symlink entries": (
        unsafe_names,
        "zip",
        "'../outside.txt': unsafe entry name",
    ),
}


@pytest.mark.parametrize("attack", sorted(ATTACKS))
def test_attack_fails_with_a_named_reason_and_exit_1(
    attack: str, bundle: Path, case: Case, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    forge, check, reason = ATTACKS[attack]
    forged = forge(bundle, tmp_path, case)
    report = verify(forged, case)
    assert not report.ok
    assert any(p.startswith(reason) or reason in p for p in problems(report, check)), (
        report.problems
    )
    capsys.readouterr()
    assert verifier_main([str(forged), "--key", str(public_key(case))]) == 1
    printed = capsys.readouterr()
    assert reason in printed.out and printed.out.rstrip().endswith("verify-bundle: FAILED")
    assert "Traceback" not in printed.out + printed.err


def test_unsafe_entries_are_each_named(bundle: Path, case: Case, tmp_path: Path) -> None:
    zip_problems = problems(verify(unsafe_names(bundle, tmp_path, case), case), "zip")
    assert "'../outside.txt': unsafe entry name (a '.', '..' or empty path component)" in (
        zip_problems
    )
    assert "'/etc/cron.d/x': unsafe entry name (an absolute path)" in zip_problems
    assert "originals/link: a symbolic link entry (refused)" in zip_problems
    assert "'records/notes.json\\x00.exe': unsafe entry name (a NUL or backslash in the name)" in (
        zip_problems
    )


def test_a_verifier_copy_that_differs_is_warned_about_even_when_signed(
    bundle: Path, case: Case, tmp_path: Path
) -> None:
    files = read_zip(bundle)
    files["verify_bundle.py.txt"] = b'print("verify-bundle: all checks passed")\n'
    resign(files, load_private_key(case.store.settings.keys_dir))
    report = verify(resigned(files, case, tmp_path, "signed-swap.zip"), case)
    [warning] = [n for n in report.notes if "verify_bundle.py.txt" in n]
    assert warning.startswith("WARNING: the bundle's verify_bundle.py.txt") and "do not run it" in (
        warning
    )
    assert not any("differs from this verifier" in n for n in verify(bundle, case).notes)


def test_readme_tells_the_recipient_to_run_their_own_verifier(bundle: Path) -> None:
    readme = read_zip(bundle)["README.txt"].decode()
    assert "never one that came inside a bundle" in readme
    assert "dossier verify-bundle THIS.zip --key KEY.pem" in readme
    assert "python verify_bundle.py.txt" not in readme
    assert sha256_hex(VERIFIER_FILE.read_bytes()) in readme


def test_documented_verifier_sha256_is_the_files(bundle: Path) -> None:
    doc = (Path(__file__).parents[2] / "docs" / "exports.md").read_text(encoding="utf-8")
    [documented] = re.findall(r"verify_bundle\.py SHA-256: `([0-9a-f]{64})`", doc)
    assert documented == sha256_hex(VERIFIER_FILE.read_bytes()), (
        "docs/exports.md prints a stale SHA-256 of verify_bundle.py; update it"
    )


def zip_bomb(bundle: Path, out: Path, inflated: int, *, name: str = "records/quotes.json") -> None:
    """The bundle with one entry replaced by ``inflated`` zero bytes, streamed in (a few KB)."""
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for entry, data in read_zip(bundle).items():
            if entry != name:
                zf.writestr(entry, data)
        with zf.open(name, "w", force_zip64=True) as stream:
            chunk = bytes(1 << 20)
            for _ in range(inflated >> 20):
                stream.write(chunk)


def peak_memory(run: Callable[[], BundleReport]) -> tuple[BundleReport, int]:
    tracemalloc.start()
    try:
        report = run()
        return report, tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()


def test_zip_bomb_is_refused_in_bounded_memory(bundle: Path, case: Case, tmp_path: Path) -> None:
    bomb = tmp_path / "bomb.zip"
    zip_bomb(bundle, bomb, 512 << 20)
    assert bomb.stat().st_size < 2 << 20  # under 2 MB on disk, 512 MiB inflated
    report, peak = peak_memory(lambda: verify(bomb, case))
    [problem] = problems(report, "zip")
    assert problem.startswith("records/quotes.json: compression ratio ") and "zip bomb" in problem
    assert peak < 16 << 20, f"peak {peak} bytes"


def test_entries_are_streamed_so_memory_stays_bounded_even_when_inflated(
    bundle: Path, case: Case, tmp_path: Path
) -> None:
    # caps lifted: the 256 MiB entry is read through, in chunks, and only hashed
    bomb = tmp_path / "big.zip"
    zip_bomb(bundle, bomb, 256 << 20, name="originals/" + "0" * 64)
    lifted = Limits(max_ratio=10_000)
    report, peak = peak_memory(lambda: verify_bundle(bomb, public_key(case), limits=lifted))
    assert problems(report, "zip") == []
    assert any(
        p.startswith(f"originals/{'0' * 64}: in the bundle but not listed")
        for p in (problems(report, "files"))
    )
    assert peak < 16 << 20, f"peak {peak} bytes while streaming 256 MiB"


def test_size_caps_per_entry_and_in_all_are_named(bundle: Path, case: Case) -> None:
    per_entry = verify_bundle(bundle, public_key(case), limits=Limits(max_entry=1000))
    assert any("over the cap of 1000 per entry" in p for p in problems(per_entry, "zip"))
    in_all = verify_bundle(bundle, public_key(case), limits=Limits(max_total=5000))
    assert any("over the cap of 5000 in all" in p for p in problems(in_all, "zip"))


def test_forger_with_the_key_but_not_the_log_cannot_reseal(
    bundle: Path, case: Case, tmp_path: Path
) -> None:
    """Rewriting the seal to match an edited record breaks the custody proof instead."""
    files = read_zip(bundle)
    incidents = json.loads(files["records/incidents.json"])
    incidents[0]["perpetrator"] = {"side": "UA", "text": "Ukrainian troops"}
    files["records/incidents.json"] = json.dumps(incidents).encode()
    manifest = json.loads(files["manifest.json"])
    lines = files["custody/entries.jsonl"].decode().splitlines()
    n = next(i for i, line in enumerate(lines) if '"bundle_sealed"' in line)
    seal = json.loads(lines[n])
    seal["detail"]["files"]["records/incidents.json"] = sha256_hex(files["records/incidents.json"])
    seal["detail"]["records"]["records/incidents.json"] = [
        sha256_hex(canonical_json(x)) for x in incidents
    ]
    seal["object_hash"] = sha256_hex(canonical_json(seal["detail"]))
    body = {k: v for k, v in seal.items() if k != "entry_hash"}
    seal["entry_hash"] = sha256_hex(canonical_json(body))
    lines[n] = canonical_json(seal).decode()
    files["custody/entries.jsonl"] = ("\n".join(lines) + "\n").encode()
    manifest["seal"]["object_hash"] = seal["object_hash"]
    files["manifest.json"] = canonical_json(manifest)
    resign(files, load_private_key(case.store.settings.keys_dir))
    report = verify(resigned(files, case, tmp_path, "resealed.zip"), case)
    assert problems(report, "seal") == [
        f"custody entry {seal['seq']}: the seal is not proven in the signed log"
    ]
    assert any(
        p.startswith(f"custody entry {seal['seq']}: inclusion proof does not lead")
        for p in problems(report, "custody")
    )


def test_edited_redacted_text_resigned_is_named(bundle: Path, case: Case, tmp_path: Path) -> None:
    files = read_zip(bundle)
    name = f"texts/{case.docs['w'][0].split(':')[1]}.txt"
    files[name] = files[name].replace(b"three men", b"thirty men")
    resign(files, load_private_key(case.store.settings.keys_dir))
    report = verify(resigned(files, case, tmp_path, "text.zip"), case)
    seq = json.loads(files["manifest.json"])["seal"]["seq"]
    assert problems(report, "seal") == [
        f"{name}: not the file sealed in custody entry {seq} (changed)"
    ]


def test_removing_the_seal_is_named(bundle: Path, case: Case, tmp_path: Path) -> None:
    files = read_zip(bundle)
    manifest = json.loads(files["manifest.json"])
    del manifest["seal"]
    files["manifest.json"] = canonical_json(manifest)
    resign(files, load_private_key(case.store.settings.keys_dir))
    report = verify(resigned(files, case, tmp_path, "unsealed.zip"), case)
    [problem] = problems(report, "seal")
    assert problem.startswith("manifest.json names no seal")


def test_seal_commits_to_every_content_file_and_record(bundle: Path, case: Case) -> None:
    files = read_zip(bundle)
    manifest = json.loads(files["manifest.json"])
    [seal] = [
        e
        for e in custody_log.entries(case.store)
        if e.action == "bundle_sealed" and e.seq == manifest["seal"]["seq"]
    ]
    content = {n for n in files if n.startswith(("originals/", "texts/", "analyses/", "records/"))}
    assert set(seal.detail["files"]) == content
    assert seal.detail["records"]["records/incidents.json"] == [
        sha256_hex(canonical_json(x)) for x in json.loads(files["records/incidents.json"])
    ]
    assert seal.object_hash == sha256_hex(canonical_json(seal.detail))
    assert json.loads(files["custody/checkpoint.json"])["size"] >= seal.seq


def _name_the_witness_in_the_incident(case: Case) -> None:
    """Give inc-irpin what corroboration writes when the witness asserts the killing."""
    from dossier.corroborate.grade import grade
    from dossier.records import Actor
    from dossier.store.incidents import replace_incidents

    from .conftest import PIPELINE, incident_records

    records = incident_records(case.docs)
    irpin = records[0]
    witness = case.docs["w"][0]
    irpin["asserted_by"] = [{"text": "Olena Kovalenko", "side": None}]
    irpin["sources"][1]["origin"] = "Olena Kovalenko"
    irpin["sources"][0]["origin"] = "Wire"
    irpin["grade_reason"] = grade(
        ["Wire", "Olena Kovalenko"], [Actor("Olena Kovalenko", None)], [Actor("The Kremlin", "RU")]
    )[1]
    irpin["harm_figures"] = [
        {
            "kind": "killed",
            "category": "civilians",
            "min": 3,
            "max": 3,
            "text": "three men, says Ivan Petrenko",
            "document": witness,
            "source": "Olena Kovalenko",
        },
        {
            "kind": "killed",
            "category": "civilians",
            "min": 12,
            "max": None,
            "text": "at least 12 civilians",
            "document": case.docs["a"][0],
            "source": "Wire",
        },
    ]
    members = [
        ("inc-irpin", "ev-a1", PIPELINE, case.docs["a"][0]),
        ("inc-irpin", "ev-w1", PIPELINE, witness),
        ("inc-kramatorsk", "ev-b1", PIPELINE, case.docs["b"][0]),
    ]
    replace_incidents(case.store, records, members, "tester")


def unzipped_text(path: Path) -> str:
    return "\n".join(d.decode("utf-8", "replace") for d in read_zip(path).values())


def test_redaction_covers_incident_records(case: Case, tmp_path: Path) -> None:
    _name_the_witness_in_the_incident(case)
    out = tmp_path / "red.zip"
    build_bundle(case.store, ["inc-irpin"], out)
    everything = unzipped_text(out)
    for name in ("Olena Kovalenko", "Ivan Petrenko"):
        assert name not in everything
    [irpin] = json.loads(read_zip(out)["records/incidents.json"])
    assert irpin["asserted_by"] == [{"text": MARK, "side": None}]
    assert [s["origin"] for s in irpin["sources"]] == ["Wire", MARK]
    assert (
        irpin["grade_reason"]
        == f"denied by The Kremlin; reported by 2 independent sources ({MARK}, Wire)"
    )
    assert [f["source"] for f in irpin["harm_figures"]] == [MARK, "Wire"]
    assert irpin["harm_figures"][0]["text"] == f"three men, says {MARK}"
    assert irpin["perpetrator"] == {"side": "RU", "text": "Russian troops"}  # a public report's
    assert verify(out, case).ok
    # asked for in full, the names are there (and the disclosure is logged)
    full = tmp_path / "full.zip"
    build_bundle(case.store, ["inc-irpin"], full, include_restricted=True)
    assert "Olena Kovalenko" in read_zip(full)["records/incidents.json"].decode()


def test_personal_information_documents_are_redacted_everywhere(case: Case, tmp_path: Path) -> None:
    from sqlalchemy import insert

    from dossier.store.accounts_tables import document_flags

    with case.store.transaction() as conn:
        conn.execute(
            insert(document_flags).values(
                document_id=case.docs["b"][0],
                flags='["personal_information"]',
                updated_at="2026-01-01T00:00:00Z",
                updated_by="rev",
            )
        )
    out = tmp_path / "pi.zip"
    summary = build_bundle(case.store, ["inc-kramatorsk"], out)
    assert summary.withheld == 1
    files = read_zip(out)
    assert "Pavlo Kyrylenko" not in unzipped_text(out)
    [doc] = json.loads(files["records/documents.json"])
    assert doc["personal_information"] and doc["redacted"] and doc["title"] == MARK
    [event] = json.loads(files["records/events.json"])
    assert event["event"]["asserted_by"] == [{"text": f"regional governor {MARK}", "side": "UA"}]
    assert json.loads(files["manifest.json"])["redacted_documents"] == [case.docs["b"][0]]
    assert verify(out, case).ok


def test_cli_verify_bundle_needs_a_key_or_says_what_it_trusted(
    cli: Any, cli_case: Case, tmp_path: Path, home: Path
) -> None:
    out = tmp_path / "cli.zip"
    assert cli("bundle", "inc-kramatorsk", "-o", str(out)).exit_code == 0
    keyless = cli("verify-bundle", str(out))
    assert keyless.exit_code == 1
    assert "  no --key given: a bundle signed by any key would pass" in keyless.stdout
    trusting = cli("verify-bundle", str(out), "--trust-embedded-key")
    assert trusting.exit_code == 0
    assert "note: WARNING: --trust-embedded-key" in trusting.stdout
    capped = cli("verify-bundle", str(out), "--trust-embedded-key", "--max-total-size", "5000")
    assert capped.exit_code == 1 and "over the cap of 5000 in all" in capped.stdout
    # catch_exceptions=False: a traceback would fail the test instead of exiting 1
    for forge, reason in (
        (duplicate_first, "  records/incidents.json: 2 entries of this name"),
        (prepended, "data was prepended or inserted"),
        (bad_crc, ": CRC-32 mismatch: damaged or altered"),
    ):
        forged = forge(out, tmp_path, cli_case)
        failed = cli("verify-bundle", str(forged), "--key", str(home / "keys" / "ed25519.pub"))
        assert failed.exit_code == 1 and reason in failed.stdout
        assert failed.stdout.splitlines()[:2][0] == "zip: 0 checked, FAILED" or forge is bad_crc
        assert failed.stdout.rstrip().endswith("verify-bundle: FAILED")


def test_redact_incident_replaces_contributed_words_everywhere_but_ids_and_codes() -> None:
    from dossier.export.redaction import Redaction, redact_incident

    incident = {
        "id": "inc-Anna Bell",
        "type": "killing",
        "grade_reason": "only one source (a neighbour of Anna Bell)",
        "machine": {"perpetrator": {"text": "Anna Bell's unit", "side": "RU"}},
        "sources": [
            {"document": "d1", "publisher": "NGO", "origin": "a neighbour"},
            {"document": "d2", "publisher": "Wire", "origin": "Wire"},
        ],
        "harm_figures": [{"document": "d1", "source": "NGO", "text": "3 men"}],
    }
    before = json.dumps(incident)
    out = redact_incident(incident, {"d1": Redaction("", ("Anna Bell",), ())}, {"my uncle"})
    assert json.dumps(incident) == before  # a copy; the stored record is untouched
    assert out["id"] == "inc-Anna Bell" and out["type"] == "killing"
    assert out["grade_reason"] == f"only one source ({MARK} of {MARK})"
    assert out["machine"]["perpetrator"] == {"text": f"{MARK}'s unit", "side": "RU"}
    assert [s["origin"] for s in out["sources"]] == [MARK, "Wire"]
    assert out["harm_figures"] == [{"document": "d1", "source": "NGO", "text": "3 men"}]


@settings(max_examples=80, deadline=None)
@given(st.integers(min_value=1, max_value=70), st.data())
def test_consistency_proofs_verify_and_a_changed_old_tree_does_not(
    n: int, data: st.DataObject
) -> None:
    from dossier.export.proofs import consistency_proof
    from dossier.export.verify_bundle import verify_consistency

    leaves = [i.to_bytes(4, "big") for i in range(n)]
    m = data.draw(st.integers(min_value=1, max_value=n))
    levels = tree_levels(leaves)
    proof = consistency_proof(levels, m, n)
    old, new = merkle_root(leaves[:m]), merkle_root(leaves)
    assert verify_consistency(m, n, proof, old, new)
    if m < n:
        rewritten = merkle_root([b"forged", *leaves[1:m]])
        assert not verify_consistency(m, n, proof, rewritten, new)
        assert not verify_consistency(m, n, proof, old, merkle_root([*leaves[:-1], b"x"]))
        if proof:
            bent = [bytes(32), *proof[1:]]
            assert not verify_consistency(m, n, bent, old, new)


def test_bundle_proves_its_log_extends_every_earlier_checkpoint(bundle: Path, case: Case) -> None:
    files = read_zip(bundle)
    checkpoint = json.loads(files["custody/checkpoint.json"])
    earlier = [c for c in custody_log.checkpoints(case.store) if c.size < checkpoint["size"]]
    assert earlier
    listed = json.loads(files["custody/consistency.json"])["proofs"]
    assert [(p["size"], p["root"]) for p in listed] == [(c.size, c.root) for c in earlier]
    anchors = [(earlier[0].size, earlier[0].root), (checkpoint["size"], checkpoint["root"])]
    anchored = verify_bundle(bundle, public_key(case), anchors=anchors)
    assert anchored.ok, anchored.problems
    assert f"the bundle's log extends the anchor of {earlier[0].size} entries you gave" in (
        anchored.notes
    )


def test_anchor_the_bundle_does_not_extend_is_named(
    bundle: Path, case: Case, tmp_path: Path
) -> None:
    files = read_zip(bundle)
    size = json.loads(files["custody/checkpoint.json"])["size"]
    first = custody_log.checkpoints(case.store)[0]
    other = sha256_hex(b"another log")
    report = verify_bundle(bundle, public_key(case), anchors=[(first.size, other)])
    [problem] = problems(report, "consistency")
    assert problem.startswith(f"anchor {first.size}:{other[:16]}…: the bundle's log had root")
    newer = verify_bundle(bundle, public_key(case), anchors=[(size + 5, other)])
    assert "newer than the bundle's checkpoint" in problems(newer, "consistency")[0]

    # a forged consistency proof, even re-signed, does not lead to the bundle's root
    def bend(f: Files) -> None:
        doc = json.loads(f["custody/consistency.json"])
        doc["proofs"][0]["root"] = other
        f["custody/consistency.json"] = json.dumps(doc).encode()

    forged = tampered(bundle, tmp_path, bend, load_private_key(case.store.settings.keys_dir))
    report = verify(forged, case)
    assert any(
        "does not extend the checkpoint of size" in p for p in problems(report, "consistency")
    )


def test_cli_anchor_option(cli: Any, cli_case: Case, tmp_path: Path, home: Path) -> None:
    out = tmp_path / "a.zip"
    assert cli("bundle", "inc-kramatorsk", "-o", str(out)).exit_code == 0
    key = str(home / "keys" / "ed25519.pub")
    first = custody_log.checkpoints(cli_case.store)[0]
    good = cli("verify-bundle", str(out), "--key", key, "--anchor", f"{first.size}:{first.root}")
    assert good.exit_code == 0, good.stdout
    assert f"note: the bundle's log extends the anchor of {first.size} entries you gave" in (
        good.stdout
    )
    bad = cli("verify-bundle", str(out), "--key", key, "--anchor", "12:nothex")
    assert bad.exit_code == 2 and "expected SIZE:ROOT" in bad.stderr


@settings(max_examples=150, deadline=None)
@given(st.data())
def test_any_changed_byte_of_the_zip_itself_gives_a_report_never_a_traceback(
    shared_bundle: tuple[Path, Path],
    tmp_path_factory: pytest.TempPathFactory,
    data: st.DataObject,
) -> None:
    path, key = shared_bundle
    raw = bytearray(path.read_bytes())
    # headers and the central directory included, where a flip reaches zipfile itself
    position = data.draw(st.integers(min_value=0, max_value=len(raw) - 1))
    raw[position] ^= data.draw(st.integers(min_value=1, max_value=255))
    out = tmp_path_factory.mktemp("zipflip") / "b.zip"
    out.write_bytes(bytes(raw))
    report = verify_bundle(out, key)
    if report.ok:
        # only bytes no check reads may change unnoticed (times, attributes, versions)
        with zipfile.ZipFile(out) as changed, zipfile.ZipFile(path) as genuine:
            assert {i.filename: i.CRC for i in changed.infolist()} == {
                i.filename: i.CRC for i in genuine.infolist()
            }
            assert all(changed.read(n) == genuine.read(n) for n in genuine.namelist())


def test_unknown_zip_version_is_named_not_crashed_on(
    bundle: Path, case: Case, tmp_path: Path
) -> None:
    # found by flipping bytes of the zip itself: zipfile raised NotImplementedError
    raw = bytearray(bundle.read_bytes())
    central = raw.index(b"PK\x01\x02")
    raw[central + 6 : central + 8] = (123).to_bytes(2, "little")  # version needed to extract
    out = tmp_path / "version.zip"
    out.write_bytes(bytes(raw))
    [problem] = problems(verify(out, case), "zip")
    assert problem == f"{out}: not a readable zip file (zip file version 12.3)"


def test_local_header_that_disagrees_with_the_directory_is_named(
    bundle: Path, case: Case, tmp_path: Path
) -> None:
    # a streaming unzip trusts local headers; the verifier reads the directory: both must agree
    raw = bytearray(bundle.read_bytes())
    with zipfile.ZipFile(bundle) as zf:
        first = min(zf.infolist(), key=lambda i: i.header_offset)
    raw[first.header_offset + 14 : first.header_offset + 18] = (first.CRC ^ 1).to_bytes(4, "little")
    out = tmp_path / "local.zip"
    out.write_bytes(bytes(raw))
    assert problems(verify(out, case), "zip") == [
        f"{first.filename}: the local header and the central directory disagree on CRC-32"
    ]


def test_redaction_also_cuts_what_the_model_missed() -> None:
    # Regression: only PERSON entities were cut; a phone number and a name the model
    # did not tag reached the bundle.
    from dossier.export.redaction import redact_text

    text = "Call Pimbrel on +380 67 833 4403 or p@example.org. Shells hit Kharkiv on 2022-03-03."
    kharkiv = text.index("Kharkiv")
    analysis = {"entities": [{"label": "GPE", "start": kharkiv, "end": kharkiv + 7}]}
    out = redact_text(text, analysis).text
    for secret in ("Pimbrel", "833 4403", "p@example.org"):
        assert secret not in out
    assert "Shells hit Kharkiv on 2022-03-03" not in out  # "Shells" starts a sentence
    assert "hit Kharkiv on 2022-03-03" in out  # the place and the date stay
