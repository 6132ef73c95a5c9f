"""Benchmark: check a 2,000-character comment against 10,000 sensitive words.

    PYTHONPATH=src .venv/bin/python bench/wordfilter_bench.py

Prints the median time of one `WordMatcher.check` call (the issue asks for under 1 ms), wall
clock and CPU time of the thread. The
matcher is built once, as in a running process; the database is not involved.
"""

from __future__ import annotations

import random
import statistics
import time

from kanwu.wordfilter.matcher import HOLD, MASK, REJECT, WordMatcher

HAN = [chr(c) for c in range(0x4E00, 0x9FA5)]
PUNCT = list("，。！？、；：  \n")


def main() -> None:
    rng = random.Random(42)
    actions = [REJECT, HOLD, MASK]
    words = {"".join(rng.choices(HAN, k=rng.randint(2, 4))) for _ in range(10_000)}
    matcher = WordMatcher((w, rng.choice(actions)) for w in sorted(words))
    texts = []
    for _ in range(50):
        chars = rng.choices(HAN + PUNCT, weights=[1] * len(HAN) + [400] * len(PUNCT), k=2000)
        texts.append("".join(chars))
    for text in texts:  # warm the per-character normalisation table, as a live process would
        matcher.check(text)
    timings = []
    cpu_timings = []
    for _ in range(20):
        for text in texts:
            cpu_start = time.thread_time()
            start = time.perf_counter()
            matcher.check(text)
            timings.append(time.perf_counter() - start)
            cpu_timings.append(time.thread_time() - cpu_start)
    median = statistics.median(timings) * 1000
    worst = max(timings) * 1000
    print(f"words: {matcher.size}, text: 2000 chars, runs: {len(timings)}")
    # CPU time leaves out the time the thread waited for a core on a busy machine.
    print(f"cpu median: {statistics.median(cpu_timings) * 1000:.3f} ms")
    print(f"median: {median:.3f} ms, max: {worst:.3f} ms")


if __name__ == "__main__":
    main()
