"""Canonical JSON: one byte string per value, whatever the key order."""

from __future__ import annotations

import json
import math
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dossier.evidence.canonical import canonical_json, hash_value

scalars = st.none() | st.booleans() | st.integers() | st.text()
values = st.recursive(
    scalars,
    lambda children: (
        st.lists(children, max_size=5) | st.dictionaries(st.text(), children, max_size=5)
    ),
    max_leaves=30,
)


@settings(max_examples=50)
@given(values)
def test_canonical_json_round_trips_through_json_loads(value: Any) -> None:
    assert json.loads(canonical_json(value)) == value


@settings(max_examples=30)
@given(st.dictionaries(st.text(), values, max_size=6), st.randoms())
def test_key_order_does_not_change_the_bytes(obj: dict[str, Any], rnd: Any) -> None:
    items = list(obj.items())
    rnd.shuffle(items)
    assert canonical_json(dict(items)) == canonical_json(obj)


@settings(max_examples=50)
@given(values, values)
def test_different_values_give_different_bytes(a: Any, b: Any) -> None:
    # json equality treats True == 1; canonical bytes must still tell them apart.
    if json.dumps(a, sort_keys=True) != json.dumps(b, sort_keys=True):
        assert canonical_json(a) != canonical_json(b)
        assert hash_value(a) != hash_value(b)


def test_no_insignificant_white_space_and_utf8_kept() -> None:
    assert canonical_json({"b": [1, 2], "a": "Київ"}) == '{"a":"Київ","b":[1,2]}'.encode()


@pytest.mark.parametrize("bad", [math.nan, math.inf, -math.inf])
def test_nan_and_infinity_are_refused(bad: float) -> None:
    with pytest.raises(ValueError):
        canonical_json({"x": bad})
