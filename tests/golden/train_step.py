#!/usr/bin/python3
"""PyTorch reference for tests/train-golden.test.mjs: optimizer updates and whole training steps.

Run:  /usr/bin/python3 tests/golden/train_step.py      (torch 1.13; same output every run)

Writes tests/golden/train_step.json with two kinds of cases:

  optimizers  torch.optim.SGD / Adam on one parameter buffer: the start value, three
              gradients (one per step) and, after each step, the parameter and the state
              (momentum_buffer; exp_avg, exp_avg_sq, max_exp_avg_sq).
  steps       a small CNN built as web/train/model.js builds it from knobs, with its initial
              weights, two batches and, after each of two training steps (zero_grad,
              forward in train mode, mean cross entropy, backward, optimizer step), the loss,
              every parameter and the batch-norm running statistics. Once with SGD
              (momentum, weight decay), once with Adam (weight decay).

As tests/golden/generate.py does, inputs are drawn as float32 and the reference is
computed in float64 from exactly those values; the float32 run of PyTorch must meet the
tolerance the JS test uses (|got − want| ≤ ATOL_SCALE·(1 + max|want|) + RTOL·|want|),
so the test asks for float32 accuracy and no more. Values are stored as JSON numbers
(float32 inputs print exactly; float64 references keep 17 digits).
"""
import json
import pathlib

import torch
import torch.nn as nn
import torch.nn.functional as F

HERE = pathlib.Path(__file__).resolve().parent
SEED = 20240502
# The op fixtures' tolerance (tests/lib/close.mjs goldenTolerance); PyTorch's own float32
# run of two steps meets it (checked below), so the C must too.
RTOL = 1e-4
ATOL_SCALE = 1e-5

generator = torch.Generator().manual_seed(SEED)


def randn(shape, std=1.0):
    return torch.randn(shape, generator=generator, dtype=torch.float32) * std


def flat(tensor):
    return tensor.detach().reshape(-1).tolist()


def assert_float32_meets_tolerance(name, got, want):
    got, want = got.detach().to(torch.float64), want.detach().to(torch.float64)
    allowed = ATOL_SCALE * (1 + want.abs().max()) + RTOL * want.abs()
    worst = ((got - want).abs() / allowed).max().item()
    if worst > 1:
        raise SystemExit(f"{name}: PyTorch float32 is {worst:.2f}× the tolerance; the case is ill-conditioned")


def assert_update_meets_tolerance(name, got, want, start, steps):
    """The update param − start, which is small next to the parameter, within RTOL of its own
    size plus what storing the parameter in float32 costs: half an ulp (≤ 2⁻²⁴·|param|) per step."""
    start = start.to(torch.float64)
    got_update, want_update = got.detach().to(torch.float64) - start, want.detach().to(torch.float64) - start
    allowed = ATOL_SCALE * want_update.abs().max() + steps * 2 ** -24 * want.abs().max() + RTOL * want_update.abs()
    worst = ((got_update - want_update).abs() / allowed).max().item()
    if worst > 1:
        raise SystemExit(f"{name}: PyTorch float32 is {worst:.2f}× the tolerance; the case is ill-conditioned")


# ---------------------------------------------------------------------------
# One parameter buffer, three steps.

OPTIMIZER_CASES = [
    ("sgd", {"lr": 0.1}),
    ("sgd", {"lr": 0.05, "momentum": 0.9}),
    ("sgd", {"lr": 0.05, "momentum": 0.9, "dampening": 0.3, "weight_decay": 0.01}),
    ("sgd", {"lr": 0.02, "momentum": 0.8, "nesterov": True, "weight_decay": 0.001}),
    ("adam", {"lr": 0.001}),
    ("adam", {"lr": 0.01, "betas": [0.8, 0.99], "eps": 1e-6, "weight_decay": 0.01}),
    ("adam", {"lr": 0.003, "amsgrad": True}),
]
STATE_NAMES = {"sgd": ["momentum_buffer"], "adam": ["exp_avg", "exp_avg_sq", "max_exp_avg_sq"]}


def optimizer_of(kind, params, options):
    options = {**options, "betas": tuple(options["betas"])} if "betas" in options else options
    return (torch.optim.SGD if kind == "sgd" else torch.optim.Adam)(params, **options)


def run_optimizer(kind, options, start, grads, dtype):
    param = start.to(dtype).clone().requires_grad_(True)
    optimizer = optimizer_of(kind, [param], options)
    history = []
    for grad in grads:
        param.grad = grad.to(dtype).clone()
        optimizer.step()
        state = optimizer.state[param]
        history.append({"param": param.detach().clone(),
                        **{name: state[name].clone() for name in STATE_NAMES[kind] if state.get(name) is not None}})
    return history


def optimizer_cases():
    cases = []
    for kind, options in OPTIMIZER_CASES:
        count = 37  # odd, so no vector width divides it
        start = randn([count])
        # Gradients of different sizes per element, some exactly 0 (a dead unit).
        grads = [randn([count]) * torch.logspace(-3, 1, count) for _ in range(3)]
        for grad in grads:
            grad[::9] = 0.0
        reference = run_optimizer(kind, options, start, grads, torch.float64)
        single = run_optimizer(kind, options, start, grads, torch.float32)
        name = f"{kind} {json.dumps(options, separators=(',', ':'))}"
        for step, (want, got) in enumerate(zip(reference, single)):
            for key in want:
                assert_float32_meets_tolerance(f"{name} step {step + 1} {key}", got[key], want[key])
            assert_update_meets_tolerance(f"{name} step {step + 1} update", got["param"], want["param"], start, step + 1)
        cases.append({"name": name, "kind": kind, "options": options, "param": flat(start),
                      "grads": [flat(g) for g in grads],
                      "after": [{key: flat(value) for key, value in step.items()} for step in reference]})
    return cases


# ---------------------------------------------------------------------------
# Whole training steps of a small CNN.

# The knobs of web/train/model.js and the model they build (layer i is model[i]):
# conv(bias=False) → BN → ReLU → max pool, twice; flatten; linear.
KNOBS = {"kernel": 3, "stride": 1, "padding": "same", "pool": "max", "channels": [4, 6], "batchNorm": True}
INPUT = [1, 12, 12]
BATCH = 8


def build_model():
    return nn.Sequential(
        nn.Conv2d(1, 4, 3, padding=1, bias=False), nn.BatchNorm2d(4), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(4, 6, 3, padding=1, bias=False), nn.BatchNorm2d(6), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(6 * 3 * 3, 10))


STEP_CASES = [
    ("sgd", {"lr": 0.1, "momentum": 0.9, "weight_decay": 0.001}),
    ("adam", {"lr": 0.01, "weight_decay": 0.001}),
]


def run_steps(kind, options, initial, batches, dtype):
    model = build_model().to(dtype)
    model.load_state_dict({name: value.to(dtype) for name, value in initial.items()})
    model.train()
    optimizer = optimizer_of(kind, model.parameters(), options)
    history = []
    for inputs, targets in batches:
        optimizer.zero_grad()
        loss = F.cross_entropy(model(inputs.to(dtype)), targets)
        loss.backward()
        optimizer.step()
        state = {name: value.detach().clone() for name, value in model.state_dict().items()
                 if not name.endswith("num_batches_tracked")}
        history.append({"loss": loss.detach().clone(), "state": state})
    return history


def step_cases():
    torch.manual_seed(SEED)  # only for the initial weights, drawn by PyTorch's own init
    initial = {name: value.detach().clone() for name, value in build_model().state_dict().items()
               if not name.endswith("num_batches_tracked")}
    # Batch norm starts at γ = 1, β = 0; move them so their gradients meet non-trivial values.
    for name in ("1.weight", "5.weight"):
        initial[name] = 1 + 0.2 * randn(initial[name].shape)
    for name in ("1.bias", "5.bias"):
        initial[name] = 0.2 * randn(initial[name].shape)
    batches = [(randn([BATCH, *INPUT]), torch.randint(0, 10, [BATCH], generator=generator)) for _ in range(2)]
    cases = []
    for kind, options in STEP_CASES:
        reference = run_steps(kind, options, initial, batches, torch.float64)
        single = run_steps(kind, options, initial, batches, torch.float32)
        name = f"{kind} {json.dumps(options, separators=(',', ':'))}"
        for step, (want, got) in enumerate(zip(reference, single)):
            assert_float32_meets_tolerance(f"{name} step {step + 1} loss", got["loss"], want["loss"])
            for key in want["state"]:
                assert_float32_meets_tolerance(f"{name} step {step + 1} {key}", got["state"][key], want["state"][key])
        cases.append({
            "name": name, "kind": kind, "options": options,
            "after": [{"loss": step["loss"].item(),
                       "state": {key: {"shape": list(value.shape), "data": flat(value)}
                                 for key, value in step["state"].items()}} for step in reference],
        })
    return {
        "knobs": KNOBS, "input": INPUT,
        "initial": {name: {"shape": list(value.shape), "data": flat(value)} for name, value in initial.items()},
        "batches": [{"inputs": {"shape": list(inputs.shape), "data": flat(inputs)}, "targets": targets.tolist()}
                    for inputs, targets in batches],
        "cases": cases,
    }


def main():
    torch.use_deterministic_algorithms(True)
    fixture = {"rtol": RTOL, "atol_scale": ATOL_SCALE, "optimizers": optimizer_cases(), "steps": step_cases()}
    path = HERE / "train_step.json"
    path.write_text(json.dumps(fixture, separators=(",", ":")) + "\n")
    print(f"{path.name}: {len(fixture['optimizers'])} optimizer cases, {len(fixture['steps']['cases'])} training-step cases")


if __name__ == "__main__":
    main()
