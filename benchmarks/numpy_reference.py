#!/usr/bin/env python3
"""The benchmark workload written directly in numpy: the reference keras-ts is compared with.

784-512-512-10 MLP (relu, softmax + cross-entropy), L1 1e-5 on the first kernel, L2 1e-4 on the
second, inverted dropout 0.2 after each hidden layer, Adam (Keras 3 math, lr 1e-3), batch 128,
4096 random rows in [0, 1) x 2 epochs, float32 throughout. Prints one JSON line with the median
seconds of the timed runs, the BLAS numpy uses and its thread count. The same math keras-ts runs, no
framework: what the matrix products cost on this machine's BLAS plus the elementwise work.
Run with Debian's numpy:  /usr/bin/python3 benchmarks/numpy_reference.py [--repeats 3] [--rows 4096] [--epochs 2] [--batch-size 128]
"""
import argparse
import ctypes
import json
import os
import statistics
import time

import numpy as np


def blas_info():
    """The BLAS library this process actually loaded (numpy's build info only names "blas" on Debian,
    where the library is chosen by update-alternatives) and its thread count."""
    try:
        with open("/proc/self/maps") as maps:
            paths = {line.split()[-1] for line in maps if "blas" in line and "/" in line}
    except OSError:
        paths = set()
    name, threads = "unknown", os.environ.get("OPENBLAS_NUM_THREADS") or os.environ.get("OMP_NUM_THREADS") or "default"
    for path in sorted({os.path.realpath(p) for p in paths}):
        name = path
        try:
            lib = ctypes.CDLL(path)
        except OSError:
            continue
        if hasattr(lib, "openblas_get_config"):
            lib.openblas_get_config.restype = ctypes.c_char_p
            name = f"{lib.openblas_get_config().decode()} ({path})"
        if hasattr(lib, "openblas_get_num_threads"):
            threads = lib.openblas_get_num_threads()
    return name, threads


def train(x, y, epochs, batch, rng, units=(784, 512, 512, 10), l1=1e-5, l2=1e-4, rate=0.2, lr=1e-3):
    f32 = np.float32
    ws = []
    for fan_in, fan_out in zip(units[:-1], units[1:]):
        limit = np.sqrt(6.0 / (fan_in + fan_out))
        ws.append([rng.uniform(-limit, limit, (fan_in, fan_out)).astype(f32), np.zeros(fan_out, f32)])
    params = [p for layer in ws for p in layer]
    m = [np.zeros_like(p) for p in params]
    v = [np.zeros_like(p) for p in params]
    b1, b2, eps, t = f32(0.9), f32(0.999), f32(1e-7), 0
    keep = f32(1 - rate)
    rows = x.shape[0]
    for _ in range(epochs):
        for start in range(0, rows, batch):
            xb, yb = x[start:start + batch], y[start:start + batch]
            n = f32(xb.shape[0])
            # forward
            h = [xb]
            masks = []
            a = xb
            for i, (w, b) in enumerate(ws):
                z = a @ w + b
                if i < len(ws) - 1:
                    a = np.maximum(z, 0)
                    mask = (rng.random(a.shape, dtype=f32) >= rate).astype(f32) / keep
                    masks.append(mask)
                    a = a * mask
                    h.append(a)
                else:
                    z = z - z.max(axis=1, keepdims=True)
                    p = np.exp(z)
                    p /= p.sum(axis=1, keepdims=True)
            # backward
            dz = (p - yb) / n
            grads = []
            for i in range(len(ws) - 1, -1, -1):
                w, _ = ws[i]
                gw = h[i].T @ dz
                gb = dz.sum(axis=0)
                if i == 0:
                    gw += l1 * np.sign(w)
                if i == 1:
                    gw += 2 * l2 * w
                grads = [gw, gb] + grads
                if i > 0:
                    da = dz @ w.T
                    da *= masks[i - 1]
                    dz = da * (h[i] > 0)
            # Adam (Keras 3)
            t += 1
            alpha = lr * np.sqrt(1 - b2 ** t) / (1 - b1 ** t)
            for k, (param, g) in enumerate(zip(params, grads)):
                m[k] += (g - m[k]) * (1 - b1)
                v[k] += (g * g - v[k]) * (1 - b2)
                param -= (alpha * m[k] / (np.sqrt(v[k]) + eps)).astype(f32)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--rows", type=int, default=4096)
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--batch-size", type=int, default=128)
    args = parser.parse_args()
    rng = np.random.default_rng(42)
    x = rng.random((args.rows, 784), dtype=np.float32)
    y = np.eye(10, dtype=np.float32)[rng.integers(0, 10, args.rows)]
    train(x, y, 1, args.batch_size, rng)  # warm-up
    samples = []
    for _ in range(args.repeats):
        start = time.perf_counter()
        train(x, y, args.epochs, args.batch_size, rng)
        samples.append(time.perf_counter() - start)
    blas, threads = blas_info()
    print(json.dumps({"name": "numpy", "rows": args.rows, "epochs": args.epochs, "batchSize": args.batch_size, "samples": samples,
                      "median": statistics.median(samples), "min": min(samples), "numpy": np.__version__,
                      "blas": blas, "threads": threads}))


if __name__ == "__main__":
    main()
