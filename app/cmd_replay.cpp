#include <boost/program_options.hpp>
#include <cerrno>
#include <chrono>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>

#include "app/command_line.hpp"
#include "app/commands.hpp"
#include "app/overrides.hpp"
#include "app/platform_file.hpp"
#include "app/run_report_builder.hpp"
#include "core/json_writer.hpp"
#include "core/quantity.hpp"
#include "core/sc_time_conversion.hpp"
#include "mem/lpddr4/lpddr4.hpp"
#include "mem/memory_system.hpp"
#include "mem/trace_replayer.hpp"
#include "traces/report_writers.hpp"

namespace hmasim {

namespace po = boost::program_options;

int cmd_replay(const std::vector<std::string>& args) {
  const auto wall_start = std::chrono::steady_clock::now();
  po::options_description opts(
      "usage: hmasim replay --platform P.yaml --memory NAME --trace FILE [options]\n\n"
      "Drives one memory of a platform with a DRAMSys-style .stl request trace and prints JSON\n"
      "statistics on stdout. Trace cycles count the memory's clock; a request is issued at its\n"
      "cycle or when the memory has accepted the previous one, whichever is later.\n\noptions");
  std::string platform, memory, trace, default_length = "64B";
  std::vector<std::string> set;
  bool check_timing = false;
  opts.add_options()("help,h", "show this help")("platform", po::value(&platform)->required(),
                                                 "platform YAML file")(
      "memory", po::value(&memory)->required(), "name of the memory in the platform's memories:")(
      "trace", po::value(&trace)->required(), "request trace (.stl); '-' reads standard input")(
      "length", po::value(&default_length), "length of requests that give none (default 64B)")(
      "set", po::value(&set)->composing(), "override a platform key: key.path=value")(
      "check-timing", po::bool_switch(&check_timing),
      "audit every LPDDR4 command with the independent JEDEC timing checker; a violation is "
      "an error (exit 1)");
  if (auto done = parse_command_line("replay", opts, args)) return *done;
  Bytes length;
  try {
    length = parse_bytes(default_length);
    if (length.value() == 0 || length.value() > (1u << 20)) {
      throw QuantityError("'" + default_length + "' must be between 1B and 1MiB");
    }
  } catch (const QuantityError& e) {
    std::cerr << "hmasim replay: --length: " << e.what() << "\n";
    return 2;
  }

  const Overrides overrides = split_overrides(set);
  if (!overrides_usable("replay", overrides, true, false)) return 2;
  PlatformConfig config;
  try {
    config = load_platform(platform, overrides.platform);
  } catch (const ConfigError& e) {
    return report(e);
  }
  std::ifstream file;
  if (trace != "-") {
    // A directory opens like a file on Linux and then reads as nothing: say what it is instead.
    std::error_code ec;
    if (std::filesystem::is_directory(trace, ec)) {
      std::cerr << "hmasim replay: cannot read trace '" << trace
                << "': it is a directory, not a trace file\n";
      return 2;
    }
    file.open(trace, std::ios::binary);
    if (!file) {
      std::cerr << "hmasim replay: cannot open trace '" << trace << "': " << std::strerror(errno)
                << "\n";
      return 2;
    }
  }
  std::istream& in = trace == "-" ? std::cin : file;

  // Only the replayed memory is built: the others would have unbound sockets.
  std::vector<MemorySpec> selected;
  std::string names;
  for (const auto& spec : config.memories) {
    names += (names.empty() ? "" : ", ") + spec.name;
    if (spec.name == memory) selected.push_back(spec);
  }
  if (selected.empty()) {
    std::cerr << "hmasim replay: platform '" << config.name << "' has no memory '" << memory
              << "' (it has: " << names << ")\n";
    return 2;
  }
  EnergyLedger ledger;
  MemorySystem memories(selected, ledger);
  MemoryTarget* target = memories.find(memory);
  StlTraceReader reader(in, trace == "-" ? "<stdin>" : trace,
                        static_cast<std::uint32_t>(length.value()));
  // A buffered LPDDR4 controller reorders what is in flight: talk AT nb_transport to it.
  auto* dram = dynamic_cast<Lpddr4*>(target);
  if (check_timing && dram) dram->enable_timing_check();
  TraceReplayer replayer("replayer", reader, target->clock(),
                         dram != nullptr && dram->accepts_nb_transport());
  replayer.socket.bind(target->socket);
  sc_core::sc_start();

  const auto& s = replayer.summary();
  if (!s.error.empty()) {
    std::cerr << "hmasim replay: " << s.error << "\n";
    return 2;
  }
  // std::cin reads through stdio, which reports a read error as end of file: ask stdio.
  if (trace == "-" && std::ferror(stdin)) {
    std::cerr << "hmasim replay: cannot read the trace from standard input\n";
    return 2;
  }
  target->finish(s.end_time);
  if (dram && dram->timing_checked() && dram->timing_violations() > 0) {
    std::cerr << "hmasim replay: --check-timing: " << dram->timing_violations()
              << " JEDEC timing violation(s) in memory '" << memory << "':\n"
              << dram->timing_report();
    return 1;
  }

  const auto id = target->component();
  JsonWriter j;
  j.begin_object();
  j.value("platform", config.name);
  j.value("memory", memory);
  j.value("model", target->model_name());
  j.value("transactions", s.transactions);
  j.value("reads", s.reads);
  j.value("writes", s.writes);
  j.value("bytes", s.bytes);
  j.value("end_time_s", to_seconds(s.end_time));
  j.value("bandwidth_bytes_per_s", bandwidth_of(Bytes(s.bytes), s.end_time).value());
  j.value("peak_bandwidth_bytes_per_s", target->peak_bandwidth().value());
  j.value("mean_latency_s",
          s.transactions ? static_cast<double>(s.latency_sum_s / s.transactions) : 0.0);
  j.begin_object("commands");
  for (const auto& kv : target->command_counts()) j.value(kv.first, kv.second);
  j.end_object();
  j.begin_object("energy_j");
  for (const auto& a : ledger.actions(id)) j.value(a.name, a.energy.value());
  j.value(ledger.static_label(id), ledger.static_energy(id).value());
  j.value("total", ledger.total(id).value());
  if (dram) {
    // DRAMPower's split: core = VDD1 + VDD2 (compare with DRAMPower), io = VDDQ.
    const Lpddr4RailReport rails = dram->energy_by_rail();
    j.value("core", rails.sum().core.value());
    j.value("io", rails.sum().io.value());
  }
  j.end_object();
  if (dram) write_energy_by_rail(j, rail_energies(dram->energy_by_rail()));
  if (dram && dram->timing_checked()) j.value("timing_checked_commands", dram->commands_checked());
  j.value("avg_power_w", average_power(ledger.total(id), s.end_time).value());
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - wall_start).count();
  j.value("wall_time_s", wall);
  j.end_object();
  std::cout << j.str();
  return 0;
}

}  // namespace hmasim
