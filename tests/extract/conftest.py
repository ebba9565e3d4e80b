"""Session fixtures of the extract tests: one spaCy pipeline and one analyser per session.

Loading the spaCy model costs seconds and about 1 GB; every extract test module
uses these instead of loading its own. The gazetteer is the installation's
(``make install`` builds it once; ``Gazetteer.load`` builds it when missing),
opened once per process by ``get_gazetteer``; only the slow build test of
test_gazetteer.py builds one of its own.
"""

from __future__ import annotations

import pytest
from spacy.language import Language

from dossier.config import Settings
from dossier.extract.analyzer import Analyzer
from dossier.extract.nlp import load_nlp
from dossier.extract.places.gazetteer import Gazetteer, get_gazetteer


@pytest.fixture(scope="session")
def analyzer() -> Analyzer:
    """The English analyser with its pipeline and gazetteer loaded."""
    instance = Analyzer(Settings())
    instance.setup()
    return instance


@pytest.fixture(scope="session")
def nlp(analyzer: Analyzer) -> Language:
    """The spaCy pipeline the analyser parses with (loaded once, by the analyser)."""
    assert analyzer.nlp is load_nlp(analyzer.settings.spacy_model)
    return analyzer.nlp


@pytest.fixture(scope="session")
def gaz() -> Gazetteer:
    """The installation's gazetteer, opened once."""
    return get_gazetteer()
