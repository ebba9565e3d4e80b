"""Check a Dossier evidence bundle offline: zip structure, signature, hashes, custody, records.

Run your own copy, never the one inside a bundle: ``dossier verify-bundle``,
or this file from a Dossier release, whose SHA-256 ``docs/exports.md``
prints (``python verify_bundle.py BUNDLE.zip --key KEY.pem``). It imports
only the standard library and ``cryptography``. A bundle carries a copy as
``verify_bundle.py.txt`` for reading; if that copy differs from the
verifier being run, the report warns.

Everything in a bundle is treated as hostile: the zip must tile the file
exactly (nothing prepended, appended or hidden between entries), every name
must be unique, relative and the same in the local and central headers,
directory entries carry no data, CRCs must hold, and entries are streamed
in chunks under caps on size and compression ratio, so a zip bomb is named
and refused instead of filling memory. Each check names what does not
match; no input ends in a traceback.

``--key`` names the public key the signatures must verify against; without
it the verdict is a failure unless ``--trust-embedded-key`` is given, which
proves internal consistency only (anyone can sign a bundle with a key of
their own).

Bundle layout (format ``dossier-bundle/1``)::

    manifest.json, manifest.sig      SHA-256 of every other file; Ed25519 signature (hex)
    public_key.pem, README.txt, verify_bundle.py.txt (a copy to read, not to run)
    keys/<key id>.pem                the other keys that signed checkpoints it names
    originals/<sha256>               preserved bytes, named by their hash
    originals/<sha256>.withheld.txt  note replacing a restricted original
    texts/<doc>.txt                  clean texts (identities redacted when restricted)
    analyses/<doc>/<pipeline>.json   the stored extraction runs, byte for byte
    records/{incidents,documents,events,claims,quotes}.json
    custody/entries.jsonl, custody/proofs.json, custody/checkpoint.json

The ``bundle_sealed`` custody entry named by the manifest's ``seal`` commits
to the SHA-256 of every original, text, analysis and record file, and of
every record in the record files, as exported; it is proven against the
signed checkpoint like every other entry.

On a team server each installation signs its own transactions' checkpoints,
so the checkpoint or an earlier one may carry another member's key id. The
exporter vouches for those keys by listing them in its signed manifest
(``keys/``); each checkpoint is checked against the key its ``key_id`` names,
and a key id the bundle carries no key for is a failure.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import stat
import struct
import sys
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from cryptography.exceptions import InvalidSignature, UnsupportedAlgorithm
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

FORMAT = "dossier-bundle/1"
UNSIGNED = {"manifest.json", "manifest.sig"}
SIGNATURE_FORM = re.compile(rb"[0-9a-f]{128}")
HEX64 = re.compile(r"[0-9a-f]{64}")
VERIFIER_COPY = "verify_bundle.py.txt"
SEAL_ACTION = "bundle_sealed"
# The files a seal commits to; the rest (manifest, key, README, verifier copy)
# are covered by the manifest signature, custody files prove themselves.
SEALED_PREFIXES = ("originals/", "texts/", "analyses/", "records/")


class BundleFormatError(Exception):
    """The zip is not shaped as a bundle may be (raised and caught inside this module)."""


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


def _no_duplicate_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in pairs:
        if key in out:  # two parsers would disagree on which value counts
            raise ValueError(f"duplicate key {key!r}")
        out[key] = value
    return out


def strict_json(data: bytes) -> Any:
    """JSON as a bundle may hold it: UTF-8, no duplicate keys, no NaN (ValueError otherwise)."""
    try:
        return json.loads(
            data.decode("utf-8"),
            object_pairs_hook=_no_duplicate_keys,
            parse_constant=lambda c: _raise(ValueError(f"{c} is not JSON")),
        )
    except RecursionError as exc:
        raise ValueError("nested too deeply") from exc


def _raise(exc: Exception) -> Any:
    raise exc


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


def verify_consistency(
    old_size: int, new_size: int, proof: list[bytes], old_root: bytes, new_root: bytes
) -> bool:
    """RFC 9162 section 2.1.4.2: the tree of ``old_size`` leaves is a prefix of ``new_size``'s."""
    if old_size == new_size:
        return not proof and old_root == new_root
    if not 0 < old_size < new_size or not proof:
        return False
    if old_size & (old_size - 1) == 0:  # a power of two: the old root is the first node
        proof = [old_root, *proof]
    fn, sn = old_size - 1, new_size - 1
    while fn & 1:
        fn >>= 1
        sn >>= 1
    fr = sr = proof[0]
    for c in proof[1:]:
        if sn == 0:
            return False
        if fn & 1 or fn == sn:
            fr = _node(c, fr)
            sr = _node(c, sr)
            while fn and not fn & 1:
                fn >>= 1
                sn >>= 1
        else:
            sr = _node(sr, c)
        fn >>= 1
        sn >>= 1
    return sn == 0 and fr == old_root and sr == new_root


def _load_key(pem: bytes) -> Ed25519PublicKey:
    key = serialization.load_pem_public_key(pem)
    if not isinstance(key, Ed25519PublicKey):
        raise ValueError("not an Ed25519 public key")
    return key


def _signed(key: Ed25519PublicKey, signature_hex: Any, message: bytes) -> bool:
    if not isinstance(signature_hex, str):
        return False
    try:
        key.verify(bytes.fromhex(signature_hex.strip()), message)
    except (InvalidSignature, ValueError):
        return False
    return True


def key_id(key: Ed25519PublicKey) -> str:
    raw = key.public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    return sha256_hex(raw)[:16]


def own_sha256() -> str | None:
    """SHA-256 of this verifier's source file, to compare with a bundle's copy."""
    try:
        return sha256_hex(Path(__file__).read_bytes())
    except (OSError, NameError):
        return None


# ---------------------------------------------------------------------------
# Reading the zip: strict structure, streamed entries, bounded memory.

EOCD = struct.Struct("<4s4H2LH")  # end of central directory record
EOCD64 = struct.Struct("<4sQ2H2L4Q")  # zip64 end of central directory record
LOCATOR64 = struct.Struct("<4sLQL")  # zip64 end of central directory locator
LOCAL = struct.Struct("<4s5H3L2H")  # local file header
CHUNK = 1 << 20
MiB = 1 << 20
GiB = 1 << 30
# Files whose content the checks parse; everything else (originals, texts) is only hashed.
KEPT_PREFIXES = ("custody/", "records/", "analyses/", "keys/")
KEPT_NAMES = {"manifest.json", "manifest.sig", "public_key.pem"}


@dataclass(frozen=True)
class Limits:
    """Caps that keep a hostile zip (a "zip bomb") from exhausting memory, disk or time."""

    max_entry: int = 4 * GiB  # uncompressed bytes of one entry
    max_total: int = 32 * GiB  # uncompressed bytes of all entries together
    max_ratio: int = 200  # uncompressed / compressed, for entries over ratio_floor
    ratio_floor: int = 1 * MiB
    max_parsed: int = 256 * MiB  # one file the checks parse (JSON, key, signature)
    max_parsed_total: int = 1 * GiB
    max_entries: int = 1_000_000


@dataclass
class Contents:
    """What the checks need: every entry's SHA-256, and the bytes of the files they parse."""

    hashes: dict[str, str] = field(default_factory=dict)
    data: dict[str, bytes] = field(default_factory=dict)


def _kept(name: str) -> bool:
    return name in KEPT_NAMES or name.startswith(KEPT_PREFIXES)


def _unsafe_name(name: str) -> str | None:
    if not name:
        return "an empty name"
    if "\x00" in name or "\\" in name:
        return "a NUL or backslash in the name"
    if name.startswith("/") or re.match(r"[A-Za-z]:", name):
        return "an absolute path"
    if any(part in ("", ".", "..") for part in name.rstrip("/").split("/")):
        return "a '.', '..' or empty path component"
    return None


def _central_directory(fp: Any, size: int) -> tuple[int, int, int]:
    """(offset, size, entry count) of the central directory; the zip must end right after it."""
    if size < EOCD.size:
        raise zipfile.BadZipFile("too short")
    fp.seek(size - EOCD.size)
    sig, _, _, _, n, cd_size, cd_offset, comment = EOCD.unpack(fp.read(EOCD.size))
    if sig != b"PK\x05\x06" or comment:
        fp.seek(max(0, size - (1 << 16) - EOCD.size))
        if b"PK\x05\x06" not in fp.read():
            raise zipfile.BadZipFile("no zip end record")
        raise BundleFormatError(
            "the file does not end with the zip's end record: data was appended after "
            "the zip (or a zip comment added)"
        )
    cd_end = size - EOCD.size
    if 0xFFFFFFFF in (cd_size, cd_offset) or n == 0xFFFF:
        if size < EOCD.size + LOCATOR64.size:
            raise BundleFormatError("zip64 end record announced but missing")
        fp.seek(size - EOCD.size - LOCATOR64.size)
        lsig, _, rec_offset, _ = LOCATOR64.unpack(fp.read(LOCATOR64.size))
        if lsig != b"PK\x06\x07" or rec_offset + EOCD64.size != size - EOCD.size - LOCATOR64.size:
            raise BundleFormatError("zip64 end record locator damaged or not where it belongs")
        fp.seek(rec_offset)
        rec = EOCD64.unpack(fp.read(EOCD64.size))
        if rec[0] != b"PK\x06\x06":
            raise BundleFormatError("zip64 end record damaged")
        n, cd_size, cd_offset, cd_end = rec[7], rec[8], rec[9], rec_offset
    if cd_offset + cd_size != cd_end:
        raise BundleFormatError(
            f"the central directory does not sit where the end record says "
            f"({cd_end - cd_size - cd_offset:+d} bytes): data was prepended or inserted"
        )
    return cd_offset, cd_size, n


def _local_layout(fp: Any, infos: list[zipfile.ZipInfo], cd_offset: int) -> list[str]:
    """Entries must tile the file from byte 0 to the central directory, names matching."""
    problems = []
    pos = 0
    for info in sorted(infos, key=lambda i: i.header_offset):
        if info.header_offset != pos:
            what = "prepended before the first entry" if pos == 0 else "hidden between entries"
            if info.header_offset < pos:
                what = "entries overlap (one zip entry's bytes reused by another)"
            problems.append(
                f"{info.filename}: starts at byte {info.header_offset}, expected {pos} "
                f"({abs(info.header_offset - pos)} bytes {what})"
            )
            return problems
        fp.seek(pos)
        header = fp.read(LOCAL.size)
        if len(header) != LOCAL.size or header[:4] != b"PK\x03\x04":
            problems.append(f"{info.filename}: no local file header where the directory points")
            return problems
        fields = LOCAL.unpack(header)
        flags, name_len, extra_len = fields[2], fields[9], fields[10]
        raw = fp.read(name_len)
        local_name = raw.decode("utf-8" if flags & 0x800 else "cp437", "replace")
        if local_name != info.orig_filename:
            problems.append(
                f"{info.filename}: the local header names it {local_name!r}; the two "
                "names of one entry differ (a reader could see either)"
            )
        # a reader that walks local headers (a streaming unzip) must see the same entry
        method, crc, csize, usize = fields[3], fields[6], fields[7], fields[8]
        disagree = [
            what
            for what, local, central in (
                ("flags", flags, info.flag_bits),
                ("compression method", method, info.compress_type),
                ("CRC-32", crc, info.CRC),
                ("compressed size", csize, info.compress_size),
                ("size", usize, info.file_size),
            )
            if local != central
            and not (flags & 0x08 and what != "flags" and what != "compression method")
            and not (what.endswith("size") and local == 0xFFFFFFFF)  # in the zip64 extra
        ]
        if disagree:
            problems.append(
                f"{info.filename}: the local header and the central directory disagree on "
                f"{', '.join(disagree)}"
            )
        pos += LOCAL.size + name_len + extra_len + info.compress_size
        if flags & 0x08:  # a data descriptor follows the data
            fp.seek(pos)
            descriptor = fp.read(4)
            pos += 4 if descriptor == b"PK\x07\x08" else 0
            pos += 20 if info.file_size >= 0xFFFFFFFF or info.compress_size >= 0xFFFFFFFF else 12
    if pos != cd_offset:
        problems.append(
            f"{cd_offset - pos} bytes hidden between the last entry and the central directory"
            if pos < cd_offset
            else "the last entry runs into the central directory"
        )
    return problems


def read_bundle(path: Path, limits: Limits, check: Check) -> Contents | None:
    """Check the zip's structure and stream every entry; None (with problems named) if refused."""
    contents = Contents()
    try:
        with open(path, "rb") as fp:
            size = fp.seek(0, 2)
            cd_offset, _, n = _central_directory(fp, size)
            if n > limits.max_entries:
                raise BundleFormatError(f"{n} entries, more than the cap of {limits.max_entries}")
            with zipfile.ZipFile(fp) as zf:
                infos = zf.infolist()
                if len(infos) != n:
                    raise BundleFormatError(
                        f"the end record counts {n} entries, the directory holds {len(infos)}"
                    )
                check.problems += _entry_names(infos)
                if not check.problems:
                    check.problems += _local_layout(fp, infos, cd_offset)
                if not check.problems:
                    _stream(zf, infos, limits, check, contents)
    except BundleFormatError as exc:
        check.problems.append(f"{path}: {exc}")
    except (
        OSError,
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        EOFError,
        struct.error,
        NotImplementedError,  # an unknown zip version or compression
        ValueError,  # a name flagged UTF-8 that is not
        RuntimeError,
    ) as exc:
        check.problems.append(f"{path}: not a readable zip file ({exc})")
    return None if check.problems else contents


def _entry_names(infos: list[zipfile.ZipInfo]) -> list[str]:
    problems = []
    counts: dict[str, int] = {}
    for info in infos:
        counts[info.filename] = counts.get(info.filename, 0) + 1
    for name, k in sorted(counts.items()):
        if k > 1:
            problems.append(
                f"{name}: {k} entries of this name (readers differ on which one they show)"
            )
    for info in infos:
        # orig_filename is the name as stored; zipfile cuts filename at a NUL
        reason = _unsafe_name(info.orig_filename)
        if reason:
            problems.append(f"{info.orig_filename!r}: unsafe entry name ({reason})")
        mode = info.external_attr >> 16
        if stat.S_ISLNK(mode):
            problems.append(f"{info.filename}: a symbolic link entry (refused)")
        if info.flag_bits & 0x1:
            problems.append(f"{info.filename}: encrypted entry (refused)")
        if info.is_dir() and (info.file_size or info.compress_size):
            problems.append(
                f"{info.filename}: a directory entry carrying {info.file_size} bytes of data"
            )
    return problems


def _stream(
    zf: zipfile.ZipFile,
    infos: list[zipfile.ZipInfo],
    limits: Limits,
    check: Check,
    contents: Contents,
) -> None:
    declared = 0
    parsed = 0
    for info in infos:
        if info.is_dir():
            continue
        name = info.filename
        check.checked += 1
        declared += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if info.file_size > limits.max_entry:
            check.problems.append(
                f"{name}: {info.file_size} bytes uncompressed, over the cap of "
                f"{limits.max_entry} per entry"
            )
            return
        if declared > limits.max_total:
            check.problems.append(
                f"{name}: the entries so far inflate to {declared} bytes, over the cap of "
                f"{limits.max_total} in all"
            )
            return
        if info.file_size > limits.ratio_floor and ratio > limits.max_ratio:
            check.problems.append(
                f"{name}: compression ratio {ratio:.0f}:1 over the cap of {limits.max_ratio}:1 "
                "(a zip bomb?)"
            )
            return
        keep = _kept(name)
        if keep and info.file_size > limits.max_parsed:
            check.problems.append(
                f"{name}: {info.file_size} bytes, over the cap of {limits.max_parsed} for a "
                "file the checks parse"
            )
            return
        digest = hashlib.sha256()
        parts: list[bytes] = []
        read = 0
        try:
            with zf.open(info) as stream:
                while chunk := stream.read(CHUNK):
                    read += len(chunk)
                    if read > info.file_size:  # zipfile stops at the declared size; belt and braces
                        check.problems.append(f"{name}: inflates past its declared size")
                        return
                    digest.update(chunk)
                    if keep:
                        if parsed + read > limits.max_parsed_total:
                            check.problems.append(
                                f"{name}: the files the checks parse exceed "
                                f"{limits.max_parsed_total} bytes in all"
                            )
                            return
                        parts.append(chunk)
        except zipfile.BadZipFile as exc:
            reason = "CRC-32 mismatch: damaged or altered" if "CRC" in str(exc) else str(exc)
            check.problems.append(f"{name}: {reason}")
            return
        except (zlib.error, EOFError, OSError, NotImplementedError, RuntimeError) as exc:
            check.problems.append(f"{name}: cannot be decompressed ({exc})")
            return
        if read != info.file_size:
            check.problems.append(f"{name}: {read} bytes, the directory says {info.file_size}")
            return
        contents.hashes[name] = digest.hexdigest()
        if keep:
            parsed += read
            contents.data[name] = b"".join(parts)


# ---------------------------------------------------------------------------
# The checks.


def parse_anchor(text: str) -> tuple[int, str]:
    """``SIZE:ROOT`` (a checkpoint's size and hex Merkle root) as a pair; ValueError if not."""
    size, _, root = text.partition(":")
    root = root.strip().lower()
    if not size.strip().isdigit() or int(size) < 1 or not HEX64.fullmatch(root):
        raise ValueError(f"anchor {text!r}: expected SIZE:ROOT (an entry count, 64 hex digits)")
    return int(size), root


def verify_bundle(
    path: Path,
    key_path: Path | None = None,
    *,
    trust_embedded_key: bool = False,
    limits: Limits | None = None,
    anchors: list[tuple[int, str]] | None = None,
) -> BundleReport:
    """Run every check over the bundle at ``path``; only ``key_path`` (if given) is trusted.

    Without ``key_path`` the report fails unless ``trust_embedded_key``: then the
    bundle's own key is used and the report says it proved internal consistency only.
    ``anchors`` are (size, root) pairs of checkpoints the recipient holds from
    elsewhere; the bundle's log must extend each of them.
    """
    report = BundleReport()
    zip_check = Check("zip")
    report.checks.append(zip_check)
    contents = read_bundle(path, limits or Limits(), zip_check)
    if contents is None:
        return report
    signature = _check_signature(contents, key_path, trust_embedded_key, report)
    manifest = signature.manifest
    if manifest is None:
        return report
    try:
        _check_files(contents, manifest, report)
        _check_verifier_copy(contents, report)
        ring = _carried_keys(contents, manifest, signature.key, report)
        checkpoint = _check_checkpoint(contents, ring, report)
        entries, proven = _check_custody(contents, checkpoint, report)
        _check_consistency(contents, checkpoint, ring, anchors or [], report)
        _check_seal(contents, manifest, entries, proven, report)
        _check_records(contents, manifest, entries, report)
    except (KeyError, TypeError, ValueError, AttributeError, IndexError, RecursionError) as exc:
        # a file whose shape is not the bundle format's: say so instead of crashing
        report.checks.append(Check("structure", 1, [f"malformed bundle content ({exc!r})"]))
    return report


@dataclass
class _Signature:
    manifest: dict[str, Any] | None
    key: Ed25519PublicKey | None


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def manifest_problems(manifest: Any) -> list[str]:
    """What is wrong with the shape of a parsed manifest (empty when nothing is)."""
    if not isinstance(manifest, dict):
        return [f"manifest.json: a JSON {type(manifest).__name__}, expected an object"]
    out = []
    if manifest.get("format") != FORMAT:
        out.append(f"manifest.json: format {manifest.get('format')!r}, expected {FORMAT!r}")
    files = manifest.get("files")
    if not isinstance(files, dict) or not all(
        isinstance(v, str) and HEX64.fullmatch(v) for v in files.values()
    ):
        out.append("manifest.json: 'files' must map file names to SHA-256 hex digests")
    for key in ("incidents", "redacted_documents"):
        value = manifest.get(key)
        if not isinstance(value, list) or not all(isinstance(x, str) for x in value):
            out.append(f"manifest.json: {key!r} must be a list of strings")
    if not isinstance(manifest.get("include_restricted"), bool):
        out.append("manifest.json: 'include_restricted' must be true or false")
    cp = manifest.get("checkpoint")
    if not (
        isinstance(cp, dict)
        and _is_int(cp.get("size"))
        and isinstance(cp.get("root"), str)
        and HEX64.fullmatch(cp["root"])
    ):
        out.append("manifest.json: 'checkpoint' must hold an integer size and a hex root")
    seal = manifest.get("seal")
    if seal is not None and not (
        isinstance(seal, dict)
        and _is_int(seal.get("seq"))
        and isinstance(seal.get("object_id"), str)
        and isinstance(seal.get("object_hash"), str)
        and HEX64.fullmatch(seal["object_hash"])
    ):
        out.append("manifest.json: 'seal' must hold an integer seq, an object_id and a hex hash")
    return out


def _check_signature(
    contents: Contents, key_path: Path | None, trust_embedded: bool, report: BundleReport
) -> _Signature:
    check = Check("signature", 1)
    report.checks.append(check)
    files = contents.data
    if "manifest.json" not in files:
        check.problems.append("manifest.json is missing; nothing can be checked")
        return _Signature(None, None)
    try:
        manifest = strict_json(files["manifest.json"])
    except ValueError as exc:
        check.problems.append(f"manifest.json is not valid JSON ({exc})")
        return _Signature(None, None)
    shape = manifest_problems(manifest)
    if shape:
        check.problems += shape
        return _Signature(None, None)
    if canonical_json(manifest) != files["manifest.json"]:
        # one spelling only, so the signed bytes cannot be read two ways
        check.problems.append("manifest.json: not in canonical form (rewritten)")
    key: Ed25519PublicKey | None = None
    try:
        if key_path is not None:
            key = _load_key(key_path.read_bytes())
            report.notes.append(
                f"signatures checked against the key given: {key_path} (key id {key_id(key)})"
            )
        elif "public_key.pem" in files:
            key = _load_key(files["public_key.pem"])
            if trust_embedded:
                report.notes.append(
                    f"WARNING: --trust-embedded-key: the bundle's own public_key.pem (key id "
                    f"{key_id(key)}) was trusted, so this proves only that the bundle is "
                    "internally consistent, not who made it: anyone can sign a bundle with a "
                    "key of their own. Compare that key id with one obtained from the sender "
                    "by another channel, or rerun with --key"
                )
            else:
                check.problems.append(
                    "no --key given: a bundle signed by any key would pass; give --key with "
                    "the sender's public key obtained by another channel (the bundle's own "
                    f"key id is {key_id(key)}), or --trust-embedded-key to check internal "
                    "consistency only"
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


def _check_files(contents: Contents, manifest: dict[str, Any], report: BundleReport) -> None:
    listed: dict[str, str] = manifest["files"]
    check = Check("files", len(listed))
    report.checks.append(check)
    hashes = contents.hashes
    for name, digest in sorted(listed.items()):
        if name not in hashes:
            check.problems.append(f"{name}: listed in the manifest but missing from the bundle")
        elif hashes[name] != digest:
            check.problems.append(f"{name}: SHA-256 does not match the manifest (changed)")
    for name in sorted(set(hashes) - set(listed) - UNSIGNED):
        check.problems.append(f"{name}: in the bundle but not listed in the manifest (added)")


def _check_verifier_copy(contents: Contents, report: BundleReport) -> None:
    """Warn when the bundle's copy of the verifier is not this verifier."""
    mine = own_sha256()
    for name in (VERIFIER_COPY, "verify_bundle.py"):
        theirs = contents.hashes.get(name)
        if theirs is not None and mine is not None and theirs != mine:
            report.notes.append(
                f"WARNING: the bundle's {name} (sha256 {theirs[:16]}…) differs from this "
                f"verifier (sha256 {mine[:16]}…); do not run it: verify with your own copy "
                "(`dossier verify-bundle` or the verify_bundle.py of a Dossier release, "
                "whose SHA-256 the Dossier documentation prints)"
            )


def _json_file(contents: Contents, name: str, check: Check) -> Any:
    if name not in contents.data:
        check.problems.append(f"{name}: missing")
        return None
    try:
        return strict_json(contents.data[name])
    except ValueError as exc:
        check.problems.append(f"{name}: not valid JSON ({exc})")
        return None


def _carried_keys(
    contents: Contents, manifest: dict[str, Any], key: Ed25519PublicKey | None, report: BundleReport
) -> dict[str, Ed25519PublicKey]:
    """Key id -> key: the manifest's signing key and the ``keys/`` it lists (it vouches for
    them by signing their hashes); empty when the manifest's key is not trusted."""
    check = Check("keys")
    report.checks.append(check)
    if key is None:
        return {}
    ring = {key_id(key): key}
    for name in sorted(n for n in manifest["files"] if n.startswith("keys/")):
        check.checked += 1
        try:
            carried = _load_key(contents.data[name])
        except (KeyError, ValueError, UnsupportedAlgorithm) as exc:
            check.problems.append(f"{name}: not an Ed25519 public key ({exc})")
            continue
        kid = key_id(carried)
        if name != f"keys/{kid}.pem":
            check.problems.append(f"{name}: holds key {kid}, not the one its name says")
            continue
        ring[kid] = carried
    if len(ring) > 1:
        others = ", ".join(k for k in sorted(ring) if k != key_id(key))
        report.notes.append(
            f"checkpoints signed by {len(ring) - 1} other key(s) the sender trusts and vouches "
            f"for in its signed manifest: {others}"
        )
    return ring


def _signer(cp: dict[str, Any], ring: dict[str, Ed25519PublicKey]) -> Ed25519PublicKey | None:
    kid = cp.get("key_id")
    if isinstance(kid, str) and kid in ring:
        return ring[kid]
    if kid is None and len(ring) == 1:  # a bundle older than keys/: the manifest's key
        return next(iter(ring.values()))
    return None


def _check_checkpoint(
    contents: Contents, ring: dict[str, Ed25519PublicKey], report: BundleReport
) -> dict[str, Any] | None:
    check = Check("checkpoint", 1)
    report.checks.append(check)
    cp = _json_file(contents, "custody/checkpoint.json", check)
    if cp is None:
        return None
    if not (
        isinstance(cp, dict)
        and _is_int(cp.get("size"))
        and all(isinstance(cp.get(k), str) for k in ("root", "time", "signature"))
        and HEX64.fullmatch(cp["root"])
    ):
        check.problems.append(
            "custody/checkpoint.json: must hold an integer size and root, time, signature strings"
        )
        return None
    message = checkpoint_message(cp["size"], cp["root"], cp["time"])
    key = _signer(cp, ring)
    if not ring:
        check.problems.append("custody/checkpoint.json: no key to check its signature with")
    elif key is None:
        check.problems.append(
            f"custody/checkpoint.json: signature by key {cp.get('key_id')} cannot be checked: "
            "that key is neither the manifest's nor one the bundle carries in keys/"
        )
    elif not _signed(key, cp["signature"], message):
        check.problems.append(
            f"custody/checkpoint.json: signature over size {cp['size']} root {cp['root'][:16]}… "
            f"does not verify with key {key_id(key)}"
        )
    report.notes.append(
        f"custody checkpoint: {cp['size']} entries, Merkle root {cp['root']}, signed "
        f"{cp['time']}; if you hold an earlier published one, pass it as --anchor SIZE:ROOT"
    )
    return dict(cp)


ENTRY_FIELDS = ("seq", "time", "actor", "action", "object_id", "object_hash", "detail", "prev_hash")


def _check_custody(
    contents: Contents, cp: dict[str, Any] | None, report: BundleReport
) -> tuple[list[dict[str, Any]], set[int]]:
    """Each entry's hash and inclusion proof; returns the entries and the seqs fully proven."""
    check = Check("custody")
    report.checks.append(check)
    proven: set[int] = set()
    if "custody/entries.jsonl" not in contents.data:
        check.problems.append("custody/entries.jsonl: missing")
        return [], proven
    entries = []
    for n, line in enumerate(contents.data["custody/entries.jsonl"].decode().splitlines(), 1):
        if not line:
            continue
        entry = strict_json(line.encode())
        if not isinstance(entry, dict) or not _is_int(entry.get("seq")):
            check.problems.append(f"custody/entries.jsonl line {n}: not a custody entry")
            continue
        entries.append(entry)
    seqs = [e["seq"] for e in entries]
    if len(set(seqs)) != len(seqs):
        check.problems.append("custody/entries.jsonl: an entry appears twice")
    proofs_doc = _json_file(contents, "custody/proofs.json", check) or {}
    proofs = {int(p["seq"]): p for p in proofs_doc.get("proofs", [])}
    withheld = 0
    for entry in entries:
        check.checked += 1
        seq = entry["seq"]
        hash_ok = True
        if entry.get("detail_withheld"):
            withheld += 1  # restricted: the hash is proven below, the content cannot be recomputed
        else:
            body = {k: entry.get(k) for k in ENTRY_FIELDS}
            if sha256_hex(canonical_json(body)) != entry.get("entry_hash"):
                hash_ok = False
                check.problems.append(
                    f"custody entry {seq}: content does not match its entry_hash (edited)"
                )
        if cp is None:
            continue
        proof = proofs.get(seq)
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
            seq - 1,
            int(cp["size"]),
            path,
            bytes.fromhex(cp["root"]),
        ):
            check.problems.append(
                f"custody entry {seq}: inclusion proof does not lead to the checkpoint root "
                f"{cp['root'][:16]}… (entry or proof altered, or proof for another checkpoint)"
            )
        elif hash_ok:
            proven.add(seq)
    if withheld:
        report.notes.append(
            f"{withheld} custody entr{'y' if withheld == 1 else 'ies'} about restricted "
            "documents carry no detail: their inclusion in the signed log is proven, "
            "their content is withheld"
        )
    return entries, proven


def _check_consistency(
    contents: Contents,
    cp: dict[str, Any] | None,
    ring: dict[str, Ed25519PublicKey],
    anchors: list[tuple[int, str]],
    report: BundleReport,
) -> None:
    """The bundle's log extends every earlier checkpoint it lists, and every anchor given."""
    check = Check("consistency")
    report.checks.append(check)
    if cp is None:
        return
    size, root = int(cp["size"]), str(cp["root"])
    extends: dict[int, str] = {size: root}  # sizes whose root the bundle's log is proven to have
    if "custody/consistency.json" not in contents.data:
        report.notes.append("no custody/consistency.json: earlier checkpoints are not linked")
        proofs: list[Any] = []
    else:
        doc = _json_file(contents, "custody/consistency.json", check) or {}
        proofs = list(doc.get("proofs", []))
        if doc.get("checkpoint_size") != size:
            check.problems.append(
                f"custody/consistency.json: proofs are for a checkpoint of size "
                f"{doc.get('checkpoint_size')}, the bundle's has size {size} (wrong checkpoint)"
            )
            proofs = []
    for proof in proofs:
        check.checked += 1
        old_size, old_root = int(proof["size"]), str(proof["root"])
        path = [bytes.fromhex(h) for h in proof["path"]]
        if not verify_consistency(
            old_size, size, path, bytes.fromhex(old_root), bytes.fromhex(root)
        ):
            check.problems.append(
                f"custody/consistency.json: the log of {size} entries does not extend the "
                f"checkpoint of size {old_size} root {old_root[:16]}… (proof or root altered)"
            )
            continue
        key = ring.get(str(proof.get("key_id")))
        if ring and key is None:
            check.problems.append(
                f"custody/consistency.json: the checkpoint of size {old_size} is signed by key "
                f"{proof.get('key_id')}, which the bundle carries no key for"
            )
            continue
        if key is not None:
            message = checkpoint_message(old_size, old_root, str(proof.get("time")))
            if not _signed(key, proof.get("signature"), message):
                check.problems.append(
                    f"custody/consistency.json: the checkpoint of size {old_size} is not "
                    f"signed by key {key_id(key)}"
                )
                continue
        extends[old_size] = old_root
    for anchor_size, anchor_root in anchors:
        check.checked += 1
        where = f"anchor {anchor_size}:{anchor_root[:16]}…"
        if anchor_size > size:
            check.problems.append(
                f"{where}: newer than the bundle's checkpoint ({size} entries); the bundle "
                "cannot show that its log leads to it"
            )
        elif anchor_size not in extends:
            check.problems.append(
                f"{where}: the bundle carries no consistency proof from a checkpoint of "
                f"that size, so it cannot show that its log extends the anchor"
            )
        elif extends[anchor_size] != anchor_root:
            check.problems.append(
                f"{where}: the bundle's log had root {extends[anchor_size][:16]}… at that "
                "size; it does not extend the anchor (a rewritten or different log)"
            )
        else:
            report.notes.append(
                f"the bundle's log extends the anchor of {anchor_size} entries you gave"
            )


def _record_label(name: str, item: Any) -> str:
    if not isinstance(item, dict):
        return ""
    if name == "records/incidents.json" or name == "records/documents.json":
        return f" ({item.get('id')})"
    inner = item.get("event")
    if isinstance(inner, dict):
        return f" (event {inner.get('id')} of {item.get('document')})"
    return f" (of {item.get('document')})" if item.get("document") else ""


def _check_seal(
    contents: Contents,
    manifest: dict[str, Any],
    entries: list[dict[str, Any]],
    proven: set[int],
    report: BundleReport,
) -> None:
    """Every content file and record is the one the bundle_sealed custody entry commits to."""
    check = Check("seal")
    report.checks.append(check)
    seal = manifest.get("seal")
    if seal is None:
        check.problems.append(
            "manifest.json names no seal: the records are not tied to the custody log "
            "(a bundle from an older Dossier, or one whose seal was removed)"
        )
        return
    seq = seal["seq"]
    entry = next((e for e in entries if e.get("seq") == seq), None)
    if entry is None or entry.get("action") != SEAL_ACTION:
        check.problems.append(
            f"custody entry {seq}: the seal the manifest names is not in the slice"
        )
        return
    if seq not in proven:
        check.problems.append(f"custody entry {seq}: the seal is not proven in the signed log")
        return
    detail = entry.get("detail")
    if (
        entry.get("object_id") != seal["object_id"]
        or entry.get("object_hash") != seal["object_hash"]
        or not isinstance(detail, dict)
        or sha256_hex(canonical_json(detail)) != entry.get("object_hash")
    ):
        check.problems.append(
            f"custody entry {seq}: the seal's content does not match its object hash "
            "or the manifest"
        )
        return
    for key in ("incidents", "include_restricted", "redacted_documents"):
        if detail.get(key) != manifest[key]:
            check.problems.append(
                f"manifest.json: {key} {manifest[key]!r} is not what custody entry {seq} "
                f"sealed ({detail.get(key)!r})"
            )
    sealed: dict[str, str] = detail.get("files", {})
    records: dict[str, list[str]] = detail.get("records", {})
    present = {n: h for n, h in contents.hashes.items() if n.startswith(SEALED_PREFIXES)}
    for name in sorted(set(present) | set(sealed)):
        check.checked += 1
        if name not in sealed:
            check.problems.append(f"{name}: not sealed in custody entry {seq} (added)")
        elif name not in present:
            check.problems.append(f"{name}: sealed in custody entry {seq} but missing")
        elif present[name] != sealed[name]:
            check.problems += _record_differences(contents, name, records.get(name), seq) or [
                f"{name}: not the file sealed in custody entry {seq} (changed)"
            ]


def _record_differences(
    contents: Contents, name: str, hashes: list[str] | None, seq: int
) -> list[str]:
    """Name the records of a changed record file that differ from the sealed ones."""
    if hashes is None or name not in contents.data:
        return []
    try:
        items = strict_json(contents.data[name])
    except ValueError:
        return []
    if not isinstance(items, list):
        return []
    out = []
    for n, item in enumerate(items):
        if n >= len(hashes):
            out.append(f"{name}: record {n}{_record_label(name, item)} was not sealed (added)")
        elif sha256_hex(canonical_json(item)) != hashes[n]:
            out.append(
                f"{name}: record {n}{_record_label(name, item)} differs from the one sealed "
                f"in custody entry {seq} (edited)"
            )
    if len(hashes) > len(items):
        out.append(f"{name}: {len(hashes) - len(items)} sealed record(s) missing (removed)")
    return out


def _hex(object_id: str) -> str:
    return object_id.split(":", 1)[-1]


def _check_records(
    contents: Contents,
    manifest: dict[str, Any],
    entries: list[dict[str, Any]],
    report: BundleReport,
) -> None:
    """Tie files to the custody log: originals, texts and analyses carry the logged hashes."""
    check = Check("records")
    report.checks.append(check)
    logged: dict[tuple[str, str], set[str]] = {}
    for e in entries:
        logged.setdefault((str(e.get("action", "")), str(e.get("object_id", ""))), set()).add(
            str(e.get("object_hash") or "")
        )
    redacted = set(manifest["redacted_documents"])
    for name, digest in sorted(contents.hashes.items()):
        if name.startswith("originals/") and not name.endswith(".withheld.txt"):
            check.checked += 1
            sha = name.split("/", 1)[1]
            if digest != sha:
                check.problems.append(
                    f"{name}: content does not match the hash it is named by (changed)"
                )
            if sha not in logged.get(("acquired", f"sha256:{sha}"), set()):
                check.problems.append(f"{name}: no custody 'acquired' entry with this hash")
    documents = _json_file(contents, "records/documents.json", check) or []
    derived = {
        kind: _json_file(contents, f"records/{kind}s.json", check) or []
        for kind in ("event", "claim", "quote")
    }
    for doc in documents:
        check.checked += 1
        key = _hex(doc["id"])
        text = contents.hashes.get(f"texts/{key}.txt")
        if doc["id"] not in redacted:
            # redacted copies cannot match the logged hashes; the seal commits to them
            if text is None or text != doc["text_sha256"]:
                check.problems.append(
                    f"texts/{key}.txt: missing or does not match the document's text_sha256"
                )
            if doc["text_sha256"] not in logged.get(("ingested", doc["id"]), set()):
                check.problems.append(
                    f"records/documents.json: {doc['id']} text hash is not the one logged at ingest"
                )
        for pipeline, name in sorted(doc.get("analyses", {}).items()):
            if name not in contents.data:
                check.problems.append(f"{name}: missing")
                continue
            analysis = contents.data[name]
            extracted = logged.get(("extracted", doc["id"]), set())
            if doc["id"] not in redacted and sha256_hex(analysis) not in extracted:
                check.problems.append(f"{name}: not the extraction logged in custody")
            _check_derived(strict_json(analysis), (doc["id"], pipeline), name, derived, check)


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


def print_report(report: BundleReport, say: Any = print) -> None:
    """Print the report as ``dossier verify-bundle`` and this script do (``say`` prints a line)."""
    for check in report.checks:
        say(f"{check.name}: {check.checked} checked, {'ok' if check.ok else 'FAILED'}")
        for problem in check.problems:
            say(f"  {problem}")
    for note in report.notes:
        say(f"note: {note}")
    say("verify-bundle: all checks passed" if report.ok else "verify-bundle: FAILED")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Verify a Dossier evidence bundle offline.")
    parser.add_argument("bundle", type=Path)
    parser.add_argument(
        "--key", type=Path, help="PEM public key the signatures must verify against"
    )
    parser.add_argument(
        "--trust-embedded-key",
        action="store_true",
        help="without --key, trust the bundle's own key (proves internal consistency only)",
    )
    defaults = Limits()
    parser.add_argument(
        "--max-entry-size",
        type=int,
        default=defaults.max_entry,
        metavar="BYTES",
        help=f"refuse an entry that inflates past this (default {defaults.max_entry})",
    )
    parser.add_argument(
        "--max-total-size",
        type=int,
        default=defaults.max_total,
        metavar="BYTES",
        help=f"refuse a bundle that inflates past this in all (default {defaults.max_total})",
    )
    parser.add_argument(
        "--anchor",
        action="append",
        default=[],
        metavar="SIZE:ROOT",
        help="a checkpoint (entry count and hex Merkle root) held from elsewhere, e.g. "
        "published or timestamped; the bundle's log must extend it (repeatable)",
    )
    args = parser.parse_args(argv)
    limits = Limits(max_entry=args.max_entry_size, max_total=args.max_total_size)
    try:
        anchors = [parse_anchor(a) for a in args.anchor]
    except ValueError as exc:
        parser.error(str(exc))
    report = verify_bundle(
        args.bundle,
        args.key,
        trust_embedded_key=args.trust_embedded_key,
        limits=limits,
        anchors=anchors,
    )
    print_report(report)
    return 0 if report.ok else 1


if __name__ == "__main__":
    sys.exit(main())
