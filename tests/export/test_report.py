"""Incident dossier reports: sections, escaping of document text, redaction, PDF pages with text."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from dossier.export.pdf import find_chromium
from dossier.export.report import render_html, write_report
from dossier.ingest import IngestOptions, ingest_paths
from dossier.records import Analysis, DocumentMeta, Event, TimeRange
from dossier.review.incidents import get_incident
from dossier.store import extractions
from dossier.store.incidents import replace_incidents

from .conftest import IRPIN, PIPELINE, Case, sentence_of, span, stored_text

SECTIONS = (
    "Summary",
    "Map",
    "Timeline",
    "Harm reported, by source",
    "Evidence",
    "Denials",
    "Review history",
    "Hashes",
)


def test_report_shows_every_section_and_the_evidence(case: Case) -> None:
    html = render_html(case.store, "inc-irpin")
    for section in SECTIONS:
        assert f"<h2>{section}</h2>" in html
    doc_a, text_a = case.docs["a"]
    assert (
        "Russian troops <mark>shot</mark> at least 12" in html
    )  # the trigger marked in its sentence
    assert "<svg" in html and 'class="main"' in html  # the incident's point on the map
    assert "The Kremlin denied any involvement" in html
    assert doc_a.split(":")[1] in html  # hashes section names the document's hash
    assert "Art. 8(2)(a)(i)" in html


def test_report_redacts_restricted_documents_unless_asked(case: Case) -> None:
    html = render_html(case.store, "inc-irpin")
    assert (
        "Olena Kovalenko" not in html
        and "My neighbour [REDACTED] saw soldiers <mark>shoot</mark>" in html
    )
    full = render_html(case.store, "inc-irpin", include_restricted=True)
    assert "My neighbour Olena Kovalenko saw soldiers <mark>shoot</mark>" in full


def test_document_text_is_escaped(case: Case, tmp_path: Path) -> None:
    hostile = (
        'Breaking <script>alert("x")</script> news\n\n'
        "Soldiers <b>executed</b> two men in Irpin on Monday.\n"
    )
    path = tmp_path / "hostile.html.txt"
    path.write_text(hostile, encoding="utf-8")
    [result] = ingest_paths(case.store, [str(path)], IngestOptions(published="2022-04-05"))
    doc = result.new[0]
    text = stored_text(case.store, doc)
    event = Event(
        id="ev-h1",
        type="killing",
        trigger=span(text, "executed"),
        sentence=sentence_of(text, "executed"),
        place=IRPIN,
        time=TimeRange("2022-04-04", "2022-04-04", "day"),
        perpetrator=None,
        harm=(),
        status="asserted",
    )
    meta = DocumentMeta(doc, "Breaking", "2022-04-05", "Pub", "en")
    extractions.save(case.store, [Analysis(meta, events=(event,), pipeline=PIPELINE)], "tester")
    incident = {**get_incident(case.store, "inc-kramatorsk"), "id": "inc-hostile"}  # type: ignore[dict-item]
    replace_incidents(case.store, [incident], [("inc-hostile", "ev-h1", PIPELINE, doc)], "tester")
    html = render_html(case.store, "inc-hostile")
    assert "<b>executed</b>" not in html and "&lt;b&gt;" in html
    assert "<script>" not in html and "&lt;script&gt;" in html  # the title, from the document


def _pdf_tools() -> None:
    if find_chromium() is None:
        pytest.skip(
            "Chromium is not installed (Debian: apt-get install chromium); PDF reports need it"
        )
    if shutil.which("pdftoppm") is None or shutil.which("pdftotext") is None:
        pytest.skip("poppler-utils (pdftoppm, pdftotext) is not installed; needed to check the PDF")


def _dark_fraction(pgm: bytes) -> float:
    """Share of non-white pixels in a binary PGM (P5) image."""
    parts = pgm.split(maxsplit=4)
    assert parts[0] == b"P5"
    width, height, pixels = int(parts[1]), int(parts[2]), parts[4]
    return sum(1 for b in pixels[: width * height] if b < 200) / (width * height)


@pytest.mark.slow
def test_pdf_report_has_pages_with_text(case: Case, tmp_path: Path) -> None:
    _pdf_tools()
    pdf = write_report(case.store, "inc-irpin", tmp_path / "report.pdf")
    assert pdf.read_bytes().startswith(b"%PDF-")
    subprocess.run(["pdftoppm", "-r", "40", "-gray", str(pdf), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.pgm"))
    assert len(pages) >= 2  # the sections do not fit on one A4 page
    assert all(_dark_fraction(p.read_bytes()) > 0.005 for p in pages)  # no blank page
    text = subprocess.run(
        ["pdftotext", str(pdf), "-"], capture_output=True, text=True, check=True
    ).stdout
    for section in SECTIONS:
        assert section in text
    assert "inc-irpin" in text


def test_cli_report_writes_html(cli: Any, cli_case: Case, tmp_path: Path) -> None:
    out = tmp_path / "r.html"
    result = cli("report", "inc-kramatorsk", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == f"report {out}"
    assert "Kramatorsk" in out.read_text(encoding="utf-8")
    missing = cli("report", "nope", "-o", str(out))
    assert missing.exit_code == 2 and "no incident 'nope'" in missing.stderr


def test_unredacted_report_is_logged_as_a_disclosure(case: Case, tmp_path: Path) -> None:
    from dossier.store import custody_log

    write_report(case.store, "inc-irpin", tmp_path / "r.html")
    assert not [e for e in custody_log.entries(case.store) if e.action == "disclosed_restricted"]
    write_report(case.store, "inc-irpin", tmp_path / "full.html", include_restricted=True)
    disclosed = [e for e in custody_log.entries(case.store) if e.action == "disclosed_restricted"]
    assert [e.object_id for e in disclosed] == [case.docs["w"][0]]
    assert disclosed[0].detail == {"report": "full.html", "incidents": ["inc-irpin"]}
    assert "Olena Kovalenko" in (tmp_path / "full.html").read_text(encoding="utf-8")


def test_map_draws_every_point_inside_the_view_on_country_outlines() -> None:
    import re

    from dossier.export.map_svg import HEIGHT, WIDTH, MapPoint, render_map

    assert render_map([]) == ""
    points = [MapPoint(50.52, 30.25, "Irpin", True), MapPoint(48.72, 37.56, "Kramatorsk <x>")]
    svg = render_map(points)
    circles = re.findall(r'<circle class="(\w+)" cx="([\d.]+)" cy="([\d.]+)"', svg)
    assert [c[0] for c in circles] == ["report", "main"]
    assert all(0 < float(x) < WIDTH and 0 < float(y) < HEIGHT for _, x, y in circles)
    # east is right and north is up: Kramatorsk lies east and south of Irpin
    (_, kx, ky), (_, ix, iy) = circles
    assert float(kx) > float(ix) and float(ky) > float(iy)
    assert "<title>Ukraine</title>" in svg and "Kramatorsk &lt;x&gt;" in svg
