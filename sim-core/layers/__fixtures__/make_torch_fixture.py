"""Reference outputs and input gradients of PyTorch's conv2d / max_pool2d / avg_pool2d / batch_norm
for the edge cases of sim-core's layers (padding, stride, dilation, ceil_mode, count_include_pad).
Run with the AIHWKit venv: /work/main/.venv/bin/python make_torch_fixture.py > torch-layers.json"""
import json
import torch
import torch.nn.functional as F

torch.manual_seed(0)
cases = []


def record(name, fn, x, params=()):
    x = x.clone().requires_grad_(True)
    ps = [p.clone().requires_grad_(True) for p in params]
    y = fn(x, *ps)
    g = torch.linspace(-1, 1, y.numel()).reshape(y.shape)
    (y * g).sum().backward()
    cases.append({
        "name": name,
        "x": x.detach().flatten().tolist(), "x_shape": list(x.shape),
        "params": [{"value": p.detach().flatten().tolist(), "shape": list(p.shape)} for p in ps],
        "y": y.detach().flatten().tolist(), "y_shape": list(y.shape),
        "dx": x.grad.flatten().tolist(),
        "dparams": [p.grad.flatten().tolist() for p in ps],
    })


x = torch.randn(2, 3, 7, 6)
w = torch.randn(4, 3, 3, 2)
b = torch.randn(4)
for stride, padding, dilation in [(1, 0, 1), (2, 1, 1), ((2, 1), (1, 2), 1), (1, 1, 2), (2, 2, (2, 1))]:
    record(f"conv2d s{stride} p{padding} d{dilation}",
           lambda x, w, b, s=stride, p=padding, d=dilation: F.conv2d(x, w, b, s, p, d), x, (w, b))

for k, s, p, ceil in [(2, 2, 0, False), (3, 2, 1, False), (3, 2, 1, True), (2, 2, 0, True), ((3, 2), (2, 1), (1, 0), True)]:
    record(f"max_pool2d k{k} s{s} p{p} ceil{ceil}",
           lambda x, k=k, s=s, p=p, c=ceil: F.max_pool2d(x, k, s, p, 1, c), x)
    for cip in [True, False]:
        record(f"avg_pool2d k{k} s{s} p{p} ceil{ceil} cip{cip}",
               lambda x, k=k, s=s, p=p, c=ceil, i=cip: F.avg_pool2d(x, k, s, p, c, i), x)

gamma = torch.randn(3)
beta = torch.randn(3)
record("batch_norm train", lambda x, g, b: F.batch_norm(x, None, None, g, b, True, 0.1, 1e-5), x, (gamma, beta))
rm = torch.zeros(3)
rv = torch.ones(3)
F.batch_norm(x, rm, rv, gamma, beta, True, 0.1, 1e-5)
cases.append({"name": "batch_norm running stats", "running_mean": rm.tolist(), "running_var": rv.tolist()})


def rounded(v):
    if isinstance(v, float):
        return float(f"{v:.7g}")
    if isinstance(v, list):
        return [rounded(e) for e in v]
    if isinstance(v, dict):
        return {k: rounded(e) for k, e in v.items()}
    return v


print(json.dumps(rounded({"torch": torch.__version__, "cases": cases}), separators=(",", ":")))
