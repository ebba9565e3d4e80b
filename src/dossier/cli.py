"""The ``dossier`` command: parse arguments, call the library, print.

Only this module and ``web/`` speak to people. Every command takes
``--home`` (or ``DOSSIER_HOME``); exit status 0 means everything succeeded,
1 that some input failed or a check broke, 2 a usage or configuration error.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

import click
from rich.markup import escape
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from .cli_context import Context, err, guard, out, pass_ctx
from .cli_filters import filter_options, make_filter
from .config import Settings
from .errors import DossierError


@click.group()
@click.option("--home", envvar="DOSSIER_HOME", help="Data directory (default ./dossier-data).")
@click.version_option(package_name="dossier")
@click.pass_context
def main(ctx: click.Context, home: str | None) -> None:
    """Dossier: preserved, extracted and corroborated records of alleged war crimes."""
    ctx.obj = Context(home)


@main.command()
@pass_ctx
@guard
def init(ctx: Context) -> None:
    """Create the data directory: database, artifact store and signing keys."""
    store = ctx.store()
    out.print(f"Dossier home: {escape(str(store.settings.home.resolve()))}")
    out.print(
        f"database: {escape(_redact(store.settings.db_url))} (schema {store.schema_revision()})"
    )
    out.print(f"public key: {escape(str(store.settings.keys_dir / 'ed25519.pub'))}")


def _redact(url: str) -> str:
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--publisher", help="Publisher for inputs that do not name one.")
@click.option("--published", help="Publication date (YYYY-MM-DD) for inputs that lack one.")
@click.option("--url", help="Source URL for inputs that lack one.")
@click.option(
    "--restricted", is_flag=True, help="Mark the documents restricted (witness statements)."
)
@click.option("--json", "as_json", is_flag=True, help="Print a machine-readable summary.")
@pass_ctx
@guard
def ingest(
    ctx: Context,
    paths: tuple[str, ...],
    publisher: str | None,
    published: str | None,
    url: str | None,
    restricted: bool,
    as_json: bool,
) -> None:
    """Preserve files and folders (txt, HTML, WARC, JSONL, RSS/Atom) and store their documents."""
    from .ingest import IngestOptions, ingest_paths
    from .ingest.runner import expand, normalise_date

    store = ctx.store()
    try:
        published = normalise_date(published, "--published")
    except DossierError as exc:
        err.print(f"error: {escape(str(exc))}")
        sys.exit(2)
    options = IngestOptions(
        publisher=publisher, published=published, url=url, restricted=restricted
    )
    total = sum(1 for _ in expand(paths))
    show_bar = total > 3 and not as_json and err.is_terminal
    with Progress(
        TextColumn("ingest"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        disable=not show_bar,
        transient=True,
    ) as progress:
        task = progress.add_task("ingest", total=total)

        def on_file(result: Any) -> None:
            progress.advance(task)
            for failure in result.failures:
                err.print(f"error: {escape(failure)}")

        results = ingest_paths(store, paths, options, on_file)
    counts = {
        "files": len(results),
        "new_documents": sum(len(r.new) for r in results),
        "present_documents": sum(len(r.present) for r in results),
        "failed_files": sum(1 for r in results if r.status == "failed"),
        "errors": sum(len(r.failures) for r in results),
    }
    if as_json:
        out.print_json(json.dumps({"summary": counts, "files": [r.to_json() for r in results]}))
    else:
        out.print(
            f"ingested {counts['files']} file(s): {counts['new_documents']} new document(s), "
            f"{counts['present_documents']} already present, {counts['failed_files']} failed, "
            f"{counts['errors']} error(s)"
        )
    if counts["errors"]:
        sys.exit(1)


@main.command()
@pass_ctx
@guard
def verify(ctx: Context) -> None:
    """Recheck every artifact, document text, the custody chain and every checkpoint signature."""
    from .evidence.verify import verify_store

    store = ctx.store(create=False)
    report = verify_store(store)
    for check in report.checks:
        mark = "ok" if check.ok else "FAILED"
        out.print(f"{check.name}: {check.checked} checked, {mark}")
        for problem in check.problems:
            out.print(f"  {escape(problem)}")
    for note in report.notes:
        out.print(f"note: {escape(note)}")
    if report.ok:
        out.print("verify: all checks passed")
    else:
        out.print(f"verify: FAILED; first break: {escape(report.first_problem or '')}")
        sys.exit(1)


@main.command(name="log")
@click.option("--object", "object_id", help="Only entries about this object id.")
@click.option("--limit", type=int, default=None, help="At most this many entries.")
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@pass_ctx
@guard
def log_(ctx: Context, object_id: str | None, limit: int | None, as_json: bool) -> None:
    """List custody log entries."""
    from dataclasses import asdict

    from .store import custody_log

    store = ctx.store(create=False)
    ids = [object_id] if object_id else None
    entries = custody_log.entries(store, object_ids=ids, limit=limit)
    if as_json:
        for entry in entries:
            out.print(json.dumps(asdict(entry), ensure_ascii=False), markup=False)
        return
    table = Table("seq", "time", "actor", "action", "object", "entry hash")
    for entry in entries:
        table.add_row(
            str(entry.seq),
            entry.time,
            escape(entry.actor),
            entry.action,
            escape(entry.object_id[:40]),
            entry.entry_hash[:16],
        )
    out.print(table)


@main.command()
@pass_ctx
@guard
def extract(ctx: Context) -> None:
    """Propose events, claims and quotes for every document not yet extracted by this pipeline."""
    from .extract.analyzer import PIPELINE_VERSION
    from .extract.runner import run_extraction
    from .store import extractions

    store = ctx.store()
    total = extractions.count_pending(store, PIPELINE_VERSION)
    with Progress(
        TextColumn("extract"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeRemainingColumn(),
        console=err,
        disable=total <= 3 or not err.is_terminal,
        transient=True,
    ) as progress:
        task = progress.add_task("extract", total=total)
        summary = run_extraction(store, on_batch=lambda n: progress.advance(task, n))
    out.print(
        f"extracted {summary.documents} document(s) with {summary.pipeline}: "
        f"{summary.events} event(s), {summary.not_analysed} not analysed (language), "
        f"{summary.failed} failed"
    )
    if summary.failed:
        sys.exit(1)


@main.command()
@click.argument("files", nargs=-1, required=True, type=click.Path(dir_okay=False))
@click.option(
    "--json", "as_json", is_flag=True, help="One JSON object per document (DESIGN.md contract)."
)
@click.option("--published", help="Publication date (YYYY-MM-DD) when the file gives none.")
@click.option("--publisher", help="Publisher when the file gives none.")
def analyze(
    files: tuple[str, ...], as_json: bool, published: str | None, publisher: str | None
) -> None:
    """Print a document's extraction without a store (one JSON line per document with --json)."""
    from .extract.analyzer import Analyzer
    from .extract.reading import read_documents
    from .ingest.runner import normalise_date

    try:
        published = normalise_date(published, "--published")
    except DossierError as exc:
        err.print(f"error: {escape(str(exc))}")
        sys.exit(2)
    analyzer = Analyzer(Settings())
    failed = False
    loaded = False
    for name in files:
        try:
            items = read_documents(Path(name), published=published, publisher=publisher)
        except DossierError as exc:
            err.print(f"error: {escape(str(exc))}")
            failed = True
            continue
        if not loaded:
            analyzer.setup()
            loaded = True
        for (text, _meta), analysis in zip(items, analyzer.analyze_many(items), strict=True):
            if as_json:
                out.print(json.dumps(analysis.to_json(), ensure_ascii=False), markup=False)
            else:
                from .extract.summary import print_analysis

                print_analysis(out, analysis, text)
            failed = failed or analysis.status.startswith("failed")
    if failed:
        sys.exit(1)


@main.command()
@pass_ctx
@guard
def corroborate(ctx: Context) -> None:
    """Group the events of all documents into incidents (incremental, deterministic)."""
    from .corroborate.runner import run_corroboration
    from .extract.analyzer import PIPELINE_VERSION

    store = ctx.store()
    summary = run_corroboration(store, PIPELINE_VERSION)
    from .store import custody_log

    custody_log.checkpoint(store, force=True)
    out.print(
        f"corroborated {summary.events} event(s) ({summary.new_events} new) into "
        f"{summary.incidents} incident(s), {summary.written} written, {summary.removed} removed"
        f"{' (state rebuilt)' if summary.rebuilt else ''}; result sha256:{summary.digest[:16]}"
    )


@main.command()
@filter_options
@click.option("--limit", type=int, default=None, help="At most this many incidents.")
@click.option("--json", "as_json", is_flag=True, help="A JSON array (DESIGN.md contract).")
@pass_ctx
@guard
def incidents(ctx: Context, limit: int | None, as_json: bool, sort: str, **filters: Any) -> None:
    """List incidents, filtered and sorted."""
    from .store.incidents import list_incidents

    store = ctx.store()
    try:
        items, total = list_incidents(store, make_filter(**filters), sort=sort, limit=limit)
    except DossierError as exc:
        err.print(f"error: {escape(str(exc))}")
        sys.exit(2)
    if as_json:
        out.print(json.dumps(items, ensure_ascii=False, indent=2), markup=False)
        return
    table = Table("id", "type", "place", "date", "side", "harm", "sources", "grade", "review")
    for inc in items:
        place = inc.get("place") or {}
        time = inc.get("time") or {}
        when = time.get("start") or "?"
        if time.get("end") and time.get("end") != time.get("start"):
            when += f"..{time['end']}"
        table.add_row(
            inc["id"],
            inc["type"],
            escape(place.get("name") or "?"),
            when,
            (inc.get("perpetrator") or {}).get("side") or "?",
            escape(harm_text(inc.get("harm", []))),
            str(inc["independent_sources"]),
            inc["grade"],
            inc.get("review", "unreviewed"),
        )
    out.print(table)
    out.print(f"{len(items)} of {total} incident(s)")


def harm_text(harm: list[dict[str, Any]]) -> str:
    parts = []
    for h in harm:
        lo, hi = h.get("min"), h.get("max")
        rng = "?" if lo is None else str(lo)
        if hi is not None and hi != lo:
            rng += f"-{hi}"
        elif lo is not None and hi is None:
            rng += "+"
        parts.append(f"{h.get('kind')} {rng} {h.get('category')}")
    return "; ".join(parts)


@main.command()
@click.argument("incident_id")
@click.option("--json", "as_json", is_flag=True, help="The incident and its reports as JSON.")
@pass_ctx
@guard
def show(ctx: Context, incident_id: str, as_json: bool) -> None:
    """Print one incident with each report's evidence sentence."""
    from .store.incidents import get_incident, incident_events

    store = ctx.store()
    inc = get_incident(store, incident_id)
    if inc is None:
        err.print(f"error: no incident {escape(incident_id)}; list them with `dossier incidents`")
        sys.exit(1)
    reports = incident_events(store, incident_id)
    if as_json:
        out.print(
            json.dumps({"incident": inc, "reports": reports}, ensure_ascii=False, indent=2),
            markup=False,
        )
        return
    place = inc.get("place") or {}
    time = inc.get("time") or {}
    out.print(f"[bold]{inc['id']}[/bold]  {inc['type']} ({', '.join(inc.get('types', []))})")
    out.print(
        f"place: {escape(place.get('name') or '?')} ({place.get('precision') or '?'}, "
        f"{escape(place.get('admin1') or '?')}, {place.get('country') or '?'})"
    )
    out.print(f"time: {time.get('start') or '?'} .. {time.get('end') or '?'}")
    perp = inc.get("perpetrator") or {}
    out.print(f"perpetrator: {escape(perp.get('text') or '?')} ({perp.get('side') or '?'})")
    out.print(f"harm: {escape(harm_text(inc.get('harm', [])))}")
    for fig in inc.get("harm_figures", []):
        out.print(f"  {escape(fig.get('text') or '')} ({escape(fig.get('source') or '?')})")
    out.print(
        f"grade: {inc['grade']} ({escape(inc.get('grade_reason') or '')}); "
        f"{inc['independent_sources']} independent source(s); review: {inc.get('review')}"
    )
    if inc.get("denied_by"):
        out.print("denied by: " + escape(", ".join(a.get("text", "") for a in inc["denied_by"])))
    out.print(f"{len(reports)} report(s):")
    for rep in reports:
        out.print(
            f"- {escape(rep['publisher'] or '?')}, {rep['published'] or '?'}: "
            f"{escape(rep['title'] or rep['document'])}"
        )
        out.print(f'  "{escape(rep["sentence"])}"')


def _register_extensions() -> None:
    from . import export_cli, web_cli

    web_cli.register(main)
    export_cli.register(main)


_register_extensions()

if __name__ == "__main__":
    main()
