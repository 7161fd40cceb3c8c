// hmasim import: converts workloads described for other simulators into our workload YAML.
#include <iostream>

#include "app/commands.hpp"
#include "core/config_error.hpp"
#include "core/file_output.hpp"
#include "workloads/network.hpp"
#include "workloads/scalesim_import.hpp"

namespace hmasim {

namespace {
const char* kImportUsage =
    "usage: hmasim import scalesim FILE.csv [--name NAME] [--out FILE.yaml]\n"
    "\n"
    "Converts a SCALE-Sim topology CSV (conv form: Layer name, IFMAP Height, IFMAP Width, Filter\n"
    "Height, Filter Width, Channels, Num Filter, Strides; or GEMM form: Layer, M, N, K) into a\n"
    "workload YAML, written to --out (atomically) or to standard output. SCALE-Sim convolutions\n"
    "are 'valid' (padding already in the IFMAP sizes), so the imported MACs equal SCALE-Sim's.\n"
    "\n"
    "options:\n"
    "  --name NAME     network name (default: the file name without extension)\n"
    "  --out FILE      write the YAML to FILE instead of standard output\n"
    "\n"
    "Exit status 0 on success, 2 on bad input (every problem is printed as\n"
    "file:line:column: column name: message), 1 if the output cannot be written (--out must be a\n"
    "regular file or new) or, an internal error, if the generated YAML does not load.\n";
}  // namespace

int cmd_import(const std::vector<std::string>& args) {
  std::vector<std::string> positional;
  std::string name, out;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      std::cout << kImportUsage;
      return 0;
    }
    if (a == "--name" || a == "--out") {
      if (i + 1 >= args.size()) {
        std::cerr << "hmasim import: " << a << " needs a value\n";
        return 2;
      }
      (a == "--name" ? name : out) = args[++i];
    } else if (a.rfind("--name=", 0) == 0) {
      name = a.substr(7);
    } else if (a.rfind("--out=", 0) == 0) {
      out = a.substr(6);
    } else if (!a.empty() && a[0] == '-') {
      std::cerr << "hmasim import: unknown option '" << a << "' (see hmasim import --help)\n";
      return 2;
    } else {
      positional.push_back(a);
    }
  }
  if (positional.size() != 2 || positional[0] != "scalesim") {
    std::cerr << "hmasim import: expected 'scalesim FILE.csv' (the only format so far)\n\n"
              << kImportUsage;
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
