#include <iostream>

#include "app/commands.hpp"
#include "app/platform_file.hpp"
#include "core/config_error.hpp"
#include "workloads/network.hpp"
#include "workloads/network_stats.hpp"

namespace hmasim {

int cmd_check(const std::vector<std::string>& args) {
  std::vector<std::string> files;
  std::vector<std::string> overrides;
  bool layers = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      std::cout
          << "usage: hmasim check [--set key.path=value ...] [--layers] FILE...\n\n"
             "Validates platform and workload files (a file with a top-level 'layers:' key is "
             "a workload):\nevery error is printed as file:line:column: key: message. For a "
             "workload, prints its MACs and\nparameters; --layers also prints every layer's "
             "shapes and counts.\nExit status 0 if all are valid, 2 otherwise.\n";
      return 0;
    }
    if (a == "--layers") {
      layers = true;
      continue;
    }
    if (a == "--set") {
      if (i + 1 >= args.size()) {
        std::cerr << "hmasim check: --set needs key.path=value\n";
        return 2;
      }
      overrides.push_back(args[++i]);
    } else if (a.rfind("--set=", 0) == 0) {
      overrides.push_back(a.substr(6));
    } else if (!a.empty() && a[0] == '-') {
      std::cerr << "hmasim check: unknown option '" << a << "'\n";
      return 2;
    } else {
      files.push_back(a);
    }
  }
  if (files.empty()) {
    std::cerr << "hmasim check: no files given (usage: hmasim check FILE...)\n";
    return 2;
  }
  int status = 0;
  for (const auto& f : files) {
    try {
      if (is_network_file(f)) {
        const Network n = load_network(f, overrides);
        std::cout << f << ": ok (workload '" << n.name << "', " << summary_line(network_stats(n))
                  << ")\n";
        if (layers) std::cout << layer_table(n);
        continue;
      }
      const PlatformConfig p = load_platform(f, overrides);
      std::cout << f << ": ok (platform '" << p.name << "', " << p.memories.size()
                << " memories)\n";
    } catch (const ConfigError& e) {
      for (const auto& d : e.diagnostics()) std::cerr << d.str() << "\n";
      status = 2;
    }
  }
  return status;
}

}  // namespace hmasim
