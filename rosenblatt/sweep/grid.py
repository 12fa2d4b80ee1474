"""What a sweep runs: a grid (or a random sample of it) of configurations x data sets x seeds.

A sweep is described by a :class:`SweepSpec`, read from a TOML file (:func:`load_spec`) or
built from ``--grid NAME=VALUES`` flags (:func:`parse_grid_flag`). The TOML form::

    datasets = ["circle", "xor"]      # the playground's circle, xor, gauss, spiral
    seeds = 5                         # 0..4, or a list [0, 7, 11]
    sample = 0                        # 0: the whole grid; k: k configurations drawn at random
    sample_seed = 0

    [fixed]                           # settings every run shares
    epochs = 200
    noise = 0.1

    [grid]                            # every combination of these
    layers = [[], [4], [8, 4]]
    learning_rate = [0.01, 0.1, 1]

The settings are those of :data:`rosenblatt.sweep.run.DEFAULTS`.
"""

from __future__ import annotations

import itertools
import json
import numbers
from dataclasses import dataclass, field

import numpy as np

from rosenblatt.base.checks import describe

from .run import DATASETS, DEFAULTS, run_id

SPEC_KEYS = ("datasets", "seeds", "sample", "sample_seed", "fixed", "grid")


@dataclass
class SweepSpec:
    """A sweep: ``grid`` (name -> list of values), ``fixed`` settings, data sets, seeds."""

    grid: dict = field(default_factory=dict)
    fixed: dict = field(default_factory=dict)
    datasets: list = field(default_factory=lambda: ["circle"])
    seeds: list = field(default_factory=lambda: [0])
    sample: int = 0
    sample_seed: int = 0

    def __post_init__(self):
        for where, names in (("grid", self.grid), ("fixed", self.fixed)):
            for name in names:
                _check_setting(name, where)
        for name, values in self.grid.items():
            if not isinstance(values, list) or not values:
                raise ValueError(f"grid.{name}: expected a non-empty list of values, got "
                                 f"{values!r}")
        if not isinstance(self.datasets, list) or not self.datasets:
            raise ValueError(f"datasets: expected a non-empty list of names from "
                             f"{sorted(DATASETS)}, got {self.datasets!r}")
        for name in self.datasets:
            if name not in DATASETS:
                raise ValueError(f"datasets: expected names from {sorted(DATASETS)}, "
                                 f"got {name!r}")
        self.seeds = _seeds(self.seeds)
        for name in ("sample", "sample_seed"):
            value = getattr(self, name)
            if not isinstance(value, numbers.Integral) or isinstance(value, bool) or value < 0:
                raise ValueError(f"{name}: expected an integer >= 0, got {value!r}")

    def configs(self) -> list[dict]:
        """Every configuration of the grid (or the sample), ``fixed`` included, in order."""
        names = list(self.grid)
        combos = [dict(zip(names, values, strict=True))
                  for values in itertools.product(*(self.grid[n] for n in names))]
        if self.sample and self.sample < len(combos):
            rng = np.random.default_rng(self.sample_seed)
            keep = sorted(rng.choice(len(combos), size=self.sample, replace=False).tolist())
            combos = [combos[i] for i in keep]
        return [{**self.fixed, **combo} for combo in combos]

    def runs(self) -> list[dict]:
        """Every run ``{"id", "config", "dataset", "seed"}``: configurations x data sets x
        seeds, in a fixed order.

        >>> spec = SweepSpec(grid={"layers": [[], [4]]}, datasets=["xor"], seeds=2)
        >>> [(r["config"]["layers"], r["seed"]) for r in spec.runs()]
        [([], 0), ([], 1), ([4], 0), ([4], 1)]
        """
        return [{"id": run_id(config, dataset, seed), "config": config, "dataset": dataset,
                 "seed": seed}
                for config in self.configs() for dataset in self.datasets for seed in self.seeds]


def _check_setting(name, where: str) -> None:
    if name not in DEFAULTS:
        raise ValueError(f"{where}: expected settings from {sorted(DEFAULTS)}, got {name!r}")


def _seeds(seeds) -> list[int]:
    if isinstance(seeds, numbers.Integral) and not isinstance(seeds, bool) and seeds > 0:
        return list(range(int(seeds)))
    if isinstance(seeds, list) and seeds and all(
            isinstance(s, numbers.Integral) and not isinstance(s, bool) and s >= 0
            for s in seeds):
        return [int(s) for s in seeds]
    raise ValueError(f"seeds: expected a count > 0 or a non-empty list of integers >= 0, "
                     f"got {seeds!r}")


def _split_top(text: str) -> list[str]:
    """Split at the commas outside brackets."""
    parts, depth, start = [], 0, 0
    for i, char in enumerate(text):
        depth += char == "["
        depth -= char == "]"
        if char == "," and depth == 0:
            parts.append(text[start:i])
            start = i + 1
    parts.append(text[start:])
    return [p.strip() for p in parts]


def _value(text: str):
    try:
        return json.loads(text)
    except json.JSONDecodeError:
        return text


def parse_grid_flag(text: str, flag: str = "--grid") -> tuple[str, list]:
    """``NAME=V1,V2,...`` -> (name, [v1, v2, ...]); each value is JSON (numbers, lists such
    as ``[8,4]``, ``[]``), or else a word.

    >>> parse_grid_flag("layers=[],[4],[8,4]")
    ('layers', [[], [4], [8, 4]])
    >>> parse_grid_flag("learning_rate=0.01,0.1,1")
    ('learning_rate', [0.01, 0.1, 1])
    """
    if not isinstance(text, str) or "=" not in text:
        raise ValueError(f"{flag}: expected NAME=V1,V2,... (such as learning_rate=0.01,0.1), "
                         f"got {text!r}")
    name, _, values = text.partition("=")
    name = name.strip()
    _check_setting(name, flag)
    parts = _split_top(values)
    if any(p == "" for p in parts):
        raise ValueError(f"{flag} {name}: expected values separated by commas, got {values!r}")
    return name, [_value(p) for p in parts]


def load_spec(path) -> SweepSpec:
    """The :class:`SweepSpec` of a TOML file (read with ``tomllib``: no code runs)."""
    try:
        import tomllib
    except ModuleNotFoundError:  # Python 3.10
        raise ImportError("a TOML sweep file needs Python 3.11 or later (tomllib); give the "
                          "grid with --grid flags instead") from None
    with open(path, "rb") as f:
        try:
            data = tomllib.load(f)
        except tomllib.TOMLDecodeError as exc:
            raise ValueError(f"{path}: expected a TOML sweep file, got: {exc}") from None
    unknown = sorted(set(data) - set(SPEC_KEYS))
    if unknown:
        raise ValueError(f"{path}: expected keys from {list(SPEC_KEYS)}, got {unknown}")
    for table in ("fixed", "grid"):
        if not isinstance(data.get(table, {}), dict):
            raise ValueError(f"{path}: expected [{table}] to be a table, got "
                             f"{describe(data[table])}")
    return SweepSpec(**data)
