#include <iostream>
#include <sstream>

#include "app/commands.hpp"
#include "app/overrides.hpp"
#include "app/platform_file.hpp"
#include "app/preset_file.hpp"
#include "app/sweep/override_check.hpp"
#include "app/sweep/sweep_points.hpp"
#include "app/sweep/sweep_spec.hpp"
#include "core/config_error.hpp"
#include "workloads/network.hpp"
#include "workloads/network_stats.hpp"
#include "workloads/schedule.hpp"

namespace hmasim {

namespace {

const char* kCheckUsage =
    "usage: hmasim check [--set key.path=value ...] [--layers] FILE...\n\n"
    "Validates platform, workload, schedule and preset files without simulating. A file with a\n"
    "top-level 'layers:' key is a workload, one with 'memories:' a platform, one with 'sweep:' a\n"
    "sweep (docs/sweeps.md; its base files are loaded with the overrides of its axes), one with\n"
    "'fps:', 'frames:', 'tasks:' or 'networks:' a schedule (docs/schedules.md; the tasks'\n"
    "networks are checked too), any other map a preset (a memory block with 'model:', else an\n"
    "eNVM technology block). Every error is\n"
    "printed as file:line:column: key: message. For a workload, prints its MACs and\n"
    "parameters; --layers "
    "also prints every layer's shapes and counts.\n\n"
    "--set key.path=value overrides a platform key (also written platform.key.path=value);\n"
    "--set workload.key.path=value a workload key, --set schedule.key=value a schedule key.\n"
    "Each override must reach a checked file.\n"
    "Exit status 0 if all are valid, 2 otherwise.\n";

}  // namespace

int cmd_check(const std::vector<std::string>& args) {
  std::vector<std::string> files;
  std::vector<std::string> set;
  bool layers = false;
  for (std::size_t i = 0; i < args.size(); ++i) {
    const std::string& a = args[i];
    if (a == "--help" || a == "-h") {
      std::cout << kCheckUsage;
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
      set.push_back(args[++i]);
    } else if (a.rfind("--set=", 0) == 0) {
      set.push_back(a.substr(6));
    } else if (!a.empty() && a[0] == '-') {
      std::cerr << "hmasim check: unknown option '" << a << "' (see hmasim check --help)\n";
      return 2;
    } else {
      files.push_back(a);
    }
  }
  if (files.empty()) {
    std::cerr << "hmasim check: no files given (usage: hmasim check FILE...)\n";
    return 2;
  }
  bool any_platform = false, any_workload = false, any_schedule = false;
  for (const auto& f : files) {
    if (is_sweep_file(f)) continue;  // its own base files and overrides
    if (is_schedule_file(f)) {
      any_schedule = true;
    } else if (is_network_file(f)) {
      any_workload = true;
    } else if (!is_preset_file(f)) {
      any_platform = true;
    }
  }
  const Overrides overrides = split_overrides(set);
  if (!overrides_usable("check", overrides, any_platform, any_workload, any_schedule)) return 2;

  int status = 0;
  for (const auto& f : files) {
    try {
      if (is_sweep_file(f)) {
        const SweepSpec spec = load_sweep(f);
        const SweepPlan plan = expand_sweep(spec);
        check_sweep_overrides(spec, plan);
        std::cout << f << ": ok (sweep '" << spec.name << "', " << plan.points.size()
                  << " points)\n";
      } else if (is_schedule_file(f)) {
        const Schedule s = load_schedule(f, overrides.schedule);
        // A task's network is checked too: what `hmasim run` would load.
        for (const Schedule::TaskNetwork& t : s.networks) (void)load_network(t.file);
        std::ostringstream rate;
        if (s.fps) rate << *s.fps << " fps";
        std::cout << f << ": ok (schedule, " << s.frames << " frame" << (s.frames == 1 ? "" : "s")
                  << " at " << (s.fps ? rate.str() : std::string("the maximum rate"))
                  << (s.tasks.empty() ? ""
                                      : ", " + std::to_string(s.tasks.size()) + " tasks per frame")
                  << (s.networks.empty() ? "" : ", each a network of its own") << ")\n";
      } else if (is_network_file(f)) {
        const Network n = load_network(f, overrides.workload);
        std::cout << f << ": ok (workload '" << n.name << "', " << summary_line(network_stats(n))
                  << ")\n";
        if (layers) std::cout << layer_table(n);
      } else if (is_preset_file(f)) {
        const PresetInfo p = check_preset(f);
        std::cout << f << ": ok (" << to_string(p.kind) << " preset '" << p.name << "'"
                  << (p.model.empty() ? "" : " for model " + p.model) << ")\n";
      } else {
        const PlatformConfig p = load_platform(f, overrides.platform);
        std::cout << f << ": ok (platform '" << p.name << "', " << p.memories.size()
                  << " memories)\n";
      }
    } catch (const ConfigError& e) {
      for (const auto& d : e.diagnostics()) std::cerr << d.str() << "\n";
      status = 2;
    }
  }
  return status;
}

}  // namespace hmasim
