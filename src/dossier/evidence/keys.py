"""The installation's Ed25519 key pair, made at ``dossier init``.

The private key is written with mode 0600 (owner only); the public key is
PEM and can be handed to anyone who needs to verify checkpoints or bundles.
"""

from __future__ import annotations

import os
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey

from ..errors import StoreError
from .canonical import sha256_hex

PRIVATE_NAME = "ed25519.key"
PUBLIC_NAME = "ed25519.pub"


def ensure_keys(keys_dir: Path) -> None:
    """Create the key pair in ``keys_dir`` unless it is already there."""
    keys_dir.mkdir(parents=True, exist_ok=True)
    private_path = keys_dir / PRIVATE_NAME
    if private_path.exists():
        return
    key = Ed25519PrivateKey.generate()
    pem = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    tmp = private_path.with_suffix(".tmp")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as fh:
        fh.write(pem)
        fh.flush()
        os.fsync(fh.fileno())
    public = key.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    (keys_dir / PUBLIC_NAME).write_bytes(public)
    os.replace(tmp, private_path)


def load_private_key(keys_dir: Path) -> Ed25519PrivateKey:
    path = keys_dir / PRIVATE_NAME
    try:
        key = serialization.load_pem_private_key(path.read_bytes(), password=None)
    except FileNotFoundError as exc:
        raise StoreError(f"{path}: no signing key; run `dossier init`") from exc
    if not isinstance(key, Ed25519PrivateKey):
        raise StoreError(f"{path}: not an Ed25519 private key")
    return key


def load_public_key(path: Path) -> Ed25519PublicKey:
    """Load a PEM Ed25519 public key from a file."""
    return public_key_from_pem(path.read_bytes(), str(path))


def public_key_from_pem(pem: bytes, name: str = "public key") -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise StoreError(f"{name}: not an Ed25519 public key")
    return key


def key_id(public: Ed25519PublicKey) -> str:
    """A short fingerprint of a public key: SHA-256 of its raw bytes, 16 hex digits."""
    raw = public.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return sha256_hex(raw)[:16]


def verify_signature(public: Ed25519PublicKey, signature_hex: str, message: bytes) -> bool:
    try:
        public.verify(bytes.fromhex(signature_hex), message)
    except (InvalidSignature, ValueError):
        return False
    return True
