"""The stage layer: what a stage is, what it returns, and how it says no.

A ``Stage`` turns a batch of inputs into one outcome per input, in input
order: a result, or a ``Rejection`` that says which stage refused which
input and why. It never writes to the database: a runner (``extract/runner.py``
locally, ``scale/ray.py`` on Ray) calls it and saves what it returns through
``store/``, so the same stage object runs in either place. Its ``name`` is
versioned and built from its components' versions (the extraction stage's
is ``extract/versions.py``'s ``PIPELINE_VERSION``), and is stored with every
record it produces.

A ``GlobalStage`` works incrementally over the whole store instead of batch
by batch (corroboration): it keeps its own state, reads a view of the store
and is told what changed since its last call.

A rejected input is kept, never dropped: the extraction runner stores it as an
extraction run whose status is ``Rejection.status``, the form DESIGN.md's
``analyze`` contract shows (``"failed: <reason>"``, ``"not analysed: <reason>"``),
and ``Rejection.from_status`` is the one place that reads that form back.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, Protocol, TypeVar, get_args

RejectionKind = Literal["failed", "not_analysed"]
REJECTION_KINDS: tuple[RejectionKind, ...] = get_args(RejectionKind)

# The stored and printed form of each kind: a status string of the analyze contract.
_PREFIX: dict[RejectionKind, str] = {"failed": "failed: ", "not_analysed": "not analysed: "}

In = TypeVar("In", contravariant=True)
Out = TypeVar("Out")
Changes = TypeVar("Changes", covariant=True)
View = TypeVar("View", contravariant=True)
Changed = TypeVar("Changed", contravariant=True)


@dataclass(frozen=True)
class Rejection:
    """One input a stage could not turn into a result, and why.

    ``kind`` says what kind of no it is: ``failed`` (the stage raised on this
    input; the reason names the exception) or ``not_analysed`` (the stage does
    not handle such input, such as a language without an analyser).
    ``retryable`` is true where the same input may succeed on another try
    without a change of rules (an engine's worker lost, a dictionary to install).
    ``detail`` holds the notes the stage made before it stopped (a truncation,
    the languages seen); they are stored with the rejection.
    """

    stage: str
    reason: str
    input_hash: str
    retryable: bool = False
    kind: RejectionKind = "failed"
    detail: Mapping[str, Any] = field(default_factory=dict, hash=False)

    def __post_init__(self) -> None:
        if self.kind not in _PREFIX:
            raise ValueError(f"rejection kind {self.kind!r} is not one of {REJECTION_KINDS}")

    @property
    def status(self) -> str:
        """The stored form: ``"failed: <reason>"`` or ``"not analysed: <reason>"``."""
        return _PREFIX[self.kind] + self.reason

    @classmethod
    def failure(
        cls,
        stage: str,
        input_hash: str,
        exc: BaseException,
        detail: Mapping[str, Any] | None = None,
    ) -> Rejection:
        """The rejection of an input on which the stage raised ``exc``."""
        return cls(stage, f"{type(exc).__name__}: {exc}", input_hash, detail=dict(detail or {}))

    @classmethod
    def from_status(
        cls, stage: str, input_hash: str, status: str, detail: Mapping[str, Any] | None = None
    ) -> Rejection | None:
        """The rejection a stored status names, or None for a result ("ok", "ok; ...")."""
        for kind, prefix in _PREFIX.items():
            if status.startswith(prefix):
                return cls(
                    stage, status[len(prefix) :], input_hash, kind=kind, detail=dict(detail or {})
                )
        return None


class Stage(Protocol[In, Out]):
    """A batch stage: ``setup()`` once per worker, then ``process_batch`` per batch."""

    @property
    def name(self) -> str:
        """The versioned name stored with every record the stage produces."""
        ...

    def setup(self) -> None:
        """Load models and data once per process (idempotent)."""
        ...

    def process_batch(self, items: Sequence[In]) -> list[Out | Rejection]:
        """One outcome per item, in input order; one bad item never fails the batch."""
        ...


class GlobalStage(Protocol[View, Changed, Changes]):
    """A stage over the whole store, incremental: it keeps state between calls."""

    @property
    def name(self) -> str:
        """The versioned name its saved state and its records are keyed on."""
        ...

    def process(self, view: View, changed: Changed) -> Changes:
        """Bring the state up to date with ``changed``, reading ``view``; what changed."""
        ...


__all__ = ["REJECTION_KINDS", "GlobalStage", "Rejection", "RejectionKind", "Stage"]
