#!/usr/bin/env python3
"""Verifiable random inspection draw (双随机一公开) — a stand-alone script, Python 3 standard library only.

The portal draws with this very file, and publishes it for anyone to download. Given a draw's published inputs
(a JSON file from the draw's public page), it prints the same picks the portal made:

    python3 randomdraw.py inputs.json

The inputs: ``agencies`` (the sorted ids of the agency pool), ``inspectors`` (the sorted ids of the inspector
pool), ``conflicts`` (pairs [inspector, agency] that may not go together), ``n`` (agencies to draw), ``m``
(inspectors per agency), ``seed_source`` (fixed and published before the draw) and ``seed_value`` (the public
value that source produced, e.g. the lottery numbers of the announced day).

The algorithm:

1. The seed is SHA-256 of the canonical JSON of all the inputs above: pools and conflicts sorted, keys sorted,
   no spaces, UTF-8.
2. A stream of random numbers: block k (k = 0, 1, 2, …) is SHA-256(seed ‖ k as 8 bytes big-endian); each block
   gives four 64-bit big-endian integers, used in order.
3. A uniform integer below b: take the next 64-bit integer x; if x < 2^64 − (2^64 mod b) the answer is x mod b,
   otherwise take the next one (rejection sampling: no bias).
4. Agencies: a partial Fisher–Yates shuffle of the sorted agency ids: for i = 0 … n−1, swap position i with
   position i + (uniform integer below len − i); the first n are drawn, in that order.
5. Inspectors: for each drawn agency in order, the sorted inspector ids without those in conflict with it, and
   the same partial shuffle for m of them, continuing the same stream.

The stream and the shuffle (``Stream``, ``pick``) also draw the experts of an assessment panel, from a seed of
the system's random source kept with the draw (``filings.services.review.panel_draw``).
"""

from __future__ import annotations

import hashlib
import json
import sys

TWO_64 = 2**64


def canonical(inputs: dict) -> bytes:
    """The inputs as hashed: pools and conflicts sorted, keys sorted, no spaces, UTF-8."""
    data = {
        "agencies": sorted(inputs["agencies"]),
        "inspectors": sorted(inputs["inspectors"]),
        "conflicts": sorted([list(pair) for pair in inputs["conflicts"]]),
        "n": inputs["n"],
        "m": inputs["m"],
        "seed_source": inputs["seed_source"],
        "seed_value": inputs["seed_value"],
    }
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


class Stream:
    def __init__(self, seed: bytes) -> None:
        self.seed, self.block, self.buffer = seed, 0, []

    def next64(self) -> int:
        if not self.buffer:
            digest = hashlib.sha256(self.seed + self.block.to_bytes(8, "big")).digest()
            self.buffer = [int.from_bytes(digest[i : i + 8], "big") for i in range(0, 32, 8)]
            self.block += 1
        return self.buffer.pop(0)

    def below(self, bound: int) -> int:
        limit = TWO_64 - (TWO_64 % bound)
        while True:
            x = self.next64()
            if x < limit:
                return x % bound


def pick(stream: Stream, items: list, count: int) -> list:
    items = list(items)
    for i in range(count):
        j = i + stream.below(len(items) - i)
        items[i], items[j] = items[j], items[i]
    return items[:count]


def draw(inputs: dict) -> list[dict]:
    """[{"agency": id, "inspectors": [ids]}, …] in the order drawn."""
    agencies, inspectors = sorted(inputs["agencies"]), sorted(inputs["inspectors"])
    n, m = inputs["n"], inputs["m"]
    if not 0 < n <= len(agencies):
        raise ValueError("n must be between 1 and the size of the agency pool")
    conflicts = {(inspector, agency) for inspector, agency in inputs["conflicts"]}
    stream = Stream(hashlib.sha256(canonical(inputs)).digest())
    picks = []
    for agency in pick(stream, agencies, n):
        eligible = [inspector for inspector in inspectors if (inspector, agency) not in conflicts]
        if len(eligible) < m:
            raise ValueError(f"agency {agency}: fewer than {m} inspectors without a conflict")
        picks.append({"agency": agency, "inspectors": pick(stream, eligible, m)})
    return picks


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit("usage: python3 randomdraw.py inputs.json")
    with open(sys.argv[1], encoding="utf-8") as handle:
        print(json.dumps(draw(json.load(handle)), indent=1))
