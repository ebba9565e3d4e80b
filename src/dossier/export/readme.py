"""The README a bundle's recipient reads first: what is inside and how to check it."""

from __future__ import annotations

from typing import Any

from .collect import EvidenceSet

TEMPLATE = """Dossier evidence bundle
=======================

Incidents: {incidents}
Documents: {documents} ({restricted} restricted or holding personal information, {withheld} of them
  redacted here)
Custody checkpoint: {size} entries, Merkle root {root}, signed {time} by key {key_id}

What is inside
--------------
originals/<sha256>     the preserved original files, each named by its SHA-256
texts/<doc>.txt        the clean text Dossier extracted from each document
analyses/<doc>/<pipeline>.json  the extraction runs as stored (events, claims, quotes, entities)
records/*.json         the incidents and their event, claim, quote and document records
custody/entries.jsonl  every custody log entry about these objects (hash-chained)
custody/proofs.json    an RFC 6962 inclusion proof for each entry
custody/checkpoint.json  the signed Merkle root the proofs lead to
custody/consistency.json  proofs that this log extends every earlier checkpoint
manifest.json          the SHA-256 of every other file; manifest.sig is its Ed25519 signature
public_key.pem         the signing key of the Dossier installation that made the bundle
verify_bundle.py.txt   a copy of the checker, to read; do not run it (see below)

How to check it
---------------
Use your own copy of the checker, never one that came inside a bundle: whoever
can alter a bundle can alter the checker in it to say "all checks passed",
and running it runs their code on your machine. Either

    dossier verify-bundle THIS.zip --key KEY.pem

with Dossier installed, or the standalone checker verify_bundle.py from a
Dossier release (Python 3.11+, needs only the `cryptography` package), after
checking that its SHA-256 is the one the Dossier documentation
(docs/exports.md) prints:

    python verify_bundle.py THIS.zip --key KEY.pem

The copy in this bundle has SHA-256 {verifier_sha256}; the checker warns
when it differs from the one you run.

Give --key the public key you obtained from the sender by another channel; the
signatures must verify against it. Without --key the check fails, unless you
give --trust-embedded-key: then the bundle's own public_key.pem is trusted,
which proves only that the bundle is internally consistent (anyone can sign a
bundle with a key of their own).

The checker refuses a malformed zip (duplicate names, data prepended,
appended or hidden, directory entries with data, mismatched headers, bad
CRCs, oversized or over-compressed entries), then verifies the manifest
signature, every file's hash, the checkpoint signature, every custody
entry's hash and inclusion proof, the 'bundle_sealed' custody entry that
commits to the hash of every original, text, analysis and record in this
bundle as exported, that every original hashes to the value logged when it
was acquired, that every clean text and extraction run is the one logged,
and that the event, claim and quote records match the logged extraction. It
names whatever does not match; exit status 0 means every check passed.

What that proves: this bundle is what the log of the installation holding
the signing key recorded when the bundle was made, up to the checkpoint
above. Whoever holds that key can write log entries, so if you hold a
checkpoint the installation published or had timestamped before (or one
from an earlier bundle), give it as --anchor SIZE:ROOT: the checker then
proves that this bundle's log extends it (custody/consistency.json carries
the proofs from every earlier checkpoint).

Restricted documents
--------------------
{restricted_text}
"""

REDACTED = """Restricted documents (witness statements) and documents flagged as holding
personal information are redacted in this bundle:
- the original file is withheld and replaced by originals/<sha256>.withheld.txt,
  a note giving its SHA-256, size and type; the custody entry that logged it is
  included (without its detail, which can name the source) and proven;
- in the clean text, every PERSON entity the extraction found, and every other
  occurrence of those names, is replaced by "[REDACTED]"; the same names are
  replaced in the records, and offsets are moved to the redacted text;
- redacted texts and analyses cannot match the hashes logged at ingest; the
  'bundle_sealed' custody entry commits to them as exported, and
  records/documents.json marks them "redacted": true with the hash of the
  redacted text.
Redacted documents: {ids}
"""

DISCLOSED = """The reviewer who made this bundle asked for restricted documents in full
(--include-restricted); that disclosure is recorded in the custody log as a
'disclosed_restricted' entry for each one, included in custody/entries.jsonl.
"""


def readme_text(
    evidence: EvidenceSet,
    withheld: set[str],
    include: bool,
    checkpoint: Any,
    verifier_sha256: str,
) -> str:
    """The bundle's README.txt."""
    restricted = evidence.restricted() | evidence.personal
    if withheld:
        text = REDACTED.format(ids=", ".join(sorted(withheld)))
    elif include and restricted:
        text = DISCLOSED
    else:
        text = "None of the documents in this bundle is restricted.\n"
    return TEMPLATE.format(
        incidents=", ".join(i.id for i in evidence.incidents),
        documents=len(evidence.documents),
        restricted=len(restricted),
        withheld=len(withheld),
        size=checkpoint.size,
        root=checkpoint.root,
        time=checkpoint.time,
        key_id=checkpoint.key_id,
        restricted_text=text,
        verifier_sha256=verifier_sha256,
    )
