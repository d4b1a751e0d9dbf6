"""How a domain adds its part to the Wenchang demo without the demo app importing every
domain: the domain registers a builder in its `AppConfig.ready()`; `seed_demo` runs the
builders in order, inside its transaction, after the registry and the demo accounts exist."""

from __future__ import annotations

import datetime as dt
import random
import zlib
from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DemoContext:
    """What a domain's demo builder gets: the seed, today, and its own deterministic random
    source (seeded from the demo seed and the domain's name)."""

    seed: int
    today: dt.date
    rng: random.Random
    main_community_code: str
    other_community_codes: tuple[str, ...]


# A builder returns the figures it wants printed, e.g. {"Party members": 417}.
DemoBuilder = Callable[[DemoContext], dict[str, int]]


@dataclass(frozen=True)
class _Entry:
    name: str
    order: int
    builder: DemoBuilder


_BUILDERS: dict[str, _Entry] = {}


def register_demo(name: str, builder: DemoBuilder, *, order: int = 100) -> None:
    _BUILDERS[name] = _Entry(name=name, order=order, builder=builder)


def run_demo_builders(
    *, seed: int, today: dt.date, main: str, others: tuple[str, ...]
) -> dict[str, dict[str, int]]:
    results: dict[str, dict[str, int]] = {}
    for entry in sorted(_BUILDERS.values(), key=lambda e: (e.order, e.name)):
        rng = random.Random(seed * 1_000_003 + zlib.crc32(entry.name.encode()))
        context = DemoContext(
            seed=seed,
            today=today,
            rng=rng,
            main_community_code=main,
            other_community_codes=others,
        )
        results[entry.name] = entry.builder(context)
    return results
