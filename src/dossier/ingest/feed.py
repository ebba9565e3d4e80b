"""RSS and Atom feed files: one document per entry, with its summary or content."""

from __future__ import annotations

import time

import feedparser

from ..errors import MalformedInput
from .draft import DocumentDraft, Parsed
from .html import extract_html


def looks_like_feed(data: bytes) -> bool:
    head = data[:2048].lstrip().lower()
    return head.startswith((b"<?xml", b"<rss", b"<feed")) and (
        b"<rss" in head or b"<feed" in head or b"<rdf" in head
    )


def read_feed(data: bytes, name: str) -> Parsed:
    feed = feedparser.parse(data)
    # feedparser names the dialect ("rss20", "atom10"); the artifact keeps the matching type.
    atom = str(feed.get("version", "")).startswith("atom")
    parsed = Parsed("application/atom+xml" if atom else "application/rss+xml", container=True)
    if feed.bozo and not feed.entries:
        raise MalformedInput(name, f"not a readable RSS/Atom feed ({feed.get('bozo_exception')})")
    publisher = feed.feed.get("title")
    for i, entry in enumerate(feed.entries):
        locator = f"entry:{i}"
        body = ""
        if entry.get("content"):
            body = entry.content[0].get("value", "")
        body = body or entry.get("summary", "")
        if not body.strip():
            parsed.failures.append(
                MalformedInput(f"{name} {locator}", "entry has no content or summary")
            )
            continue
        try:
            text = extract_html(
                f"<html><body><article>{body}</article></body></html>", name, locator=locator
            ).text
        except MalformedInput:
            text = body
        published = None
        stamp = entry.get("published_parsed") or entry.get("updated_parsed")
        if stamp:
            published = time.strftime("%Y-%m-%d", stamp)
        parsed.drafts.append(
            DocumentDraft(
                text=text,
                locator=locator,
                title=entry.get("title"),
                url=entry.get("link"),
                publisher=publisher,
                author=entry.get("author"),
                published=published,
            )
        )
    if not parsed.drafts and not parsed.failures:
        raise MalformedInput(name, "feed has no entries")
    return parsed
