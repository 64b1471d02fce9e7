"""Statistics of AIHWKit's PCMLikeNoiseModel (programming noise, drift) on a fixed weight ramp, for
sim-core's parity test. Run with the AIHWKit venv:
/work/main/.venv/bin/python make_aihwkit_pcm_fixture.py > aihwkit-pcm.json"""
import json

import aihwkit
import torch
from aihwkit.inference import PCMLikeNoiseModel

torch.manual_seed(0)
N = 200001
W = torch.linspace(-1, 1, N).reshape(1, -1)
model = PCMLikeNoiseModel()
W_prog, nu = model.apply_programming_noise(W)
out = {
    "aihwkit": aihwkit.__version__,
    "n": N,
    "prog_std_abs_below_0.05": float((W_prog - W)[W.abs() < 0.05].std()),
    "prog_std_abs_above_0.95": float((W_prog - W)[W.abs() > 0.95].std()),
    "mean_abs_ratio_after_drift": {},
}
for t in [1.0, 3600.0, 86400.0, 31536000.0]:
    W_drift = model.apply_drift_noise(W_prog, nu, t)
    out["mean_abs_ratio_after_drift"][str(int(t))] = float(W_drift.abs().mean() / W_prog.abs().mean())
print(json.dumps(out, indent=1))
