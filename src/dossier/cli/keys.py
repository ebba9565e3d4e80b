"""``dossier keys show|trust|list`` and ``dossier timestamp``; ``cli.py`` calls ``register(main)``.

A team's installations share one database and one artifact store, and each
signs its own checkpoints with its own key: ``keys show`` prints this
installation's public key to hand to the others, ``keys trust FILE`` adds
another's to the trusted-keys folder (logged in custody), and ``keys list``
shows what ``verify`` accepts. ``timestamp`` asks the RFC 3161 authority of
the settings for a token over every checkpoint still without one.
"""

from __future__ import annotations

import sys
from pathlib import Path

import click

from ..errors import ConfigError, InputError, NoStore
from ..terminal import printable
from .context import Context, err, guard, out, pass_ctx


@click.group()
def keys() -> None:
    """This installation's signing key and the team's trusted keys."""


def _own(ctx: Context) -> tuple[str, bytes, Path]:
    from ..evidence.keys import PUBLIC_NAME, key_id
    from ..evidence.trust import canonical_pem, parse_public_key

    settings = ctx.settings()
    if not settings.home.is_dir():
        raise NoStore(settings.home)
    path = settings.keys_dir / PUBLIC_NAME
    try:
        pem = path.read_bytes()
    except OSError as exc:
        err.print(
            f"error: {printable(str(path))}: no public key ({exc.strerror or exc}); "
            "run `dossier init`"
        )
        sys.exit(2)
    key = parse_public_key(pem, str(path))
    return key_id(key), canonical_pem(key), path


@keys.command()
@click.option(
    "-o",
    "--output",
    type=click.Path(dir_okay=False, path_type=Path),
    help="Also write the public key (PEM) to this file, to hand to the team.",
)
@pass_ctx
@guard
def show(ctx: Context, output: Path | None) -> None:
    """Print this installation's public key (PEM) and its key id."""
    kid, pem, _path = _own(ctx)
    out.print(f"key id: {kid}")
    out.print(pem.decode("ascii").rstrip("\n"))
    if output is not None:
        try:
            output.write_bytes(pem)
        except OSError as exc:
            err.print(f"error: {printable(str(output))}: cannot write ({exc.strerror or exc})")
            sys.exit(1)
        out.print(f"written to {printable(str(output))}")


@keys.command()
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
@pass_ctx
@guard
def trust(ctx: Context, file: Path) -> None:
    """Trust the Ed25519 public key in FILE (a team member's): verify accepts its checkpoints."""
    from ..evidence.canonical import sha256_hex
    from ..evidence.keys import key_id
    from ..evidence.trust import canonical_pem, is_trusted, read_public_key, write_trusted
    from ..store import custody_log

    settings = ctx.settings()
    store = ctx.store()
    own, _pem, _path = _own(ctx)
    folder = settings.trusted_keys_dir
    try:
        key = read_public_key(file)
        kid = key_id(key)
        if kid == own:
            out.print(f"key {kid} is this installation's own; trusted already")
            return
        if is_trusted(folder, key):
            out.print(f"key {kid} is trusted already ({printable(str(folder))})")
            return
        # logged and written together: a file that cannot be written rolls the entry back
        with store.transaction() as conn:
            custody_log.append(
                conn,
                settings.who,
                "key.trusted",
                f"key:{kid}",
                sha256_hex(canonical_pem(key)),
                {"by_key": own, "file": str(file)},
            )
            target = write_trusted(folder, key)
    except OSError as exc:
        raise InputError(str(file), f"cannot trust this key ({exc.strerror or exc})") from exc
    out.print(f"trusted key {kid} -> {printable(str(target))}")


@keys.command(name="list")
@pass_ctx
@guard
def list_(ctx: Context) -> None:
    """The keys verify accepts checkpoints from: this installation's and the trusted ones."""
    from ..evidence.trust import load_trusted

    settings = ctx.settings()
    own, _pem, path = _own(ctx)
    out.print(f"{own}  this installation's ({printable(str(path))})")
    trusted = load_trusted(settings.trusted_keys_dir)
    for kid in sorted(trusted.keys):
        if kid != own:
            out.print(f"{kid}  trusted ({printable(str(settings.trusted_keys_dir))})")
    for problem in trusted.problems:
        err.print(f"warning: {printable(problem)}")
    if trusted.problems:
        sys.exit(1)


@click.command()
@pass_ctx
@guard
def timestamp(ctx: Context) -> None:
    """Have every checkpoint without an RFC 3161 token timestamped by the TSA (tsa_url)."""
    from ..store import timestamps

    store = ctx.store()
    if not store.settings.tsa_url:
        raise ConfigError("no time-stamp authority: set DOSSIER_TSA_URL (see docs/settings.md)")
    done, left, why = timestamps.stamp_missing(store)
    for token in done:
        out.print(f"checkpoint at size {token.size}: timestamped {token.gen_time} by {token.tsa}")
    if why:
        err.print(f"error: {printable(why)}; {len(left)} checkpoint(s) still without a token")
        sys.exit(1)
    out.print(f"timestamp: {len(done)} checkpoint(s) timestamped, none left without a token")


def register(main: click.Group) -> None:
    """Add the key and timestamp commands to the ``dossier`` group."""
    main.add_command(keys)
    main.add_command(timestamp)
