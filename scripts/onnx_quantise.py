"""The quantisation rule and the output formats of hmasim's ONNX importer (scripts/onnx_import.py,
docs/onnx.md): activation scales, the layers being built, int8 / int32 / multiplier-shift
quantisation as scripts/train_digits.py does it, the network YAML's values and the HMASIMW1 bytes
(docs/weights.md)."""

import re
import struct

import numpy as np

MULTIPLIER_BITS = 15  # as scripts/train_digits.py: multipliers in [2^14, 2^15)
WEIGHTS_MAGIC = b"HMASIMW1"
SCALE_TOLERANCE = 1e-5  # relative: two scales of one tensor written as float32 by different nodes


class ImportProblem(Exception):
    pass


def multiplier_shift(scale, where):
    """multiplier / 2^shift ~ scale, multiplier in [2^14, 2^15): train_digits.py's rule."""
    if not np.isfinite(scale) or scale <= 0:
        raise ImportProblem("%s: requantisation scale %r is not a positive number" % (where, scale))
    shift = 0
    while scale * 2.0 ** shift < 2.0 ** (MULTIPLIER_BITS - 1) and shift < 62:
        shift += 1
    multiplier = int(np.round(scale * 2.0 ** shift))
    if multiplier >= 2 ** MULTIPLIER_BITS:
        shift -= 1
        multiplier = int(np.round(scale * 2.0 ** shift))
    if shift < 1 or multiplier >= 2 ** MULTIPLIER_BITS or multiplier < 1:
        raise ImportProblem("%s: requantisation scale %g is out of range (multiplier in "
                            "[2^14, 2^15), shift 1..62)" % (where, scale))
    return multiplier, shift


class Scale:
    """An activation scale shared by tensors that hold the same integers (a pool's input and
    output, an eltwise add's operands): set once by a QuantizeLinear, checked by every other."""

    def __init__(self):
        self.value = None
        self.parent = None

    def root(self):
        s = self
        while s.parent is not None:
            s = s.parent
        return s

    def set(self, value, where):
        r = self.root()
        if r.value is None:
            r.value = value
        elif abs(r.value - value) > SCALE_TOLERANCE * r.value:
            raise ImportProblem("%s: scale %g where the same integers already have scale %g "
                                "(hmasim does not rescale between these layers)"
                                % (where, value, r.value))

    def merge(self, other, where):
        a, b = self.root(), other.root()
        if a is b:
            return
        if b.value is not None:
            a.set(b.value, where)
        b.parent = a


class Activation:
    """A tensor computed from the input: the hmasim layer that produces it, its shape (c, h, w),
    its scale; `flat` after Flatten."""

    def __init__(self, layer, shape, scale, flat=False):
        self.layer, self.shape, self.scale, self.flat = layer, shape, scale, flat


class Weighted:
    """A conv / fc layer being built: float or int8 weights, bias, its input and output scales."""

    def __init__(self, node_where, weights, q_weights, w_scale, in_scale):
        self.where = node_where
        self.weights = weights  # float64, [k][c][r][s] (fc: [k][inputs])
        self.q_weights = q_weights  # int8 as given by a DequantizeLinear, or None
        self.w_scale = w_scale  # the DequantizeLinear's scale (scalar or per output channel)
        self.bias = None
        self.in_scale = in_scale
        self.out_scale = Scale()
        self.relu = False
        self.q_bias = None  # int32 as given by a DequantizeLinear, with its scale
        self.q_bias_scale = None
        self.consumers = 0  # nodes reading the raw output: BN / bias Add only fold with none


def quantise(w):
    """q_w, q_b, [(multiplier, shift)] of a Weighted: the documented rule."""
    s_x, s_y = w.in_scale.root().value, w.out_scale.root().value
    if s_x is None:
        raise ImportProblem("%s: its input has no scale: quantise the graph's input and "
                            "activations with QuantizeLinear (docs/onnx.md)" % w.where)
    if s_y is None:
        raise ImportProblem("%s: its output has no scale: follow it with QuantizeLinear "
                            "(docs/onnx.md)" % w.where)
    k = w.weights.shape[0]
    if w.q_weights is not None:
        q_w = w.q_weights.reshape(w.weights.shape).astype(np.int64)
        s_w = np.broadcast_to(np.asarray(w.w_scale, dtype=np.float64).reshape(-1), (k,))
        if np.any(q_w < -128) or np.any(q_w > 127):
            raise ImportProblem("%s: weights outside int8" % w.where)
    else:
        peak = np.abs(w.weights).max()
        s_w = np.full(k, peak / 127.0 if peak > 0 else 1.0)
        q_w = np.round(w.weights / s_w[0]).astype(np.int64)
    if w.bias is None:
        q_b = np.zeros(0, dtype=np.int64)
    elif w.q_bias is not None and np.allclose(np.asarray(w.q_bias_scale, dtype=np.float64),
                                              s_x * s_w, rtol=SCALE_TOLERANCE):
        q_b = w.q_bias
    else:
        q_b = np.round(w.bias / (s_x * s_w)).astype(np.int64)
    if np.any(np.abs(q_b) >= 2 ** 31):
        raise ImportProblem("%s: a bias does not fit int32" % w.where)
    per_channel = np.unique(s_w).size > 1
    scales = [multiplier_shift(s_x * sw / s_y, w.where) for sw in (s_w if per_channel
                                                                  else s_w[:1])]
    return q_w, q_b, scales


def yaml_value(v):
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, (int, np.integer)):
        return str(int(v))
    if isinstance(v, list):
        return "[%s]" % ", ".join(yaml_value(x) for x in v)
    return '"%s"' % str(v).replace("\\", "\\\\").replace('"', '\\"')


def yaml_comment(text):
    return re.sub(r"[\r\n]", " ", str(text))


def weights_bytes(records):
    """docs/weights.md: HMASIMW1, little-endian, as scripts/train_digits.py writes it."""
    out = [WEIGHTS_MAGIC, struct.pack("<I", len(records))]
    for name, q_w, q_b, relu, scales in records:
        encoded = name.encode()
        out.append(struct.pack("<I", len(encoded)) + encoded)
        out.append(struct.pack("<QQII", q_w.size, q_b.size, 1 if relu else 0, len(scales)))
        for multiplier, shift in scales:
            out.append(struct.pack("<ii", multiplier, shift))
        out.append(q_w.astype(np.int8).tobytes())  # [kernel][channel][r][s]
        out.append(q_b.astype("<i4").tobytes())
    return b"".join(out)
