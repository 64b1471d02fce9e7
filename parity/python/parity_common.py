"""Shared part of the AIHWKit side of the parity harness.

Each runner script is called as ``python <kind>.py <input.json> <output.json>`` (or through worker.py).
The input holds the case (``case``: ``parity/cases/<id>.json`` with the harness-level defaults
filled in, its configs exactly as written) and the arrays our side generated from the case seed
(``inputs``: weights, input vectors, data-set files), so both sides see the same inputs.
The output holds named groups of quantities, each a list of samples:

    {"groups": {"<group>": {"labels": [...], "samples": [[...], ...]}},
     "seconds": <simulation time>, "info": {...}}

Configs are written in sim-core's schema, which uses AIHWKit's class and field names: a ``type`` naming
an AIHWKit class builds that class, other objects update the default of the field they sit in, strings
in enum fields are enum member names. A name AIHWKit does not have is an error (never ignored).
"""

import copy
import dataclasses
import enum
import json
import os
import sys
import time

import torch

from aihwkit.simulator import configs as _configs
from aihwkit.simulator import presets as _presets
from aihwkit.simulator.presets import web as _web
from aihwkit.simulator.parameters import mapping as _mapping, pre_post as _pre_post, runtime as _runtime
from aihwkit import inference as _inference
from aihwkit.inference.compensation import drift as _compensation

THREADS = int(os.environ.get("PARITY_TORCH_THREADS", "1"))
torch.set_num_threads(THREADS)

CLASSES = {}
for _module in (_configs, _mapping, _pre_post, _runtime, _inference, _compensation):
    for _name, _obj in vars(_module).items():
        if isinstance(_obj, type) and not issubclass(_obj, enum.Enum):
            CLASSES.setdefault(_name, _obj)
PRESETS = {}
for _module in (_presets, _web):
    for _name, _obj in vars(_module).items():
        if isinstance(_obj, type) and dataclasses.is_dataclass(_obj):
            PRESETS.setdefault(_name, _obj)


def log(message):
    print(f"[aihwkit] {message}", file=sys.stderr, flush=True)


def _is_class_name(value):
    return isinstance(value, str) and value in CLASSES and not value.isupper()


def build(spec, default=None, path="config"):
    """An AIHWKit object (or plain value) for a spec in sim-core's schema; `default` is the field's default."""
    if isinstance(spec, dict):
        if isinstance(spec.get("preset"), str):
            # A device preset by class name, with overrides: {"preset": "ReRamSBPresetDevice", ...}.
            name = spec["preset"]
            if name not in PRESETS:
                raise ValueError(f"{path}.preset: AIHWKit has no preset {name!r}")
            overrides = {k: v for k, v in spec.items() if k != "preset"}
            return apply_fields(PRESETS[name](), overrides, path)
        kind = spec.get("type")
        if _is_class_name(kind):
            fields = {k: v for k, v in spec.items() if k != "type"}
            cls = CLASSES[kind]
            if dataclasses.is_dataclass(cls):
                base = copy.deepcopy(default) if type(default) is cls else cls()
                return apply_fields(base, fields, path)
            return cls(**{k: build(v, None, f"{path}.{k}") for k, v in fields.items()})
        if dataclasses.is_dataclass(default):
            return apply_fields(copy.deepcopy(default), spec, path)
        return {k: build(v, None, f"{path}.{k}") for k, v in spec.items()}
    if isinstance(spec, list):
        return [build(v, None, f"{path}[{i}]") for i, v in enumerate(spec)]
    if isinstance(default, enum.Enum) and isinstance(spec, str):
        try:
            return type(default)[spec]
        except KeyError as err:
            raise ValueError(f"{path}: {spec!r} is not a member of {type(default).__name__}") from err
    return spec


def apply_fields(obj, fields, path):
    names = {f.name for f in dataclasses.fields(obj)}
    for key, value in fields.items():
        if key not in names:
            raise ValueError(f"{path}.{key}: AIHWKit's {type(obj).__name__} has no field {key!r}")
        setattr(obj, key, build(value, getattr(obj, key), f"{path}.{key}"))
    return obj


def rpu_config(spec):
    """The AIHWKit RPU config of a case's `rpu_config` (a full config or {preset, overrides})."""
    if "preset" in spec:
        name = spec["preset"]
        if name not in PRESETS:
            raise ValueError(f"rpu_config.preset: AIHWKit has no preset {name!r}")
        return apply_fields(PRESETS[name](), spec.get("overrides", {}), f"preset {name}")
    return build(spec, None, "rpu_config")


def js_num(x):
    """A number as JavaScript's String(x) writes it (for labels both sides must spell alike)."""
    x = float(x)
    return str(int(x)) if x.is_integer() and abs(x) < 1e21 else repr(x)


def tensor(rows):
    return torch.tensor(rows, dtype=torch.float32)


def group(labels, samples):
    """A group of quantities: samples[q] is the list of samples of quantity labels[q]."""
    return {"labels": list(labels), "samples": [[float(v) for v in row] for row in samples]}


def columns_as_quantities(matrix, labels):
    """Rows of `matrix` are draws, columns are quantities: one sample list per column."""
    m = torch.as_tensor(matrix, dtype=torch.float64)
    return group(labels, m.T.tolist())


class Stopwatch:
    """Accumulates the simulation time (excluding set-up and I/O)."""

    def __init__(self):
        self.seconds = 0.0
        self._start = None

    def __enter__(self):
        self._start = time.perf_counter()
        return self

    def __exit__(self, *exc):
        self.seconds += time.perf_counter() - self._start


def run_file(run, in_path, out_path):
    """Read the input, call run(case, inputs, stopwatch) -> (groups, info), write the output."""
    import aihwkit

    with open(in_path, encoding="utf8") as f:
        payload = json.load(f)
    stopwatch = Stopwatch()
    groups, info = run(payload["case"], payload["inputs"], stopwatch)
    info = dict(info or {})
    info.update({"torch_threads": torch.get_num_threads(), "aihwkit": aihwkit.__version__, "torch": torch.__version__})
    with open(out_path, "w", encoding="utf8") as f:
        json.dump({"groups": groups, "seconds": stopwatch.seconds, "info": info}, f)


def main(run):
    """Stand-alone use of one runner: python <kind>.py <input.json> <output.json>."""
    run_file(run, sys.argv[1], sys.argv[2])
