"""Check a Dossier evidence bundle offline: signature, file hashes, custody proofs, records.

A recipient runs this file on its own (``python verify_bundle.py BUNDLE.zip
[--key KEY.pem]``); it imports only the standard library and
``cryptography``, and every bundle carries a copy. Each check names what does
not match. With ``--key`` the signatures must verify against that key; without
it the bundle's own ``public_key.pem`` is trusted, and the report says so.

Bundle layout (format ``dossier-bundle/1``)::

    manifest.json, manifest.sig      SHA-256 of every other file; Ed25519 signature (hex)
    public_key.pem, README.txt, verify_bundle.py
    originals/<sha256>               preserved bytes, named by their hash
    originals/<sha256>.withheld.txt  note replacing a restricted original
    texts/<doc>.txt                  clean texts (PERSON names redacted when restricted)
    analyses/<doc>/<pipeline>.json   the stored extraction runs, byte for byte
    records/{incidents,documents,events,claims,quotes}.json
    custody/entries.jsonl, custody/proofs.json, custody/checkpoint.json
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

FORMAT = "dossier-bundle/1"
UNSIGNED = {"manifest.json", "manifest.sig"}
SIGNATURE_FORM = re.compile(rb"[0-9a-f]{128}")


@dataclass
class Check:
    name: str
    checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class BundleReport:
    checks: list[Check] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return bool(self.checks) and all(c.ok for c in self.checks)

    @property
    def problems(self) -> list[str]:
        return [p for c in self.checks for p in c.problems]


def canonical_json(value: Any) -> bytes:
    """The canonical JSON Dossier hashes (sorted keys, no spaces, UTF-8)."""
    return json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    ).encode("utf-8")


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def checkpoint_message(size: int, root: str, time: str) -> bytes:
    return f"dossier-checkpoint-v1\n{size}\n{root}\n{time}\n".encode()


def _node(left: bytes, right: bytes) -> bytes:
    return hashlib.sha256(b"\x01" + left + right).digest()


def verify_inclusion(leaf: bytes, index: int, size: int, proof: list[bytes], root: bytes) -> bool:
    """RFC 9162 section 2.1.3.2: check an inclusion proof of ``leaf`` at ``index``."""
    if not 0 <= index < size:
        return False
    fn, sn = index, size - 1
    r = hashlib.sha256(b"\x00" + leaf).digest()
    for p in proof:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            r = _node(p, r)
            if not fn & 1:
                while fn and not fn & 1:
                    fn >>= 1
                    sn >>= 1
        else:
            r = _node(r, p)
        fn >>= 1
        sn >>= 1
    return sn == 0 and r == root


def _load_key(pem: bytes) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def _signed(key: Ed25519PublicKey, signature_hex: str, message: bytes) -> bool:
    try:
        key.verify(bytes.fromhex(signature_hex.strip()), message)
    except (InvalidSignature, ValueError):
        return False
    return True


def key_id(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return sha256_hex(raw)[:16]


def verify_bundle(path: Path, key_path: Path | None = None) -> BundleReport:
    """Run every check over the bundle at ``path``; only ``key_path`` (if given) is trusted."""
    report = BundleReport()
    try:
        zf = zipfile.ZipFile(path)
    except (OSError, zipfile.BadZipFile) as exc:
        report.checks.append(Check("bundle", 1, [f"{path}: not a readable zip file ({exc})"]))
        return report
    with zf:
        files = {name: zf.read(name) for name in zf.namelist() if not name.endswith("/")}
    signature = _check_signature(files, key_path, report)
    manifest = signature.manifest
    if manifest is None:
        return report
    try:
        _check_files(files, manifest, report)
        checkpoint = _check_checkpoint(files, signature.key, report)
        entries = _check_custody(files, checkpoint, report)
        _check_records(files, manifest, entries, report)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError) as exc:
        # a file whose shape is not the bundle format's: say so instead of crashing
        report.checks.append(Check("structure", 1, [f"malformed bundle content ({exc!r})"]))
    return report


@dataclass
class _Signature:
    manifest: dict[str, Any] | None
    key: Ed25519PublicKey | None


def _check_signature(
    files: dict[str, bytes], key_path: Path | None, report: BundleReport
) -> _Signature:
    check = Check("signature", 1)
    report.checks.append(check)
    if "manifest.json" not in files:
        check.problems.append("manifest.json is missing; nothing can be checked")
        return _Signature(None, None)
    try:
        manifest = json.loads(files["manifest.json"])
    except ValueError as exc:
        check.problems.append(f"manifest.json is not valid JSON ({exc})")
        return _Signature(None, None)
    if manifest.get("format") != FORMAT:
        check.problems.append(
            f"manifest.json: format {manifest.get('format')!r}, expected {FORMAT!r}"
        )
    key: Ed25519PublicKey | None = None
    try:
        if key_path is not None:
            key = _load_key(key_path.read_bytes())
            report.notes.append(
                f"signatures checked against the key given: {key_path} (key id {key_id(key)})"
            )
        elif "public_key.pem" in files:
            key = _load_key(files["public_key.pem"])
            report.notes.append(
                f"no --key given: the bundle's own public_key.pem (key id {key_id(key)}) "
                "was trusted; compare that key id with one obtained from the sender "
                "by another channel"
            )
        else:
            check.problems.append("public_key.pem is missing and no --key was given")
    except (OSError, ValueError, UnsupportedAlgorithm) as exc:  # a damaged or foreign key
        check.problems.append(f"cannot load the public key ({exc})")
    if key is not None:
        sig = files.get("manifest.sig")
        if sig is None:
            check.problems.append("manifest.sig is missing")
        elif not SIGNATURE_FORM.fullmatch(sig):
            # one spelling only (lowercase hex), so no byte of the file can change unnoticed
            check.problems.append("manifest.sig: not 128 lowercase hex digits (changed)")
        elif not _signed(key, sig.decode("ascii", "replace"), files["manifest.json"]):
            check.problems.append(
                "manifest.sig: the signature over manifest.json does not verify "
                f"with key {key_id(key)}"
            )
    return _Signature(manifest, key)


def _check_files(files: dict[str, bytes], manifest: dict[str, Any], report: BundleReport) -> None:
    listed: dict[str, str] = manifest.get("files", {})
    check = Check("files", len(listed))
    report.checks.append(check)
    for name, digest in sorted(listed.items()):
        if name not in files:
            check.problems.append(f"{name}: listed in the manifest but missing from the bundle")
        elif sha256_hex(files[name]) != digest:
            check.problems.append(f"{name}: SHA-256 does not match the manifest (changed)")
    for name in sorted(set(files) - set(listed) - UNSIGNED):
        check.problems.append(f"{name}: in the bundle but not listed in the manifest (added)")


def _json_file(files: dict[str, bytes], name: str, check: Check) -> Any:
    if name not in files:
        check.problems.append(f"{name}: missing")
        return None
    try:
        return json.loads(files[name])
    except ValueError as exc:
        check.problems.append(f"{name}: not valid JSON ({exc})")
        return None


def _check_checkpoint(
    files: dict[str, bytes], key: Ed25519PublicKey | None, report: BundleReport
) -> dict[str, Any] | None:
    check = Check("checkpoint", 1)
    report.checks.append(check)
    cp = _json_file(files, "custody/checkpoint.json", check)
    if cp is None:
        return None
    message = checkpoint_message(cp["size"], cp["root"], cp["time"])
    if key is None:
        check.problems.append("custody/checkpoint.json: no key to check its signature with")
    elif not _signed(key, cp["signature"], message):
        check.problems.append(
            f"custody/checkpoint.json: signature over size {cp['size']} root {cp['root'][:16]}… "
            f"does not verify with key {key_id(key)}"
        )
    return dict(cp)


def _check_custody(
    files: dict[str, bytes], cp: dict[str, Any] | None, report: BundleReport
) -> list[dict[str, Any]]:
    check = Check("custody")
    report.checks.append(check)
    if "custody/entries.jsonl" not in files:
        check.problems.append("custody/entries.jsonl: missing")
        return []
    entries = [
        json.loads(line) for line in files["custody/entries.jsonl"].decode().splitlines() if line
    ]
    proofs_doc = _json_file(files, "custody/proofs.json", check) or {}
    proofs = {int(p["seq"]): p for p in proofs_doc.get("proofs", [])}
    withheld = 0
    for entry in entries:
        check.checked += 1
        seq = entry.get("seq")
        if entry.get("detail_withheld"):
            withheld += 1  # restricted: the hash is proven below, the content cannot be recomputed
        else:
            body = {
                k: entry.get(k)
                for k in (
                    "seq",
                    "time",
                    "actor",
                    "action",
                    "object_id",
                    "object_hash",
                    "detail",
                    "prev_hash",
                )
            }
            if sha256_hex(canonical_json(body)) != entry.get("entry_hash"):
                check.problems.append(
                    f"custody entry {seq}: content does not match its entry_hash (edited)"
                )
        if cp is None:
            continue
        proof = proofs.get(int(seq))
        if proof is None:
            check.problems.append(f"custody entry {seq}: no inclusion proof")
            continue
        if int(proof.get("checkpoint_size", -1)) != int(cp["size"]):
            check.problems.append(
                f"custody entry {seq}: proof is for a checkpoint of size "
                f"{proof.get('checkpoint_size')}, the bundle's checkpoint has size "
                f"{cp['size']} (wrong checkpoint)"
            )
            continue
        path = [bytes.fromhex(h) for h in proof.get("path", [])]
        if not verify_inclusion(
            bytes.fromhex(entry["entry_hash"]),
            int(seq) - 1,
            int(cp["size"]),
            path,
            bytes.fromhex(cp["root"]),
        ):
            check.problems.append(
                f"custody entry {seq}: inclusion proof does not lead to the checkpoint root "
                f"{cp['root'][:16]}… (entry or proof altered, or proof for another checkpoint)"
            )
    if withheld:
        report.notes.append(
            f"{withheld} custody entr{'y' if withheld == 1 else 'ies'} about restricted "
            "documents carry no detail: their inclusion in the signed log is proven, "
            "their content is withheld"
        )
    return entries


def _hex(object_id: str) -> str:
    return object_id.split(":", 1)[-1]


def _check_records(
    files: dict[str, bytes],
    manifest: dict[str, Any],
    entries: list[dict[str, Any]],
    report: BundleReport,
) -> None:
    """Tie files to the custody log: originals, texts and analyses carry the logged hashes."""
    check = Check("records")
    report.checks.append(check)
    logged: dict[tuple[str, str], set[str]] = {}
    for e in entries:
        logged.setdefault((e.get("action", ""), e.get("object_id", "")), set()).add(
            e.get("object_hash") or ""
        )
    redacted = set(manifest.get("redacted_documents", []))
    for name, data in sorted(files.items()):
        if name.startswith("originals/") and not name.endswith(".withheld.txt"):
            check.checked += 1
            sha = name.split("/", 1)[1]
            if sha256_hex(data) != sha:
                check.problems.append(
                    f"{name}: content does not match the hash it is named by (changed)"
                )
            if sha not in logged.get(("acquired", f"sha256:{sha}"), set()):
                check.problems.append(f"{name}: no custody 'acquired' entry with this hash")
    documents = _json_file(files, "records/documents.json", check) or []
    derived = {
        kind: _json_file(files, f"records/{kind}s.json", check) or []
        for kind in ("event", "claim", "quote")
    }
    for doc in documents:
        check.checked += 1
        key = _hex(doc["id"])
        text = files.get(f"texts/{key}.txt")
        if doc["id"] not in redacted:
            # redacted copies cannot match the logged hashes; the manifest signature covers them
            if text is None or sha256_hex(text) != doc["text_sha256"]:
                check.problems.append(
                    f"texts/{key}.txt: missing or does not match the document's text_sha256"
                )
            if doc["text_sha256"] not in logged.get(("ingested", doc["id"]), set()):
                check.problems.append(
                    f"records/documents.json: {doc['id']} text hash is not the one logged at ingest"
                )
        for pipeline, name in sorted(doc.get("analyses", {}).items()):
            analysis = files.get(name)
            if analysis is None:
                check.problems.append(f"{name}: missing")
                continue
            extracted = logged.get(("extracted", doc["id"]), set())
            if doc["id"] not in redacted and sha256_hex(analysis) not in extracted:
                check.problems.append(f"{name}: not the extraction logged in custody")
            _check_derived(json.loads(analysis), (doc["id"], pipeline), name, derived, check)


def _check_derived(
    analysis: dict[str, Any],
    run: tuple[str, str],
    source: str,
    derived: dict[str, list[Any]],
    check: Check,
) -> None:
    """Event, claim and quote records must be copies of the ones in their run's analysis."""
    events = {e.get("id"): e for e in analysis.get("events", [])}
    for item in derived["event"]:
        ours = (item.get("document"), item.get("pipeline")) == run
        if ours and events.get(item["event"].get("id")) != item["event"]:
            check.problems.append(
                f"records/events.json: event {item['event'].get('id')} "
                f"differs from {source} (edited)"
            )
    for kind in ("claim", "quote"):
        logged = [canonical_json(x) for x in analysis.get(f"{kind}s", [])]
        for n, item in enumerate(derived[kind]):
            ours = (item.get("document"), item.get("pipeline")) == run
            if ours and canonical_json(item[kind]) not in logged:
                check.problems.append(f"records/{kind}s.json: item {n} is not in {source} (edited)")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Verify a Dossier evidence bundle offline.")
    parser.add_argument("bundle", type=Path)
    parser.add_argument(
        "--key", type=Path, help="PEM public key the signatures must verify against"
    )
    args = parser.parse_args(argv)
    report = verify_bundle(args.bundle, args.key)
    for check in report.checks:
        print(f"{check.name}: {check.checked} checked, {'ok' if check.ok else 'FAILED'}")
        for problem in check.problems:
            print(f"  {problem}")
    for note in report.notes:
        print(f"note: {note}")
    print("verify-bundle: all checks passed" if report.ok else "verify-bundle: FAILED")
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
