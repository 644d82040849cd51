#!/usr/bin/python3
"""Native PyTorch's training speed on the lab's models, for bench/workers.mjs.

Run:  /usr/bin/python3 bench/torch_train.py '<json>'      (Debian's python3-torch)

The JSON: {"models": [{"name", "knobs"}], "threads": [1, 2], "batch": 64, "steps": 60,
"warmup": 10, "passes": 3, "mnist": "web/data/mnist.bin"}. Each model is the
torch.nn.Sequential web/train/model.js builds from the same knobs (conv [→ batch norm] → ReLU →
pool per block, then Flatten → Linear), trained with torch.optim.Adam (or SGD) on consecutive
batches of the real training digits, normalised as the lab does ((p/255 − 0.1307)/0.3081).
A sample: `steps` steps after `warmup` untimed ones, with torch.set_num_threads(n).
Prints one JSON object: {"torch": version, "results": [{"name", "threads", "images_per_second": [per pass]}]}.
"""
import json
import sys
import time

import torch
import torch.nn as nn

HEADER_BYTES = 28
MEAN, STD = 0.1307, 0.3081


def build(knobs):
    """The lab's model (web/train/model.js) for checked knobs."""
    layers, channels, size = [], 1, 28
    padding = (knobs["kernel"] - 1) // 2 if knobs["padding"] == "same" else 0
    for block, out_channels in enumerate(knobs["channels"]):
        stride = (knobs["stride"] if block == 0 else 1) * (2 if knobs["pool"] == "none" else 1)
        layers.append(nn.Conv2d(channels, out_channels, knobs["kernel"], stride=stride, padding=padding,
                                bias=not knobs["batchNorm"]))
        size = (size + 2 * padding - knobs["kernel"]) // stride + 1
        if knobs["batchNorm"]:
            layers.append(nn.BatchNorm2d(out_channels))
        layers.append(nn.ReLU())
        if knobs["pool"] in ("max", "gap"):
            layers.append(nn.MaxPool2d(2))
            size //= 2
        elif knobs["pool"] == "avg":
            layers.append(nn.AvgPool2d(2))
            size //= 2
        channels = out_channels
    if knobs["pool"] == "gap":
        layers += [nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Linear(channels, 10)]
    else:
        layers += [nn.Flatten(), nn.Linear(channels * size * size, 10)]
    return nn.Sequential(*layers)


def digits(path, count):
    """The first `count` training digits, normalised, and their labels."""
    data = open(path, "rb").read()
    total = int.from_bytes(data[12:16], "little")
    labels = torch.tensor(list(data[HEADER_BYTES:HEADER_BYTES + count]), dtype=torch.long)
    start = HEADER_BYTES + total
    pixels = torch.frombuffer(bytearray(data[start:start + count * 784]), dtype=torch.uint8)
    images = (pixels.float().reshape(count, 1, 28, 28) / 255 - MEAN) / STD
    return images, labels


def images_per_second(knobs, images, labels, batch, steps, warmup):
    torch.manual_seed(knobs["seed"])
    model = build(knobs).train()
    optimizer = (torch.optim.SGD(model.parameters(), lr=knobs["lr"], momentum=knobs["momentum"])
                 if knobs["optimizer"] == "sgd" else torch.optim.Adam(model.parameters(), lr=knobs["lr"]))
    loss_fn = nn.CrossEntropyLoss()
    batches = images.shape[0] // batch

    def step(i):
        at = (i % batches) * batch
        optimizer.zero_grad()
        loss = loss_fn(model(images[at:at + batch]), labels[at:at + batch])
        loss.backward()
        optimizer.step()

    for i in range(warmup):
        step(i)
    start = time.perf_counter()
    for i in range(steps):
        step(warmup + i)
    return steps * batch / (time.perf_counter() - start)


def main():
    config = json.loads(sys.argv[1])
    batch = config["batch"]
    images, labels = digits(config["mnist"], 8000 // batch * batch)
    results = {(model["name"], threads): [] for model in config["models"] for threads in config["threads"]}
    for _ in range(config["passes"]):
        for model in config["models"]:
            for threads in config["threads"]:
                torch.set_num_threads(threads)
                results[(model["name"], threads)].append(
                    images_per_second(model["knobs"], images, labels, batch, config["steps"], config["warmup"]))
    print(json.dumps({"torch": torch.__version__, "results": [
        {"name": name, "threads": threads, "images_per_second": rates} for (name, threads), rates in results.items()]}))


if __name__ == "__main__":
    main()
