// hmasim: command-line entry. Dispatches to the sub-commands in app/.
#include <cstdlib>
#include <exception>
#include <iostream>
#include <string>
#include <systemc>
#include <vector>

#include "app/commands.hpp"
#include "core/config_node.hpp"

#ifndef HMASIM_DATA_DIR
#define HMASIM_DATA_DIR ""
#endif

namespace {

const char* kUsage =
    "hmasim - cycle-level SystemC/TLM-2.0 simulator of DNN accelerators on heterogeneous memory\n"
    "\n"
    "usage: hmasim <command> [options]   (hmasim <command> --help for its options)\n"
    "\n"
    "commands:\n"
    "  models       list the registered models\n"
    "  check        validate config files (exit 0, or print every error and exit 2)\n"
    "  replay       drive one memory of a platform with a request trace, print JSON statistics\n"
    "  import       convert a SCALE-Sim topology CSV into a workload YAML\n"
    "  run          run a network on an accelerator platform: summary.json, layers.csv\n"
    "  fault-rates  MLC misread rates of an eNVM memory: analytic and measured by injection\n"
    "  sweep        run every point of a sweep file in parallel (or on Slurm): results.csv\n";

}  // namespace

// SystemC prints its banner before sc_main runs; the variable must be set during static
// initialisation to silence it (it would pollute the JSON that commands print).
static const int kQuietSystemC = setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);

int sc_main(int argc, char* argv[]) {
  hmasim::ConfigDocument::set_preset_directory(std::string(HMASIM_DATA_DIR) + "/presets");
  std::vector<std::string> args(argv + 1, argv + argc);
  if (args.empty() || args[0] == "--help" || args[0] == "-h" || args[0] == "help") {
    std::cout << kUsage;
    return args.empty() ? 2 : 0;
  }
  if (args[0] == "--version") {
    std::cout << "hmasim 0.1.0 (SystemC " << sc_core::sc_release() << ")\n";
    return 0;
  }
  const std::string command = args[0];
  args.erase(args.begin());
  try {
    if (command == "models") return hmasim::cmd_models(args);
    if (command == "check") return hmasim::cmd_check(args);
    if (command == "replay") return hmasim::cmd_replay(args);
    if (command == "import") return hmasim::cmd_import(args);
    if (command == "run") return hmasim::cmd_run(args);
    if (command == "fault-rates") return hmasim::cmd_fault_rates(args);
    if (command == "sweep") return hmasim::cmd_sweep(args);
  } catch (const std::exception& e) {
    std::cerr << "hmasim " << command << ": error: " << e.what() << "\n";
    return 1;
  }
  std::cerr << "hmasim: unknown command '" << command << "'\n\n" << kUsage;
  return 2;
}
