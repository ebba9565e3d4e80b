"""Extraction on Ray: the extraction stage over Ray Data, the writer in this process.

The driver (this process) reads the pending documents through ``store/`` a
window at a time, hands each window to Ray Data as a dataset, and a pool of
actors runs the extraction stage over it: the same ``ExtractionStage`` object
the local runner calls (``process_batch``: spaCy, places, times, events,
claims, quotes), which never touches the store. Each actor loads the model
and the gazetteer once, in its constructor (the stage's ``setup``). The
outcomes (analyses and rejections) come back in input order
(``preserve_order``) and the driver saves them a batch at a time through the
local runner's ``save_batch`` (one transaction per batch, its custody entries
appended in order, a checkpoint signed per transaction), so the store, the
custody chain and the hashes are the same as the local runner's.

Ray never reaches the network from here: usage statistics are off
(``RAY_USAGE_STATS_ENABLED=0``), a local instance starts without the
dashboard, in its own temporary directory, with a small object store. This is
the only module that imports ray.
"""

from __future__ import annotations

import logging
import os
import pickle
import shutil
import socket
import tempfile
from collections.abc import Callable, Iterator
from typing import Any

from ..config import Settings
from ..errors import ConfigError, DossierError
from ..extract.runner import (
    ExtractionStage,
    ExtractSummary,
    Outcome,
    outcome_id,
    outcome_stage,
    pipeline_version,
    save_batch,
)
from ..extract.workers import extraction_lock
from ..records import DocumentMeta
from ..store import custody_log, extractions
from ..store.database import Store

# Before ray is imported anywhere in this process: no usage report is ever sent.
os.environ["RAY_USAGE_STATS_ENABLED"] = "0"

log = logging.getLogger(__name__)

# A local instance's object store: windows of texts and their analyses pass
# through it, a few MB each; Ray's own floor is 75 MB.
LOCAL_OBJECT_STORE_BYTES = 200 * 1024 * 1024
# Documents per worker in one window. Each window is one Ray Data execution,
# whose actors load the model again (a few seconds); 2,048 documents take a
# worker about five minutes at the measured rate, so the reload costs ~1 %
# while the driver holds only the texts of one window.
WINDOW_PER_WORKER = 2048


class RayUnavailable(ConfigError):
    """The ray extra is not installed, or the cluster cannot be reached."""


class _Extractor:
    """One Ray actor: the extraction stage with its model and gazetteer loaded once."""

    def __init__(self, settings: Settings) -> None:
        # One spaCy process per actor: Ray decides how many actors run.
        self.stage = ExtractionStage(settings.model_copy(update={"extract_processes": 1}))
        self.stage.setup()

    def __call__(self, rows: dict[str, Any]) -> dict[str, Any]:
        import numpy as np

        out = []
        for row in rows["batch"]:
            items: list[tuple[str, DocumentMeta]] = pickle.loads(row)
            out.append(pickle.dumps(self.stage.process_batch(items)))
        return {"analyses": np.array(out, dtype=object)}


def _init_ray(address: str | None, workers: int | None) -> tuple[Any, str | None]:
    """Connect to ``address`` or start a local instance; (ray module, temp dir to remove)."""
    try:
        import ray
    except ImportError:
        raise RayUnavailable(
            "--engine ray needs Ray: `make install`, or pip install -e '.[ray]' in the Dossier "
            "checkout (or use --engine local)"
        ) from None
    if ray.is_initialized():
        return ray, None
    if address:
        _reachable(address)
        try:
            ray.init(
                address=address,
                include_dashboard=False,
                log_to_driver=False,
                logging_level=logging.ERROR,
            )
        except (ConnectionError, RuntimeError, ValueError) as exc:
            raise RayUnavailable(
                f"cannot connect to the Ray cluster at {address!r}: {exc}; a cluster started "
                "with `ray start` wants its token: set RAY_AUTH_MODE=token and copy the head's "
                "~/.ray/auth_token here (docs/scale.md)"
            ) from exc
        return ray, None
    temp = tempfile.mkdtemp(prefix="dossier-ray-")
    ray.init(
        num_cpus=workers or os.cpu_count() or 1,
        include_dashboard=False,
        object_store_memory=LOCAL_OBJECT_STORE_BYTES,
        _temp_dir=temp,
        log_to_driver=False,
        logging_level=logging.ERROR,
    )
    return ray, temp


def _reachable(address: str) -> None:
    """Fail at once on a HOST:PORT nobody listens on (Ray itself retries for minutes)."""
    target = address.removeprefix("ray://")
    host, _, port = target.rpartition(":")
    if address == "auto" or not host or not port.isdigit():
        return  # "auto" and other forms are Ray's to resolve
    try:
        socket.create_connection((host.strip("[]"), int(port)), timeout=5).close()
    except OSError as exc:
        raise RayUnavailable(
            f"cannot connect to the Ray cluster at {address!r}: {exc}; check the address, "
            "or start the cluster with `ray start --head` (every node: Dossier installed with "
            "`make install`; docs/scale.md)"
        ) from None


def _worker_count(ray: Any, workers: int | None) -> int:
    if workers is not None:
        if workers < 1:
            raise ConfigError(f"--workers must be 1 or more, not {workers}")
        return workers
    return max(1, int(ray.cluster_resources().get("CPU", 1)))


def _windows(
    store: Store, pipeline: str, size: int, only_new: bool = False
) -> Iterator[list[tuple[str, DocumentMeta]]]:
    """The pending documents, ``size`` at a time, as ``store/`` reads them."""
    window: list[tuple[str, DocumentMeta]] = []
    for batch in extractions.pending(store, pipeline, min(size, 1024), only_new=only_new):
        window.extend(batch)
        if len(window) >= size:
            yield window
            window = []
    if window:
        yield window


def _analyses(
    ray: Any,
    settings: Settings,
    window: list[tuple[str, DocumentMeta]],
    workers: int,
) -> Iterator[tuple[Outcome, DocumentMeta]]:
    """The window's outcomes from the actor pool, in input order, each with its document."""
    ctx = ray.data.DataContext.get_current()
    ctx.execution_options.preserve_order = True
    ctx.enable_progress_bars = False
    # Ray Data reports each execution (and the progress bars it leaves off) on
    # stderr; the CLI's own line is enough. Its errors still show.
    logging.getLogger("ray.data").setLevel(logging.ERROR)
    size = settings.extract_batch_size
    # One row and one block per extraction batch, and one row per actor call:
    # Ray Data returns a task's output only when the task ends, so bigger
    # blocks would hold results back (and give one worker all the work).
    batches = [window[i : i + size] for i in range(0, len(window), size)]
    ds = ray.data.from_items(
        [{"batch": pickle.dumps(batch)} for batch in batches],
        override_num_blocks=len(batches),
    )
    # Workers never open the store: its URL (a PostgreSQL password) stays here.
    worker_settings = settings.model_copy(update={"database_url": None})
    out = ds.map_batches(
        _Extractor,
        fn_constructor_kwargs={"settings": worker_settings},
        batch_size=1,
        compute=ray.data.ActorPoolStrategy(size=min(workers, len(batches))),
        num_cpus=1,
        batch_format="numpy",
    )
    expected = iter(window)
    for row in out.iter_rows():
        outcomes: list[Outcome] = pickle.loads(row["analyses"])
        for result in outcomes:
            _, meta = next(expected)
            if outcome_id(result) != meta.id:
                raise DossierError(
                    f"Ray returned the analysis of {outcome_id(result)} where {meta.id} was "
                    "expected; nothing of this batch was saved; run `dossier extract` again"
                )
            yield result, meta


def run_extraction_ray(
    store: Store,
    address: str | None = None,
    workers: int | None = None,
    on_batch: Callable[[int], None] | None = None,
    *,
    only_new: bool = False,
) -> ExtractSummary:
    """Extract every pending document on Ray; the same records as the local runner
    (``only_new``: only documents never extracted, as there).

    ``address`` is a running cluster's (``auto``, ``ray://host:10001``); without
    it a local instance with ``workers`` CPUs starts and stops with the run.
    """
    pipeline = pipeline_version()
    settings = store.settings
    if workers is not None and workers < 1:
        raise ConfigError(f"--workers must be 1 or more, not {workers}")
    with extraction_lock(settings.home):
        if not extractions.count_pending(store, pipeline, only_new=only_new):
            return ExtractSummary(pipeline)  # nothing to do: no cluster to start
        ray, temp = _init_ray(address, workers)
        try:
            n = _worker_count(ray, workers)
            summary = ExtractSummary(pipeline)
            size = settings.extract_batch_size
            for window in _windows(store, pipeline, n * WINDOW_PER_WORKER, only_new):
                chunk: list[tuple[Outcome, DocumentMeta]] = []
                for result, meta in _analyses(ray, settings, window, n):
                    if outcome_stage(result) != pipeline:
                        raise ConfigError(
                            f"a Ray worker runs {outcome_stage(result)}, this process "
                            f"{pipeline}: install the same Dossier on every node"
                        )
                    chunk.append((result, meta))
                    if len(chunk) == size:
                        _write(store, chunk, summary, on_batch)
                        chunk = []
                if chunk:
                    _write(store, chunk, summary, on_batch)
            custody_log.checkpoint(store, force=True)
            return summary
        finally:
            if temp is not None:
                ray.shutdown()
                shutil.rmtree(temp, ignore_errors=True)


def _write(
    store: Store,
    chunk: list[tuple[Outcome, DocumentMeta]],
    summary: ExtractSummary,
    on_batch: Callable[[int], None] | None,
) -> None:
    """Save one batch in one transaction and count it, as the local runner does."""
    save_batch(store, chunk, summary, on_batch)
