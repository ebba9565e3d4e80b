"""Trusted signing keys: this installation's own and the team's other installations'.

Every installation that writes into a shared database signs the checkpoints
of its own transactions with its own Ed25519 key. ``dossier verify`` checks
each checkpoint against the key that signed it (its ``key_id``), and trusts a
key only when it is this installation's or a PEM file in the trusted-keys
folder (the ``trusted_keys`` setting; default ``trusted_keys/`` in the home).
The list lives outside the database on purpose: whoever can write the
database must not be able to make their own key trusted.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

from ..errors import MalformedInput, StoreError
from .keys import key_id

SUFFIX = ".pem"
MAX_PEM_BYTES = 64 * 1024  # an Ed25519 public key in PEM is 113 bytes


@dataclass
class TrustedKeys:
    """Key id -> public key for every key trusted here, and what could not be read."""

    folder: Path
    keys: dict[str, Ed25519PublicKey] = field(default_factory=dict)
    problems: list[str] = field(default_factory=list)


def parse_public_key(pem: bytes, name: str) -> Ed25519PublicKey:
    """An Ed25519 public key from PEM bytes; anything else raises MalformedInput naming ``name``."""
    if len(pem) > MAX_PEM_BYTES:
        raise MalformedInput(name, f"{len(pem)} bytes is no public key file")
    try:
        key = serialization.load_pem_public_key(pem)
    except (ValueError, TypeError) as exc:
        raise MalformedInput(name, f"not a PEM public key ({exc})") from exc
    if not isinstance(key, Ed25519PublicKey):
        raise MalformedInput(name, "not an Ed25519 public key")
    return key


def load_trusted(folder: Path) -> TrustedKeys:
    """Every ``*.pem`` in ``folder`` (none when it does not exist), by key id."""
    trusted = TrustedKeys(folder)
    if not folder.is_dir():
        return trusted
    for path in sorted(folder.iterdir()):
        if path.suffix != SUFFIX or not path.is_file():
            continue
        try:
            key = parse_public_key(path.read_bytes(), str(path))
        except MalformedInput as exc:
            trusted.problems.append(f"trusted key {exc}")
            continue
        except OSError as exc:
            trusted.problems.append(f"trusted key {path}: cannot read it ({exc.strerror or exc})")
            continue
        trusted.keys[key_id(key)] = key
    return trusted


def canonical_pem(key: Ed25519PublicKey) -> bytes:
    return key.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )


def read_public_key(source: Path) -> Ed25519PublicKey:
    """The Ed25519 public key in the PEM file ``source``; MalformedInput naming it otherwise."""
    try:
        data = source.read_bytes()
    except OSError as exc:
        raise MalformedInput(str(source), f"cannot read it ({exc.strerror or exc})") from exc
    return parse_public_key(data, str(source))


def trusted_path(folder: Path, key: Ed25519PublicKey) -> Path:
    return folder / f"{key_id(key)}{SUFFIX}"


def is_trusted(folder: Path, key: Ed25519PublicKey) -> bool:
    """Whether ``folder`` holds ``key`` already; a file of its name holding another raises."""
    target = trusted_path(folder, key)
    if not target.exists():
        return False
    try:
        held = parse_public_key(target.read_bytes(), str(target))
    except (MalformedInput, OSError) as exc:
        raise StoreError(f"{target}: already there but unreadable ({exc}); remove it") from exc
    if key_id(held) != key_id(key):
        raise StoreError(f"{target}: holds key {key_id(held)}, not {key_id(key)}; remove it")
    return True


def write_trusted(folder: Path, key: Ed25519PublicKey) -> Path:
    """Write ``key`` into ``folder`` as ``<key id>.pem`` (whole, or not at all)."""
    folder.mkdir(mode=0o700, parents=True, exist_ok=True)
    target = trusted_path(folder, key)
    tmp = target.with_name(f".{target.name}.tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(canonical_pem(key))
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, target)
    return target
