"""The ``export``, ``bundle``, ``verify-bundle`` and ``report`` commands.

``register(main)`` adds them to the ``dossier`` group; like ``commands.py``
they only parse arguments, call the library and print. ``export`` takes the
filter options of ``filters.py``, so it accepts exactly what ``dossier
incidents`` accepts, sort included. This module does not import
``commands.py``, so ``commands.py`` can import it at any point without an
import cycle.
"""

from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path
from typing import Any

import click

from ..errors import InvalidRequest
from ..terminal import printable
from .context import Context, err, guard, out, pass_ctx
from .filters import filter_options, make_filter

FORMATS = ("csv", "geojson", "jsonl")


@click.command()
@click.option("--format", "fmt", type=click.Choice(FORMATS), default="csv", show_default=True)
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False), help="Write here instead of stdout."
)
@click.option(
    "--include-restricted",
    is_flag=True,
    help="Export everything, restricted incidents and personal information included "
    "(by default the export holds what a viewer may see).",
)
@filter_options
@pass_ctx
@guard
def export(
    ctx: Context,
    fmt: str,
    output: str | None,
    sort: str,
    include_restricted: bool,
    **filters: Any,
) -> None:
    """Export incidents as CSV (ACLED's column layout), GeoJSON or JSON Lines."""
    from ..export import export_incidents
    from ..review.visibility import View

    store = ctx.store()
    f = make_filter(**filters)
    # an export leaves the machine: it goes through the viewer's policy unless asked
    view = None if include_restricted else View(store, "viewer")
    if output is None:
        n = export_incidents(store, f, fmt, sys.stdout, sort=sort, view=view)
    else:
        target = Path(output)
        target.parent.mkdir(parents=True, exist_ok=True)
        # written beside the target and renamed at the end: a failure leaves no partial file
        fd, temp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".part", dir=target.parent)
        try:
            with os.fdopen(fd, "w", encoding="utf-8", newline="") as stream:
                n = export_incidents(store, f, fmt, stream, sort=sort, view=view)
            os.replace(temp, target)
        except BaseException:
            Path(temp).unlink(missing_ok=True)
            raise
    err.print(f"exported {n} incident(s) as {fmt}" + (f" to {printable(output)}" if output else ""))


@click.command()
@click.argument("incidents", nargs=-1)
@click.option(
    "-o", "--output", required=True, type=click.Path(dir_okay=False), help="The .zip to write."
)
@click.option(
    "--include-restricted",
    is_flag=True,
    help="Include restricted documents unredacted (logged in custody as a disclosure).",
)
@filter_options
@pass_ctx
@guard
def bundle(
    ctx: Context,
    incidents: tuple[str, ...],
    output: str,
    include_restricted: bool,
    sort: str,
    **filters: Any,
) -> None:
    """Write a signed evidence bundle of INCIDENT... (and/or those matching the filters)."""
    from ..export import iter_incidents
    from ..export.bundle import build_bundle

    store = ctx.store()
    ids = list(incidents)
    if any(v is not None for v in filters.values()):
        ids += [x.id for x in iter_incidents(store, make_filter(**filters), sort)]
    if not ids:
        raise InvalidRequest("name the incidents to bundle, or give a filter that matches some")
    ids = list(dict.fromkeys(ids))  # one copy each, in the order given
    s = build_bundle(store, ids, Path(output), include_restricted=include_restricted)
    out.print(
        f"bundle {printable(str(s.path))}: {s.incidents} incident(s), {s.documents} document(s), "
        f"{s.originals} original(s), {s.withheld} withheld, {s.custody_entries} custody entries "
        f"proven against checkpoint {s.checkpoint_size}; manifest sha256:{s.manifest_sha256}"
    )


@click.command(name="verify-bundle")
@click.argument("path", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--key", type=click.Path(exists=True, dir_okay=False), help="PEM public key to trust."
)
@click.option(
    "--trust-embedded-key",
    is_flag=True,
    help="Without --key, trust the bundle's own key: proves internal consistency only.",
)
@click.option(
    "--max-entry-size",
    type=int,
    help="Refuse an entry that inflates past this many bytes (default 4 GiB).",
)
@click.option(
    "--max-total-size",
    type=int,
    help="Refuse a bundle that inflates past this many bytes in all (default 32 GiB).",
)
@click.option(
    "--anchor",
    "anchors",
    multiple=True,
    metavar="SIZE:ROOT",
    help="A checkpoint held from elsewhere (published, timestamped); the bundle must extend it.",
)
def verify_bundle_cmd(
    path: str,
    key: str | None,
    trust_embedded_key: bool,
    max_entry_size: int | None,
    max_total_size: int | None,
    anchors: tuple[str, ...],
) -> None:
    """Check a bundle offline: zip structure, signature, hashes, custody proofs and records.

    Fails without --key unless --trust-embedded-key is given.
    """
    from ..export.verify_bundle import Limits, parse_anchor, print_report, verify_bundle

    try:
        held = [parse_anchor(a) for a in anchors]
    except ValueError as exc:
        raise click.BadParameter(str(exc), param_hint="--anchor") from exc
    caps = {"max_entry": max_entry_size, "max_total": max_total_size}
    report = verify_bundle(
        Path(path),
        Path(key) if key else None,
        trust_embedded_key=trust_embedded_key,
        limits=Limits(**{k: v for k, v in caps.items() if v is not None}),
        anchors=held,
    )
    print_report(report, lambda line: out.print(printable(line)))
    if not report.ok:
        sys.exit(1)


@click.command()
@click.argument("incident")
@click.option(
    "-o",
    "--output",
    required=True,
    type=click.Path(dir_okay=False),
    help="FILE.html or FILE.pdf (PDF needs Chromium).",
)
@click.option(
    "--include-restricted",
    is_flag=True,
    help="Show restricted documents unredacted (logged in custody as a disclosure).",
)
@click.option(
    "--as-role",
    type=click.Choice(("viewer", "analyst", "reviewer", "admin")),
    help="Write the report as this role may see it (default: the local owner, full access).",
)
@pass_ctx
@guard
def report(
    ctx: Context, incident: str, output: str, include_restricted: bool, as_role: str | None
) -> None:
    """Write an incident dossier report as HTML or PDF."""
    from ..export.report import write_report
    from ..review.visibility import View

    store = ctx.store()
    path = write_report(
        store,
        incident,
        Path(output),
        include_restricted=include_restricted,
        view=View(store, as_role) if as_role else None,
    )
    out.print(f"report {printable(str(path))}")


def register(main: click.Group) -> None:
    """Add the export commands to the ``dossier`` group."""
    for command in (export, bundle, verify_bundle_cmd, report):
        main.add_command(command)
