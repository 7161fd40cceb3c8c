#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>

#include "app/command_line.hpp"
#include "app/commands.hpp"
#include "app/platform_file.hpp"
#include "app/run_report_builder.hpp"
#include "hw/accelerator.hpp"
#include "traces/report_writers.hpp"
#include "workloads/network.hpp"

namespace hmasim {

namespace po = boost::program_options;

int cmd_run(const std::vector<std::string>& args) {
  const auto wall_start = std::chrono::steady_clock::now();
  po::options_description opts(
      "usage: hmasim run --platform P.yaml --workload W.yaml [options]\n\n"
      "Runs a network on an accelerator platform and writes summary.json and layers.csv into the\n"
      "output directory (default out/<platform>-<workload>/). Prints the headline figures.\n\n"
      "options");
  std::string platform_file, workload_file, out_dir;
  std::vector<std::string> overrides;
  RunOptions options;
  opts.add_options()("help,h", "show this help")("platform", po::value(&platform_file)->required(),
                                                 "platform YAML file")(
      "workload", po::value(&workload_file)->required(), "network YAML file")(
      "out", po::value(&out_dir), "output directory")(
      "seed", po::value(&options.seed)->default_value(1), "seed of weight generation")(
      "frames", po::value(&options.frames)->default_value(1), "frames to run back to back")(
      "set", po::value(&overrides)->composing(), "override a platform key: key.path=value");
  if (auto done = parse_command_line("run", opts, args)) return *done;
  if (options.frames == 0) {
    std::cerr << "hmasim run: --frames must be at least 1 (see hmasim run --help)\n";
    return 2;
  }

  PlatformConfig platform;
  Network network;
  try {
    platform = load_platform(platform_file, overrides);
  } catch (const ConfigError& e) {
    return report(e);
  }
  try {
    network = load_network(workload_file);
  } catch (const ConfigError& e) {
    return report(e);
  }
  if (!platform.accelerator) {
    std::cerr << "hmasim run: " << platform_file
              << ": the platform has no accelerator section (a memory-only platform: use hmasim "
                 "replay)\n";
    return 2;
  }
  for (const Layer& l : network.layers) {
    if (l.memory.empty() || platform.accelerator->link(l.memory)) continue;
    std::cerr << "hmasim run: " << workload_file << ": layer '" << l.name
              << "' places its weights in memory '" << l.memory << "', which platform '"
              << platform.name << "' does not have\n";
    return 2;
  }
  if (out_dir.empty()) out_dir = "out/" + platform.name + "-" + network.name;

  EnergyLedger ledger;
  std::unique_ptr<Accelerator> acc;
  try {
    acc = std::make_unique<Accelerator>("accelerator", platform.memories, *platform.accelerator,
                                        network, options, ledger);
  } catch (const PlacementError& e) {
    std::cerr << "hmasim run: " << e.what() << "\n";
    return 2;
  } catch (const TilingError& e) {
    std::cerr << "hmasim run: " << e.what() << "\n";
    return 2;
  }
  sc_core::sc_start();
  if (!acc->finished()) {
    std::cerr << "hmasim run: simulation failed: " << acc->error() << "\n";
    return 1;
  }
  for (MemoryTarget* m : acc->memories()) m->finish(acc->end_time());
  ledger.close(acc->end_time());

  RunReport report = build_run_report(*acc, ledger, platform.name, network.name, options);
  report.wall_time_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  write_run_directory(report, out_dir);
  std::printf(
      "%s on %s: %llu cycles/frame, %.3f ms/frame, %.1f fps, %.3f mJ/frame, %.1f mW, "
      "MAC utilisation %.1f%%, %.2f mm^2 (wall %.2f s)\nresults: %s/\n",
      network.name.c_str(), platform.name.c_str(), static_cast<unsigned long long>(report.cycles),
      report.latency_s * 1e3, report.fps_max, report.energy_per_frame_j * 1e3,
      report.avg_power_w * 1e3, report.mac_utilization * 100, report.area_mm2, report.wall_time_s,
      out_dir.c_str());
  return 0;
}

}  // namespace hmasim
