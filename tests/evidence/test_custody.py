"""The custody chain rule and the first break it names."""

from __future__ import annotations

import dataclasses

from dossier.evidence.custody import GENESIS, check_chain, make_entry
from dossier.records import CustodyEntry


def chain(n: int) -> list[CustodyEntry]:
    entries: list[CustodyEntry] = []
    prev = GENESIS
    for seq in range(1, n + 1):
        e = make_entry(seq, prev, "tester", "acquired", f"sha256:{seq:064x}", None, {"n": seq})
        entries.append(e)
        prev = e.entry_hash
    return entries


def test_an_intact_chain_holds() -> None:
    assert check_chain(chain(5)) is None
    assert check_chain([]) is None


def test_an_edited_entry_is_named() -> None:
    entries = chain(5)
    entries[2] = dataclasses.replace(entries[2], actor="someone else")
    assert (
        str(check_chain(entries))
        == "custody entry 3: content does not match its entry_hash (edited)"
    )


def test_a_missing_entry_is_named() -> None:
    entries = chain(5)
    del entries[1]
    assert str(check_chain(entries)).startswith("custody entry 3: sequence jumps from 1 to 3")


def test_a_replaced_entry_with_a_fresh_hash_breaks_the_next_link() -> None:
    entries = chain(5)
    e = entries[1]
    entries[1] = make_entry(2, e.prev_hash, "forger", e.action, e.object_id, None, {}, time=e.time)
    assert str(check_chain(entries)).startswith("custody entry 3: prev_hash does not match")
