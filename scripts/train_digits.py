#!/usr/bin/python3
"""Trains the digits networks of hmasim (issue 12) and writes them, quantised to int8.

scikit-learn's handwritten digits (sklearn.datasets.load_digits: 1797 images of 8x8 pixels, 0..16,
10 classes; shipped by Debian's python3-sklearn, so no download) are split by a seeded permutation
into 1437 training and 360 held-out test images. Two networks are trained in NumPy alone (float64,
Adam, cross-entropy), then quantised after training:

  digits-cnn: conv 3x3x16 - conv 3x3x32 - maxpool 2 - conv 3x3x32 - avgpool 2 - fc 64 - fc 10
  digits-mlp: fc 64 - fc 32 - fc 10 (on the flattened image)

Quantisation rule (docs/weights.md, "Integer inference"), symmetric, zero point 0:
  - input: q = round(pixel * 127 / 16), int8 0..127 (scale 1/127 of full ink);
  - weights: int8 q_w = round(w / s_w), s_w = max|w| / 127 per layer;
  - bias: int32 round(b / (s_x * s_w));
  - output: acc = sum(q_w * q_x) + q_b (exact, int64); y = (acc * multiplier + 2^(shift-1)) >> shift
    (floor shift: round half up), clamped to [-128, 127], then to [0, 127] with ReLU. multiplier
    is in [2^14, 2^15) and multiplier / 2^shift approximates s_x * s_w / s_y, where s_y is the
    layer's largest output on the training set / 127;
  - max pool: the maximum; average pool: floor((sum + n/2) / n) over the n = r*s window positions
    (padding counts, as PyTorch's default); fc flattens its input in [channel][row][column] order.

Writes (paths relative to the repository):
  workloads/networks/digits-cnn.yaml, digits-mlp.yaml   the networks (weights: key to the file)
  data/digits/digits-cnn.weights, digits-mlp.weights   int8 weights, int32 bias, requantisation
  data/digits/test-images.npy    int8, 360 x 8 x 8 x 1 (N x H x W x C)
  data/digits/test-labels.npy    uint8, 360
  data/digits/digits-cnn-logits.npy, digits-mlp-logits.npy   int8, 360 x 10: the integer logits
                                 of this script's integer inference (the C++ reference's oracle)

Deterministic: a fixed seed and single-threaded BLAS, so a run regenerates the committed files
bit-for-bit with the same NumPy / BLAS build (another BLAS may round float sums differently).
Usage: /usr/bin/python3 scripts/train_digits.py [--out REPO_ROOT] (needs python3-numpy and
python3-sklearn: apt-get install python3-sklearn python3-numpy).
"""

import os

# Before NumPy loads: one BLAS thread, so float sums are added in one order on every run.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_var] = "1"

import argparse  # noqa: E402
import struct  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402

import numpy as np  # noqa: E402

SEED = 20261202
TEST_IMAGES = 360
EPOCHS = 15
BATCH = 32
LEARNING_RATE = 2e-3
MULTIPLIER_BITS = 15  # multipliers in [2^14, 2^15)
WEIGHTS_MAGIC = b"HMASIMW1"


# ---- float layers (NCHW), forward and backward ----

class Conv:
    def __init__(self, name, rng, c, k, r, pad):
        self.name, self.k, self.r, self.pad = name, k, r, pad
        fan_in = c * r * r
        self.w = rng.standard_normal((k, c, r, r)) * np.sqrt(2.0 / fan_in)
        self.b = np.zeros(k)
        self.relu = True

    def cols(self, x):
        n, c, h, w = x.shape
        xp = np.pad(x, ((0, 0), (0, 0), (self.pad, self.pad), (self.pad, self.pad)))
        ho, wo = h + 2 * self.pad - self.r + 1, w + 2 * self.pad - self.r + 1
        patches = np.empty((n, c, self.r, self.r, ho, wo), dtype=x.dtype)
        for i in range(self.r):
            for j in range(self.r):
                patches[:, :, i, j] = xp[:, :, i:i + ho, j:j + wo]
        # rows: (image, y, x); columns: (channel, r, s), the order of the weights.
        return patches.transpose(0, 4, 5, 1, 2, 3).reshape(n * ho * wo, -1), (n, ho, wo)

    def forward(self, x):
        self.x_shape = x.shape
        self.col, (n, ho, wo) = self.cols(x)
        y = self.col @ self.w.reshape(self.k, -1).T + self.b
        return y.reshape(n, ho, wo, self.k).transpose(0, 3, 1, 2)

    def backward(self, dy):
        n, c, h, w = self.x_shape
        dyf = dy.transpose(0, 2, 3, 1).reshape(-1, self.k)
        self.dw = (dyf.T @ self.col).reshape(self.w.shape)
        self.db = dyf.sum(axis=0)
        dcol = (dyf @ self.w.reshape(self.k, -1)).reshape(n, h, w, c, self.r, self.r)
        dxp = np.zeros((n, c, h + 2 * self.pad, w + 2 * self.pad))
        dcol = dcol.transpose(0, 3, 4, 5, 1, 2)
        for i in range(self.r):
            for j in range(self.r):
                dxp[:, :, i:i + h, j:j + w] += dcol[:, :, i, j]
        return dxp[:, :, self.pad:self.pad + h, self.pad:self.pad + w]

    def params(self):
        return [(self.w, self.dw), (self.b, self.db)]


class Fc:
    def __init__(self, name, rng, inputs, k, relu=True):
        self.name, self.k, self.relu = name, k, relu
        self.w = rng.standard_normal((k, inputs)) * np.sqrt(2.0 / inputs)
        self.b = np.zeros(k)

    def forward(self, x):
        self.x_shape = x.shape
        self.x = x.reshape(x.shape[0], -1)  # [channel][row][column], as the weights
        return self.x @ self.w.T + self.b

    def backward(self, dy):
        self.dw = dy.T @ self.x
        self.db = dy.sum(axis=0)
        return (dy @ self.w).reshape(self.x_shape)

    def params(self):
        return [(self.w, self.dw), (self.b, self.db)]


class Pool:
    def __init__(self, name, mode):
        self.name, self.mode, self.relu = name, mode, False

    def forward(self, x):
        n, c, h, w = x.shape
        blocks = x.reshape(n, c, h // 2, 2, w // 2, 2).transpose(0, 1, 2, 4, 3, 5)
        blocks = blocks.reshape(n, c, h // 2, w // 2, 4)
        self.shape = x.shape
        if self.mode == "avg":
            return blocks.mean(axis=-1)
        self.arg = blocks.argmax(axis=-1)
        return blocks.max(axis=-1)

    def backward(self, dy):
        n, c, h, w = self.shape
        if self.mode == "avg":
            d = np.repeat(dy[..., None], 4, axis=-1) / 4.0
        else:
            d = (np.arange(4) == self.arg[..., None]) * dy[..., None]
        d = d.reshape(n, c, h // 2, w // 2, 2, 2).transpose(0, 1, 2, 4, 3, 5)
        return d.reshape(n, c, h, w)

    def params(self):
        return []


def relu_forward(layer, y):
    if not layer.relu:
        return y
    layer.mask = y > 0
    return y * layer.mask


def forward(layers, x):
    for layer in layers:
        x = relu_forward(layer, layer.forward(x))
    return x


def train(layers, x, labels, rng):
    state = {}
    step = 0
    for _ in range(EPOCHS):
        order = rng.permutation(len(x))
        for first in range(0, len(x), BATCH):
            idx = order[first:first + BATCH]
            logits = forward(layers, x[idx])
            p = np.exp(logits - logits.max(axis=1, keepdims=True))
            p /= p.sum(axis=1, keepdims=True)
            p[np.arange(len(idx)), labels[idx]] -= 1.0
            d = p / len(idx)
            for layer in reversed(layers):
                if layer.relu:
                    d = d * layer.mask
                d = layer.backward(d)
            step += 1
            for layer in layers:  # Adam
                for j, (value, grad) in enumerate(layer.params()):
                    m, v = state.get((layer.name, j), (np.zeros_like(value), np.zeros_like(value)))
                    m = 0.9 * m + 0.1 * grad
                    v = 0.999 * v + 0.001 * grad * grad
                    state[(layer.name, j)] = (m, v)
                    value -= (LEARNING_RATE * (m / (1 - 0.9 ** step))
                              / (np.sqrt(v / (1 - 0.999 ** step)) + 1e-8))


# ---- quantisation and integer inference ----

def multiplier_shift(scale):
    """multiplier / 2^shift ~ scale, multiplier in [2^14, 2^15)."""
    shift = 0
    while scale * 2.0 ** shift < 2.0 ** (MULTIPLIER_BITS - 1) and shift < 62:
        shift += 1
    multiplier = int(np.round(scale * 2.0 ** shift))
    if multiplier >= 2 ** MULTIPLIER_BITS:  # round() reached the top: one bit less
        shift -= 1
        multiplier = int(np.round(scale * 2.0 ** shift))
    if shift < 1 or multiplier >= 2 ** MULTIPLIER_BITS:
        raise SystemExit("requantisation scale %g out of range" % scale)
    return multiplier, shift


def quantise(layers, x_train):
    """Integer parameters per weighted layer: q_w, q_b, multiplier, shift."""
    s_x = 1.0 / 127.0
    a = x_train
    for layer in layers:
        a = relu_forward(layer, layer.forward(a))
        if isinstance(layer, Pool):
            continue
        s_w = np.abs(layer.w).max() / 127.0
        s_y = np.abs(a).max() / 127.0
        layer.q_w = np.round(layer.w / s_w).astype(np.int8)
        layer.q_b = np.round(layer.b / (s_x * s_w)).astype(np.int32)
        layer.multiplier, layer.shift = multiplier_shift(s_x * s_w / s_y)
        s_x = s_y


def requantise(acc, layer):
    y = (acc * layer.multiplier + (1 << (layer.shift - 1))) >> layer.shift
    return np.clip(y, 0 if layer.relu else -128, 127)


def integer_forward(layers, q):
    """q: int N x C x H x W. Exact int64 arithmetic (NumPy's integer matmul uses no BLAS)."""
    a = q.astype(np.int64)
    for layer in layers:
        if isinstance(layer, Pool):
            n, c, h, w = a.shape
            blocks = a.reshape(n, c, h // 2, 2, w // 2, 2).transpose(0, 1, 2, 4, 3, 5)
            blocks = blocks.reshape(n, c, h // 2, w // 2, 4)
            a = blocks.max(axis=-1) if layer.mode == "max" else (blocks.sum(axis=-1) + 2) // 4
            continue
        w = layer.q_w.astype(np.int64)
        if isinstance(layer, Conv):
            col, (n, ho, wo) = layer.cols(a)
            acc = col @ w.reshape(layer.k, -1).T + layer.q_b
            a = requantise(acc, layer).reshape(n, ho, wo, layer.k).transpose(0, 3, 1, 2)
        else:
            a = requantise(a.reshape(a.shape[0], -1) @ w.T + layer.q_b, layer)
    return a


# ---- files ----

def weights_bytes(layers):
    """docs/weights.md: the hmasim weights file, little-endian."""
    weighted = [layer for layer in layers if not isinstance(layer, Pool)]
    out = [WEIGHTS_MAGIC, struct.pack("<I", len(weighted))]
    for layer in weighted:
        name = layer.name.encode()
        out.append(struct.pack("<I", len(name)) + name)
        out.append(struct.pack("<QQII", layer.q_w.size, layer.q_b.size, 1 if layer.relu else 0, 1))
        out.append(struct.pack("<ii", layer.multiplier, layer.shift))
        out.append(layer.q_w.astype(np.int8).tobytes())  # [kernel][channel][r][s]
        out.append(layer.q_b.astype("<i4").tobytes())
    return b"".join(out)


def network_yaml(name, description, layers, yaml_layers):
    lines = [
        "# Written by scripts/train_digits.py (do not edit: rerun the script). " + description,
        "# Trained on scikit-learn's digits, quantised to int8 (docs/weights.md).",
        "name: " + name,
        'source: "scripts/train_digits.py: NumPy training on sklearn.datasets.load_digits"',
        "input: {h: 8, w: 8, c: 1}",
        "precision: 8",
        "weights: ../../data/digits/%s.weights" % name,
        "defaults:",
        "  bias: true",
        "layers:",
    ]
    lines += ["  - " + entry for entry in yaml_layers]
    return "\n".join(lines) + "\n"


def write(path, data):
    os.makedirs(os.path.dirname(path), exist_ok=True)
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def npy_bytes(array):
    import io
    buf = io.BytesIO()
    np.save(buf, np.ascontiguousarray(array), allow_pickle=False)
    return buf.getvalue()


def accuracy(logits, labels):
    return float((np.argmax(logits, axis=1) == labels).mean())


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", default=os.path.join(os.path.dirname(__file__), ".."),
                        help="repository root to write into (default: this script's)")
    args = parser.parse_args()
    from sklearn.datasets import load_digits

    start = time.perf_counter()
    digits = load_digits()
    pixels = digits.images.astype(np.float64)  # 1797 x 8 x 8, 0..16
    labels = digits.target.astype(np.int64)
    rng = np.random.default_rng(SEED)
    order = rng.permutation(len(labels))
    test, train_idx = order[:TEST_IMAGES], order[TEST_IMAGES:]
    q_all = np.round(pixels * 127.0 / 16.0).astype(np.int64)  # int8 input, 0..127
    x_all = (q_all / 127.0)[:, None, :, :]  # the float network sees what the integer one does

    nets = {
        "digits-cnn": (
            "LeNet-like CNN.",
            [Conv("conv1", rng, 1, 16, 3, 1), Conv("conv2", rng, 16, 32, 3, 1),
             Pool("pool1", "max"), Conv("conv3", rng, 32, 32, 3, 1), Pool("pool2", "avg"),
             Fc("fc1", rng, 2 * 2 * 32, 64), Fc("fc2", rng, 64, 10, relu=False)],
            ["{name: conv1, type: conv, k: 16, r: 3, padding: 1}",
             "{name: conv2, type: conv, k: 32, r: 3, padding: 1}",
             "{name: pool1, type: pool, mode: max, r: 2}",
             "{name: conv3, type: conv, k: 32, r: 3, padding: 1}",
             "{name: pool2, type: pool, mode: avg, r: 2}",
             "{name: fc1, type: fc, k: 64}",
             "{name: fc2, type: fc, k: 10}"]),
        "digits-mlp": (
            "Multi-layer perceptron.",
            [Fc("fc1", rng, 64, 64), Fc("fc2", rng, 64, 32), Fc("fc3", rng, 32, 10, relu=False)],
            ["{name: fc1, type: fc, k: 64}",
             "{name: fc2, type: fc, k: 32}",
             "{name: fc3, type: fc, k: 10}"]),
    }
    root = args.out
    write(os.path.join(root, "data/digits/test-images.npy"),
          npy_bytes(q_all[test].astype(np.int8)[:, :, :, None]))
    write(os.path.join(root, "data/digits/test-labels.npy"),
          npy_bytes(labels[test].astype(np.uint8)))
    for name, (description, layers, yaml_layers) in nets.items():
        train(layers, x_all[train_idx], labels[train_idx], rng)
        float_train = accuracy(forward(layers, x_all[train_idx]), labels[train_idx])
        float_test = accuracy(forward(layers, x_all[test]), labels[test])
        quantise(layers, x_all[train_idx])
        int_logits = integer_forward(layers, q_all[test][:, None, :, :])
        int_train = accuracy(integer_forward(layers, q_all[train_idx][:, None, :, :]),
                             labels[train_idx])
        write(os.path.join(root, "workloads/networks/%s.yaml" % name),
              network_yaml(name, description, layers, yaml_layers).encode())
        write(os.path.join(root, "data/digits/%s.weights" % name), weights_bytes(layers))
        write(os.path.join(root, "data/digits/%s-logits.npy" % name),
              npy_bytes(int_logits.astype(np.int8)))
        print("%s: float train %.4f test %.4f; int8 train %.4f test %.4f (%d of %d)"
              % (name, float_train, float_test, int_train, accuracy(int_logits, labels[test]),
                 int((np.argmax(int_logits, axis=1) == labels[test]).sum()), TEST_IMAGES))
    print("train_digits.py: %.1f s" % (time.perf_counter() - start))
    return 0


if __name__ == "__main__":
    sys.exit(main())
