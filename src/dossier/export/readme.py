"""The README a bundle's recipient reads first: what is inside and how to check it."""

from __future__ import annotations

from typing import Any

from .collect import EvidenceSet

TEMPLATE = """Dossier evidence bundle
=======================

Incidents: {incidents}
Documents: {documents} ({restricted} restricted, {withheld} of them redacted here)
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
manifest.json          the SHA-256 of every other file; manifest.sig is its Ed25519 signature
public_key.pem         the signing key of the Dossier installation that made the bundle
verify_bundle.py       the checker (Python 3.11+, needs only the `cryptography` package)

How to check it
---------------
    python verify_bundle.py THIS.zip --key KEY.pem

Give --key the public key you obtained from the sender by another channel; the
signatures must verify against it. Without --key the bundle's own
public_key.pem is trusted and the checker says so (its key id is printed:
compare it with the sender's). The checker verifies the manifest signature,
every file's hash, the checkpoint signature, every custody entry's hash and
inclusion proof, that every original hashes to the value logged when it was
acquired, that every clean text and extraction run is the one logged, and
that the event, claim and quote records match the logged extraction. It
names whatever does not match; exit status 0 means every check passed.
(If `cryptography` is missing: `python -m pip install cryptography`.)

Restricted documents
--------------------
{restricted_text}
"""

REDACTED = """Restricted documents (witness statements) are redacted in this bundle:
- the original file is withheld and replaced by originals/<sha256>.withheld.txt,
  a note giving its SHA-256, size and type; the custody entry that logged it is
  included (without its detail, which can name the source) and proven;
- in the clean text, every PERSON entity the extraction found, and every other
  occurrence of those names, is replaced by "[REDACTED]"; the same names are
  replaced in the records, and offsets are moved to the redacted text;
- redacted texts and analyses cannot match the hashes logged at ingest; the
  manifest signature covers them, and records/documents.json marks them
  "redacted": true with the hash of the redacted text.
Redacted documents: {ids}
"""

DISCLOSED = """The reviewer who made this bundle asked for restricted documents in full
(--include-restricted); that disclosure is recorded in the custody log as a
'disclosed_restricted' entry for each one, included in custody/entries.jsonl.
"""


def readme_text(evidence: EvidenceSet, withheld: set[str], include: bool, checkpoint: Any) -> str:
    restricted = evidence.restricted()
    if withheld:
        text = REDACTED.format(ids=", ".join(sorted(withheld)))
    elif include and restricted:
        text = DISCLOSED
    else:
        text = "None of the documents in this bundle is restricted.\n"
    return TEMPLATE.format(
        incidents=", ".join(i["id"] for i in evidence.incidents),
        documents=len(evidence.documents),
        restricted=len(restricted),
        withheld=len(withheld),
        size=checkpoint.size,
        root=checkpoint.root,
        time=checkpoint.time,
        key_id=checkpoint.key_id,
        restricted_text=text,
    )
