// Conversion of SCALE-Sim topology CSVs (github.com/scalesim-project/SCALE-Sim) into workload YAML.
//
// Two forms, told apart by the header:
// - conv: `Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels,
//   Num Filter, Strides,` and an optional 9th column of N:M sparsity. SCALE-Sim convolutions are
//   'valid' (OFMAP = (IFMAP - Filter) / Stride + 1): the IFMAP sizes already include padding, so
//   imported layers have padding 0 and the imported MACs equal SCALE-Sim's. A row with
//   Num Filter = 1 and Channels > 1 (how mobilenet.csv writes a depthwise layer: SCALE-Sim has no
//   depthwise type) or with "DP" in its name (SCALE-Sim v3's depthwise marker) becomes a dwconv;
//   the output says so in a comment. Other extra columns (Resnet50.csv has `,,,Eh,Ew,e2`) and
//   all-empty rows are ignored.
// - GEMM: `Layer, M, N, K,` and an optional 5th column of N:M sparsity; a row is
//   [M x K] x [K x N] with the K x N operand (SCALE-Sim's filter) as stored weights.
// SCALE-Sim rows are independent layers (no producer / consumer chain), so every imported layer
// states its input shape (h, w, c; for GEMMs m and k).
// SCALE-Sim takes any text as a layer name; ours must be unique, must not be `input` (the network
// input) and must survive YAML: control characters and invalid UTF-8 become '_', then `input` and
// repeated names get a `_2`, `_3` ... suffix, each with a comment in the output.
#pragma once

#include <string>

namespace hmasim {

// Converts the CSV `text` read from `file` (named in diagnostics and in the output's `source:`)
// into workload YAML for a network called `name` (empty: the file's stem). Throws ConfigError
// with one diagnostic per bad field (file:line:column: <column name>: message).
std::string import_scalesim(const std::string& text, const std::string& file,
                            const std::string& name);
// The same on a file; an unreadable file is a diagnostic too.
std::string import_scalesim_file(const std::string& file, const std::string& name);

}  // namespace hmasim
