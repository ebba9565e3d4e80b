"""Review history in words: what each review entry did, as a person reads it (no Python reprs)."""

from __future__ import annotations

from typing import Any

FIELD_NAMES = {"admin1": "region", "lat": "latitude", "lon": "longitude", "side": "side"}


def value_words(value: Any) -> str:
    """A stored value as text: places, times and harm figures in words, nothing as a repr."""
    if value is None or value == "" or value == []:
        return "nothing"
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, dict):
        if "start" in value or "end" in value:
            start, end = value.get("start") or "?", value.get("end")
            return start if not end or end == start else f"{start} to {end}"
        if "kind" in value and ("min" in value or "max" in value):
            return harm_words(value)
        if "lat" in value and "lon" in value:
            return place_words(value)
        parts = []
        for k, v in value.items():
            if v is None or v == "":
                continue
            parts.append(f"{FIELD_NAMES.get(k, k.replace('_', ' '))} {value_words(v)}")
        return ", ".join(parts) or "nothing"
    if isinstance(value, list | tuple):
        return "; ".join(value_words(v) for v in value)
    return (
        str(value).replace("_", " ") if isinstance(value, str) and " " not in value else str(value)
    )


def place_words(p: dict[str, Any]) -> str:
    """ "Bucha, Kyiv Oblast, UA (50.54, 30.21; point)" """
    where = ", ".join(str(p[k]) for k in ("name", "admin1", "country") if p.get(k)) or "a place"
    at = f"{p['lat']}, {p['lon']}" + (f"; {p['precision']}" if p.get("precision") else "")
    return f"{where} ({at})"


def harm_words(h: dict[str, Any]) -> str:
    lo, hi = h.get("min"), h.get("max")
    count = "?" if lo is None else (str(lo) if hi is None or hi == lo else f"{lo}–{hi}")
    return f"{count} {h.get('category') or 'people'} {h.get('kind') or ''}".strip()


def review_words(entry: dict[str, Any]) -> str:
    """One review entry's change in words, from what of its detail the role may see."""
    action = str(entry.get("action", "")).removeprefix("review.")
    d = entry.get("detail") or {}
    if action == "status" and "status" in d:
        was = f" (was {value_words(d['old'])})" if "old" in d else ""
        return f"set the status to {value_words(d['status'])}{was}"
    if action in ("confirm", "reject"):
        return "confirmed the incident" if action == "confirm" else "rejected the incident"
    if action == "edit":
        field = value_words(d["field"]) if "field" in d else "a field"
        return f"changed the {field}" + (f" to {value_words(d['value'])}" if "value" in d else "")
    if action == "flag" and "flag" in d:
        on = d.get("on", True)
        return f"{'set' if on else 'lifted'} the {value_words(d['flag'])} flag"
    if action == "assign":
        return (
            f"assigned it to {d['to']}"
            if d.get("to")
            else "assigned it"
            if "to" not in d
            else "unassigned it"
        )
    if action == "note":
        return f"noted: {d['note']}" if d.get("note") else "added a note"
    if action == "link":
        kind = value_words(d["kind"]) if "kind" in d else "related"
        return f"linked it as {kind}" + (f" to {d['to']}" if d.get("to") else "")
    return action.replace("_", " ")
