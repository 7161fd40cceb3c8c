#include <unistd.h>

#include <algorithm>
#include <boost/program_options.hpp>
#include <chrono>
#include <cstdio>
#include <iostream>
#include <optional>

#include "app/command_line.hpp"
#include "app/commands.hpp"
#include "app/functional_run.hpp"
#include "app/overrides.hpp"
#include "app/platform_file.hpp"
#include "app/progress_line.hpp"
#include "app/run_report_builder.hpp"
#include "core/file_output.hpp"
#include "core/quantity.hpp"
#include "hw/accelerator.hpp"
#include "mem/lpddr4/lpddr4.hpp"
#include "traces/report_writers.hpp"
#include "traces/trace_recorder.hpp"
#include "workloads/network.hpp"
#include "workloads/schedule.hpp"
#include "workloads/task_networks.hpp"
#include "workloads/weight_cache.hpp"
#include "workloads/weights_file.hpp"

namespace hmasim {

namespace po = boost::program_options;

namespace {

// Frames of one run: enough for any steady-state or endurance study, small enough that a typo
// (an extra digit) is caught instead of simulating for days.
constexpr std::uint64_t kMaxFrames = 1'000'000;

// A name as one path component: letters, digits, '-', '_' and '.' are kept, anything else
// becomes '_', and a leading '.' too, so no name can leave the output folder or hide in it.
std::string path_component(const std::string& name) {
  std::string out;
  for (char c : name) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '_' || (c == '.' && !out.empty());
    out += keep ? c : '_';
  }
  return out.empty() ? "_" : out;
}

// `--set placement.weights=M` decides nothing when every layer with weights names its own
// memory (its `memory:` or the workload's `defaults.memory`): say so instead of running.
std::optional<std::string> placement_override_without_effect(
    const std::vector<std::string>& platform_overrides, const Network& network) {
  const std::string key = "placement.weights";
  for (const std::string& o : platform_overrides) {
    if (o.compare(0, key.size() + 1, key + "=") != 0) continue;
    std::size_t weighted = 0, named = 0;
    for (const Layer& l : network.layers) {
      if (!l.has_weights()) continue;
      ++weighted;
      if (!l.memory.empty()) ++named;
    }
    if (weighted > 0 && named == weighted) {
      return "--set " + o + " has no effect: every layer with weights of workload '" +
             network.name +
             "' names its own memory (its memory: key or the workload's defaults.memory); "
             "override that instead (--set workload.defaults.memory=...)";
    }
  }
  return std::nullopt;
}

// --trace, --window and --trace-detail; nullopt (printed) if one is bad or has no effect.
std::optional<TraceOptions> trace_options(const std::string& kinds, const std::string& window,
                                          const std::string& detail) {
  TraceOptions t;
  const auto fail = [](const std::string& why) {
    std::cerr << "hmasim run: " << why << " (see hmasim run --help)\n";
    return std::nullopt;
  };
  try {
    if (!kinds.empty()) parse_trace_kinds(kinds, t);
    if (!detail.empty()) t.detail = parse_trace_detail(detail);
  } catch (const std::invalid_argument& e) {
    return fail(std::string(kinds.empty() ? "--trace-detail: " : "--trace: ") + e.what());
  }
  if (!window.empty()) {
    try {
      t.window = parse_time(window);
    } catch (const QuantityError& e) {
      return fail(std::string("--window: ") + e.what());
    }
    if (t.window.value() == 0 || t.window > kMaxLatency) {
      return fail("--window: '" + window + "' must be more than 0 and at most 1s");
    }
  }
  if (!t.any() && (!window.empty() || !detail.empty())) {
    return fail(std::string(window.empty() ? "--trace-detail" : "--window") +
                " has no effect without --trace");
  }
  return t;
}

}  // namespace

int cmd_run(const std::vector<std::string>& args) {
  const auto wall_start = std::chrono::steady_clock::now();
  po::options_description opts(
      "usage: hmasim run --platform P.yaml --workload W.yaml [options]\n\n"
      "Runs a network on an accelerator platform and writes summary.json and layers.csv into the\n"
      "output directory (default out/<platform>-<workload>/), with the traces --trace names\n"
      "(docs/traces.md). Prints the headline figures.\n\n"
      "options");
  std::string platform_file, workload_file, out_dir, seed_text = "1", frames_text, fps_text;
  std::string schedule_file;
  std::vector<Schedule::TaskNetwork> task_networks;  // schedule.networks
  std::optional<WeightsFile> task_weights;           // their weights files, joined
  std::string trace_text, window_text, detail_text;
  std::vector<std::string> set;
  RunOptions options;
  bool check_timing = false;
  opts.add_options()("help,h", "show this help")("platform", po::value(&platform_file)->required(),
                                                 "platform YAML file")(
      "workload", po::value(&workload_file),
      "network YAML file (not with a schedule whose tasks name their networks)")(
      "out", po::value(&out_dir), "output directory")(
      "seed", po::value(&seed_text),
      "seed of the run (default 1): weights, and every fault seed not set in the platform")(
      "frames", po::value(&frames_text),
      "frames to run (default 1); the same as --set schedule.frames=N")(
      "fps", po::value(&fps_text),
      "target frame rate, or max (default): the same as --set schedule.fps=F")(
      "schedule", po::value(&schedule_file),
      "schedule YAML file: frame rate and frames (docs/schedules.md)")(
      "trace", po::value(&trace_text),
      "traces to write: any of vcd,power,bandwidth,timeline,endurance, or all (default none)")(
      "window", po::value(&window_text),
      "window of power.csv, bandwidth.csv and the VCD's per-window signals (default 10us)")(
      "trace-detail", po::value(&detail_text),
      "what timeline.json shows: layer, tile (default) or burst (every DMA request)")(
      "set", po::value(&set)->composing(),
      "override a key: key.path=value (platform), workload.key.path=value (workload)")(
      "check-timing", po::bool_switch(&check_timing),
      "audit every LPDDR4 command with the independent JEDEC timing checker; a violation is an "
      "error (exit 1, no results written)");
  std::string weight_cache_dir;
  opts.add_options()("weight-cache", po::value(&weight_cache_dir),
                     "directory of the weight cache: generated and encoded weights are read from "
                     "it, or stored in it for the next run (docs/user-guide.md)");
  std::string weights_file;
  opts.add_options()("weights", po::value(&weights_file),
                     "real weights (docs/weights.md) instead of generated ones; default: the "
                     "workload's weights: file, if it has one");
  bool functional = false;
  std::string inputs_file, labels_file;
  opts.add_options()("functional", po::bool_switch(&functional),
                     "compute the network's values on the bytes the memories return: writes "
                     "predictions.csv and summary.json's accuracy (docs/functional.md); timing "
                     "and energy are those of the run without it")(
      "inputs", po::value(&inputs_file),
      "--functional: the images, a .npy of int8 N x H x W x C (int16 '<i2' for a network of "
      "9..16-bit layers; default: one synthetic image from the seed); without --frames or a "
      "schedule, one frame per image")(
      "labels", po::value(&labels_file),
      "--functional: the images' classes, a .npy of N int8/uint8 (gives accuracy.top1, top5)");
  if (auto done = parse_command_line("run", opts, args)) return *done;
  if (!functional && (!inputs_file.empty() || !labels_file.empty())) {
    std::cerr << "hmasim run: --" << (inputs_file.empty() ? "labels" : "inputs")
              << " has no effect without --functional\n";
    return 2;
  }
  if (!labels_file.empty() && inputs_file.empty()) {
    std::cerr << "hmasim run: --labels needs the --inputs they label\n";
    return 2;
  }
  const auto seed = integer_option("run", "seed", seed_text, 0, UINT64_MAX);
  std::optional<std::uint64_t> frames;
  if (!frames_text.empty()) {
    frames = integer_option("run", "frames", frames_text, 1, kMaxFrames);
    if (!frames) return 2;
  }
  if (!seed) return 2;
  options.seed = *seed;
  Overrides overrides = split_overrides(set);
  if (!overrides_usable("run", overrides, true, true, true)) return 2;
  // --frames and --fps are schedule overrides given the short way.
  if (frames) overrides.schedule.push_back("frames=" + std::to_string(*frames));
  if (!fps_text.empty()) overrides.schedule.push_back("fps=" + fps_text);
  try {
    const Schedule schedule = load_schedule(schedule_file, overrides.schedule);
    options.frames = schedule.frames;
    options.frame_period = schedule.period();
    options.target_fps = schedule.fps;
    options.tasks = schedule.tasks;
    options.tasks_where = schedule.tasks_where;
    task_networks = schedule.networks;
  } catch (const ConfigError& e) {
    return report(e);
  }
  if (task_networks.empty() && workload_file.empty()) {
    std::cerr << "hmasim run: --workload is required (or a --schedule whose tasks name their "
                 "networks: schedule.networks)\n";
    return 2;
  }
  if (!task_networks.empty() && !workload_file.empty()) {
    std::cerr << "hmasim run: --workload " << workload_file
              << ": the schedule names each task's network (schedule.networks); give no "
                 "--workload\n";
    return 2;
  }
  if (!task_networks.empty() && !overrides.workload.empty()) {
    std::cerr << "hmasim run: --set workload." << overrides.workload.front()
              << ": the tasks' networks (schedule.networks) take no workload overrides\n";
    return 2;
  }
  const auto traces = trace_options(trace_text, window_text, detail_text);
  if (!traces) return 2;

  PlatformConfig platform;
  Network network;
  try {
    platform = load_platform(platform_file, overrides.platform);
  } catch (const ConfigError& e) {
    return report(e);
  }
  try {
    if (task_networks.empty()) {
      network = load_network(workload_file, overrides.workload);
    } else {
      std::vector<NamedTaskNetwork> tasks;
      for (const Schedule::TaskNetwork& t : task_networks) {
        tasks.push_back({t.task, load_network(t.file)});
      }
      network = join_task_networks(tasks);
      workload_file = network.file;
      if (!weights_file.empty()) {
        std::cerr << "hmasim run: --weights " << weights_file
                  << ": the tasks' networks (schedule.networks) name their own weights files\n";
        return 2;
      }
      task_weights = join_task_weights(tasks);
    }
  } catch (const ConfigError& e) {
    return report(e);
  } catch (const TaskNetworkError& e) {
    std::cerr << "hmasim run: " << e.what() << "\n";
    return 2;
  } catch (const WeightsFileError& e) {
    for (const std::string& p : e.problems()) std::cerr << "hmasim run: " << p << "\n";
    return 2;
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
  if (const auto why = placement_override_without_effect(overrides.platform, network)) {
    std::cerr << "hmasim run: " << *why << "\n";
    return 2;
  }
  if (out_dir.empty()) {
    out_dir = "out/" + path_component(platform.name) + "-" + path_component(network.name);
  }
  std::optional<WeightsFile> weights;
  try {
    weights = task_networks.empty() ? load_network_weights(network, weights_file) : task_weights;
  } catch (const WeightsFileError& e) {
    for (const std::string& p : e.problems()) std::cerr << "hmasim run: " << p << "\n";
    return 2;
  }
  if (weights) options.weights = &*weights;
  FunctionalInputs images;
  std::vector<std::int64_t> labels;
  if (functional) {
    if (!task_networks.empty() && !network.input) {
      std::cerr << "hmasim run: --functional: the tasks' networks (schedule.networks) take inputs "
                   "of different shapes; a functional run feeds every task the same image\n";
      return 2;
    }
    try {
      images = load_functional_inputs(inputs_file, network, options.seed);
      if (!labels_file.empty()) labels = load_labels(labels_file, images.count);
    } catch (const std::runtime_error& e) {
      std::cerr << "hmasim run: " << e.what() << "\n";
      return 2;
    }
    options.functional = &images;
    // One frame per image unless the frames are given.
    const bool frames_given =
        frames || !schedule_file.empty() ||
        std::any_of(overrides.schedule.begin(), overrides.schedule.end(),
                    [](const std::string& o) { return o.rfind("frames=", 0) == 0; });
    if (!inputs_file.empty() && !frames_given) {
      if (images.count > kMaxFrames) {
        std::cerr << "hmasim run: --inputs: " << images.count << " images, more than the "
                  << kMaxFrames << " frames a run may have: give --frames\n";
        return 2;
      }
      options.frames = static_cast<std::uint32_t>(images.count);
    }
  }
  // A cache directory that cannot be made is found before any weight is generated.
  std::unique_ptr<WeightCache> weight_cache;
  if (!weight_cache_dir.empty()) {
    try {
      weight_cache = std::make_unique<WeightCache>(weight_cache_dir);
    } catch (const WeightCacheError& e) {
      std::cerr << "hmasim run: --weight-cache: " << e.what() << "\n";
      return 2;
    }
    options.weight_cache = weight_cache.get();
  }
  // The run directory is staged from the start (traces stream into it); an --out that will be
  // refused is found before the simulation, not after it.
  std::unique_ptr<StagedDirectory> staged;
  try {
    staged = std::make_unique<StagedDirectory>(out_dir);
  } catch (const OutputError& e) {
    std::cerr << "hmasim run: --out: " << e.what() << "\n";
    return 2;
  }

  EnergyLedger ledger;
  Lpddr4::check_timing_by_default(check_timing);
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
  } catch (const PowerError& e) {
    std::cerr << "hmasim run: " << e.what() << "\n";
    return 2;
  } catch (const TaskError& e) {
    std::cerr << "hmasim run: " << e.what() << "\n";
    return 2;
  } catch (const FunctionalError& e) {
    std::cerr << "hmasim run: " << e.what() << "\n";
    return 2;
  }
  if (weight_cache) std::cerr << weight_cache->report();
  std::unique_ptr<TraceRecorder> recorder;
  if (traces->any()) {
    recorder = std::make_unique<TraceRecorder>(*traces, staged->directory());
    recorder->set_components(ledger);
    ledger.set_observer(recorder.get());
    acc->set_trace(recorder.get());
  }
  const auto simulation_start = std::chrono::steady_clock::now();
  {
    ProgressLine progress(std::cerr, options.frames, ::isatty(STDERR_FILENO) == 1);
    acc->set_frame_observer(
        [&progress](std::uint32_t frame, Time at) { progress.frame_done(frame, at); });
    sc_core::sc_start();
  }
  const double simulation_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - simulation_start).count();
  if (!acc->finished()) {
    std::cerr << "hmasim run: simulation failed: " << acc->error() << "\n";
    return 1;
  }
  for (MemoryTarget* m : acc->memories()) m->finish(acc->end_time());
  if (check_timing && Lpddr4::violations_everywhere() > 0) {
    std::cerr << "hmasim run: --check-timing: " << Lpddr4::violations_everywhere()
              << " JEDEC timing violation(s):\n"
              << Lpddr4::violation_reports();
    return 1;
  }
  acc->finish_power(acc->end_time());
  ledger.close(acc->end_time());
  if (recorder) {
    recorder->finish(acc->end_time());
    ledger.set_observer(nullptr);
  }

  RunReport report = build_run_report(*acc, ledger, platform.name, network.name, options);
  report.wall_time_simulation_s = simulation_s;
  report.wall_time_s =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  if (acc->functional()) {
    try {
      FunctionalOutcome outcome = functional_outcome(*acc, labels);
      report.accuracy = outcome.accuracy;
      staged->add("predictions.csv", outcome.predictions_csv);
    } catch (const std::exception& e) {
      std::cerr << "hmasim run: --functional: " << e.what() << "\n";
      return 1;
    }
  }
  try {
    add_run_files(report, *staged);
    staged->commit();
  } catch (const OutputError& e) {
    // --out was checked before the simulation: what fails now is the write itself.
    std::cerr << "hmasim run: " << e.what() << "\n";
    return 1;
  }
  std::cerr << link_limit_notes(report);
  std::printf(
      "%s on %s: %llu cycles/frame, %.3f ms/frame, %.1f fps, %.3f mJ/frame, %.1f mW, "
      "MAC utilisation %.1f%%, %.2f mm^2 (wall %.2f s)\nresults: %s/\n",
      network.name.c_str(), platform.name.c_str(), static_cast<unsigned long long>(report.cycles),
      report.latency_s * 1e3, report.fps_max, report.energy_per_frame_j * 1e3,
      report.avg_power_w * 1e3, report.mac_utilization * 100, report.area_mm2, report.wall_time_s,
      out_dir.c_str());
  if (report.accuracy.labelled > 0) {
    std::printf("functional: top-1 %.2f%%, top-5 %.2f%% over %llu images",
                report.accuracy.top1 * 100, report.accuracy.top5 * 100,
                static_cast<unsigned long long>(report.accuracy.labelled));
    if (report.accuracy.differing_from_fault_free >= 0) {
      std::printf(" (fault-free %.2f%%; %lld with other logits)",
                  report.accuracy.fault_free_top1 * 100,
                  static_cast<long long>(report.accuracy.differing_from_fault_free));
    }
    std::printf("\n");
  }
  return 0;
}

}  // namespace hmasim
