"""Cached reads of a parsed spaCy Doc that every room of extract/ shares."""

from __future__ import annotations

from typing import Any

Doc = Any  # spacy.tokens.Doc


def doc_text(doc: Doc) -> str:
    """``doc.text``, cached on the Doc: spaCy rebuilds the string on every access."""
    text = doc.user_data.get("dossier.text")
    if text is None:
        text = str(doc.text)
        doc.user_data["dossier.text"] = text
    return str(text)
