"""HTML to PDF with headless Chromium's print-to-PDF, entirely offline.

Chromium (Debian package ``chromium``) renders the report exactly as a browser
shows it, inline SVG included; networking is switched off and a throwaway
profile is used, so nothing leaves the machine and no state is kept.
"""

from __future__ import annotations

import logging
import shutil
import subprocess
import tempfile
from pathlib import Path

from ..errors import ConfigError, DossierError

log = logging.getLogger(__name__)
BROWSERS = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
TIMEOUT_S = 120


def find_chromium() -> str | None:
    """The first Chromium-family browser on PATH, or None."""
    for name in BROWSERS:
        path = shutil.which(name)
        if path:
            return path
    return None


def html_to_pdf(html: str, out: Path) -> None:
    """Print ``html`` to the PDF file ``out``."""
    browser = find_chromium()
    if browser is None:
        raise ConfigError(
            "PDF reports need Chromium; install it (Debian: apt-get install chromium) "
            "or write the report as .html"
        )
    with tempfile.TemporaryDirectory(prefix="dossier-pdf-") as tmp:
        page = Path(tmp) / "report.html"
        page.write_text(html, encoding="utf-8")
        target = Path(tmp) / "report.pdf"
        cmd = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--disable-extensions",
            "--disable-sync",
            f"--user-data-dir={tmp}/profile",
            "--no-pdf-header-footer",
            f"--print-to-pdf={target}",
            page.as_uri(),
        ]
        try:
            result = subprocess.run(
                cmd, capture_output=True, text=True, timeout=TIMEOUT_S, check=False
            )
        except subprocess.TimeoutExpired as exc:
            raise DossierError(f"{browser} did not finish printing within {TIMEOUT_S} s") from exc
        if not target.exists() or target.stat().st_size == 0:
            raise DossierError(
                f"{browser} wrote no PDF (exit {result.returncode}): {result.stderr.strip()[-500:]}"
            )
        shutil.move(str(target), out)
    log.info("printed %s with %s", out, browser)
