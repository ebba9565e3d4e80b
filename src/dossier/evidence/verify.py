"""``dossier verify``: recheck every artifact, document text, the custody chain and checkpoints.

Each check reports how many items it looked at and the first broken one, by
name, so an investigator knows exactly what to examine. Any problem makes the
whole report fail.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass, field

from sqlalchemy import select

from ..evidence.keys import PUBLIC_NAME, key_id, load_public_key, verify_signature
from ..store import custody_log, tables
from ..store.database import Store
from .custody import check_chain
from .merkle import merkle_root


@dataclass
class Check:
    name: str
    checked: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems


@dataclass
class VerifyReport:
    checks: list[Check]
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def first_problem(self) -> str | None:
        for c in self.checks:
            if c.problems:
                return c.problems[0]
        return None


def verify_store(store: Store) -> VerifyReport:
    """Run every integrity check over ``store``."""
    return VerifyReport(
        checks=[
            _check_artifacts(store),
            _check_documents(store),
            chain := _check_chain(store),
            _check_checkpoints(store, chain_ok=chain.ok),
        ],
        notes=_notes(store),
    )


def _logged(store: Store, action: str) -> dict[str, set[str]]:
    """Object id -> the hashes the custody log recorded for it under ``action``."""
    q = select(tables.custody.c.object_id, tables.custody.c.object_hash).where(
        tables.custody.c.action == action
    )
    logged: dict[str, set[str]] = {}
    with store.engine.connect() as conn:
        for object_id, object_hash in conn.execute(q):
            logged.setdefault(object_id, set()).add(object_hash)
    return logged


def _check_artifacts(store: Store) -> Check:
    check = Check("artifacts")
    acquired = _logged(store, "acquired")
    with store.engine.connect() as conn:
        rows = conn.execute(select(tables.artifacts.c.sha256).order_by(tables.artifacts.c.sha256))
        for (sha,) in rows:
            check.checked += 1
            problem = store.artifacts.check(sha)
            if problem:
                check.problems.append(problem)
            elif sha not in acquired.get(f"sha256:{sha}", set()):
                # A row (and blob) slipped in, or renamed, without the log knowing.
                check.problems.append(
                    f"artifact sha256:{sha}: no custody 'acquired' entry with this hash"
                )
    return check


def _check_documents(store: Store) -> Check:
    check = Check("documents")
    ingested = _logged(store, "ingested")
    q = select(tables.documents.c.id, tables.documents.c.text, tables.documents.c.text_sha256)
    with store.engine.connect() as conn:
        for doc_id, text, digest in conn.execute(q.order_by(tables.documents.c.id)):
            check.checked += 1
            if hashlib.sha256(text.encode("utf-8")).hexdigest() != digest:
                check.problems.append(f"document {doc_id}: text does not match its text_sha256")
            elif digest not in ingested.get(doc_id, set()):
                # Text and text_sha256 edited together still differ from the logged hash.
                check.problems.append(
                    f"document {doc_id}: text_sha256 does not match its custody 'ingested' entry"
                )
    return check


def _check_chain(store: Store) -> Check:
    check = Check("custody chain")
    entries = list(custody_log.entries(store))
    check.checked = len(entries)
    broken = check_chain(entries)
    if broken:
        check.problems.append(str(broken))
    return check


def _check_checkpoints(store: Store, *, chain_ok: bool) -> Check:
    check = Check("checkpoints")
    public = load_public_key(store.settings.keys_dir / PUBLIC_NAME)
    kid = key_id(public)
    with store.engine.connect() as conn:
        n = custody_log.size(conn)
        leaves = custody_log.leaf_hashes(conn, n)
    for cp in custody_log.checkpoints(store):
        check.checked += 1
        where = f"checkpoint at size {cp.size}"
        if cp.key_id != kid:
            check.problems.append(
                f"{where}: signed by key {cp.key_id}, not this installation's {kid}"
            )
        elif not verify_signature(public, cp.signature, cp.message()):
            check.problems.append(f"{where}: signature does not verify")
        elif cp.size > n:
            check.problems.append(f"{where}: covers {cp.size} entries but the log has only {n}")
        elif merkle_root(leaves[: cp.size]).hex() != cp.root:
            check.problems.append(
                f"{where}: Merkle root does not match the log's first {cp.size} entries"
            )
    return check


def _notes(store: Store) -> list[str]:
    notes = []
    leftovers = store.artifacts.leftovers()
    if leftovers:
        notes.append(
            f"{len(leftovers)} unfinished temporary artifact file(s) "
            "from an interrupted write (never read)"
        )
    with store.engine.connect() as conn:
        n = custody_log.size(conn)
    cps = custody_log.checkpoints(store)
    covered = cps[-1].size if cps else 0
    if n > covered:
        notes.append(f"{n - covered} custody entries after the last signed checkpoint")
    return notes
