#!/usr/bin/python3
"""Writes the committed digits CNN (data/digits/digits-cnn.weights) as an ONNX model, for
`hmasim import onnx` (docs/onnx.md) and its test.

The graph is the QDQ form quantisation tools write: the float input is quantised with the
training script's input scale (1/127), every weighted layer's output with a QuantizeLinear /
DequantizeLinear pair, and the logits end in a Softmax. Weights are float initializers
(q_w x s_w, with s_w = 2^-7: exact in float32), or with --int8-weights int8 initializers behind a
DequantizeLinear; biases are float q_b x s_x x s_w. The activation scales are chosen so that
s_x s_w / s_y is the file's multiplier / 2^shift, so importing the model with the documented rule
gives back the file's integers exactly. --batchnorm adds a BatchNormalization after every conv
(whose weights and bias are then halved: the folded batch norm doubles them back);
--float-activations leaves out the activations' QuantizeLinear / DequantizeLinear (a float model
the importer refuses: it has no activation scales).

Usage: /usr/bin/python3 scripts/export_digits_onnx.py --out MODEL.onnx [--weights FILE]
       [--int8-weights] [--batchnorm] [--float-activations]
       [--unsupported | --residual]
       (needs python3-onnx, python3-numpy)
--unsupported writes instead a small model with an LSTM node named 'lstm1' (hmasim has no LSTM);
--residual a small seeded model with the other operators (residual(): per-channel int8 weights,
Add of two activations, GlobalAveragePool, Reshape, MatMul + bias).
"""

import argparse
import os
import struct
import sys

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
W_SCALE = 2.0 ** -7
INPUT_SCALE = np.float32(1.0 / 127.0)  # scripts/train_digits.py: pixel 0..16 -> 0..127


def read_weights(path):
    """{layer: (q_w, q_b, relu, [(multiplier, shift)])} of an HMASIMW1 file (docs/weights.md)."""
    data = open(path, "rb").read()
    if data[:8] != b"HMASIMW1":
        raise SystemExit("%s: not an HMASIMW1 file" % path)
    (count,), pos, out = struct.unpack_from("<I", data, 8), 12, {}
    for _ in range(count):
        (length,) = struct.unpack_from("<I", data, pos)
        name = data[pos + 4:pos + 4 + length].decode()
        pos += 4 + length
        n_w, n_b, flags, n_s = struct.unpack_from("<QQII", data, pos)
        pos += 24
        scales = [struct.unpack_from("<ii", data, pos + 8 * i) for i in range(n_s)]
        pos += 8 * n_s
        q_w = np.frombuffer(data, np.int8, n_w, pos)
        pos += n_w
        q_b = np.frombuffer(data, "<i4", n_b, pos)
        pos += 4 * n_b
        out[name] = (q_w, q_b, bool(flags & 1), scales)
    return out


# The digits CNN (workloads/networks/digits-cnn.yaml): (name, op, weight shape or pool kernel).
LAYERS = [("conv1", "Conv", (16, 1, 3, 3)), ("conv2", "Conv", (32, 16, 3, 3)),
          ("pool1", "MaxPool", 2), ("conv3", "Conv", (32, 32, 3, 3)),
          ("pool2", "AveragePool", 2), ("flatten", "Flatten", None),
          ("fc1", "Gemm", (64, 128)), ("fc2", "Gemm", (10, 64))]


def digits_cnn(weights, int8_weights, batchnorm, float_activations=False):
    nodes, inits = [], []

    def const(name, array):
        inits.append(numpy_helper.from_array(array, name))
        return name

    def qdq(tensor, scale, name):
        if float_activations:  # a plain float model: no activation scales at all
            return tensor
        s = const(name + ".scale", np.array(scale, dtype=np.float32))
        z = const(name + ".zero", np.array(0, dtype=np.int8))
        nodes.append(helper.make_node("QuantizeLinear", [tensor, s, z], [name + ".q"],
                                      name=name + "_quantize"))
        nodes.append(helper.make_node("DequantizeLinear", [name + ".q", s, z], [name + ".dq"],
                                      name=name + "_dequantize"))
        return name + ".dq"

    x = qdq("input", INPUT_SCALE, "input")
    s_x = np.float64(INPUT_SCALE)
    for name, op, shape in LAYERS:
        if op in ("MaxPool", "AveragePool"):
            nodes.append(helper.make_node(op, [x], [name], name=name, kernel_shape=[shape] * 2,
                                          strides=[shape] * 2))
            x = name
            continue
        if op == "Flatten":
            nodes.append(helper.make_node("Flatten", [x], [name], name=name, axis=1))
            x = name
            continue
        q_w, q_b, relu, scales = weights[name]
        (multiplier, shift), = scales
        q_w = q_w.reshape(shape)
        # With a batch norm (factor gamma / sqrt(var + eps) = 2 exactly, shift beta - 2 mean = 0)
        # the conv holds half the weights and bias: folding gives the file's values back.
        half = 0.5 if batchnorm and op == "Conv" else 1.0
        if int8_weights and half == 1.0:
            w = const(name + ".wq", q_w.astype(np.int8))
            nodes.append(helper.make_node(
                "DequantizeLinear", [w, const(name + ".ws", np.array(W_SCALE, np.float32)),
                                     const(name + ".wz", np.array(0, np.int8))],
                [name + ".w"], name=name + "_weights"))
        else:
            const(name + ".w", (q_w.astype(np.float64) * W_SCALE * half).astype(np.float32))
        b = const(name + ".b", (q_b.astype(np.float64) * s_x * W_SCALE * half).astype(np.float32))
        if op == "Conv":
            conv_out = name + ".conv" if batchnorm else name
            nodes.append(helper.make_node("Conv", [x, name + ".w", b], [conv_out], name=name,
                                          kernel_shape=[3, 3], pads=[1, 1, 1, 1]))
            if batchnorm:
                k = shape[0]
                bn = [const(name + ".bn." + p, np.full(k, v, np.float32))
                      for p, v in (("gamma", 1.0), ("beta", 0.25), ("mean", 0.125), ("var", 0.0))]
                nodes.append(helper.make_node("BatchNormalization", [conv_out] + bn, [name],
                                              name=name + "_bn", epsilon=0.25))
        else:
            nodes.append(helper.make_node("Gemm", [x, name + ".w", b], [name], name=name,
                                          transB=1))
        x = name
        if relu:
            nodes.append(helper.make_node("Relu", [x], [name + ".relu"], name=name + "_relu"))
            x = name + ".relu"
        # s_x s_w / s_y = multiplier / 2^shift, rounded to float32 as the model stores it.
        s_y = np.float32(s_x * W_SCALE * 2.0 ** shift / multiplier)
        x = qdq(x, s_y, name + "_out")
        s_x = np.float64(s_y)
    nodes.append(helper.make_node("Softmax", [x], ["probabilities"], name="softmax", axis=1))
    graph = helper.make_graph(
        nodes, "digits-cnn",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 1, 8, 8])],
        [helper.make_tensor_value_info("probabilities", TensorProto.FLOAT, [1, 10])], inits)
    return graph


def unsupported():
    """input -> Flatten -> Reshape [1, 1, 64] -> LSTM 'lstm1': a valid model hmasim refuses."""
    hidden = 4
    rng = np.random.default_rng(1)
    inits = [numpy_helper.from_array(np.array([1, 1, 64], np.int64), "shape"),
             numpy_helper.from_array(rng.standard_normal((1, 4 * hidden, 64)).astype(np.float32),
                                     "W"),
             numpy_helper.from_array(
                 rng.standard_normal((1, 4 * hidden, hidden)).astype(np.float32), "R")]
    nodes = [helper.make_node("Flatten", ["input"], ["flat"], name="flatten"),
             helper.make_node("Reshape", ["flat", "shape"], ["seq"], name="reshape"),
             helper.make_node("LSTM", ["seq", "W", "R"], ["y"], name="lstm1",
                              hidden_size=hidden)]
    return helper.make_graph(
        nodes, "lstm",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 1, 8, 8])],
        [helper.make_tensor_value_info("y", TensorProto.FLOAT, [1, 1, 1, hidden])], inits)


def residual():
    """A small seeded model with the operators the digits CNN lacks: int8 weights with one scale
    per output channel, a residual Add of two activations of one scale, GlobalAveragePool,
    Reshape to [1, -1], MatMul + Add (the bias), and no Softmax:
    input - conv_a (ReLU) - conv_b - add(conv_a, conv_b) - gap - reshape - matmul (+ bias)."""
    rng = np.random.default_rng(2)
    nodes, inits = [], []

    def const(name, array):
        inits.append(numpy_helper.from_array(array, name))
        return name

    def qdq(tensor, scale, name):
        s = const(name + ".scale", np.array(scale, dtype=np.float32))
        z = const(name + ".zero", np.array(0, dtype=np.int8))
        nodes.append(helper.make_node("QuantizeLinear", [tensor, s, z], [name + ".q"],
                                      name=name + "_quantize"))
        nodes.append(helper.make_node("DequantizeLinear", [name + ".q", s, z], [name + ".dq"],
                                      name=name + "_dequantize"))
        return name + ".dq"

    x = qdq("input", INPUT_SCALE, "input")
    q_a = rng.integers(-127, 128, (8, 1, 3, 3)).astype(np.int8)
    s_a = (np.arange(8, dtype=np.float32) + 1) / 512  # per output channel
    nodes.append(helper.make_node("DequantizeLinear", [const("a.wq", q_a), const("a.ws", s_a),
                                                       const("a.wz", np.zeros(8, np.int8))],
                                  ["a.w"], name="conv_a_weights", axis=0))
    nodes.append(helper.make_node("Conv", [x, "a.w"], ["a"], name="conv_a", pads=[1, 1, 1, 1]))
    nodes.append(helper.make_node("Relu", ["a"], ["a.relu"], name="conv_a_relu"))
    a = qdq("a.relu", 0.05, "a_out")
    b_w = (rng.standard_normal((8, 8, 3, 3)) * 0.1).astype(np.float32)
    b_b = (rng.standard_normal(8) * 0.1).astype(np.float32)
    nodes.append(helper.make_node("Conv", [a, const("b.w", b_w), const("b.b", b_b)], ["b"],
                                  name="conv_b", pads=[1, 1, 1, 1]))
    b = qdq("b", 0.05, "b_out")  # the residual's operands share one scale
    nodes.append(helper.make_node("Add", [a, b], ["sum"], name="residual"))
    nodes.append(helper.make_node("GlobalAveragePool", ["sum"], ["gap"], name="gap"))
    nodes.append(helper.make_node("Reshape", ["gap", const("shape", np.array([1, -1], np.int64))],
                                  ["flat"], name="flatten"))
    fc_w = (rng.standard_normal((8, 10)) * 0.2).astype(np.float32)
    nodes.append(helper.make_node("MatMul", ["flat", const("fc.w", fc_w)], ["mm"], name="fc"))
    nodes.append(helper.make_node("Add", ["mm", const("fc.b", np.full(10, 0.01, np.float32))],
                                  ["logits"], name="fc_bias"))
    out = qdq("logits", 0.02, "fc_out")
    return helper.make_graph(
        nodes, "residual",
        [helper.make_tensor_value_info("input", TensorProto.FLOAT, [1, 1, 8, 8])],
        [helper.make_tensor_value_info(out, TensorProto.FLOAT, [1, 10])], inits)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--out", required=True)
    parser.add_argument("--weights", default=os.path.join(ROOT, "data/digits/digits-cnn.weights"))
    parser.add_argument("--int8-weights", action="store_true")
    parser.add_argument("--batchnorm", action="store_true",
                        help="a BatchNormalization after every conv (folded back on import)")
    parser.add_argument("--unsupported", action="store_true")
    parser.add_argument("--residual", action="store_true")
    parser.add_argument("--float-activations", action="store_true",
                        help="no QuantizeLinear / DequantizeLinear on activations")
    args = parser.parse_args()
    if args.unsupported:
        graph = unsupported()
    elif args.residual:
        graph = residual()
    else:
        graph = digits_cnn(read_weights(args.weights), args.int8_weights, args.batchnorm,
                           args.float_activations)
    # Opset 13: per-axis QuantizeLinear and the Softmax of today; IR 8 is what onnx 1.12 reads.
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)],
                              producer_name="hmasim scripts/export_digits_onnx.py")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, args.out)
    return 0


if __name__ == "__main__":
    sys.exit(main())
