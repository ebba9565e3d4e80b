"""Extraction: one document's text in, one Analysis out (entities, places, times, events,
harm, claims, quotes, aggregates), versioned by ``versions.PIPELINE_VERSION``.

The top level holds the analyser and what every room shares (``analyzer``, ``nlp``,
``parsed``, ``entities``, ``times``, ``truecase``), the store runner and its workers,
and ``reading`` for ``dossier analyze``. The rooms:

- ``places/``: the gazetteer, its build step, place-name normalisation, the resolver;
- ``events/``: triggers, events (``finder``), actors' sides, status, event places,
  clauses, harm and aggregates;
- ``speech/``: quotation marks, quotes, speakers, claims and denials;
- ``lang/``: the per-language seam (Ukrainian and Russian), which reuses the rooms' rules.

``speech`` reads ``events`` (sides and status of the parties who speak); ``events``
reads ``speech`` once, lazily, for who gives an aggregate figure. Neither reads
``lang``, and ``places`` reads no other room.
"""
