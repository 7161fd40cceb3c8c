// Simulation-speed benchmark of MLC fault injection: wall time of reading an RRAM envm through
// TLM with faults off, in program mode and in read mode.
//
//   bench_fault_injection [MIB] [REQUEST_BYTES] [BITS_PER_CELL]
//
// Three identical memories of MIB MiB (default 64) at BITS_PER_CELL (default 3), filled with
// random bytes, are each read sequentially in REQUEST_BYTES requests (default 64), issued as fast
// as the memory accepts them, three times. Prints the best pass's wall time and MB/s, its ratio
// to the fault-free memory's, and the fault statistics of all passes. The budget (at most
// 2x the fault-free wall time) is for a whole run; this isolates the memory reads, the worst
// case, since a run spends most of its time elsewhere.
#include <chrono>
#include <cstdio>
#include <iostream>
#include <memory>
#include <random>
#include <string>
#include <systemc>
#include <vector>

#include "core/config_node.hpp"
#include "core/tlm_initiator.hpp"
#include "mem/envm/envm.hpp"
#include "mem/memory_system.hpp"

static const int kQuietSystemC = setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);

namespace {

using namespace hmasim;

const char* const kModes[] = {"off", "program", "read"};

// Reads the whole memory once `start` fires, then fires `done`.
class Reader : public TlmInitiator {
 public:
  SC_HAS_PROCESS(Reader);
  Reader(const sc_core::sc_module_name& n, MemoryTarget& target, std::uint32_t request,
         sc_core::sc_event* start)
      : TlmInitiator(n, Time(1'000'000'000)), target_(target), request_(request), start_(start) {
    socket.bind(target.socket);
    SC_THREAD(run);
  }
  static constexpr int kPasses = 3;
  sc_core::sc_event done;
  double wall_s = 0;  // best pass
  std::uint64_t errors = 0;

 private:
  void run() {
    if (start_) wait(*start_);
    std::vector<std::uint8_t> buf(request_);
    const std::uint64_t size = target_.capacity().value();
    for (int pass = 0; pass < kPasses; ++pass) {
      const auto t0 = std::chrono::steady_clock::now();
      for (std::uint64_t a = 0; a + request_ <= size; a += request_) {
        const Result r = transact(tlm::TLM_READ_COMMAND, a, buf.data(), request_);
        if (r.status != tlm::TLM_OK_RESPONSE) ++errors;
        advance_to(r.accepted);
      }
      sync();
      const double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
      if (pass == 0 || s < wall_s) wall_s = s;
    }
    done.notify();
  }
  MemoryTarget& target_;
  std::uint32_t request_;
  sc_core::sc_event* start_;
};

}  // namespace

int sc_main(int argc, char* argv[]) {
  ConfigDocument::set_preset_directory(HMASIM_DATA_DIR "/presets");
  const std::uint64_t mib = argc > 1 ? std::stoull(argv[1]) : 64;
  const auto request = static_cast<std::uint32_t>(argc > 2 ? std::stoul(argv[2]) : 64);
  const int bits = argc > 3 ? std::stoi(argv[3]) : 3;
  std::string yaml = "memories:\n";
  for (const char* mode : kModes) {
    yaml += std::string("  ") + mode + ": {model: envm, capacity: " + std::to_string(mib) +
            "MiB, banks: 8, bits_per_cell: " + std::to_string(bits) +
            ", technology: {preset: rram}, faults: {mode: " + mode + ", seed: 1}}\n";
  }
  std::vector<MemorySpec> specs;
  try {
    auto doc = ConfigDocument::load_string(yaml, "bench");
    specs = parse_memories(doc->root().child("memories"));
    doc->finish();
  } catch (const ConfigError& e) {
    std::cerr << e.what() << "\n";
    return 2;
  }
  EnergyLedger ledger;
  MemorySystem memories(specs, ledger);
  std::vector<std::uint8_t> data(mib << 20);
  std::mt19937_64 rng(1);
  for (auto& b : data) b = static_cast<std::uint8_t>(rng());
  std::vector<std::unique_ptr<Reader>> readers;
  for (const auto& m : memories.all()) {
    m->debug_write(0, data.data(), data.size());
    sc_core::sc_event* start = readers.empty() ? nullptr : &readers.back()->done;
    readers.push_back(std::make_unique<Reader>((std::string("read_") + m->basename()).c_str(), *m,
                                               request, start));
  }
  sc_core::sc_start();

  std::printf("RRAM at %d bits per cell, %llu MiB read sequentially in %u B requests\n", bits,
              static_cast<unsigned long long>(mib), request);
  std::printf("%-8s %9s %9s %8s %12s %12s %12s\n", "faults", "wall[s]", "MB/s", "x off", "cells",
              "level_faults", "bit_errors");
  for (std::size_t i = 0; i < readers.size(); ++i) {
    const auto& r = *readers[i];
    const auto& envm = dynamic_cast<const Envm&>(*memories.all()[i]);
    const FaultStats s = envm.fault_stats();
    std::printf("%-8s %9.3f %9.1f %8.2f %12llu %12llu %12llu%s\n", kModes[i], r.wall_s,
                static_cast<double>(data.size()) / r.wall_s / 1e6, r.wall_s / readers[0]->wall_s,
                static_cast<unsigned long long>(s.cells_read),
                static_cast<unsigned long long>(s.level_faults),
                static_cast<unsigned long long>(s.bit_errors), r.errors ? "  (errors!)" : "");
  }
  return 0;
}
