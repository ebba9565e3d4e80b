"""Inflating a multi-member .warc.gz: Dossier's inflate beside the old one and the stdlib's.

A realistic crawl is generated at run time from the news texts of
``../shared/eval/gva-dev/docs.jsonl`` (never copied here): a warcinfo record,
then per page a request, an HTML response (the article inside navigation,
scripts and a footer) and a metadata record, each record its own gzip member
as crawlers write them (warcio). Crawls of 2, 4, 8 and 12 MB (compressed) are
the first members of one generated crawl, so each size holds the one before.

Timed per size, in the same run on the same bytes:

- ``dossier``: ``dossier.ingest.warc.inflate`` (capped, member-aware slices);
- ``before``: the inflate Dossier had before, which handed zlib the whole
  rest of the file for every member (kept below verbatim);
- ``gzip.decompress``: the stdlib's one-shot function (it also copies the
  rest of the input for every member);
- ``GzipFile``: the stdlib's streaming reader, a linear baseline with no cap.

The two quadratic ones run only while their predicted time (the last
measured time times the squared size ratio) stays under ``--budget``
seconds; a size they skip is marked so. Inflation is linear when the time per
MB stays flat as the crawl grows. Prints a table and writes
benchmarks/results/ingest_gzip.json.

    PYTHONPATH=src python benchmarks/ingest_gzip.py [--sizes 2 4 8 12] [--budget 120]
"""

from __future__ import annotations

import argparse
import gzip
import io
import json
import platform
import sys
import time
import zlib
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from dossier.errors import InputError, MalformedInput
from dossier.ingest.warc import inflate

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT.parent / "shared" / "eval" / "gva-dev" / "docs.jsonl"
OUT = ROOT / "benchmarks" / "results" / "ingest_gzip.json"
MB = 1_000_000
CAP = 1 << 31


def inflate_before(data: bytes, name: str, cap: int) -> tuple[bytes, InputError | None]:
    """Dossier's inflate before the fix, verbatim: ``data[pos:]`` copies the rest per member."""
    out = bytearray()
    pos = 0
    while pos < len(data):
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            chunk = d.decompress(data[pos:], cap + 1 - len(out))
            out += chunk
            while d.unconsumed_tail and len(out) <= cap:
                out += d.decompress(d.unconsumed_tail, cap + 1 - len(out))
        except zlib.error as exc:
            return bytes(out), MalformedInput(name, f"corrupt gzip data ({exc})")
        if len(out) > cap:
            raise MalformedInput(name, "possible gzip bomb")
        if not d.eof:
            return bytes(out), MalformedInput(name, "truncated gzip stream")
        consumed = len(data) - pos - len(d.unused_data)
        pos += consumed
        if not d.unused_data.strip(b"\x00"):
            break
    return bytes(out), None


def page(doc: dict[str, Any], n: int) -> bytes:
    """The article as a news site serves it: navigation, scripts, the story, a footer."""
    paragraphs = "\n".join(
        f"<p>{line.strip()}</p>" for line in str(doc["text"]).split("\n") if line.strip()
    )
    title = str(doc.get("title") or "")
    return f"""<!DOCTYPE html><html lang="en"><head><meta charset="utf-8">
<title>{title}</title><meta name="date" content="{doc.get("dct", "")}">
<link rel="stylesheet" href="/static/site.{n % 97}.css">
<script>window.dataLayer=window.dataLayer||[];dataLayer.push({{"page":{n},"section":"news"}});
function track(e){{dataLayer.push({{"event":e,"t":Date.now()}})}}</script></head><body>
<header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/local">Local</a>
<a href="/weather">Weather</a> <a href="/sports">Sports</a> <a href="/video">Video</a>
</nav></header>
<main><article><h1>{title}</h1><p class="byline">Staff report, {doc.get("dct", "")}</p>
{paragraphs}
</article><aside><h2>Most read</h2><ul><li><a href="/a/{n + 1}">More news</a></li>
<li><a href="/a/{n + 2}">Traffic</a></li></ul></aside></main>
<footer><p>Copyright {n % 30 + 1995}. All rights reserved.</p></footer></body></html>""".encode()


def documents() -> Iterator[dict[str, Any]]:
    with DOCS.open(encoding="utf-8") as fh:
        docs = [json.loads(line) for line in fh]
    while True:  # cycled, with new URIs each pass, until the crawl is large enough
        yield from docs


def crawl(target: int) -> list[bytes]:
    """Gzip members of a crawl of at least ``target`` compressed bytes, one per record."""
    buf = io.BytesIO()
    writer = WARCWriter(buf, gzip=True)
    members: list[bytes] = []

    def take() -> None:
        members.append(buf.getvalue())
        buf.seek(0)
        buf.truncate()

    writer.write_record(
        writer.create_warcinfo_record("crawl.warc.gz", {"software": "benchmark crawl"})
    )
    take()
    size = 0
    for n, doc in enumerate(documents()):
        uri = f"{doc['uri']}?pass={n // 4063}"
        request = StatusAndHeaders(
            f"GET /{n} HTTP/1.1", [("Host", "news.example.org"), ("User-Agent", "crawler")]
        )
        writer.write_record(
            writer.create_warc_record(uri, "request", payload=io.BytesIO(b""), http_headers=request)
        )
        take()
        body = page(doc, n)
        headers = StatusAndHeaders(
            "200 OK",
            [("Content-Type", "text/html; charset=utf-8"), ("Content-Length", str(len(body)))],
            protocol="HTTP/1.1",
        )
        writer.write_record(
            writer.create_warc_record(
                uri, "response", payload=io.BytesIO(body), http_headers=headers
            )
        )
        take()
        meta = f"outlink: /a/{n + 1}\noutlink: /a/{n + 2}\nfetchTimeMs: {n % 900}\n".encode()
        writer.write_record(
            writer.create_warc_record(
                uri, "metadata", payload=io.BytesIO(meta), warc_content_type="text/plain"
            )
        )
        take()
        size = sum(len(m) for m in members)
        if size >= target:
            break
    return members


def best_of(fn: Callable[[bytes], bytes], data: bytes, repeat: int) -> tuple[float, bytes]:
    times = []
    result = b""
    for _ in range(repeat):
        t0 = time.perf_counter()
        result = fn(data)
        times.append(time.perf_counter() - t0)
    return min(times), result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--sizes", type=float, nargs="+", default=[2, 4, 8, 12], help="MB")
    parser.add_argument("--budget", type=float, default=120.0, help="seconds per slow run")
    args = parser.parse_args()
    if not DOCS.exists():
        sys.exit(f"{DOCS} is missing: the benchmark generates its crawl from those texts")

    members = crawl(int(max(args.sizes) * MB))
    methods: dict[str, Callable[[bytes], bytes]] = {
        "dossier": lambda d: _ok(inflate(d, "crawl.warc.gz", CAP)),
        "GzipFile": lambda d: gzip.GzipFile(fileobj=io.BytesIO(d)).read(),
        "gzip.decompress": gzip.decompress,
        "before": lambda d: _ok(inflate_before(d, "crawl.warc.gz", CAP)),
    }
    quadratic = {"gzip.decompress", "before"}
    last: dict[str, tuple[float, float]] = {}  # method -> (size MB, seconds)
    rows = []
    for target in args.sizes:
        parts: list[bytes] = []
        total = 0
        for m in members:
            if total >= target * MB:
                break
            parts.append(m)
            total += len(m)
        n = len(parts)
        data = b"".join(parts)
        mb = len(data) / MB
        row: dict[str, Any] = {"compressed_mb": round(mb, 2), "members": n}
        expected: bytes | None = None
        for name, fn in methods.items():
            if name in quadratic and name in last:
                prev_mb, prev_s = last[name]
                predicted = prev_s * (mb / prev_mb) ** 2
                if predicted > args.budget:
                    row[name + "_s"] = None
                    row[name + "_predicted_s"] = round(predicted, 1)
                    continue
            repeat = 1 if name in quadratic else 3
            seconds, result = best_of(fn, data, repeat)
            if expected is None:
                expected = result
                row["inflated_mb"] = round(len(expected) / MB, 1)
            elif result != expected:
                sys.exit(f"{name} inflated {len(result)} bytes, dossier {len(expected)}")
            last[name] = (mb, seconds)
            row[name + "_s"] = round(seconds, 3)
            row[name + "_s_per_mb"] = round(seconds / mb, 4)
        rows.append(row)
        print(_line(row), flush=True)

    first, final = rows[0], rows[-1]
    growth = (final["dossier_s"] / first["dossier_s"]) / (
        final["compressed_mb"] / first["compressed_mb"]
    )
    report = {
        "benchmark": "ingest_gzip",
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "machine": f"{platform.machine()}, {platform.python_version()}, {_cores()} cores",
        "corpus": "gva-dev docs.jsonl, one gzip member per WARC record",
        "rows": rows,
        "dossier_time_growth_over_size_growth": round(growth, 2),
    }
    OUT.parent.mkdir(parents=True, exist_ok=True)
    OUT.write_text(json.dumps(report, indent=1) + "\n")
    print(f"dossier: time grew {growth:.2f}x as fast as the size (1.00 = linear); wrote {OUT}")


def _ok(result: tuple[bytes, InputError | None]) -> bytes:
    data, err = result
    if err is not None:
        raise err
    return data


def _line(row: dict[str, Any]) -> str:
    def cell(name: str) -> str:
        value = row.get(name + "_s")
        if value is None:
            return f"(skipped, ~{row.get(name + '_predicted_s')} s)"
        return f"{value:.3f} s"

    return (
        f"{row['compressed_mb']:6.2f} MB, {row['members']:6d} members -> {row['inflated_mb']} MB: "
        f"dossier {cell('dossier')}, GzipFile {cell('GzipFile')}, "
        f"gzip.decompress {cell('gzip.decompress')}, before {cell('before')}"
    )


def _cores() -> int:
    import os

    return os.cpu_count() or 1


if __name__ == "__main__":
    main()
