// Simulation-speed benchmark: transactions per wall-clock second through each memory model.
//
//   bench_memory_throughput [PLATFORM.yaml] [REQUESTS]
//
// Builds every memory of the platform (default platforms/memory-demo.yaml) and drives each in
// turn with REQUESTS (default 200000) random 64 B reads (10% writes) through real TLM b_transport,
// issued as fast as the memory accepts them. Prints one row per memory.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <random>
#include <string>
#include <systemc>
#include <vector>

#include "app/platform_file.hpp"
#include "core/config_node.hpp"
#include "core/tlm_initiator.hpp"
#include "mem/memory_system.hpp"

static const int kQuietSystemC = setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);

namespace {

using namespace hmasim;

// Drives one memory once `start` fires, then fires `done`.
class Driver : public TlmInitiator {
 public:
  SC_HAS_PROCESS(Driver);
  Driver(const sc_core::sc_module_name& n, MemoryTarget& target, std::uint64_t requests,
         sc_core::sc_event* start)
      : TlmInitiator(n, Time(1'000'000'000)), target_(target), requests_(requests), start_(start) {
    socket.bind(target.socket);
    SC_THREAD(run);
  }
  sc_core::sc_event done;
  double wall_s = 0;
  Time end{0};
  std::uint64_t errors = 0;

 private:
  void run() {
    if (start_) wait(*start_);
    std::mt19937_64 rng(42);
    const std::uint64_t span = std::min<std::uint64_t>(target_.capacity().value(), 1ull << 30) / 64;
    std::vector<std::uint8_t> buf(64, 0);
    const auto t0 = std::chrono::steady_clock::now();
    for (std::uint64_t i = 0; i < requests_; ++i) {
      const std::uint64_t addr = (rng() % span) * 64;
      const bool write = rng() % 10 == 0;
      const Result r =
          transact(write ? tlm::TLM_WRITE_COMMAND : tlm::TLM_READ_COMMAND, addr, buf.data(), 64);
      if (r.status != tlm::TLM_OK_RESPONSE) ++errors;
      advance_to(r.accepted);
      end = max(end, r.completed);
    }
    sync();
    wall_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
    done.notify();
  }
  MemoryTarget& target_;
  std::uint64_t requests_;
  sc_core::sc_event* start_;
};

}  // namespace

int sc_main(int argc, char* argv[]) {
  ConfigDocument::set_preset_directory(HMASIM_DATA_DIR "/presets");
  const std::string platform = argc > 1 ? argv[1] : HMASIM_DATA_DIR "/memory-demo.yaml";
  const std::uint64_t requests = argc > 2 ? std::stoull(argv[2]) : 200000;
  PlatformConfig config;
  try {
    config = load_platform(platform, {});
  } catch (const ConfigError& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
  EnergyLedger ledger;
  MemorySystem memories(config.memories, ledger);
  std::vector<std::unique_ptr<Driver>> drivers;
  for (const auto& m : memories.all()) {
    sc_core::sc_event* start = drivers.empty() ? nullptr : &drivers.back()->done;
    drivers.push_back(std::make_unique<Driver>((std::string("drive_") + m->basename()).c_str(), *m,
                                               requests, start));
  }
  sc_core::sc_start();
  std::printf("%-8s %-8s %10s %10s %14s %14s\n", "memory", "model", "requests", "wall[s]",
              "requests/s", "sim_time[us]");
  for (std::size_t i = 0; i < drivers.size(); ++i) {
    const auto& d = *drivers[i];
    const auto& m = *memories.all()[i];
    std::printf("%-8s %-8s %10llu %10.3f %14.0f %14.1f%s\n", m.basename(), m.model_name().c_str(),
                static_cast<unsigned long long>(requests), d.wall_s,
                static_cast<double>(requests) / d.wall_s, to_seconds(d.end) * 1e6,
                d.errors ? "  (errors!)" : "");
  }
  return 0;
}
