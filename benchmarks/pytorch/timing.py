"""Timing shared by every PyTorch benchmark: warm-up, then many timed samples, reporting the median per call."""

import gc
import statistics
import time
from dataclasses import dataclass


@dataclass(frozen=True)
class TimingSettings:
    """How long to warm up and how many samples to take; each sample runs enough calls to last `sample_seconds`."""

    warmup_seconds: float
    samples: int
    sample_seconds: float


FULL = TimingSettings(warmup_seconds=0.5, samples=61, sample_seconds=0.02)
QUICK = TimingSettings(warmup_seconds=0.2, samples=11, sample_seconds=0.005)


def measure(function, settings):
    """Times `function()` and returns (median microseconds per call, number of timed calls).

    The garbage collector is paused while timing, as `timeit` does; PyTorch frees autograd graphs by reference
    counting, so no work is deferred past a sample.
    """
    warmup_end = time.perf_counter_ns() + int(settings.warmup_seconds * 1e9)
    warmup_calls = 0
    warmup_start = time.perf_counter_ns()
    while True:
        function()
        warmup_calls += 1
        now = time.perf_counter_ns()
        if now >= warmup_end:
            break
    per_call_ns = (now - warmup_start) / warmup_calls
    calls_per_sample = max(1, int(settings.sample_seconds * 1e9 / per_call_ns))

    per_call = []
    gc_was_enabled = gc.isenabled()
    gc.disable()
    try:
        for _ in range(settings.samples):
            start = time.perf_counter_ns()
            for _ in range(calls_per_sample):
                function()
            per_call.append((time.perf_counter_ns() - start) / calls_per_sample)
    finally:
        if gc_was_enabled:
            gc.enable()
    return statistics.median(per_call) / 1000.0, settings.samples * calls_per_sample
