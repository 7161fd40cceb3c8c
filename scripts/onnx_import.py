#!/usr/bin/python3
"""hmasim's ONNX importer (`hmasim import onnx`, docs/onnx.md): an ONNX model to a network YAML and
an HMASIMW1 weights file (docs/weights.md).

The binary runs this helper with /usr/bin/python3 (Debian's python3-onnx and python3-numpy) and
writes nothing itself until the helper has succeeded and its results load; the helper writes only
the two paths it is given, in the binary's private temporary directory.

Usage: onnx_import.py MODEL.onnx --yaml OUT.yaml --weights OUT.weights [--name NAME]
                      [--weights-ref PATH]
Exit status: 0 converted; 2 the model is bad or uses what hmasim cannot express (one line per
problem on standard error, naming the node and its op type); 3 a Python module is missing.

Supported: Conv, Gemm, MatMul (+ Add of a constant: the bias), Relu (on a weighted layer's
output), MaxPool, AveragePool, GlobalAveragePool, GlobalMaxPool, Add of two activations
(eltwise), Flatten / Reshape to [N, -1], BatchNormalization after a Conv (folded into its weights
and bias), Softmax on the graph's output (folded away: the logits' argmax is unchanged),
QuantizeLinear / DequantizeLinear (int8, zero point 0), Identity, Dropout.

Quantisation (what scripts/train_digits.py does): activation scales come from the model's
QuantizeLinear nodes (per tensor, int8, zero point 0); a layer's weights are its int8
DequantizeLinear initializer as given, or, for float weights, int8 round(w / s_w) with
s_w = max|w| / 127 (per layer); int32 bias round(b / (s_x s_w)); requantisation multiplier /
2^shift ~ s_x s_w / s_y with the multiplier in [2^14, 2^15).
"""

import argparse
import os
import re
import sys

try:
    import numpy as np
    import onnx
    from onnx import numpy_helper

    from onnx_quantise import (Activation, ImportProblem, Scale, Weighted, quantise,
                               weights_bytes, yaml_comment, yaml_value)
except ImportError as missing:  # the binary passes this on: it says which package to install
    if missing.name == "onnx_quantise":
        raise  # a broken checkout, not a missing package: the traceback says it
    package = {"numpy": "python3-numpy"}.get(missing.name, "python3-onnx")
    sys.stderr.write("hmasim import onnx: the Python module '%s' is missing: install Debian's %s "
                     "(apt-get install python3-onnx python3-numpy)\n" % (missing.name, package))
    sys.exit(3)

def attr(node, name, default=None):
    for a in node.attribute:
        if a.name == name:
            return onnx.helper.get_attribute_value(a)
    return default


class Converter:
    def __init__(self, model, name):
        self.graph = model.graph
        self.name = name
        self.consts = {}  # tensor -> np.ndarray (initializers, Constant, DequantizeLinear of them)
        self.quantised = {}  # tensor -> (int array, scale array, axis): a DequantizeLinear's
        self.acts = {}  # tensor -> Activation
        self.layers = []  # (yaml fields dict, Weighted or None)
        self.by_name = {}  # hmasim layer name -> index in layers
        self.used_names = set()
        self.folded_softmax = []
        for init in self.graph.initializer:
            self.consts[init.name] = numpy_helper.to_array(init)

    # ---- helpers ----

    def where(self, node):
        return "node '%s' (%s)" % (node.name or "<unnamed>", node.op_type)

    def layer_name(self, node, fallback):
        base = re.sub(r"[^A-Za-z0-9_.-]", "_", node.name) or fallback
        name, i = base, 2
        while name in self.used_names or name == "input":
            name, i = "%s_%d" % (base, i), i + 1
        self.used_names.add(name)
        return name

    def act(self, node, tensor):
        if tensor not in self.acts:
            what = "a constant" if tensor in self.consts else "not computed by a supported node"
            raise ImportProblem("%s: input '%s' is %s; hmasim expects an activation here"
                                % (self.where(node), tensor, what))
        return self.acts[tensor]

    def const(self, node, tensor):
        if tensor not in self.consts:
            raise ImportProblem("%s: input '%s' must be a constant (an initializer)"
                                % (self.where(node), tensor))
        return self.consts[tensor]

    def add_layer(self, fields, weighted=None):
        self.by_name[fields["name"]] = len(self.layers)
        self.layers.append((fields, weighted))

    def input_field(self, fields, a):
        """Names the producer unless it is the previous layer (or the input for the first)."""
        previous = self.layers[-1][0]["name"] if self.layers else None
        if a.layer != previous and not (a.layer == "input" and previous is None):
            fields["input"] = a.layer

    def raw_weighted(self, node, tensor):
        """The Weighted whose raw (not yet requantised) output `tensor` is, or None."""
        a = self.acts.get(tensor)
        if a is None or a.layer == "input":
            return None
        fields, w = self.layers[self.by_name[a.layer]]
        return w if w is not None and getattr(a, "raw", False) else None

    # ---- the graph ----

    def convert(self):
        inits = {i.name for i in self.graph.initializer}
        inputs = [i for i in self.graph.input if i.name not in inits]
        if len(inputs) != 1:
            raise ImportProblem("the graph has %d inputs; hmasim networks have one"
                                % len(inputs))
        dims = [d.dim_value if d.HasField("dim_value") else None
                for d in inputs[0].type.tensor_type.shape.dim]
        if len(dims) != 4 or None in dims[1:] or (dims[0] not in (None, 1)):
            raise ImportProblem("graph input '%s': expected shape [N or 1, C, H, W] with fixed "
                                "C, H, W; got %s" % (inputs[0].name, dims))
        self.input_shape = tuple(dims[1:])
        self.acts[inputs[0].name] = Activation("input", self.input_shape, Scale())
        outputs = {o.name for o in self.graph.output}
        readers = {}
        for node in self.graph.node:
            for t in node.input:
                readers[t] = readers.get(t, 0) + 1
        supported = sorted(m[3:] for m in dir(self) if m.startswith("op_"))
        unsupported = ["%s: unsupported operator %s (supported: %s; docs/onnx.md)"
                       % (self.where(n), n.op_type, ", ".join(supported))
                       for n in self.graph.node if n.domain not in ("", "ai.onnx")
                       or not hasattr(self, "op_" + n.op_type)]
        if unsupported:  # every one at once; other problems stop at the first node
            raise ImportProblem("\n".join(unsupported))
        for node in self.graph.node:
            self.node(node, outputs, readers)
        if len(self.graph.output) != 1 or self.graph.output[0].name not in self.acts:
            raise ImportProblem("the graph must have one output computed by the network")
        if not self.layers:
            raise ImportProblem("the graph has no layer hmasim can run")
        last = self.acts[self.graph.output[0].name].layer
        if last != self.layers[-1][0]["name"]:
            raise ImportProblem("the graph's output must be its last layer's ('%s' is not)"
                                % last)

    def node(self, node, outputs, readers):
        op, ins = node.op_type, list(node.input)
        out = node.output[0] if node.output else None
        handler = getattr(self, "op_" + op)
        for t in ins:  # a raw weighted output read by a node that cannot fold into the layer
            w = self.raw_weighted(node, t)
            if w is not None and op not in ("BatchNormalization", "Add"):
                w.consumers += 1
        handler(node, ins, out, outputs, readers)

    # ---- pass-through and constants ----

    def op_Constant(self, node, ins, out, outputs, readers):
        self.consts[out] = numpy_helper.to_array(attr(node, "value"))

    def op_Identity(self, node, ins, out, outputs, readers):
        if ins[0] in self.consts:
            self.consts[out] = self.consts[ins[0]]
        else:
            self.acts[out] = self.act(node, ins[0])

    op_Dropout = op_Identity  # inference: the identity

    def op_QuantizeLinear(self, node, ins, out, outputs, readers):
        a = self.act(node, ins[0])
        scale = self.const(node, ins[1]).astype(np.float64)
        zero = self.consts.get(ins[2]) if len(ins) > 2 and ins[2] else None
        if zero is None or zero.dtype != np.int8 or np.any(zero != 0):
            raise ImportProblem("%s: hmasim activations are int8 with zero point 0 (give an "
                                "int8 zero point of 0)" % self.where(node))
        if scale.size != 1:
            raise ImportProblem("%s: activations take one scale per tensor" % self.where(node))
        a.scale.set(float(scale.reshape(())), self.where(node))
        self.acts[out] = Activation(a.layer, a.shape, a.scale, a.flat)

    def op_DequantizeLinear(self, node, ins, out, outputs, readers):
        scale = self.const(node, ins[1]).astype(np.float64)
        zero = self.consts.get(ins[2]) if len(ins) > 2 and ins[2] else None
        if zero is not None and np.any(zero != 0):
            raise ImportProblem("%s: hmasim quantisation is symmetric (zero point 0)"
                                % self.where(node))
        if ins[0] in self.consts:  # a quantised weight or bias
            q = self.consts[ins[0]]
            axis = attr(node, "axis", 1)
            shape = [1] * q.ndim
            if scale.size > 1:
                shape[axis] = scale.size
            self.consts[out] = q.astype(np.float64) * scale.reshape(shape)
            self.quantised[out] = (q, scale, axis)
            return
        a = self.act(node, ins[0])
        if scale.size != 1:
            raise ImportProblem("%s: activations take one scale per tensor" % self.where(node))
        a.scale.set(float(scale.reshape(())), self.where(node))
        self.acts[out] = Activation(a.layer, a.shape, a.scale, a.flat)

    # ---- weighted layers ----

    def weighted_layer(self, node, a, w_tensor, weights, fields):
        q = self.quantised.get(w_tensor)
        q_weights, w_scale = (None, None) if q is None else (q[0], q[1])
        w = Weighted(self.where(node), weights, q_weights, w_scale, a.scale)
        self.input_field(fields, a)
        self.add_layer(fields, w)
        return w

    def op_Conv(self, node, ins, out, outputs, readers):
        a = self.act(node, ins[0])
        if a.flat:
            raise ImportProblem("%s: a convolution of a flattened tensor" % self.where(node))
        weights = self.const(node, ins[1]).astype(np.float64)
        if weights.ndim != 4:
            raise ImportProblem("%s: only 2-D convolutions (4-D weights)" % self.where(node))
        k, cg, r, s = weights.shape
        c, h, wd = a.shape
        group = attr(node, "group", 1)
        if any(d != 1 for d in attr(node, "dilations", [1, 1])):
            raise ImportProblem("%s: dilated convolutions are not supported" % self.where(node))
        strides = attr(node, "strides", [1, 1])
        if strides[0] != strides[1]:
            raise ImportProblem("%s: strides %s: hmasim has one stride for both axes"
                                % (self.where(node), strides))
        pad = self.symmetric_pad(node, r, s, strides[0])
        if cg * group != c or k % group:
            raise ImportProblem("%s: weights %s do not fit %d input channels in %d groups"
                                % (self.where(node), list(weights.shape), c, group))
        name = self.layer_name(node, "conv%d" % (len(self.layers) + 1))
        if group > 1 and group == c and k == c:
            fields = {"name": name, "type": "dwconv", "k": k, "r": r}
        else:
            fields = {"name": name, "type": "conv", "k": k, "r": r}
            if group > 1:
                fields["groups"] = group
        if s != r:
            fields["s"] = s
        if strides[0] != 1:
            fields["stride"] = strides[0]
        if pad:
            fields["padding"] = pad
        w = self.weighted_layer(node, a, ins[1], weights, fields)
        if len(ins) > 2 and ins[2]:
            self.set_bias(node, w, ins[2])
        ho = (h + 2 * pad - r) // strides[0] + 1
        wo = (wd + 2 * pad - s) // strides[0] + 1
        self.raw_output(out, name, (k, ho, wo), w)

    def raw_output(self, out, name, shape, w):
        act = Activation(name, shape, w.out_scale)
        act.raw = True
        self.acts[out] = act

    def set_bias(self, node, w, tensor):
        bias = self.const(node, tensor).astype(np.float64).reshape(-1)
        if bias.size != w.weights.shape[0]:
            raise ImportProblem("%s: %d biases for %d output channels"
                                % (self.where(node), bias.size, w.weights.shape[0]))
        if w.bias is not None:
            bias = bias + w.bias
        w.bias = bias
        q = self.quantised.get(tensor)
        w.q_bias = None if q is None else q[0].reshape(-1).astype(np.int64)
        w.q_bias_scale = None if q is None else q[1]

    def fc(self, node, a, w_tensor, weights_kn, bias_tensor, out):
        """weights_kn: [outputs][inputs]."""
        c, h, wd = a.shape
        if weights_kn.ndim != 2 or weights_kn.shape[1] != c * h * wd:
            raise ImportProblem("%s: weights %s do not fit an input of %d values"
                                % (self.where(node), list(weights_kn.shape), c * h * wd))
        if not a.flat and (h, wd) != (1, 1):
            raise ImportProblem("%s: a matrix product of a %dx%dx%d map: Flatten it first"
                                % (self.where(node), c, h, wd))
        k = weights_kn.shape[0]
        name = self.layer_name(node, "fc%d" % (len(self.layers) + 1))
        w = self.weighted_layer(node, a, w_tensor, weights_kn, {"name": name, "type": "fc",
                                                                "k": k})
        if bias_tensor:
            self.set_bias(node, w, bias_tensor)
        self.raw_output(out, name, (k, 1, 1), w)
        self.acts[out].flat = True

    def op_Gemm(self, node, ins, out, outputs, readers):
        a = self.act(node, ins[0])
        if attr(node, "transA", 0) or attr(node, "alpha", 1.0) != 1.0 or \
                attr(node, "beta", 1.0) != 1.0:
            raise ImportProblem("%s: only Y = A B (+ C) with transA 0, alpha 1, beta 1"
                                % self.where(node))
        b = self.const(node, ins[1]).astype(np.float64)
        if not attr(node, "transB", 0):
            b = b.T
            if ins[1] in self.quantised:  # keep the int8 values in the same order
                q, scale, axis = self.quantised[ins[1]]
                self.quantised[ins[1] + "#T"] = (q.T, scale, 0)
                ins[1] = ins[1] + "#T"
        self.fc(node, a, ins[1], b, ins[2] if len(ins) > 2 and ins[2] else None, out)

    def op_MatMul(self, node, ins, out, outputs, readers):
        a = self.act(node, ins[0])
        b = self.const(node, ins[1]).astype(np.float64)
        if ins[1] in self.quantised:
            q, scale, axis = self.quantised[ins[1]]
            self.quantised[ins[1] + "#T"] = (q.T, scale, 0)
        self.fc(node, a, ins[1] + "#T", b.T, None, out)

    def op_Add(self, node, ins, out, outputs, readers):
        consts = [t for t in ins if t in self.consts]
        if len(consts) == 1:  # a bias added after MatMul / Gemm / Conv
            other = ins[1] if ins[0] in consts else ins[0]
            w = self.raw_weighted(node, other)
            if w is None or w.consumers or w.relu:
                raise ImportProblem("%s: a constant is added to something other than a "
                                    "weighted layer's output (hmasim adds a bias only there)"
                                    % self.where(node))
            self.set_bias(node, w, consts[0])
            self.acts[out] = self.acts[other]
            return
        a, b = self.act(node, ins[0]), self.act(node, ins[1])
        if a.shape != b.shape:
            raise ImportProblem("%s: operands %s and %s differ (no broadcasting)"
                                % (self.where(node), a.shape, b.shape))
        for t in ins:
            w = self.raw_weighted(node, t)
            if w is not None:
                w.consumers += 1
        a.scale.merge(b.scale, self.where(node))
        name = self.layer_name(node, "add%d" % (len(self.layers) + 1))
        self.add_layer({"name": name, "type": "eltwise", "op": "add",
                        "inputs": [a.layer, b.layer]})
        self.acts[out] = Activation(name, a.shape, a.scale)

    # ---- activations, pooling, shapes ----

    def op_Relu(self, node, ins, out, outputs, readers):
        a = self.act(node, ins[0])
        fields, w = self.layers[self.by_name[a.layer]] if a.layer != "input" else ({}, None)
        if w is None:
            raise ImportProblem("%s: ReLU after '%s': hmasim applies ReLU only in a conv or fc "
                                "layer's requantisation" % (self.where(node), a.layer))
        w.relu = True
        self.acts[out] = Activation(a.layer, a.shape, a.scale, a.flat)

    def symmetric_pad(self, node, r, s, stride):
        auto = attr(node, "auto_pad", b"NOTSET")
        auto = auto.decode() if isinstance(auto, bytes) else auto
        pads = attr(node, "pads", [0, 0, 0, 0])
        if auto in ("SAME_UPPER", "SAME_LOWER") and stride == 1 and r == s and r % 2:
            return (r - 1) // 2
        if auto not in ("NOTSET", "VALID") or len(set(pads)) != 1:
            raise ImportProblem("%s: padding %s (auto_pad %s): hmasim pads all four sides "
                                "equally" % (self.where(node), list(pads), auto))
        return 0 if auto == "VALID" else pads[0]

    def pool(self, node, ins, out, mode):
        a = self.act(node, ins[0])
        c, h, w = a.shape
        r, s = attr(node, "kernel_shape")
        strides = attr(node, "strides", [1, 1])
        if strides[0] != strides[1]:
            raise ImportProblem("%s: strides %s: hmasim has one stride for both axes"
                                % (self.where(node), strides))
        if attr(node, "ceil_mode", 0) or any(d != 1 for d in attr(node, "dilations", [1, 1])):
            raise ImportProblem("%s: ceil_mode and dilations are not supported"
                                % self.where(node))
        if len(node.output) > 1 and node.output[1]:
            raise ImportProblem("%s: the Indices output is not supported" % self.where(node))
        pad = self.symmetric_pad(node, r, s, strides[0])
        if mode == "avg" and pad and not attr(node, "count_include_pad", 0):
            raise ImportProblem("%s: hmasim's average pool counts padding as zeros: set "
                                "count_include_pad 1" % self.where(node))
        name = self.layer_name(node, "pool%d" % (len(self.layers) + 1))
        fields = {"name": name, "type": "pool", "mode": mode, "r": r}
        if s != r:
            fields["s"] = s
        fields["stride"] = strides[0]
        if pad:
            fields["padding"] = pad
        self.input_field(fields, a)
        self.add_layer(fields)
        self.acts[out] = Activation(name, (c, (h + 2 * pad - r) // strides[0] + 1,
                                           (w + 2 * pad - s) // strides[0] + 1), a.scale)

    def op_MaxPool(self, node, ins, out, outputs, readers):
        self.pool(node, ins, out, "max")

    def op_AveragePool(self, node, ins, out, outputs, readers):
        self.pool(node, ins, out, "avg")

    def global_pool(self, node, ins, out, mode):
        a = self.act(node, ins[0])
        name = self.layer_name(node, "pool%d" % (len(self.layers) + 1))
        fields = {"name": name, "type": "pool", "mode": mode, "global": True}
        self.input_field(fields, a)
        self.add_layer(fields)
        self.acts[out] = Activation(name, (a.shape[0], 1, 1), a.scale)

    def op_GlobalAveragePool(self, node, ins, out, outputs, readers):
        self.global_pool(node, ins, out, "avg")

    def op_GlobalMaxPool(self, node, ins, out, outputs, readers):
        self.global_pool(node, ins, out, "max")

    def op_Flatten(self, node, ins, out, outputs, readers):
        a = self.act(node, ins[0])
        if attr(node, "axis", 1) != 1:
            raise ImportProblem("%s: only axis 1 (keep the batch)" % self.where(node))
        self.acts[out] = Activation(a.layer, a.shape, a.scale, flat=True)
        self.acts[out].raw = getattr(a, "raw", False)

    def op_Reshape(self, node, ins, out, outputs, readers):
        a = self.act(node, ins[0])
        shape = list(self.const(node, ins[1]).reshape(-1))
        if len(shape) != 2 or shape[0] not in (1, 0, -1) or \
                shape[1] not in (-1, int(np.prod(a.shape))):
            raise ImportProblem("%s: only a reshape to [N, -1] (a flatten) is supported"
                                % self.where(node))
        self.op_Flatten(node, ins[:1], out, outputs, readers)

    def op_Softmax(self, node, ins, out, outputs, readers):
        if out not in outputs or readers.get(out, 0):
            raise ImportProblem("%s: only a Softmax on the graph's output is supported (it is "
                                "folded away: the logits' argmax is the same)" % self.where(node))
        self.folded_softmax.append(node.name or "<unnamed>")
        self.acts[out] = self.act(node, ins[0])

    def op_BatchNormalization(self, node, ins, out, outputs, readers):
        w = self.raw_weighted(node, ins[0])
        if w is None or w.consumers or w.relu or w.weights.ndim != 4:
            raise ImportProblem("%s: a batch norm folds only into the Conv right before it"
                                % self.where(node))
        gamma, beta, mean, var = (self.const(node, t).astype(np.float64) for t in ins[1:5])
        factor = gamma / np.sqrt(var + attr(node, "epsilon", 1e-5))
        w.weights = w.weights * factor[:, None, None, None]
        w.q_weights = None  # the folded weights are float: quantised by the rule
        bias = w.bias if w.bias is not None else np.zeros(w.weights.shape[0])
        w.bias = (bias - mean) * factor + beta
        w.q_bias = None
        self.acts[out] = self.acts[ins[0]]

    # ---- quantisation and output ----

    def outputs(self, weights_ref):
        records = []
        lines = []
        for fields, w in self.layers:
            if w is not None:
                q_w, q_b, scales = quantise(w)
                records.append((fields["name"], q_w, q_b, w.relu, scales))
                if w.bias is not None:
                    fields["bias"] = True
            lines.append("  - {%s}" % ", ".join("%s: %s" % (k, yaml_value(v))
                                                 for k, v in fields.items()))
        c, h, wd = self.input_shape
        head = ["# Imported from %s by hmasim import onnx (scripts/onnx_import.py, docs/onnx.md)."
                % yaml_comment(os.path.basename(self.model_file))]
        if self.folded_softmax:
            head.append("# Softmax node %s folded away: the output is the logits (same argmax)."
                        % ", ".join("'%s'" % yaml_comment(n) for n in self.folded_softmax))
        head += ["name: %s" % yaml_value(self.name),
                 "source: %s" % yaml_value("ONNX model " + os.path.basename(self.model_file)),
                 "input: {h: %d, w: %d, c: %d}" % (h, wd, c),
                 "precision: 8"]
        if weights_ref:
            head.append("weights: %s" % yaml_value(weights_ref))
        return "\n".join(head + ["layers:"] + lines) + "\n", weights_bytes(records)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("model")
    parser.add_argument("--yaml", required=True)
    parser.add_argument("--weights", required=True)
    parser.add_argument("--name", default="")
    parser.add_argument("--weights-ref", default="")
    args = parser.parse_args()
    try:
        model = onnx.load(args.model)
    except Exception as e:  # protobuf raises several types for a file that is not a model
        sys.stderr.write("%s: not an ONNX model (%s)\n" % (args.model, str(e) or type(e).__name__))
        return 2
    name = args.name or os.path.splitext(os.path.basename(args.model))[0]
    converter = Converter(model, name)
    converter.model_file = args.model
    try:
        converter.convert()
        yaml, weights = converter.outputs(args.weights_ref)
    except ImportProblem as p:
        for line in str(p).split("\n"):
            sys.stderr.write("%s: %s\n" % (args.model, line))
        return 2
    with open(args.yaml, "w") as f:
        f.write(yaml)
    with open(args.weights, "wb") as f:
        f.write(weights)
    return 0


if __name__ == "__main__":
    sys.exit(main())
