// hmasim import: converts workloads described for other simulators into our workload YAML.
#include <cstdlib>
#include <filesystem>
#include <iostream>

#include "app/commands.hpp"
#include "core/config_error.hpp"
#include "core/file_output.hpp"
#include "workloads/network.hpp"
#include "workloads/onnx_import.hpp"
#include "workloads/scalesim_import.hpp"

namespace hmasim {

namespace {
#ifndef HMASIM_SCRIPTS_DIR
#define HMASIM_SCRIPTS_DIR "scripts"
#endif

const char* kImportUsage =
    "usage: hmasim import scalesim FILE.csv [--name NAME] [--out FILE.yaml]\n"
    "       hmasim import onnx MODEL.onnx [--name NAME] [--out FILE.yaml [--weights FILE]]\n"
    "\n"
    "Converts a SCALE-Sim topology CSV (conv form: Layer name, IFMAP Height, IFMAP Width, Filter\n"
    "Height, Filter Width, Channels, Num Filter, Strides; or GEMM form: Layer, M, N, K) into a\n"
    "workload YAML, written to --out (atomically) or to standard output. SCALE-Sim convolutions\n"
    "are 'valid' (padding already in the IFMAP sizes), so the imported MACs equal SCALE-Sim's.\n"
    "\n"
    "options:\n"
    "  --name NAME     network name (default: the file name without extension)\n"
    "  --out FILE      write the YAML to FILE instead of standard output\n"
    "  --weights FILE  onnx: also write the weights, quantised to int8, as an HMASIMW1 file\n"
    "                  (docs/weights.md) that the YAML names (weights:, relative to it)\n"
    "\n"
    "onnx converts Conv, Gemm, MatMul, Relu, MaxPool, AveragePool, GlobalAveragePool, Add,\n"
    "Flatten, a final Softmax (folded away: same argmax), BatchNormalization (folded into its\n"
    "Conv) and QuantizeLinear/DequantizeLinear (docs/onnx.md); it runs scripts/onnx_import.py\n"
    "with /usr/bin/python3 (Debian's python3-onnx, python3-numpy). An unsupported operator is an\n"
    "error naming the node and its op type.\n"
    "\n"
    "Exit status 0 on success, 2 on bad input (every problem is printed as\n"
    "file:line:column: column name: message; for onnx, file: node 'NAME' (OP): message), 1 if\n"
    "the output cannot be written (--out must be a regular file or new), if the ONNX helper or a\n"
    "Python package is missing (the message names it) or, an internal error, if the generated\n"
    "YAML does not load. Nothing is written unless the import succeeds.\n";

// `hmasim import onnx`: the helper converts, import_onnx_file checks, then the weights file and
// the YAML are written, each atomically.
int import_onnx_command(const std::string& model, const std::string& name, const std::string& out,
                        const std::string& weights) {
  namespace fs = std::filesystem;
  if (!weights.empty() && out.empty()) {
    std::cerr << "hmasim import onnx: --weights needs --out (the YAML names the weights file "
                 "relative to its own folder)\n";
    return 2;
  }
  OnnxImportRequest request;
  request.model = model;
  request.name = name;
  if (!weights.empty()) {
    const fs::path folder = fs::absolute(out).lexically_normal().parent_path();
    const fs::path target = fs::absolute(weights).lexically_normal();
    const fs::path relative = target.lexically_relative(folder);
    request.weights_ref = relative.empty() ? target.string() : relative.string();
  }
  // Overrides for tests and unusual installs; by default the helper next to this source tree.
  const char* helper = std::getenv("HMASIM_ONNX_HELPER");
  request.helper = helper ? helper : std::string(HMASIM_SCRIPTS_DIR) + "/onnx_import.py";
  const char* python = std::getenv("HMASIM_PYTHON");
  request.python = python ? python : "/usr/bin/python3";
  OnnxImport result;
  try {
    result = import_onnx_file(request);
  } catch (const OnnxImportError& e) {
    std::cerr << "hmasim import onnx: " << e.what() << "\n";
    return e.status();
  }
  try {
    if (!weights.empty()) write_file_atomically(weights, result.weights);
    if (out.empty())
      std::cout << result.yaml;
    else
      write_file_atomically(out, result.yaml);
  } catch (const OutputError& e) {
    std::cerr << "hmasim import onnx: " << e.what() << "\n";
    return 2;
  }
  return 0;
}
}  // namespace

int cmd_import(const std::vector<std::string>& args) {
  std::vector<std::string> positional;
  std::string name, out, weights;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      std::cout << kImportUsage;
      return 0;
    }
    if (a == "--name" || a == "--out" || a == "--weights") {
      if (i + 1 >= args.size()) {
        std::cerr << "hmasim import: " << a << " needs a value\n";
        return 2;
      }
      (a == "--name" ? name : a == "--out" ? out : weights) = args[++i];
    } else if (a.rfind("--name=", 0) == 0) {
      name = a.substr(7);
    } else if (a.rfind("--out=", 0) == 0) {
      out = a.substr(6);
    } else if (a.rfind("--weights=", 0) == 0) {
      weights = a.substr(10);
    } else if (!a.empty() && a[0] == '-') {
      std::cerr << "hmasim import: unknown option '" << a << "' (see hmasim import --help)\n";
      return 2;
    } else {
      positional.push_back(a);
    }
  }
  if (positional.size() == 2 && positional[0] == "onnx")
    return import_onnx_command(positional[1], name, out, weights);
  if (positional.size() != 2 || positional[0] != "scalesim") {
    std::cerr << "hmasim import: expected 'scalesim FILE.csv' or 'onnx MODEL.onnx'\n\n"
              << kImportUsage;
    return 2;
  }
  if (!weights.empty()) {
    std::cerr << "hmasim import: --weights is for onnx (a SCALE-Sim CSV has no weights)\n";
    return 2;
  }
  std::string yaml;
  try {
    yaml = import_scalesim_file(positional[1], name);
  } catch (const ConfigError& e) {
    for (const auto& d : e.diagnostics()) std::cerr << d.str() << "\n";
    return 2;
  }
  // An importer must never write a file our own loader refuses: load the result first. A refusal
  // here is a bug of the importer (the input was accepted), hence status 1 and no output.
  try {
    (void)load_network_text(yaml, "<workload generated from " + positional[1] + ">");
  } catch (const ConfigError& e) {
    std::cerr << "hmasim import: internal error: the workload generated from '" << positional[1]
              << "' does not load; nothing was written. Please report this with the CSV file:\n";
    for (const auto& d : e.diagnostics()) std::cerr << d.str() << "\n";
    return 1;
  }
  if (out.empty()) {
    std::cout << yaml;
  } else {
    try {
      write_file_atomically(out, yaml);
    } catch (const OutputError& e) {
      // An --out that must not be replaced (a symlink, a device) is bad input, like a bad file.
      std::cerr << "hmasim import: " << e.what() << "\n";
      return 2;
    }
  }
  return 0;
}

}  // namespace hmasim
