"""Two installations on one database and one artifact store verify each other's work.

Each home has its own signing key and signs its own transactions'
checkpoints; the artifact store is named by ``DOSSIER_ARTIFACTS``. Until each
trusts the other's public key (``dossier keys trust``), each one's ``verify``
fails naming the other's key; afterwards both pass, and a bundle of an
incident the other installation found builds and verifies.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from databases import Raw
from dossier.cli import main
from dossier.config import Settings
from dossier.store.database import Store

STORY_A = "Russian shelling killed 12 civilians in Kharkiv on Monday, local officials said.\n"
STORY_B = "Troops abducted the mayor of Melitopol on Friday, Ukrainian officials said.\n"


class Member:
    """One installation: its own home, the team's database and artifact store."""

    def __init__(self, name: str, root: Path, url: str, artifacts: Path) -> None:
        self.home = root / name
        self.env = {
            "DOSSIER_HOME": str(self.home),
            "DOSSIER_DATABASE_URL": url,
            "DOSSIER_ARTIFACTS": str(artifacts),
            "DOSSIER_ACTOR": name,
        }

    def run(self, *args: str) -> tuple[int, str, str]:
        result = CliRunner().invoke(main, list(args), env=self.env, catch_exceptions=False)
        return result.exit_code, result.stdout, result.stderr

    def ok(self, *args: str) -> str:
        code, out, err = self.run(*args)
        assert code == 0, out + err
        return out

    def key_id(self) -> str:
        return self.ok("keys", "show").splitlines()[0].removeprefix("key id: ")


@pytest.fixture
def team(tmp_path: Path, database_url: str, monkeypatch: pytest.MonkeyPatch) -> list[Member]:
    for key in ("DOSSIER_DATABASE_URL", "DOSSIER_HOME", "DOSSIER_ARTIFACTS"):
        monkeypatch.delenv(key, raising=False)
    url = f"sqlite:///{tmp_path / 'team.db'}" if database_url == "sqlite" else database_url
    artifacts = tmp_path / "shared-artifacts"
    return [Member(name, tmp_path, url, artifacts) for name in ("alice", "bob")]


def _work(member: Member, story: str, root: Path) -> None:
    folder = root / f"in-{member.env['DOSSIER_ACTOR']}"
    folder.mkdir()
    (folder / "story.txt").write_text(story, encoding="utf-8")
    member.ok("ingest", "--published", "2022-03-01", str(folder))
    member.ok("extract")
    member.ok("corroborate")


def test_two_homes_on_one_database_verify_each_other(team: list[Member], tmp_path: Path) -> None:
    alice, bob = team
    alice.ok("init")
    bob.ok("init")
    assert alice.key_id() != bob.key_id()
    _work(alice, STORY_A, tmp_path)
    _work(bob, STORY_B, tmp_path)
    store = Store.open(
        Settings(
            home=alice.home,
            database_url=alice.env["DOSSIER_DATABASE_URL"],
            artifacts=tmp_path / "shared-artifacts",
        ),
        create=False,
    )
    with store.connect() as conn:
        signers = {r[0] for r in conn.exec_driver_sql("SELECT DISTINCT key_id FROM checkpoints")}
        blobs = conn.exec_driver_sql("SELECT sha256 FROM artifacts").scalars().all()
    store.engine.dispose()
    assert signers == {alice.key_id(), bob.key_id()}
    assert len(blobs) == 2
    for sha in blobs:  # one store: neither home keeps blobs of its own
        assert (tmp_path / "shared-artifacts" / sha[:2] / sha[2:]).is_file()
    assert not (alice.home / "artifacts").exists() and not (bob.home / "artifacts").exists()

    # Without trust each fails, naming the other's key.
    for me, other in ((alice, bob), (bob, alice)):
        code, out, _ = me.run("verify")
        assert code == 1
        assert f"signed by key {other.key_id()}, not this installation's {me.key_id()}" in out
        assert "`dossier keys trust`" in out
        assert "artifacts: " in out and "missing" not in out.split("checkpoints:")[0]
    incidents = json.loads(alice.ok("incidents", "--json"))
    melitopol = [i["id"] for i in incidents if "Melitopol" in json.dumps(i)]
    assert melitopol, incidents
    code, _, err = alice.run("bundle", melitopol[0], "-o", str(tmp_path / "refused.zip"))
    assert code == 2 and f"signed by key {bob.key_id()}" in err
    assert not (tmp_path / "refused.zip").exists()

    # Each trusts the other: both verify, and the trust is in the custody log.
    for me, other in ((alice, bob), (bob, alice)):
        pem = tmp_path / f"{other.env['DOSSIER_ACTOR']}.pem"
        other.ok("keys", "show", "-o", str(pem))
        assert me.ok("keys", "trust", str(pem)).startswith(f"trusted key {other.key_id()} -> ")
        assert "trusted already" in me.ok("keys", "trust", str(pem))
        listed = me.ok("keys", "list")
        assert f"{me.key_id()}  this installation's" in listed
        assert f"{other.key_id()}  trusted" in listed
    for me in team:
        assert "verify: all checks passed" in me.ok("verify")
    log = json.loads("[" + ",".join(alice.ok("log", "--json").splitlines()) + "]")
    trusted = [e for e in log if e["action"] == "key.trusted"]
    assert {e["object_id"] for e in trusted} == {f"key:{alice.key_id()}", f"key:{bob.key_id()}"}

    # Alice bundles the incident Bob's document made; the bundle carries Bob's key.
    out = tmp_path / "melitopol.zip"
    alice.ok("bundle", melitopol[0], "-o", str(out))
    with zipfile.ZipFile(out) as zf:
        assert f"keys/{bob.key_id()}.pem" in zf.namelist()
    mine = tmp_path / "alice.pem"
    verified = alice.ok("verify-bundle", str(out), "--key", str(mine))
    assert "FAILED" not in verified and bob.key_id() in verified
    stripped = tmp_path / "without-bob.zip"  # Bob's key taken out of the bundle
    with zipfile.ZipFile(out) as zf, zipfile.ZipFile(stripped, "w") as zw:
        for info in zf.infolist():
            if info.filename != f"keys/{bob.key_id()}.pem":
                zw.writestr(info, zf.read(info))
    code, report, _ = alice.run("verify-bundle", str(stripped), "--key", str(mine))
    assert code == 1
    assert f"keys/{bob.key_id()}.pem: listed in the manifest but missing" in report
    assert f"signed by key {bob.key_id()}, which the bundle carries no key for" in report
    assert "verify: all checks passed" in bob.ok("verify")


def test_a_team_members_anchor_and_a_removed_trusted_key(
    team: list[Member], tmp_path: Path
) -> None:
    alice, bob = team
    alice.ok("init")
    bob.ok("init")
    _work(bob, STORY_B, tmp_path)
    anchor = tmp_path / "bob-anchor.json"
    bob.ok("anchor", "-o", str(anchor))  # signed by Bob's key: Alice checks it once she trusts it
    code, out, _ = alice.run("verify", "--anchor", str(anchor))
    assert code == 1 and f"anchor {anchor} (size " in out and "nor a trusted key" in out
    bob.ok("keys", "show", "-o", str(tmp_path / "bob.pem"))
    alice.ok("keys", "trust", str(tmp_path / "bob.pem"))
    assert "verify: all checks passed" in alice.ok("verify", "--anchor", str(anchor))
    (alice.home / "trusted_keys" / f"{bob.key_id()}.pem").unlink()
    code, out, _ = alice.run("verify")
    assert code == 1 and f"signed by key {bob.key_id()}, not this installation's" in out
    (tmp_path / "junk.pem").write_text("not a key\n")
    code, _, err = alice.run("keys", "trust", str(tmp_path / "junk.pem"))
    assert code == 2 and f"{tmp_path / 'junk.pem'}: not a PEM public key" in err


def test_raw_checkpoint_signed_by_a_forged_trusted_key_id_fails(
    team: list[Member], tmp_path: Path
) -> None:
    """A checkpoint relabelled with a trusted key id it was not signed with is named."""
    alice, bob = team
    alice.ok("init")
    bob.ok("init")
    _work(bob, STORY_B, tmp_path)
    bob.ok("keys", "show", "-o", str(tmp_path / "bob.pem"))
    alice.ok("keys", "trust", str(tmp_path / "bob.pem"))
    db = Raw(alice.env["DOSSIER_DATABASE_URL"])
    size = db.execute("SELECT max(size) FROM checkpoints").scalar_one()
    db.execute("UPDATE checkpoints SET key_id = ? WHERE size = ?", (bob.key_id(), size))
    db.close()
    code, out, _ = alice.run("verify")
    assert code == 1 and f"checkpoint at size {size}: signature does not verify" in out


def test_key_commands_refuse_a_home_that_does_not_exist(team: list[Member], tmp_path: Path) -> None:
    alice, _ = team
    (tmp_path / "some.pem").write_text("x")
    alice.env["DOSSIER_TSA_URL"] = "http://127.0.0.1:9/"
    for args in (("keys", "show"), ("keys", "list"), ("keys", "trust", str(tmp_path / "some.pem"))):
        code, _, err = alice.run(*args)
        assert (code, err) == (
            2,
            f"error: no Dossier store at {alice.home}; run `dossier init`\n",
        )
    code, _, err = alice.run("timestamp")
    assert code == 2 and "no Dossier store at" in err
    assert not alice.home.exists()
