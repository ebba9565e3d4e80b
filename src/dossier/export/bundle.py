"""``dossier bundle``: a signed zip a legal officer can check offline.

The bundle holds the preserved originals, clean texts, the stored extraction
runs, the incident, event, claim and quote records, the custody entries that
touch them with RFC 6962 inclusion proofs against a freshly signed
checkpoint, a manifest of SHA-256 hashes and an Ed25519 signature over it.
Before the checkpoint is signed, a ``bundle_sealed`` custody entry commits
to the hash of every file and record as exported (redacted ones included),
so the records are tied to the log. ``verify_bundle.py`` checks all of it;
the layout is drawn in its docstring, and a copy rides along for reading.
Restricted and personal-information documents are redacted unless the
reviewer asks otherwise, and that request is itself a custody entry.
"""

from __future__ import annotations

import json
import logging
import os
import zipfile
from dataclasses import dataclass
from importlib import resources
from pathlib import Path
from typing import Any

from ..errors import StoreError
from ..evidence.canonical import canonical_json, sha256_hex
from ..evidence.custody import utc_now
from ..evidence.keys import PUBLIC_NAME, key_id, load_private_key
from ..evidence.trust import canonical_pem, load_trusted
from ..records import CustodyEntry
from ..store import custody_log
from ..store.database import Store
from .collect import EvidenceSet, analysis_path, collect
from .proofs import audit_path, consistency_proof, tree_levels
from .readme import readme_text
from .redaction import (
    MARK,
    Redaction,
    documents_to_redact,
    private_strings,
    redact_incident,
    redact_text,
    redact_value,
)
from .verify_bundle import FORMAT, SEAL_ACTION, SEALED_PREFIXES, VERIFIER_COPY

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class BundleSummary:
    path: Path
    incidents: int
    documents: int
    originals: int
    withheld: int
    custody_entries: int
    checkpoint_size: int
    manifest_sha256: str


def _hex(object_id: str) -> str:
    return object_id.split(":", 1)[-1]


def build_bundle(
    store: Store,
    incident_ids: list[str],
    out: Path,
    *,
    include_restricted: bool = False,
    actor: str | None = None,
) -> BundleSummary:
    """Write the evidence bundle of ``incident_ids`` to ``out`` (a .zip) and log it in custody."""
    actor = actor or store.settings.who
    evidence = collect(store, incident_ids)
    withheld_docs = set() if include_restricted else documents_to_redact(evidence)

    files: dict[str, bytes] = {}
    redactions = _add_documents(store, evidence, withheld_docs, files)
    _add_records(evidence, redactions, files)
    signer = key_id(load_private_key(store.settings.keys_dir).public_key())
    _signing_keys(store, 2**62, signer)  # refuse an untrusted signer before logging the seal
    seal = _log_bundling(store, evidence, out, include_restricted, withheld_docs, files, actor)
    checkpoint = custody_log.checkpoint(store, force=True) or custody_log.checkpoints(store)[-1]
    object_ids = sorted(
        {f"sha256:{s}" for s in evidence.artifacts}
        | set(evidence.documents)
        | set(incident_ids)
        | {"incidents", seal.object_id}
    )
    withheld_objects = {d for d in withheld_docs} | {
        f"sha256:{evidence.documents[d]['artifact_sha256']}" for d in withheld_docs
    }
    n_entries = _add_custody(
        store,
        checkpoint,
        object_ids,
        withheld_objects,
        files,
        private_reviews=not include_restricted,
    )
    verifier = resources.files(__package__).joinpath("verify_bundle.py").read_bytes()
    files["README.txt"] = readme_text(
        evidence, withheld_docs, include_restricted, checkpoint, sha256_hex(verifier)
    ).encode()
    files["public_key.pem"] = (store.settings.keys_dir / PUBLIC_NAME).read_bytes()
    files[VERIFIER_COPY] = verifier  # for reading; the README says to run one's own copy

    private = load_private_key(store.settings.keys_dir)
    files.update(_signing_keys(store, checkpoint.size, key_id(private.public_key())))
    manifest = {
        "format": FORMAT,
        "created": utc_now(),
        "created_by": actor,
        "incidents": incident_ids,
        "include_restricted": include_restricted,
        "redacted_documents": sorted(withheld_docs),
        "key_id": key_id(private.public_key()),
        "checkpoint": {"size": checkpoint.size, "root": checkpoint.root},
        "seal": {"seq": seal.seq, "object_id": seal.object_id, "object_hash": seal.object_hash},
        "files": {name: sha256_hex(data) for name, data in sorted(files.items())},
    }
    manifest_bytes = canonical_json(manifest)
    files["manifest.json"] = manifest_bytes
    files["manifest.sig"] = private.sign(manifest_bytes).hex().encode()
    _write_zip(out, files)
    log.info("bundle %s: %d incident(s), %d file(s)", out, len(incident_ids), len(files))
    return BundleSummary(
        path=out,
        incidents=len(incident_ids),
        documents=len(evidence.documents),
        originals=sum(1 for n in files if n.startswith("originals/") and not n.endswith(".txt")),
        withheld=sum(1 for n in files if n.endswith(".withheld.txt")),
        custody_entries=n_entries,
        checkpoint_size=checkpoint.size,
        manifest_sha256=sha256_hex(manifest_bytes),
    )


def seal_detail(
    files: dict[str, bytes],
    *,
    bundle: str,
    incidents: list[str],
    include_restricted: bool,
    redacted: list[str],
) -> dict[str, Any]:
    """What the ``bundle_sealed`` entry commits to: every content file and record, hashed."""
    sealed = {n: d for n, d in sorted(files.items()) if n.startswith(SEALED_PREFIXES)}
    records = {
        name: [sha256_hex(canonical_json(item)) for item in json.loads(data)]
        for name, data in sealed.items()
        if name.startswith("records/")
    }
    return {
        "bundle": bundle,
        "incidents": incidents,
        "include_restricted": include_restricted,
        "redacted_documents": redacted,
        "files": {name: sha256_hex(data) for name, data in sealed.items()},
        "records": records,
    }


def _log_bundling(
    store: Store,
    evidence: EvidenceSet,
    out: Path,
    include: bool,
    withheld: set[str],
    files: dict[str, bytes],
    actor: str,
) -> CustodyEntry:
    """Log the bundling, any disclosure, and the seal over the files, before signing.

    One transaction: either every entry is written or none is. Returns the seal.
    """
    sensitive = sorted(evidence.restricted() | evidence.personal)
    detail = seal_detail(
        files,
        bundle=out.name,
        incidents=[i.id for i in evidence.incidents],
        include_restricted=include,
        redacted=sorted(withheld),
    )
    object_hash = sha256_hex(canonical_json(detail))
    with store.transaction() as conn:
        for incident in evidence.incidents:
            docs = sorted({m.document for m in evidence.members if m.incident == incident.id})
            info = {"bundle": out.name, "documents": docs, "include_restricted": include}
            custody_log.append(conn, actor, "bundled", incident.id, None, info)
        if include:
            for doc in sensitive:
                row = evidence.documents[doc]
                info = {"bundle": out.name, "incidents": [i.id for i in evidence.incidents]}
                custody_log.append(
                    conn, actor, "disclosed_restricted", doc, row["text_sha256"], info
                )
        return custody_log.append(
            conn, actor, SEAL_ACTION, f"bundle:{object_hash}", object_hash, detail
        )


def _add_documents(
    store: Store, evidence: EvidenceSet, withheld_docs: set[str], files: dict[str, bytes]
) -> dict[str, Redaction]:
    """Originals, texts and stored analyses; restricted ones withheld or redacted."""
    withheld_shas = {evidence.documents[d]["artifact_sha256"] for d in withheld_docs}
    for sha, art in evidence.artifacts.items():
        if sha in withheld_shas:
            files[f"originals/{sha}.withheld.txt"] = _withheld_note(art).encode()
        else:
            files[f"originals/{sha}"] = store.artifacts.get(sha)  # get() rechecks the hash
    redactions: dict[str, Redaction] = {}
    for doc_id, row in evidence.documents.items():
        key = _hex(doc_id)
        if doc_id in withheld_docs:
            redaction = redact_text(row["text"], evidence.identities(doc_id))
            redactions[doc_id] = redaction
            files[f"texts/{key}.txt"] = redaction.text.encode("utf-8")
        else:
            files[f"texts/{key}.txt"] = row["text"].encode("utf-8")
        for pipeline in evidence.pipelines(doc_id):
            name = analysis_path(doc_id, pipeline)
            if doc_id in withheld_docs:
                analysis = evidence.analysis(doc_id, pipeline)
                files[name] = canonical_json(redact_value(analysis, redactions[doc_id]))
            else:
                files[name] = evidence.analyses[(doc_id, pipeline)]  # the stored bytes, as logged
    return redactions


def _withheld_note(art: dict[str, Any]) -> str:
    return (
        "This original belongs to a restricted document (for example a witness statement)\n"
        "and is withheld from this bundle to protect identities.\n\n"
        f"SHA-256: {art['sha256']}\nsize: {art['size']} bytes\nmedia type: {art['media_type']}\n"
        f"acquired: {art['acquired_at']}\n\n"
        f"The custody entry 'acquired' for sha256:{art['sha256']}\n"
        "in custody/entries.jsonl records this hash and is proven to be in the signed log;\n"
        "the holder of the original can show that its bytes hash to the value above.\n"
    )


def _add_records(
    evidence: EvidenceSet, redactions: dict[str, Redaction], files: dict[str, bytes]
) -> None:
    def red(doc: str, value: Any) -> Any:
        return redact_value(value, redactions[doc]) if doc in redactions else value

    docs = []
    restricted = evidence.restricted()
    for doc_id, row in sorted(evidence.documents.items()):
        meta = {
            k: row[k]
            for k in (
                "id",
                "artifact_sha256",
                "locator",
                "text_sha256",
                "title",
                "url",
                "publisher",
                "author",
                "published",
                "language",
                "restricted",
            )
        }
        meta["restricted"] = doc_id in restricted
        meta["personal_information"] = doc_id in evidence.personal
        meta["analyses"] = {p: analysis_path(doc_id, p) for p in evidence.pipelines(doc_id)}
        meta["redacted"] = doc_id in redactions
        if doc_id in redactions:
            meta = red(doc_id, meta)
            meta["author"] = MARK if row["author"] else None
            meta["title"] = MARK if row["title"] else None  # a title can name the witness
            meta["text_sha256_redacted"] = sha256_hex(redactions[doc_id].text.encode("utf-8"))
        docs.append(meta)
    events, claims, quotes = [], [], []
    for member, event in evidence.events():
        base = {
            "incident": member.incident,
            "document": member.document,
            "pipeline": member.pipeline,
        }
        events.append({**base, "event": red(member.document, event)})
    seen: set[tuple[str, str]] = set()
    for member in evidence.members:
        if (member.document, member.pipeline) in seen:
            continue
        seen.add((member.document, member.pipeline))
        analysis = red(member.document, evidence.analysis(member.document, member.pipeline))
        ours = {m.event_id for m in evidence.members if m.document == member.document}
        base = {"document": member.document, "pipeline": member.pipeline}
        claims += [
            {**base, "claim": c}
            for c in analysis.get("claims", [])
            if ours & set(c.get("events", []))
        ]
        quotes += [{**base, "quote": q} for q in analysis.get("quotes", [])]
    runs = {d: [evidence.analysis(d, p) for p in evidence.pipelines(d)] for d in evidence.documents}
    private = private_strings(runs, set(redactions))
    for doc in redactions:
        private.update(str(evidence.documents[doc][k] or "") for k in ("title", "author"))
    # the bundle's records are the contract JSON (its edge); redaction works on that form
    records = [i.to_json() for i in evidence.incidents]
    incidents = [redact_incident(i, redactions, private) if redactions else i for i in records]
    files["records/incidents.json"] = _pretty(incidents)
    files["records/documents.json"] = _pretty(docs)
    files["records/events.json"] = _pretty(events)
    files["records/claims.json"] = _pretty(claims)
    files["records/quotes.json"] = _pretty(quotes)


def _pretty(value: Any) -> bytes:
    return (json.dumps(value, ensure_ascii=False, sort_keys=True, indent=2) + "\n").encode("utf-8")


def _add_custody(
    store: Store,
    checkpoint: Any,
    object_ids: list[str],
    withheld: set[str],
    files: dict[str, bytes],
    *,
    private_reviews: bool = False,
) -> int:
    """The custody slice with inclusion proofs. Entries about withheld documents, and
    (``private_reviews``, unless restricted material is included) review, account and
    download entries, whose reasons, notes and edited values can name a source, keep their
    hashes but not their detail: the proof still holds, the words do not travel."""
    entries = [
        e for e in custody_log.entries(store, object_ids=object_ids) if e.seq <= checkpoint.size
    ]
    with store.engine.connect() as conn:
        leaves = custody_log.leaf_hashes(conn, checkpoint.size)
    levels = tree_levels(leaves)
    proofs = {e.seq - 1: audit_path(levels, e.seq - 1) for e in entries}
    files["custody/consistency.json"] = _pretty(
        {
            "checkpoint_size": checkpoint.size,
            "proofs": [
                {
                    "size": older.size,
                    "root": older.root,
                    "time": older.time,
                    "key_id": older.key_id,
                    "signature": older.signature,
                    "path": [
                        h.hex() for h in consistency_proof(levels, older.size, checkpoint.size)
                    ],
                }
                for older in custody_log.checkpoints(store)
                if 0 < older.size < checkpoint.size
            ],
        }
    )
    lines = []
    for e in entries:
        item: dict[str, Any] = {**e.body(), "entry_hash": e.entry_hash}
        private = private_reviews and e.action.startswith(("review", "account", "downloaded"))
        if e.object_id in withheld or private:
            # the detail can name the witness (a file path); the hash still proves the entry
            item = {
                k: item[k]
                for k in (
                    "seq",
                    "time",
                    "actor",
                    "action",
                    "object_id",
                    "object_hash",
                    "entry_hash",
                )
            }
            item["detail_withheld"] = True
        lines.append(canonical_json(item).decode())
    files["custody/entries.jsonl"] = ("\n".join(lines) + "\n").encode("utf-8")
    files["custody/proofs.json"] = _pretty(
        {
            "checkpoint_size": checkpoint.size,
            "proofs": [
                {
                    "seq": e.seq,
                    "checkpoint_size": checkpoint.size,
                    "path": [h.hex() for h in proofs[e.seq - 1]],
                }
                for e in entries
            ],
        }
    )
    files["custody/checkpoint.json"] = _pretty(
        {
            "size": checkpoint.size,
            "root": checkpoint.root,
            "time": checkpoint.time,
            "signature": checkpoint.signature,
            "key_id": checkpoint.key_id,
        }
    )
    return len(entries)


def _signing_keys(store: Store, size: int, own: str) -> dict[str, bytes]:
    """``keys/<key id>.pem`` of every other key that signed a checkpoint the bundle names
    (a team member's, trusted here); one this installation does not trust is refused."""
    trusted = load_trusted(store.settings.trusted_keys_dir)
    files: dict[str, bytes] = {}
    for cp in custody_log.checkpoints(store):
        if cp.size > size or cp.key_id == own:
            continue
        key = trusted.keys.get(cp.key_id)
        if key is None:
            raise StoreError(
                f"checkpoint at size {cp.size} is signed by key {cp.key_id}, which this "
                f"installation does not trust (not in {trusted.folder}); `dossier keys trust` "
                "that team member's public key before bundling"
            )
        files[f"keys/{cp.key_id}.pem"] = canonical_pem(key)
    return files


def _write_zip(out: Path, files: dict[str, bytes]) -> None:
    """Write beside the target and rename, so a failed run never leaves half a bundle."""
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_name(f".{out.name}.tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(files):
            zf.writestr(
                zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0)),
                files[name],
                compress_type=zipfile.ZIP_DEFLATED,
            )
    os.replace(tmp, out)
