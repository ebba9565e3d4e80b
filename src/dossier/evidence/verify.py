"""``dossier verify``'s checks: prove the store complete and consistent, or name what is wrong.

Consistency: every blob matches its hash, every entry its chain link, every
checkpoint its signature and Merkle root. Completeness: every object a
custody entry names (artifact, document, extraction run with its events,
review, document flags, corroboration result) still exists and matches the
hash in its latest entry; every blob and every row is in the log; the
recorded fields that matter (an artifact's source path, acquisition time
and actor; a document's title, url, publisher, published, language,
restricted flag) match the hashes logged with them; no entry lies beyond
the last signed checkpoint (each committing transaction signs one, so an
interrupted command cannot leave any). A rolled-back tail (the last entries
removed with their checkpoints) can only be seen against an outside record:
``verify`` prints the head, and ``--anchor`` checks the log against a
published one. Verify opens the store read-only and never creates, migrates
or repairs anything. Each check reports how many items it looked at and
names each broken one; any problem fails the whole report.

This module is pure: it checks what it is given. ``store/integrity.py``
opens the store, reads the log and the rows, and feeds them to these checks
and to ``completeness.py``'s (``verify_home``, ``verify_store``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ..errors import DossierError
from ..evidence.keys import (
    PRIVATE_NAME,
    PUBLIC_NAME,
    key_id,
    load_private_key,
    load_public_key,
    verify_signature,
)
from ..records import Checkpoint, CustodyEntry
from .anchor import read_anchor
from .artifacts import ArtifactStore
from .completeness import Check, CustodyIndex
from .custody import check_chain
from .merkle import MerkleFrontier


@dataclass
class VerifyReport:
    checks: list[Check]
    notes: list[str] = field(default_factory=list)
    head: Checkpoint | None = None
    size: int = 0

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    @property
    def first_problem(self) -> str | None:
        for c in self.checks:
            if c.problems:
                return c.problems[0]
        return None


def check_custody_chain(entries: list[CustodyEntry]) -> Check:
    """Every entry links to the one before it."""
    chain = Check("custody chain", checked=len(entries))
    broken = check_chain(entries)
    if broken:
        chain.problems.append(str(broken))
    return chain


def check_keys(keys: Path) -> tuple[Check, Ed25519PublicKey | None]:
    """The installation's key pair in ``keys``: present, usable, one pair; the public key."""
    check = Check("keys", checked=2)
    public: Ed25519PublicKey | None = None
    pub_path, key_path = keys / PUBLIC_NAME, keys / PRIVATE_NAME
    if not pub_path.is_file():
        check.problems.append(
            f"{pub_path}: the public key is missing; restore it from a backup "
            "(verify never makes a new one)"
        )
    else:
        try:
            public = load_public_key(pub_path)
        except (DossierError, ValueError) as exc:
            check.problems.append(f"{pub_path}: not a usable public key ({exc})")
    if not key_path.is_file():
        check.problems.append(
            f"{key_path}: the private key is missing; restore it from a backup "
            "(no new checkpoint can be signed without it)"
        )
    else:
        try:
            private = load_private_key(keys)
        except (DossierError, ValueError) as exc:
            check.problems.append(f"{key_path}: not a usable private key ({exc})")
        else:
            if public is not None and key_id(private.public_key()) != key_id(public):
                check.problems.append(
                    f"{key_path}: the private key does not belong to {pub_path} "
                    f"(key {key_id(private.public_key())}, public key {key_id(public)})"
                )
    return check, public


def check_checkpoints(
    cps: list[Checkpoint],
    stored_frontier: Callable[[], MerkleFrontier | None],
    entries: list[CustodyEntry],
    public: Ed25519PublicKey | None,
    *,
    chain_ok: bool,
) -> tuple[Check, Checkpoint | None]:
    """Each checkpoint's signature and Merkle root, the stored frontier, and no entry
    beyond the last checkpoint; the newest good checkpoint (the head)."""
    check = Check("checkpoints")
    n = len(entries)
    check.checked = len(cps)
    if public is None:
        if cps:
            check.problems.append(
                f"{len(cps)} checkpoint(s) cannot be checked without the public key"
            )
        return check, None
    kid = key_id(public)
    try:
        frontier = stored_frontier()
    except ValueError as exc:
        check.problems.append(f"custody frontier: {exc}; the next checkpoint rebuilds it")
        frontier = None
    sizes = {cp.size for cp in cps if cp.size <= n}
    if frontier is not None:
        sizes.add(frontier.size)
    roots = _prefix_roots(entries, sizes)
    if frontier is not None and (
        frontier.size > n
        or frontier.last is None
        or entries[frontier.size - 1].entry_hash != frontier.last.hex()
        or roots[frontier.size] != frontier.root().hex()
    ):
        check.problems.append(
            f"custody frontier (size {frontier.size}): does not match the log's first "
            f"{frontier.size} entries; checkpoints signed from it would not verify"
        )
    good: Checkpoint | None = None
    for cp in cps:
        where = f"checkpoint at size {cp.size}"
        if cp.key_id != kid:
            check.problems.append(
                f"{where}: signed by key {cp.key_id}, not this installation's {kid}"
            )
        elif not verify_signature(public, cp.signature, cp.message()):
            check.problems.append(f"{where}: signature does not verify")
        elif cp.size > n:
            check.problems.append(f"{where}: covers {cp.size} entries but the log has only {n}")
        elif roots[cp.size] != cp.root:
            check.problems.append(
                f"{where}: Merkle root does not match the log's first {cp.size} entries"
            )
        else:
            good = cp
    covered = max((cp.size for cp in cps), default=0)
    if n > covered:
        # Entries and their checkpoint commit in one transaction: no crash leaves this.
        first = covered + 1
        span = f"entry {first}" if first == n else f"entries {first}..{n}"
        check.problems.append(
            f"custody {span} covered by no signed checkpoint (every transaction signs the "
            "entries it writes, so an interrupted command leaves none: a checkpoint was "
            "deleted, or entries were written outside Dossier)"
        )
    return check, good


def _prefix_roots(entries: list[CustodyEntry], sizes: set[int]) -> dict[int, str]:
    """The Merkle root (hex) of the first ``size`` entries for each size, in one pass."""
    frontier = MerkleFrontier()
    roots: dict[int, str] = {}
    for entry in entries:
        frontier.add(bytes.fromhex(entry.entry_hash))
        if frontier.size in sizes:
            roots[frontier.size] = frontier.root().hex()
    return roots


def check_anchor(path: Path, entries: list[CustodyEntry], public: Ed25519PublicKey | None) -> Check:
    check = Check("anchor", checked=1)
    try:
        anchored = read_anchor(path)
    except DossierError as exc:
        check.problems.append(str(exc))
        return check
    where = f"anchor {path} (size {anchored.size})"
    if public is None:
        check.problems.append(f"{where}: cannot be checked without the public key")
    elif anchored.key_id != key_id(public):
        check.problems.append(
            f"{where}: signed by key {anchored.key_id}, not this installation's {key_id(public)}"
        )
    elif not verify_signature(public, anchored.signature, anchored.message()):
        check.problems.append(f"{where}: signature does not verify")
    elif anchored.size > len(entries):
        check.problems.append(
            f"{where}: the log has only {len(entries)} entries; "
            f"{anchored.size - len(entries)} anchored entries were removed (rolled back)"
        )
    elif _prefix_roots(entries, {anchored.size})[anchored.size] != anchored.root:
        check.problems.append(
            f"{where}: the log's first {anchored.size} entries no longer have the anchored root "
            "(the log was rewritten)"
        )
    return check


def notes_for(artifacts: ArtifactStore, checks: list[Check], log: CustodyIndex) -> list[str]:
    """What a report says beside its checks: interrupted writes, items not covered."""
    notes = []
    leftovers = artifacts.leftovers()
    if leftovers:
        notes.append(
            f"{len(leftovers)} unfinished temporary artifact file(s) "
            "from an interrupted write (never read)"
        )
    acquired = {o.removeprefix("sha256:") for o in log.of("acquired")}
    pending = {sha for sha in artifacts.unlogged_markers() - acquired if artifacts.has(sha)}
    if len(pending) == 1:
        notes.append(
            f"blob sha256:{next(iter(pending))} was written by an ingest interrupted before "
            "it logged it; ingest that file again"
        )
    for check in checks:
        if check.not_covered:
            notes.append(
                f"{check.name}: {check.not_covered} not covered (logged before Dossier hashed "
                "their recorded fields)"
            )
    return notes


__all__ = [
    "Check",
    "VerifyReport",
    "check_anchor",
    "check_checkpoints",
    "check_custody_chain",
    "check_keys",
    "notes_for",
]
