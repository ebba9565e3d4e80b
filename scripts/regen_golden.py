"""Regenerate the golden extraction files under tests/golden/extract/.

Run only after a deliberate change of the extraction's output (and a bump of the
changed component's version in src/dossier/extract/versions.py), then review the
diff: the golden files are the regression baseline of tests/extract/test_analyzer.py.
Each file records the pipeline version that wrote it, and VERSION.json records
that version with each component's version and fingerprint (the hash of its
files), which tests/extract/test_versions.py checks against the code.

    PYTHONPATH=src python scripts/regen_golden.py [--shared ../shared] [--no-output-change]

It refuses to record a component whose files changed while its version did not
(the version would then name two sets of rules), unless ``--no-output-change``
declares the change a refactoring that gives the same output for every text:
a claim the reviewer of the diff checks.
"""

from __future__ import annotations

import argparse
import json
import logging
from pathlib import Path

from dossier.extract.analyzer import PIPELINE_VERSION, Analyzer, essential_fields
from dossier.extract.versions import COMPONENTS, fingerprints, manifest
from dossier.ingest.furniture import remove_furniture
from dossier.records import DocumentMeta

REPO = Path(__file__).resolve().parents[1]
GOLDEN = REPO / "tests" / "golden" / "extract"
# Sample file (the shared English one, and this repository's Ukrainian and Russian
# renderings of it) -> (publication date it is analysed against, language).
SAMPLES = {
    "{shared}/samples/bucha-article.txt": ("2022-04-04", "en"),
    "samples/bucha-article-uk.txt": ("2022-04-04", "uk"),
    "samples/bucha-article-ru.txt": ("2022-04-04", "ru"),
}


def clean(text: str) -> str:
    """The sample's text as ingest hands it on: furniture lines dropped."""
    return remove_furniture(text)[0]


def unbumped() -> list[str]:
    """Components whose files differ from VERSION.json while their version is the same."""
    path = GOLDEN / "VERSION.json"
    if not path.is_file():
        return []
    recorded = json.loads(path.read_text(encoding="utf-8")).get("components", {})
    now = fingerprints()
    return [
        name
        for name, component in COMPONENTS.items()
        if name in recorded
        and recorded[name]["version"] == component.version
        and recorded[name]["fingerprint"] != now[name]
    ]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--shared", type=Path, default=REPO.parent / "shared")
    parser.add_argument(
        "--no-output-change",
        action="store_true",
        help="record changed files under unchanged versions (a refactoring, same output)",
    )
    args = parser.parse_args()
    logging.basicConfig(level=logging.INFO)
    stale = unbumped()
    if stale and not args.no_output_change:
        logging.error(
            "the files of %s changed but not their version: bump it in "
            "src/dossier/extract/versions.py (or pass --no-output-change for a refactoring "
            "that changes no output)",
            ", ".join(stale),
        )
        return 2
    analyzer = Analyzer()
    GOLDEN.mkdir(parents=True, exist_ok=True)
    for name, (published, language) in SAMPLES.items():
        path = Path(name.format(shared=args.shared))
        text = clean((path if path.is_absolute() else REPO / path).read_text(encoding="utf-8"))
        meta = DocumentMeta(
            id=f"sample:{path.name}",
            title=None,
            published=published,
            publisher=None,
            language=language,
        )
        out = GOLDEN / (path.stem + ".json")
        out.write_text(
            json.dumps(
                {"pipeline": PIPELINE_VERSION, **essential_fields(analyzer.analyze(text, meta))},
                indent=2,
                ensure_ascii=False,
            )
            + "\n",
            encoding="utf-8",
        )
        logging.info("wrote %s", out.relative_to(REPO))
    out = GOLDEN / "VERSION.json"
    out.write_text(json.dumps(manifest(), indent=2) + "\n", encoding="utf-8")
    logging.info("wrote %s", out.relative_to(REPO))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
