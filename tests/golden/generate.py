#!/usr/bin/python3
"""PyTorch reference ("golden") fixtures for tests/golden.test.mjs.

Run:  /usr/bin/python3 tests/golden/generate.py      (torch 1.13; same output every run)

Every case draws its inputs as float32, then computes in float64 from exactly
those values, so each stored result is the true answer for the float32 inputs,
rounded once. The backward reference of an op with output y is the gradient of

    L = sum(y * G)                          G: a random grad_output, stored too

with respect to each differentiable input (cross_entropy: y is the scalar loss
and G a scalar). Before writing, the generator checks that PyTorch's own
float32 result meets the tolerance the JS test uses, so the tolerance asks
for float32 accuracy and no more.

Output (both rewritten in full):
  cases.json   [{name, op, args, options, tensors: {name: {offset, shape}}}]
               options use the JS option names of web/cnn.d.ts; args hold the
               positional kernel_size / output_size; offsets count float32s.
  tensors.bin  every tensor back to back, little-endian float32 (integer
               tensors such as targets and argmax indices are stored exactly).
"""
import json
import pathlib
import warnings

import torch
import torch.nn.functional as F

HERE = pathlib.Path(__file__).resolve().parent
SEED = 20240501

# |got − want| ≤ ATOL_SCALE·(1 + max|want|) + RTOL·|want|, element-wise (same as tests/lib/close.mjs).
RTOL = 1e-4
ATOL_SCALE = 1e-5

generator = torch.Generator().manual_seed(SEED)


def randn(shape, mean=0.0, std=1.0):
    return torch.randn(shape, generator=generator, dtype=torch.float32) * std + mean


def uniform(shape, low, high):
    return torch.rand(shape, generator=generator, dtype=torch.float32) * (high - low) + low


def pair(value):
    return list(value) if isinstance(value, (list, tuple)) else [value, value]


class TensorStore:
    """Appends tensors to one float32 buffer and hands back {offset, shape}."""

    def __init__(self):
        self.chunks = []
        self.size = 0

    def add(self, tensor):
        flat = tensor.detach().to(torch.float32).contiguous().reshape(-1)
        entry = {"offset": self.size, "shape": list(tensor.shape)}
        self.chunks.append(flat)
        self.size += flat.numel()
        return entry

    def write(self, path):
        torch.cat(self.chunks).numpy().astype("<f4").tofile(path)


def assert_float32_meets_tolerance(name, label, float32_result, reference):
    want = reference.detach().to(torch.float64)
    got = float32_result.detach().to(torch.float64)
    allowed = ATOL_SCALE * (1 + want.abs().max()) + RTOL * want.abs()
    worst = ((got - want).abs() / allowed).max().item()
    if worst > 1:
        raise SystemExit(f"{name}: PyTorch float32 {label} is {worst:.2f}× the tolerance; the case is ill-conditioned")


def compact(value):
    return json.dumps(value, separators=(",", ":"))


def describe(op, inputs, args, options, note):
    shapes = " ".join(f"{key}{compact(list(value.shape))}" for key, value in inputs.items() if value is not None)
    settings = " ".join(f"{key}={compact(value)}" for key, value in {**args, **options}.items())
    return " ".join(part for part in (op, shapes, settings, note and f"({note})") if part)


def record(cases, store, op, inputs, differentiable, run, args=None, options=None, note=""):
    """Runs `run(tensors) -> (output, extras)` twice: in float64 with autograd
    (the reference) and in float32 (the tolerance check). `inputs` are the
    float32 tensors by binding name (None = absent, e.g. bias=None);
    `differentiable` names those the gradient is taken for; `extras` are
    further results to store (argmax indices, updated running statistics);
    `note` tells what the name cannot (how the inputs were drawn)."""
    args, options = args or {}, options or {}
    name = describe(op, inputs, args, options, note)

    def leaves(dtype):
        return {key: None if value is None else value.to(dtype, copy=True).requires_grad_(key in differentiable)
                for key, value in inputs.items()}

    reference_inputs = leaves(torch.float64)
    output, extras = run(reference_inputs)
    grad_output = randn(list(output.shape))
    (output * grad_output.to(torch.float64)).sum().backward()

    float32_inputs = leaves(torch.float32)
    output32, extras32 = run(float32_inputs)
    (output32 * grad_output).sum().backward()
    assert_float32_meets_tolerance(name, "output", output32, output)
    for key in differentiable:
        if inputs[key] is not None:
            assert_float32_meets_tolerance(name, f"grad_{key}", float32_inputs[key].grad, reference_inputs[key].grad)
    for key in extras:
        assert_float32_meets_tolerance(name, key, extras32[key], extras[key])

    tensors = {key: store.add(value) for key, value in inputs.items() if value is not None}
    tensors["output"] = store.add(output)
    tensors["grad_output"] = store.add(grad_output)
    for key in differentiable:
        if inputs[key] is not None:
            tensors[f"grad_{key}"] = store.add(reference_inputs[key].grad)
    for key, value in extras.items():
        tensors[key] = store.add(value)
    cases.append({"name": name, "op": op, "args": args, "options": options, "tensors": tensors})


# ---------------------------------------------------------------------------
# One function per op; each list below is the spread of cases for that op.

def conv2d_cases(cases, store):
    # (input N,C,H,W, out_channels, kernel, bias, options)
    specs = [
        ([1, 1, 5, 5], 1, 3, True, {}),
        ([2, 3, 7, 6], 4, [3, 2], True, {"stride": [2, 1], "padding": [1, 0]}),
        ([1, 2, 9, 9], 3, 2, False, {"stride": 3}),                                   # stride > kernel
        ([3, 2, 6, 7], 2, 3, True, {"padding": 1, "dilation": 2}),
        ([1, 3, 11, 10], 5, 3, True, {"stride": 2, "padding": [2, 1], "dilation": [3, 1]}),
        ([2, 4, 7, 7], 4, 3, True, {"padding": 1, "groups": 4}),                      # depthwise
        ([1, 3, 6, 5], 6, 3, True, {"stride": 2, "groups": 3}),                       # depthwise ×2
        ([2, 4, 5, 6], 6, [2, 3], True, {"groups": 2}),                               # 3 out per group
        ([1, 6, 9, 8], 4, 3, False, {"stride": 2, "padding": 2, "dilation": 2, "groups": 2}),
        ([1, 2, 6, 5], 3, 3, True, {"padding": "same"}),                              # odd kernel
        ([2, 2, 7, 6], 2, [4, 2], True, {"padding": "same"}),                         # even: more bottom/right
        ([1, 2, 9, 10], 2, [4, 3], False, {"padding": "same", "dilation": [3, 2]}),   # 9 → 4 top, 5 bottom
        ([1, 1, 8, 8], 2, 2, True, {"padding": "same", "dilation": 2}),
        ([2, 3, 6, 6], 2, 3, True, {"padding": "valid"}),
        ([2, 5, 4, 3], 7, 1, True, {}),                                               # 1×1
        ([1, 2, 4, 5], 3, [4, 5], True, {}),                                          # kernel = input
        ([1, 1, 8, 9], 2, 5, True, {"stride": 2, "padding": 2}),                      # padding = kernel/2
        ([1, 8, 5, 5], 9, 3, True, {"padding": 1}),                                   # K = 72
        ([2, 1, 7, 9], 2, [3, 5], False, {"stride": [1, 3], "padding": [1, 2], "dilation": [1, 2]}),
        ([2, 3, 16, 16], 8, 5, True, {}),                                             # LeNet-sized
        ([1, 16, 12, 12], 32, 3, True, {"padding": 1}),                               # K = 144, many tiles
        ([1, 2, 47, 47], 3, 3, True, {"padding": 1}),                                 # 2209 columns > one GEMM block
        ([1, 1, 6, 6], 70, 2, True, {}),                                              # 70 out channels > one GEMM block
    ]
    for shape, out_channels, kernel, bias, options in specs:
        groups = options.get("groups", 1)
        kernel_h, kernel_w = pair(kernel)
        inputs = {
            "input": randn(shape),
            "weight": randn([out_channels, shape[1] // groups, kernel_h, kernel_w]),
            "bias": randn([out_channels]) if bias else None,
        }
        record(cases, store, "conv2d", inputs, ["input", "weight", "bias"],
               lambda t, options=options: (F.conv2d(t["input"], t["weight"], t["bias"], **options), {}),
               options=options)


def depthwise_conv2d_cases(cases, store):
    # groups = in = out channels (src/depthwise_conv2d.c): the 3×3 stride-1 kernel,
    # the general one, and the stride-1 and gathered grad_input routes.
    # (input N,C,H,W, kernel, bias, options)
    specs = [
        ([2, 3, 9, 13], 3, True, {"padding": 1}),                                     # 3×3 s1, odd width
        ([1, 8, 12, 12], 3, True, {}),                                                # padding 0
        ([1, 4, 8, 11], 3, True, {"stride": 2, "padding": 1}),                        # MobileNet downsampling
        ([2, 2, 9, 10], 3, False, {"padding": 2, "dilation": 2}),
        ([1, 3, 7, 9], 5, True, {"padding": 2}),
        ([1, 2, 5, 17], 1, True, {}),                                                 # 1×1, 17 columns
        ([2, 2, 8, 9], [3, 5], True, {"stride": [2, 1], "padding": [0, 2], "dilation": [1, 2]}),
        ([1, 3, 10, 7], 3, True, {"stride": 3, "padding": 2}),                        # stride = kernel
        ([1, 2, 6, 5], 4, True, {"padding": "same"}),                                 # even: more bottom/right
        ([1, 2, 20, 21], 3, True, {"padding": 1}),                                    # past 16 lanes of grad_weight
    ]
    for shape, kernel, bias, options in specs:
        kernel_h, kernel_w = pair(kernel)
        channels = shape[1]
        inputs = {
            "input": randn(shape),
            "weight": randn([channels, 1, kernel_h, kernel_w]),
            "bias": randn([channels]) if bias else None,
        }
        options = {**options, "groups": channels}
        record(cases, store, "conv2d", inputs, ["input", "weight", "bias"],
               lambda t, options=options: (F.conv2d(t["input"], t["weight"], t["bias"], **options), {}),
               options=options, note="depthwise")


def winograd_rows_cases(cases, store):
    # 5- and 7-wide stride-1 kernels with ≥ 12 tap rows (C·KH) and ≥ 2 output channels take
    # Winograd F(4, 5) or F(2, 7) along rows (src/winograd_rows.c), forward and weight gradient, grad_input too
    # when OC·KH ≥ 12 and C ≥ 2. Output widths: whole tiles of 4 or a last one cut short by
    # 1 to 3 columns; planes of fewer than four tiles (scalar tiles) or more.
    # (input N,C,H,W, out_channels, kernel, bias, options)
    specs = [
        ([2, 8, 14, 14], 16, 5, True, {"padding": 2}),                                # the MNIST conv2
        ([1, 4, 9, 11], 6, [3, 5], True, {"padding": [1, 2]}),                        # 11 wide: an odd tile
        ([1, 3, 7, 12], 2, 5, False, {"padding": [2, 0]}),                            # 8 wide, 2 out
        ([1, 16, 6, 8], 3, [1, 5], True, {"padding": [0, 3]}),                        # 10 wide, 1×5
        ([2, 6, 5, 5], 5, [2, 5], True, {"padding": "same"}),                         # 5 wide, rows (0, 1)
        ([1, 5, 6, 13], 3, [4, 5], True, {"padding": [1, 2]}),                        # 13 wide
        ([5, 4, 6, 9], 2, 5, True, {"padding": 2}),                                   # grad_weight: 4 + 1 images
        ([2, 4, 9, 13], 6, [3, 7], True, {"padding": [1, 3]}),                        # F(2, 7): 13 wide
        ([1, 3, 8, 9], 4, 7, False, {"padding": 3}),                                  # F(2, 7), 21 tap rows
        ([1, 2, 7, 8], 2, 7, True, {}),                                               # F(2, 7): one tile
    ]
    for shape, out_channels, kernel, bias, options in specs:
        kernel_h, kernel_w = pair(kernel)
        inputs = {
            "input": randn(shape),
            "weight": randn([out_channels, shape[1], kernel_h, kernel_w]),
            "bias": randn([out_channels]) if bias else None,
        }
        record(cases, store, "conv2d", inputs, ["input", "weight", "bias"],
               lambda t, options=options: (F.conv2d(t["input"], t["weight"], t["bias"], **options), {}),
               options=options, note="Winograd rows")


def conv_transpose2d_cases(cases, store):
    # (input N,C,H,W, out_channels, kernel, bias, options); weight [C, OC/groups, KH, KW]
    specs = [
        ([1, 1, 3, 3], 1, 3, True, {}),
        ([2, 3, 4, 5], 2, 3, True, {"stride": 2, "padding": 1, "output_padding": 1}),
        ([1, 2, 3, 4], 3, [2, 3], True, {"stride": [2, 3], "padding": [0, 1], "output_padding": [1, 2]}),
        ([1, 2, 4, 4], 2, 2, True, {"stride": 3, "output_padding": 2}),               # stride > kernel: gaps
        ([2, 2, 3, 3], 3, 3, True, {"padding": 1, "dilation": 2}),
        ([1, 1, 4, 4], 2, 2, False, {"dilation": 3, "output_padding": 2}),            # output_padding < dilation
        ([1, 4, 3, 4], 6, 3, True, {"stride": 2, "groups": 2}),
        ([2, 3, 4, 4], 3, 3, True, {"stride": 2, "padding": 1, "output_padding": 1, "groups": 3}),
        ([2, 5, 3, 3], 4, 1, False, {}),                                              # 1×1
        ([1, 6, 4, 4], 8, 4, True, {"stride": 2, "padding": 1}),                      # DCGAN upsampling
        ([1, 2, 3, 5], 2, [3, 2], False, {"stride": [1, 2], "padding": [2, 0], "dilation": [2, 1]}),
        ([3, 2, 2, 2], 1, 5, True, {"stride": 2, "padding": 2, "output_padding": 1}),
        ([2, 16, 6, 6], 8, 4, True, {"stride": 2, "padding": 1}),                     # many tiles
    ]
    for shape, out_channels, kernel, bias, options in specs:
        groups = options.get("groups", 1)
        kernel_h, kernel_w = pair(kernel)
        inputs = {
            "input": randn(shape),
            "weight": randn([shape[1], out_channels // groups, kernel_h, kernel_w]),
            "bias": randn([out_channels]) if bias else None,
        }
        record(cases, store, "conv_transpose2d", inputs, ["input", "weight", "bias"],
               lambda t, options=options: (F.conv_transpose2d(t["input"], t["weight"], t["bias"], **options), {}),
               options=options)


def max_pool2d_cases(cases, store):
    # (input N,C,H,W, kernel_size, options[, note])
    specs = [
        ([1, 1, 4, 4], 2, {}),                                                        # the seed article's pool
        ([2, 3, 7, 7], 3, {"stride": 2}),
        ([1, 2, 8, 8], 3, {"stride": 2, "padding": 1}),
        ([1, 2, 5, 7], 2, {"stride": 2, "ceil_mode": True}),
        ([1, 1, 5, 5], 2, {"stride": 2, "padding": 1, "ceil_mode": True}, "last ceil window dropped"),
        ([1, 2, 7, 8], 3, {"stride": 1, "dilation": 2}),
        ([2, 1, 9, 10], 2, {"stride": [1, 2], "padding": 1, "dilation": [2, 3], "ceil_mode": True}),
        ([1, 3, 6, 5], [3, 1], {"stride": [2, 1]}),
        ([1, 2, 8, 8], 2, {"stride": 3}),                                             # stride > kernel
        ([2, 2, 5, 6], [5, 6], {}),                                                   # global max
        ([1, 1, 6, 6], 3, {"stride": 1, "padding": 1}),
        ([1, 1, 8, 7], 2, {"stride": 3, "ceil_mode": True}),
        ([1, 2, 6, 6], 3, {"stride": 2, "padding": 1, "dilation": 2, "ceil_mode": True}),
    ]
    for shape, kernel_size, options, *note in specs:
        def run(t, kernel_size=kernel_size, options=options):
            output, indices = F.max_pool2d(t["input"], kernel_size, return_indices=True, **options)
            return output, {"indices": indices}
        record(cases, store, "max_pool2d", {"input": randn(shape)}, ["input"], run,
               args={"kernel_size": kernel_size}, options=options, note="".join(note))


def avg_pool2d_cases(cases, store):
    # (input N,C,H,W, kernel_size, options[, note])
    specs = [
        ([1, 1, 4, 4], 2, {}),
        ([2, 3, 7, 7], 3, {"stride": 2}),
        ([1, 2, 7, 8], 3, {"stride": 2, "padding": 1}),
        ([1, 2, 7, 8], 3, {"stride": 2, "padding": 1, "count_include_pad": False}),
        ([1, 2, 5, 7], 2, {"stride": 2, "ceil_mode": True}),
        ([1, 2, 6, 6], 3, {"stride": 2, "padding": 1, "ceil_mode": True, "count_include_pad": False}),
        ([1, 1, 5, 5], 2, {"stride": 2, "padding": 1, "ceil_mode": True}, "last ceil window dropped"),
        ([1, 1, 5, 5], 2, {"stride": 2, "padding": 1, "ceil_mode": True, "count_include_pad": False},
         "last ceil window dropped"),
        ([1, 1, 6, 7], 3, {"stride": 2, "padding": 1, "ceil_mode": True},
         "last row window runs past the padding: divisor counts up to it"),
        ([1, 2, 6, 5], [3, 2], {"stride": [1, 2], "padding": [1, 0]}),
        ([2, 1, 8, 9], 2, {"stride": 3}),                                             # stride > kernel
        ([1, 3, 4, 5], [4, 5], {}),                                                   # global average
    ]
    for shape, kernel_size, options, *note in specs:
        record(cases, store, "avg_pool2d", {"input": randn(shape)}, ["input"],
               lambda t, kernel_size=kernel_size, options=options: (F.avg_pool2d(t["input"], kernel_size, **options), {}),
               args={"kernel_size": kernel_size}, options=options, note="".join(note))


def adaptive_avg_pool2d_cases(cases, store):
    # (input N,C,H,W, output_size)
    specs = [
        ([1, 2, 7, 7], [3, 3]),
        ([2, 1, 5, 5], [4, 4]),
        ([1, 3, 10, 10], 1),                                                          # global average
        ([1, 2, 6, 8], [3, 4]),                                                       # divisible
        ([2, 2, 5, 7], [2, 3]),
        ([1, 1, 3, 3], [5, 5]),                                                       # output larger than input
        ([1, 2, 9, 4], [4, 4]),
        ([3, 2, 13, 11], [5, 7]),
        ([1, 1, 8, 8], 3),
    ]
    for shape, output_size in specs:
        record(cases, store, "adaptive_avg_pool2d", {"input": randn(shape)}, ["input"],
               lambda t, output_size=output_size: (F.adaptive_avg_pool2d(t["input"], output_size), {}),
               args={"output_size": output_size})


def batch_norm_cases(cases, store):
    # (input N,C,H,W, affine, options, input mean, input std)
    specs = [
        ([2, 3, 4, 5], True, {"training": True, "momentum": 0.1, "eps": 1e-5}, 0.0, 1.0),
        ([1, 2, 3, 3], False, {"training": True, "momentum": 0.1, "eps": 1e-5}, 0.0, 1.0),
        ([3, 4, 2, 3], True, {"training": True, "momentum": 0.3, "eps": 1e-3}, 0.0, 1.0),
        ([4, 1, 1, 1], True, {"training": True, "momentum": 0.1, "eps": 1e-5}, 0.0, 1.0),   # 4 values per channel
        ([2, 2, 5, 5], True, {"training": True, "momentum": 0.1, "eps": 1e-5}, 10.0, 2.0),  # far from zero mean
        ([2, 5, 1, 3], True, {"training": True, "momentum": 1.0, "eps": 1e-5}, 0.0, 1.0),   # running = batch stats
        ([2, 3, 4, 4], True, {"training": False, "momentum": 0.1, "eps": 1e-5}, 0.0, 1.0),
        ([1, 2, 3, 5], False, {"training": False, "momentum": 0.1, "eps": 1e-5}, 0.0, 1.0),
        ([3, 2, 2, 2], True, {"training": False, "momentum": 0.1, "eps": 1e-3}, 1.0, 3.0),
    ]
    for shape, affine, options, mean, std in specs:
        channels = shape[1]
        inputs = {
            "input": randn(shape, mean, std),
            "running_mean": randn([channels]),
            "running_var": uniform([channels], 0.5, 2.0),
            "weight": randn([channels]) if affine else None,
            "bias": randn([channels]) if affine else None,
        }

        def run(t, options=options):
            running_mean, running_var = t["running_mean"].detach().clone(), t["running_var"].detach().clone()
            output = F.batch_norm(t["input"], running_mean, running_var, t["weight"], t["bias"], **options)
            return output, {"running_mean_after": running_mean, "running_var_after": running_var}
        note = f"input mean {mean:g} std {std:g}" if (mean, std) != (0.0, 1.0) else ""
        record(cases, store, "batch_norm", inputs, ["input", "weight", "bias"], run, options=options, note=note)


def relu_cases(cases, store):
    for shape in ([1, 1, 4, 4], [2, 3, 5, 7], [3, 10], [1, 1, 1, 1], [1, 1, 1, 13], [3, 4, 6, 6]):
        record(cases, store, "relu", {"input": randn(shape)}, ["input"], lambda t: (F.relu(t["input"]), {}))
    # exact zeros: PyTorch passes no gradient at x = 0
    with_zeros = randn([1, 2, 3, 3])
    with_zeros.view(-1)[::3] = 0.0
    record(cases, store, "relu", {"input": with_zeros}, ["input"], lambda t: (F.relu(t["input"]), {}),
           note="every third input exactly 0")


def linear_cases(cases, store):
    # (batch, in_features, out_features, bias)
    specs = [(1, 1, 1, True), (2, 5, 3, True), (3, 8, 4, False), (4, 17, 9, True), (1, 32, 10, True),
             (3, 7, 13, True), (2, 64, 5, False), (5, 3, 1, True),
             (70, 300, 9, True)]                                  # batch and depth past one GEMM block
    for batch, in_features, out_features, bias in specs:
        inputs = {
            "input": randn([batch, in_features]),
            "weight": randn([out_features, in_features]),
            "bias": randn([out_features]) if bias else None,
        }
        record(cases, store, "linear", inputs, ["input", "weight", "bias"],
               lambda t: (F.linear(t["input"], t["weight"], t["bias"]), {}))


def cross_entropy_cases(cases, store):
    # (batch, classes, logit scale): scale 100 overflows a naive exp(x) in float32
    specs = [(1, 2, 1.0), (3, 5, 1.0), (4, 10, 1.0), (2, 1, 1.0), (3, 4, 50.0), (2, 3, 100.0), (5, 7, 2.0), (6, 3, 1.0)]
    for batch, classes, scale in specs:
        target = torch.randint(0, classes, [batch], generator=generator)
        inputs = {"input": randn([batch, classes]) * scale, "target": target.to(torch.float32)}
        record(cases, store, "cross_entropy", inputs, ["input"],
               lambda t, target=target: (F.cross_entropy(t["input"], target), {}),
               note=f"logits scaled by {scale:g}" if scale != 1.0 else "")


def main():
    torch.use_deterministic_algorithms(True)
    warnings.filterwarnings("ignore", message="Using padding='same' with even kernel")
    cases, store = [], TensorStore()
    for make in (conv2d_cases, conv_transpose2d_cases, max_pool2d_cases, avg_pool2d_cases,
                 adaptive_avg_pool2d_cases, batch_norm_cases, relu_cases, linear_cases, cross_entropy_cases,
                 depthwise_conv2d_cases, winograd_rows_cases):
        make(cases, store)
    names = [case["name"] for case in cases]
    duplicates = {name for name in names if names.count(name) > 1}
    if duplicates:
        raise SystemExit(f"case names must be unique: {sorted(duplicates)}")
    store.write(HERE / "tensors.bin")
    (HERE / "cases.json").write_text("[\n" + ",\n".join(map(compact, cases)) + "\n]\n")
    print(f"{len(cases)} cases, {store.size} floats ({store.size * 4 / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
