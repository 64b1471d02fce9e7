"""Dump AIHWKit's dataclass defaults and presets, in sim-core's config format, as a JSON test fixture.

Run with the AIHWKit venv:  python bench/sim/aihwkit/dump_defaults.py > sim-core/configs/__fixtures__/aihwkit-defaults.json

Only numbers and names are taken (facts); AIHWKit's compiled engine is not needed (a stand-in module
replaces `rpu_base`, which is imported by the parameter helpers but not used for defaults).
"""
import dataclasses
import enum
import json
import math
import sys
import types


class _Any:
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return _Any()

    def __call__(self, *args, **kwargs):
        return _Any()


def _module_getattr(name):
    if name.startswith("__"):
        raise AttributeError(name)
    return _Any()


fake = types.ModuleType("aihwkit.simulator.rpu_base")
fake.__file__ = "rpu_base_stand_in.py"
fake.__getattr__ = _module_getattr
sys.modules["aihwkit.simulator.rpu_base"] = fake

import aihwkit.simulator.configs.configs as CC  # noqa: E402
from aihwkit.simulator.configs import devices as D, compounds as CP  # noqa: E402
from aihwkit.simulator.parameters import io as IO, training as TR, inference as INF  # noqa: E402
from aihwkit.simulator.parameters import mapping as MP, pre_post as PP, runtime as RT  # noqa: E402
from aihwkit.simulator.presets import devices as PD, configs as PC, utils as PU  # noqa: E402
from aihwkit.simulator.presets import web as PW, inference as PI, compounds as PCo  # noqa: E402

# Dataclasses that carry a `type` discriminator in sim-core's format (by their AIHWKit base class).
TYPED = {
    "IdealDevice", "FloatingPointDevice", "ConstantStepDevice", "LinearStepDevice", "SoftBoundsDevice",
    "SoftBoundsPmaxDevice", "SoftBoundsReferenceDevice", "ExpStepDevice", "PowStepDevice",
    "PiecewiseStepDevice", "VectorUnitCell", "ReferenceUnitCell", "OneSidedUnitCell", "TransferCompound",
    "BufferedTransferCompound", "ChoppedTransferCompound", "DynamicTransferCompound",
    "MixedPrecisionCompound", "FloatingPointRPUConfig", "SingleRPUConfig", "UnitCellRPUConfig",
    "DigitalRankUpdateRPUConfig", "InferenceRPUConfig",
}
DROP = {"tile_class", "tile_array_class", "simulator_tile_class"}
# InferenceRPUConfig: fixed (init=False) parts and the non-dataclass noise model / compensation objects
# are compared separately.
INFERENCE_DROP = {"device", "backward", "update", "noise_model", "drift_compensation"}


def base_name(cls):
    for c in cls.__mro__:
        if "presets" not in c.__module__:
            return c.__name__
    return cls.__name__


def conv(v):
    if dataclasses.is_dataclass(v):
        base = base_name(type(v))
        out = {}
        if base in TYPED:
            out["type"] = base
        for f in dataclasses.fields(v):
            if f.name in DROP or (base == "InferenceRPUConfig" and f.name in INFERENCE_DROP):
                continue
            out[f.name] = conv(getattr(v, f.name))
        return out
    if isinstance(v, enum.Enum):
        return v.name
    if isinstance(v, (list, tuple)):
        return [conv(x) for x in v]
    if isinstance(v, float) and (math.isinf(v) or math.isnan(v)):
        raise ValueError("non-finite default")
    return v


SKIP = {"PulsedDevice", "UnitCell", "DigitalRankUpdateCell", "DifferenceUnitCell", "PowStepReferenceDevice",
        "IOParametersIRDropT", "PeripheryQuantizationParameter", "PrePostProcessingParameterQuant",
        "TorchInferenceRPUConfig", "TorchInferenceRPUConfigIRDropT", "QuantizedTorchInferenceRPUConfig",
        "FloatingPointPreset", "MappableRPU", "PrePostProcessingRPU", "IOManagedRPUConfig",
        "WebComposerMappingParameter", "OldWebComposerMappingParameter", "WebComposerWeightClipParameter",
        "WebComposerWeightModifierParameter"}

out = {}
for m in [IO, TR, INF, MP, PP, RT, D, CP, CC, PD, PC, PU, PW, PI, PCo]:
    for name in sorted(dir(m)):
        obj = getattr(m, name)
        if isinstance(obj, type) and dataclasses.is_dataclass(obj) and obj.__module__ == m.__name__:
            if name in SKIP:
                continue
            out[name] = conv(obj())
# The abstract default devices of these configs differ by design (see rpu-config.ts).
del out["UnitCellRPUConfig"]["device"]
del out["DigitalRankUpdateRPUConfig"]["device"]
# One class per line: compact, yet readable in a diff.
version = open(CC.__file__.rsplit("/simulator", 1)[0] + "/VERSION.txt").read().strip()
lines = [f'  {json.dumps(k)}: {json.dumps(out[k], sort_keys=True)}' for k in sorted(out)]
print('{"aihwkit_version": ' + json.dumps(version) + ', "classes": {')
print(",\n".join(lines))
print("}}")
