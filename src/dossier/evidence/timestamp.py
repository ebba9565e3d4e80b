"""Trusted time: RFC 3161 timestamp tokens over signed checkpoints.

A Time-Stamp Authority (the ``tsa_url`` setting) signs the SHA-256 of a
checkpoint's signed bytes (``Checkpoint.message()``: size, Merkle root,
time) with its own certificate, so the checkpoint, and through its root
every custody entry before it, provably existed at the TSA's time, whoever
holds the signing key. The whole TimeStampResp is kept (it carries the
TSA's certificate); ``check_token`` verifies it against the CA certificates
of the ``tsa_ca`` setting: chain, the timeStamping key usage, and that its
message imprint is this checkpoint's.
"""

from __future__ import annotations

import hashlib
import re
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from cryptography import x509
from rfc3161_client import (
    HashAlgorithm,
    PKIStatus,
    TimestampRequestBuilder,
    VerificationError,
    VerifierBuilder,
    decode_timestamp_response,
)

from ..errors import ConfigError, DossierError

MAX_RESPONSE_BYTES = 1024 * 1024
QUERY_TYPE = "application/timestamp-query"


class TimestampUnavailable(DossierError):
    """The Time-Stamp Authority could not be reached or gave no usable token."""


@dataclass(frozen=True)
class Token:
    der: bytes  # the TimeStampResp as the TSA sent it
    gen_time: str  # the TSA's time, ISO 8601 UTC


def imprint(message: bytes) -> bytes:
    return hashlib.sha256(message).digest()


def request_token(url: str, message: bytes, *, timeout: float) -> Token:
    """Ask the TSA at ``url`` to timestamp ``message``; raises TimestampUnavailable."""
    request = (
        TimestampRequestBuilder()
        .data(message)
        .hash_algorithm(HashAlgorithm.SHA256)
        .nonce(nonce=True)
        .cert_request(cert_request=True)
        .build()
    )
    http = urllib.request.Request(
        url, data=request.as_bytes(), headers={"Content-Type": QUERY_TYPE}, method="POST"
    )
    try:
        with urllib.request.urlopen(http, timeout=timeout) as response:  # noqa: S310 (a setting)
            body = response.read(MAX_RESPONSE_BYTES + 1)
    except (urllib.error.URLError, OSError, ValueError) as exc:
        raise TimestampUnavailable(f"time-stamp authority {url}: no answer ({exc})") from exc
    if len(body) > MAX_RESPONSE_BYTES:
        raise TimestampUnavailable(f"time-stamp authority {url}: answer over 1 MiB")
    try:
        resp = decode_timestamp_response(body)
    except ValueError as exc:
        raise TimestampUnavailable(
            f"time-stamp authority {url}: not a timestamp reply ({exc})"
        ) from exc
    if resp.status not in (PKIStatus.GRANTED, PKIStatus.GRANTED_WITH_MODS):
        raise TimestampUnavailable(
            f"time-stamp authority {url}: refused (status {resp.status} {resp.status_string})"
        )
    info = resp.tst_info
    if info.message_imprint.message != imprint(message) or info.nonce != request.nonce:
        raise TimestampUnavailable(f"time-stamp authority {url}: a token for another request")
    return Token(der=resp.as_bytes(), gen_time=_iso(info.gen_time))


def _iso(when: object) -> str:
    text = when.isoformat() if hasattr(when, "isoformat") else str(when)
    return text.replace("+00:00", "Z")


def load_ca(path: Path) -> list[x509.Certificate]:
    """The CA certificates (PEM) of ``path``; a missing or malformed file raises ConfigError."""
    try:
        certs = x509.load_pem_x509_certificates(path.read_bytes())
    except OSError as exc:
        raise ConfigError(f"tsa_ca {path}: cannot read it ({exc.strerror or exc})") from exc
    except ValueError as exc:
        raise ConfigError(f"tsa_ca {path}: not PEM certificates ({exc})") from exc
    return certs


def check_token(der: bytes, message: bytes, roots: list[x509.Certificate]) -> str | None:
    """None when ``der`` is a valid token over ``message`` from a TSA under ``roots``,
    else the reason it is not."""
    try:
        resp = decode_timestamp_response(der)
    except ValueError as exc:
        return f"not a timestamp token ({exc})"
    if resp.tst_info.message_imprint.message != imprint(message):
        return "the token is for other bytes, not this checkpoint"
    builder = VerifierBuilder()
    for cert in roots:
        builder = builder.add_root_certificate(cert)
    try:
        builder.build().verify(resp, imprint(message))
    except (VerificationError, ValueError) as exc:
        return f"the token does not verify against the trusted TSA CA ({_short(str(exc))})"
    return None


def _short(message: str) -> str:
    """OpenSSL's error stack cut to its reasons: "...: signature failure; certificate ..."."""
    head, _, stack = message.partition(": ErrorStack")
    details = re.findall(r'(?:reason|data): "([^"]*)"', stack)
    return "; ".join([head, *dict.fromkeys(details)]) if details else head


def token_time(der: bytes) -> str:
    return _iso(decode_timestamp_response(der).tst_info.gen_time)
