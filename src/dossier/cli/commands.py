"""The ``dossier`` command: parse arguments, call the library, print.

Only this module and ``web/`` speak to people. Every command takes
``--home`` (or ``DOSSIER_HOME``); exit status 0 means everything succeeded,
1 that some input failed or a check broke, 2 a usage or configuration error.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import click
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn
from rich.table import Table

from ..config import Settings
from ..errors import DossierError
from ..records import Harm, ReviewedIncident
from ..terminal import json_text, printable
from .context import Context, err, guard, out, pass_ctx
from .filters import filter_options, make_filter


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
    store = ctx.store(create=True)
    out.print(f"Dossier home: {printable(str(store.settings.home.resolve()))}")
    out.print(
        f"database: {printable(_redact(store.settings.db_url))} (schema {store.schema_revision()})"
    )
    out.print(f"public key: {printable(str(store.settings.keys_dir / 'ed25519.pub'))}")


@main.command()
@pass_ctx
@guard
def migrate(ctx: Context) -> None:
    """Bring the database's schema to this Dossier's (init does so too; run once per upgrade)."""
    store = ctx.store(migrate=True)
    out.print(
        f"database: {printable(_redact(store.settings.db_url))} (schema {store.schema_revision()})"
    )


def _redact(url: str) -> str:
    from ..store.database import redact_url

    return redact_url(url)


@main.command()
@click.argument("paths", nargs=-1, required=True)
@click.option("--publisher", help="Publisher for inputs that do not name one.")
@click.option("--published", help="Publication date (YYYY-MM-DD) for inputs that lack one.")
@click.option("--url", help="Source URL for inputs that lack one.")
@click.option(
    "--restricted", is_flag=True, help="Mark the documents restricted (witness statements)."
)
@click.option(
    "--follow-links",
    is_flag=True,
    help="Follow symbolic links (never into the Dossier home); by default they are skipped.",
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
    follow_links: bool,
    as_json: bool,
) -> None:
    """Preserve files and folders (txt, HTML, WARC, JSONL, RSS/Atom) and store their documents."""
    from ..ingest import IngestOptions, ingest_paths
    from ..ingest.inputs import expand
    from ..ingest.runner import normalise_date

    store = ctx.store()
    published = normalise_date(published, "--published")
    options = IngestOptions(
        publisher=publisher,
        published=published,
        url=url,
        restricted=restricted,
        follow_links=follow_links,
    )
    total = sum(1 for _ in expand(paths, follow_links=follow_links, home=store.settings.home))
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
            if result.skipped:
                err.print(f"skipped: {printable(result.skipped)}")
            for failure in result.failures:
                err.print(f"error: {printable(failure)}")

        results = ingest_paths(store, paths, options, on_file)
    read = [r for r in results if not r.skipped]
    counts = {
        "files": len(read),
        "new_documents": sum(len(r.new) for r in read),
        "present_documents": sum(len(r.present) for r in read),
        "failed_files": sum(1 for r in read if r.status == "failed"),
        "errors": sum(len(r.failures) for r in read),
        "skipped": len(results) - len(read),
    }
    if as_json:
        report = {"summary": counts, "files": [r.to_json() for r in results]}
        out.print(json_text(json.dumps(report, ensure_ascii=False, indent=2)), markup=False)
    else:
        out.print(
            f"ingested {counts['files']} file(s): {counts['new_documents']} new document(s), "
            f"{counts['present_documents']} already present, {counts['failed_files']} failed, "
            f"{counts['errors']} error(s)"
            + (f", {counts['skipped']} skipped" if read != results else "")
        )
    if counts["errors"]:
        sys.exit(1)


@main.command()
@click.option(
    "--anchor",
    "anchor_file",
    type=click.Path(dir_okay=False, path_type=Path),
    help="An anchor written by `dossier anchor`: fail unless the log still extends it.",
)
@pass_ctx
@guard
def verify(ctx: Context, anchor_file: Path | None) -> None:
    """Prove the store complete and unaltered: blobs, records, chain, checkpoints (read-only)."""
    from ..store.integrity import verify_home

    report = verify_home(ctx.settings(), anchor=anchor_file)
    for check in report.checks:
        mark = "ok" if check.ok else "FAILED"
        out.print(f"{check.name}: {check.checked} checked, {mark}")
        for problem in check.problems:
            out.print(f"  {printable(problem)}")
    for note in report.notes:
        out.print(f"note: {printable(note)}")
    if report.head is not None:
        h = report.head
        out.print(f"head: size {h.size}, root {h.root}, key {h.key_id}, signed {h.time}")
    elif report.checks[0].name != "database":
        out.print(f"head: size {report.size}, no valid signed checkpoint")
    if report.ok:
        out.print("verify: all checks passed")
    else:
        out.print(f"verify: FAILED; first break: {printable(report.first_problem or '')}")
        sys.exit(1)


@main.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    required=True,
    help="File to write the anchor to (JSON), to publish or timestamp outside Dossier.",
)
@pass_ctx
@guard
def anchor(ctx: Context, output: Path) -> None:
    """Write the latest signed checkpoint (size, root, key id, signature, time) to a file."""
    from ..evidence.anchor import anchor_json
    from ..store import custody_log

    store = ctx.store(read_only=True)
    cps = custody_log.checkpoints(store)
    if not cps:
        err.print("error: the custody log has no signed checkpoint yet; nothing to anchor")
        sys.exit(1)
    cp = cps[-1]
    data = json.dumps(anchor_json(cp), indent=2) + "\n"
    try:
        tmp = output.with_name(output.name + ".tmp")
        tmp.write_text(data, encoding="utf-8")
        tmp.replace(output)
    except OSError as exc:
        reason = exc.strerror or exc
        err.print(f"error: {printable(str(output))}: cannot write the anchor ({reason})")
        sys.exit(1)
    where = printable(str(output))
    out.print(f"anchor: size {cp.size}, root {cp.root}, key {cp.key_id} -> {where}")


@main.command(name="log")
@click.option("--object", "object_id", help="Only entries about this object id.")
@click.option(
    "--limit", type=click.IntRange(min=1), default=None, help="At most this many entries."
)
@click.option(
    "--oldest", is_flag=True, help="With --limit: the oldest entries instead of the newest."
)
@click.option("--json", "as_json", is_flag=True, help="One JSON object per line.")
@pass_ctx
@guard
def log_(
    ctx: Context, object_id: str | None, limit: int | None, oldest: bool, as_json: bool
) -> None:
    """List custody log entries, in sequence order (with --limit, the newest)."""
    from dataclasses import asdict

    from ..store import custody_log

    store = ctx.store()
    ids = [object_id] if object_id else None
    entries = custody_log.entries(store, object_ids=ids, limit=limit, newest=not oldest)
    if as_json:
        for entry in entries:
            out.print(json_text(json.dumps(asdict(entry), ensure_ascii=False)), markup=False)
        return
    table = Table("seq", "time", "actor", "action", "object", "entry hash")
    for entry in entries:
        table.add_row(
            str(entry.seq),
            printable(entry.time),
            printable(entry.actor),
            printable(entry.action),
            printable(entry.object_id[:40]),
            entry.entry_hash[:16],
        )
    out.print(table)


@main.command()
@click.option(
    "--only-new",
    is_flag=True,
    help="Only documents never extracted; leave those extracted by an older pipeline as they are.",
)
@click.option(
    "--engine",
    type=click.Choice(["local", "ray"]),
    default="local",
    show_default=True,
    help="Where the extraction runs: this process (and spaCy's), or Ray workers (docs/scale.md).",
)
@click.option(
    "--address",
    help="With --engine ray: a running Ray cluster (auto, ray://HOST:10001); "
    "default: a local instance for this run.",
)
@click.option(
    "--workers",
    type=click.IntRange(min=1),
    help="With --engine ray: extraction actors (default: the cluster's CPUs).",
)
@pass_ctx
@guard
def extract(
    ctx: Context, only_new: bool, engine: str, address: str | None, workers: int | None
) -> None:
    """Propose events, claims and quotes for every document not yet extracted by this pipeline.

    A document extracted by an older pipeline version is extracted again; its old run stays.
    """
    from ..extract.analyzer import PIPELINE_VERSION
    from ..extract.runner import run_extraction
    from ..store import extractions

    if engine == "local" and (address or workers):
        raise click.UsageError("--address and --workers go with --engine ray")
    store = ctx.store()
    total = extractions.count_pending(store, PIPELINE_VERSION, only_new=only_new)
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
        # Busy (another extract runs) leaves the bar stopped and exits 1 through the guard
        if engine == "ray":
            from ..scale.ray import run_extraction_ray

            summary = run_extraction_ray(
                store,
                address,
                workers,
                on_batch=lambda n: progress.advance(task, n),
                only_new=only_new,
            )
        else:
            summary = run_extraction(
                store, on_batch=lambda n: progress.advance(task, n), only_new=only_new
            )
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
@guard
def analyze(
    files: tuple[str, ...], as_json: bool, published: str | None, publisher: str | None
) -> None:
    """Print a document's extraction without a store (one JSON line per document with --json)."""
    from ..extract.analyzer import Analyzer
    from ..extract.reading import read_documents
    from ..extract.runner import outcome
    from ..ingest.runner import normalise_date
    from ..pipeline import Rejection

    published = normalise_date(published, "--published")
    analyzer = Analyzer(Settings())
    failed = False
    loaded = False
    for name in files:
        try:
            items = read_documents(Path(name), published=published, publisher=publisher)
        except DossierError as exc:
            err.print(f"error: {printable(str(exc))}")
            failed = True
            continue
        if not loaded:
            analyzer.setup()
            loaded = True
        for (text, _meta), analysis in zip(items, analyzer.analyze_many(items), strict=True):
            if as_json:
                out.print(
                    json_text(json.dumps(analysis.to_json(), ensure_ascii=False)), markup=False
                )
            else:
                from ..extract.summary import print_analysis

                print_analysis(out, analysis, text)
            # a document not analysed (its language) is reported, and is no failure
            result = outcome(analysis)
            failed = failed or (isinstance(result, Rejection) and result.kind == "failed")
    if failed:
        sys.exit(1)


@main.command()
@pass_ctx
@guard
def corroborate(ctx: Context) -> None:
    """Group the events of all documents into incidents (incremental, deterministic)."""
    from ..corroborate.runner import run_corroboration
    from ..extract.analyzer import PIPELINE_VERSION

    store = ctx.store()
    summary = run_corroboration(store, PIPELINE_VERSION)
    from ..store import custody_log

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
    from ..review.incidents import list_reviewed

    store = ctx.store()
    items, total = list_reviewed(store, make_filter(**filters), sort=sort, limit=limit)
    if as_json:
        text = json.dumps([i.to_json() for i in items], ensure_ascii=False, indent=2)
        out.print(json_text(text), markup=False)
        return
    out.print(incident_table(items, out.width), soft_wrap=False)  # wrapped to fit
    out.print(f"{len(items)} of {total} incident(s)")


WIDE = 120  # columns from which the side, source count and review status fit too


def incident_table(items: list[ReviewedIncident], width: int) -> Table:
    """The incident list for a terminal ``width`` columns wide.

    Ids are never cut (a user types them next) and dates never split; below
    ``WIDE`` columns the type, place, harm and grade share one column that
    wraps at spaces, and the side, source count and review status are left out.
    """
    from rich import box

    wide = width >= WIDE
    id_width = max((len(printable(i.id)) for i in items), default=2)
    names: tuple[str, ...]
    if wide:
        table = Table(box=box.HEAVY_HEAD)
        names = ("type", "place", "side", "harm", "sources", "grade", "review")
    else:
        table = Table(box=box.SIMPLE_HEAD, pad_edge=False)
        names = ("incident",)
    table.add_column("id", no_wrap=True, min_width=id_width)
    table.add_column("date", no_wrap=True)
    for name in names:
        table.add_column(name, overflow="fold")
    for item in items:
        inc = item.incident
        time = inc.time
        when = time.start or "?"
        if time.end and time.end != time.start:
            when += f"\n..{time.end}"
        cells = {
            "type": inc.type.replace("_", " "),
            "place": (inc.place.name if inc.place else None) or "?",
            "side": (inc.perpetrator.side if inc.perpetrator else None) or "?",
            "harm": harm_text(inc.harm),
            "sources": str(inc.independent_sources),
            "grade": inc.grade.replace("_", " "),
            "review": inc.review,
        }
        cells["incident"] = " · ".join(
            x for x in (cells["type"], cells["place"], cells["harm"], cells["grade"]) if x
        )
        table.add_row(printable(inc.id), when, *(printable(cells[n]) for n in names))
    return table


def harm_text(harm: Iterable[Harm]) -> str:
    """Harm ranges as a person reads them: "killed 3-5 civilians; injured 2+ people"."""
    parts = []
    for h in harm:
        lo, hi = h.min, h.max
        rng = "?" if lo is None else str(lo)
        if hi is not None and hi != lo:
            rng += f"-{hi}"
        elif lo is not None and hi is None:
            rng += "+"
        parts.append(f"{h.kind} {rng} {h.category}")
    return "; ".join(parts)


@main.command()
@click.argument("incident_id")
@click.option("--json", "as_json", is_flag=True, help="The incident and its reports as JSON.")
@pass_ctx
@guard
def show(ctx: Context, incident_id: str, as_json: bool) -> None:
    """Print one incident with each report's evidence sentence."""
    from ..review.incidents import get_reviewed
    from ..store.incidents import incident_events

    store = ctx.store()
    reviewed = get_reviewed(store, incident_id)
    if reviewed is None:
        err.print(
            f"error: no incident {printable(incident_id)}; list them with `dossier incidents`"
        )
        sys.exit(1)
    reports = [r.json() for r in incident_events(store, incident_id)]
    if as_json:
        out.print(
            json_text(
                json.dumps(
                    {"incident": reviewed.to_json(), "reports": reports},
                    ensure_ascii=False,
                    indent=2,
                )
            ),
            markup=False,
        )
        return
    inc = reviewed.incident
    types = ", ".join(inc.types)
    out.print(f"[bold]{printable(inc.id)}[/bold]  {printable(inc.type)} ({printable(types)})")
    place = inc.place
    if place is None:
        out.print("place: ? (?, ?, ?)")
    else:
        out.print(
            f"place: {printable(place.name or '?')} ({printable(place.precision or '?')}, "
            f"{printable(place.admin1 or '?')}, {printable(place.country or '?')})"
        )
    out.print(f"time: {printable(inc.time.start or '?')} .. {printable(inc.time.end or '?')}")
    perp = inc.perpetrator
    out.print(
        f"perpetrator: {printable((perp.text if perp else None) or '?')} "
        f"({printable((perp.side if perp else None) or '?')})"
    )
    out.print(f"harm: {printable(harm_text(inc.harm))}")
    for fig in inc.harm_figures:
        out.print(f"  {printable(fig.text or '')} ({printable(fig.source or '?')})")
    out.print(
        f"grade: {printable(inc.grade)} ({printable(inc.grade_reason or '')}); "
        f"{inc.independent_sources} independent source(s); "
        f"review: {printable(inc.review)}"
    )
    if inc.denied_by:
        out.print("denied by: " + printable(", ".join(a.text for a in inc.denied_by)))
    out.print(f"{len(reports)} report(s):")
    for rep in reports:
        out.print(
            f"- {printable(rep['publisher'] or '?')}, {printable(rep['published'] or '?')}: "
            f"{printable(rep['title'] or rep['document'])}"
        )
        out.print(f'  "{printable(rep["sentence"])}"')


def _register_extensions() -> None:
    from . import export, keys, web

    web.register(main)
    export.register(main)
    keys.register(main)


_register_extensions()

if __name__ == "__main__":
    main()
