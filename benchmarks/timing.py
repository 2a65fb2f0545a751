"""How the benchmarks time a piece of work: the median CPU time of a few runs (the machine is shared and noisy)."""

from __future__ import annotations

import statistics
import time
from collections.abc import Callable


def median_cpu(fn: Callable[[], object], runs: int) -> float:
    """The median of ``runs`` runs of ``fn``, in CPU seconds of this process (``time.process_time``)."""
    times = []
    for _ in range(runs):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return statistics.median(times)
