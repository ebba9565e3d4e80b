"""RFC 3161 trusted time: every checkpoint timestamped by a local TSA, and verify checks it.

The TSA (``tsa.py``) is a real one on loopback with its own CA. Tampering
with a token (one for another checkpoint, one from a TSA the CA file does
not trust, one deleted) fails ``verify`` naming the checkpoint; a TSA that is
down leaves every write in place, warns naming it, and ``dossier timestamp``
catches up.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from tsa import Authority, Server

from databases import Raw, home_database_url

STORY = "Russian shelling killed 12 civilians in Kharkiv on Monday, local officials said.\n"


@pytest.fixture(scope="module")
def authorities() -> Iterator[tuple[Server, Server]]:
    """The trusted TSA and one under a CA nobody configured."""
    good, rogue = Server(Authority("trusted")), Server(Authority("rogue"))
    yield good, rogue
    good.close()
    rogue.close()


@pytest.fixture
def tsa_env(authorities: tuple[Server, Server], tmp_path: Path) -> dict[str, str]:
    good, _ = authorities
    good.authority.lie_about_imprint = False
    ca = good.authority.ca_pem(tmp_path / "tsa-ca.pem")
    return {"DOSSIER_TSA_URL": good.url, "DOSSIER_TSA_CA": str(ca)}


def _inputs(tmp_path: Path, n: int = 2) -> Path:
    folder = tmp_path / "inputs"
    folder.mkdir(exist_ok=True)
    for i in range(n):
        (folder / f"story-{i}.txt").write_text(f"{i}: {STORY}", encoding="utf-8")
    return folder


def _sizes(home: Path) -> tuple[list[int], list[int]]:
    """(checkpoint sizes, timestamped sizes), each sorted."""
    db = Raw(home_database_url(home))
    try:
        cps = [r[0] for r in db.execute("SELECT size FROM checkpoints ORDER BY size")]
        stamped = [r[0] for r in db.execute("SELECT size FROM checkpoint_timestamps ORDER BY size")]
    finally:
        db.close()
    return cps, stamped


def _stamped(run_cli, tmp_path: Path, env: dict[str, str]) -> list[int]:  # type: ignore[no-untyped-def]
    assert run_cli("init", env=env).exit_code == 0
    done = run_cli("ingest", "--published", "2022-03-01", str(_inputs(tmp_path)), env=env)
    assert done.exit_code == 0, done.stderr
    cps, stamped = _sizes(tmp_path / "home")
    assert len(cps) >= 2 and stamped == cps, "every checkpoint is timestamped"
    return cps


def _failed(run_cli, env: dict[str, str]) -> str:  # type: ignore[no-untyped-def]
    result = run_cli("verify", env=env)
    assert result.exit_code == 1, result.stdout
    return str(result.stdout)


def test_every_checkpoint_is_timestamped_and_verify_checks_each(
    run_cli, tmp_path: Path, tsa_env: dict[str, str], authorities: tuple[Server, Server]
) -> None:
    before = authorities[0].authority.requests
    cps = _stamped(run_cli, tmp_path, tsa_env)
    assert authorities[0].authority.requests - before == len(cps)
    result = run_cli("verify", env=tsa_env)
    assert result.exit_code == 0, result.stdout
    assert f"timestamps: {len(cps)} checked, ok" in result.stdout
    # Without the TSA settings no token is asked for, but the stored ones are still checked:
    # without the CA file to check them against, verify says so and fails
    bare = run_cli("verify")
    assert bare.exit_code == 1 and "timestamp token(s) cannot be checked" in bare.stdout


def test_a_token_for_another_checkpoint_is_named(
    run_cli, tmp_path: Path, tsa_env: dict[str, str]
) -> None:
    cps = _stamped(run_cli, tmp_path, tsa_env)
    db = Raw(home_database_url(tmp_path / "home"))
    first = db.execute("SELECT token FROM checkpoint_timestamps WHERE size = ?", (cps[0],))
    db.execute(
        "UPDATE checkpoint_timestamps SET token = ? WHERE size = ?", (first.scalar_one(), cps[-1])
    )
    db.close()
    out = _failed(run_cli, tsa_env)
    assert (
        f"checkpoint at size {cps[-1]}: timestamp from {tsa_env['DOSSIER_TSA_URL']}: the token "
        "is for other bytes, not this checkpoint" in out
    )


def test_a_token_from_an_untrusted_tsa_is_named(
    run_cli, tmp_path: Path, tsa_env: dict[str, str], authorities: tuple[Server, Server]
) -> None:
    rogue = {**tsa_env, "DOSSIER_TSA_URL": authorities[1].url}
    cps = _stamped(run_cli, tmp_path, rogue)  # the rogue TSA answered every request
    out = _failed(run_cli, tsa_env)
    assert (
        f"checkpoint at size {cps[0]}: timestamp from {authorities[1].url}: the token does not "
        "verify against the trusted TSA CA" in out
    )
    assert "unable to get local issuer certificate" in out


def test_a_removed_token_is_named_when_tokens_are_required(
    run_cli, tmp_path: Path, tsa_env: dict[str, str]
) -> None:
    cps = _stamped(run_cli, tmp_path, tsa_env)
    db = Raw(home_database_url(tmp_path / "home"))
    db.execute("DELETE FROM checkpoint_timestamps WHERE size = ?", (cps[-1],))
    db.close()
    out = _failed(run_cli, tsa_env)
    assert f"first break: checkpoint at size {cps[-1]}: no timestamp token (1 checkpoint" in out
    # a token without a CA file to check it against is not taken on trust either
    ca_less = {"DOSSIER_TSA_URL": tsa_env["DOSSIER_TSA_URL"]}
    assert "timestamp token(s) cannot be checked: the tsa_ca setting" in _failed(run_cli, ca_less)


def test_stored_tokens_are_checked_on_an_installation_without_tsa_settings(
    run_cli, tmp_path: Path, tsa_env: dict[str, str]
) -> None:
    # a colleague's, or a legal officer's copy: no TSA named, yet the tokens are verified
    _stamped(run_cli, tmp_path, tsa_env)
    assert run_cli("verify", env={"DOSSIER_TSA_CA": tsa_env["DOSSIER_TSA_CA"]}).exit_code == 0
    bare = _failed(run_cli, {})
    assert "timestamp token(s) cannot be checked: the tsa_ca setting" in bare
    # a token planted for another checkpoint is named, whatever the settings
    db = Raw(home_database_url(tmp_path / "home"))
    sizes = [r[0] for r in db.execute("SELECT size FROM checkpoint_timestamps ORDER BY size")]
    db.execute("DELETE FROM checkpoint_timestamps WHERE size = ?", (sizes[0],))
    db.execute("UPDATE checkpoint_timestamps SET size = ? WHERE size = ?", (sizes[0], sizes[-1]))
    db.close()
    forged = _failed(run_cli, {"DOSSIER_TSA_CA": tsa_env["DOSSIER_TSA_CA"]})
    assert f"checkpoint at size {sizes[0]}" in forged


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def test_a_tsa_that_is_down_loses_nothing_and_timestamp_catches_up(
    run_cli, tmp_path: Path, tsa_env: dict[str, str], home: Path
) -> None:
    down = {**tsa_env, "DOSSIER_TSA_URL": f"http://127.0.0.1:{_free_port()}/"}
    assert run_cli("init", env=down).exit_code == 0
    env = {**os.environ, **down, "DOSSIER_HOME": str(home)}
    ingest = subprocess.run(
        [sys.executable, "-m", "dossier.cli", "ingest", "--published", "2022-03-01"]
        + [str(_inputs(tmp_path, 3))],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert ingest.returncode == 0, ingest.stderr
    warnings = [line for line in ingest.stderr.splitlines() if down["DOSSIER_TSA_URL"] in line]
    assert len(warnings) == 1, ingest.stderr  # once per command, not once per checkpoint
    assert "run `dossier timestamp` when the TSA answers" in warnings[0]
    cps, stamped = _sizes(home)
    assert len(cps) >= 3 and stamped == []  # every write and checkpoint kept
    out = _failed(run_cli, down)
    assert f"checkpoint at size {cps[0]}: no timestamp token ({len(cps)} checkpoint(s)" in out

    still_down = run_cli("timestamp", env=down)
    assert still_down.exit_code == 1
    assert down["DOSSIER_TSA_URL"] in still_down.stderr
    assert f"{len(cps)} checkpoint(s) still without a token" in still_down.stderr

    caught_up = run_cli("timestamp", env=tsa_env)
    assert caught_up.exit_code == 0, caught_up.stderr
    for size in cps:
        assert f"checkpoint at size {size}: timestamped " in caught_up.stdout
    assert _sizes(home)[1] == cps
    assert run_cli("verify", env=tsa_env).exit_code == 0
    assert "none left without a token" in run_cli("timestamp", env=tsa_env).stdout


def test_a_tsa_answering_for_other_bytes_is_refused_at_once(
    run_cli, tmp_path: Path, tsa_env: dict[str, str], authorities: tuple[Server, Server]
) -> None:
    assert run_cli("init", env=tsa_env).exit_code == 0
    authorities[0].authority.lie_about_imprint = True
    done = run_cli("ingest", "--published", "2022-03-01", str(_inputs(tmp_path)), env=tsa_env)
    assert done.exit_code == 0
    assert _sizes(tmp_path / "home")[1] == []  # no token over the wrong bytes is stored
    result = run_cli("timestamp", env=tsa_env)
    assert result.exit_code == 1 and "a token for another request" in result.stderr
