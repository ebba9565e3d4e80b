"""The versions of the extraction's components, and the pipeline name they make.

Every extraction run is stored under ``PIPELINE_VERSION``, and ``dossier extract``
re-extracts a document whose latest run has another name; so a change to a rule
that changes the output must change the name. Each component (a group of
modules under ``extract/``) carries its own version here: bump the one whose
files you changed, then run ``scripts/regen_golden.py``. The pipeline name is
``extract.v2-`` plus a short hash of all component versions (a readable list of
nine versions would not fit the 60 characters the store gives a pipeline name);
``describe()`` spells the versions out.

``fingerprints()`` hashes each component's files. tests/golden/extract/VERSION.json
records the fingerprints beside the versions they were made with, and
``test_golden_version_matches_code_fingerprint`` fails when a component's files
changed while its version did not.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent


@dataclass(frozen=True)
class Component:
    """One part of the extraction: its version and the files it owns (paths under extract/;
    one ending in "/" owns the folder: places/ and lang/ are one component each)."""

    version: str
    files: tuple[str, ...]


# The analyser's entry points and the spaCy set-up that every component reads through.
ANALYZER = "analyzer.3"  # 3: truecasing one-case English; Ukrainian and Russian routed
ENTITIES = "entities.1"
PLACES = "places.2"  # 2: distances with the mean Earth radius of geo.py
TIMES = "times.1"
EVENTS = "events.4"  # event triggers, types, subtypes, actors and event places
# (2: triggers frame by frame, detention subtypes, agents, headline and body strikes merge;
# 3: a wounding by shooting or stabbing is a killing-type event with harm injured, not
# for soldiers alone; 4: soldiers executed or shot dead stay events)
HARM = "harm.2"  # 2: numbers in every form, kinds from the governing words, aggregates
CLAIMS = "claims.1"
SPEECH = "speech.2"  # quotes and their speakers (2: roles and pronouns to names)
CYRILLIC = "cyrillic.2"  # the Ukrainian and Russian analyser, extract/lang/

COMPONENTS: dict[str, Component] = {
    "analyzer": Component(
        ANALYZER, ("__init__.py", "analyzer.py", "nlp.py", "parsed.py", "truecase.py")
    ),
    "entities": Component(ENTITIES, ("entities.py",)),
    "places": Component(PLACES, ("places/",)),
    "times": Component(TIMES, ("times.py",)),
    "events": Component(
        EVENTS,
        (
            "events/__init__.py",
            "events/finder.py",
            "events/triggers.py",
            "events/sides.py",
            "events/status.py",
            "events/event_place.py",
            "events/clauses.py",
        ),
    ),
    "harm": Component(HARM, ("events/harm.py", "events/aggregates.py")),
    "claims": Component(CLAIMS, ("speech/claims.py",)),
    "speech": Component(
        SPEECH, ("speech/__init__.py", "speech/marks.py", "speech/quotes.py", "speech/speakers.py")
    ),
    "cyrillic": Component(CYRILLIC, ("lang/",)),
}

# Files under extract/ that do not shape an analysis: the store runner, its worker
# processes, reading input files for ``dossier analyze``, printing a summary, and
# this registry (bumping a version must not count as a change of rules).
NOT_RULES = ("versions.py", "runner.py", "workers.py", "reading.py", "summary.py")


def describe() -> str:
    """Every component's version, in a fixed order: what the pipeline name hashes."""
    return "+".join(COMPONENTS[name].version for name in sorted(COMPONENTS))


def pipeline_name() -> str:
    """The name stored with every extraction run of these component versions."""
    return "extract.v2-" + hashlib.sha256(describe().encode()).hexdigest()[:10]


PIPELINE_VERSION = pipeline_name()


def source_files() -> list[Path]:
    """Every file under extract/ that the package ships (sources and data), sorted."""
    return sorted(
        p
        for p in ROOT.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts and p.suffix not in (".pyc", ".pyo")
    )


def owner(path: Path) -> str | None:
    """The component that owns ``path`` (None for NOT_RULES files)."""
    rel = path.relative_to(ROOT)
    if rel.as_posix() in NOT_RULES:
        return None
    posix = rel.as_posix()
    owners = [
        name
        for name, c in COMPONENTS.items()
        if any(posix == f or (f.endswith("/") and posix.startswith(f)) for f in c.files)
    ]
    if len(owners) != 1:
        raise LookupError(
            f"extract/{rel.as_posix()} belongs to {len(owners)} components ({owners}); "
            "give it exactly one in extract/versions.py COMPONENTS (or NOT_RULES)"
        )
    return owners[0]


def fingerprints() -> dict[str, str]:
    """Component name -> SHA-256 of its files (relative paths and bytes)."""
    digests = {name: hashlib.sha256() for name in COMPONENTS}
    for path in source_files():
        name = owner(path)
        if name is None:
            continue
        digest = digests[name]
        digest.update(path.relative_to(ROOT).as_posix().encode() + b"\0")
        # Line endings normalised: a checkout on Windows is the same code.
        digest.update(path.read_bytes().replace(b"\r\n", b"\n") + b"\0")
    return {name: d.hexdigest() for name, d in digests.items()}


def manifest() -> dict[str, object]:
    """What tests/golden/extract/VERSION.json records for the golden files."""
    prints = fingerprints()
    return {
        "pipeline": PIPELINE_VERSION,
        "components": {
            name: {"version": COMPONENTS[name].version, "fingerprint": prints[name]}
            for name in sorted(COMPONENTS)
        },
    }


__all__ = [
    "COMPONENTS",
    "NOT_RULES",
    "PIPELINE_VERSION",
    "Component",
    "describe",
    "fingerprints",
    "manifest",
    "pipeline_name",
]
