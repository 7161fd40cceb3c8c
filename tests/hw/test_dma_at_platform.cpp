// The accelerator's DMA on the TLM-2.0 AT path through the interconnect (accelerator.dma.transport:
// nonblocking): the interconnect forwards nb_transport with its decoding and link timing, serves
// b_transport-only memories through an exact adapter, and keeps errors as responses; a whole
// ResNet-50 frame on platforms/nvdla1024-lpddr4-frfcfs.yaml (FR-FCFS LPDDR4) runs with requests
// really in flight, passes the independent timing checker (the environment linked in) and is
// deterministic. SystemC elaborates once per process: one simulation per test.
#include <gtest/gtest.h>

#include <functional>
#include <memory>
#include <string>
#include <vector>

#include "app/platform_file.hpp"
#include "core/sc_time_conversion.hpp"
#include "hw/accelerator.hpp"
#include "hw/interconnect.hpp"
#include "hw/units/dma.hpp"
#include "mem/lpddr4/lpddr4.hpp"
#include "mem/memory_system.hpp"
#include "support/cli.hpp"
#include "support/trace_files.hpp"

namespace hmasim {
namespace {

const std::string kFrFcfsPlatform = HMASIM_SOURCE_DIR "/platforms/nvdla1024-lpddr4-frfcfs.yaml";
const std::string kInOrderPlatform = HMASIM_SOURCE_DIR "/platforms/nvdla1024-lpddr4.yaml";
const std::string kResNet50 = HMASIM_SOURCE_DIR "/workloads/networks/resnet50.yaml";

// ---- the interconnect's AT path, with DMAs driven directly ----

// A DRAM and an SRAM as the NVDLA platforms have them, from YAML (`scheduler` of the DRAM).
std::vector<MemorySpec> at_memories(const std::string& scheduler) {
  const std::string y =
      "memories:\n"
      "  dram:\n    preset: lpddr4-3200\n    model: lpddr4\n    capacity: 1GiB\n"
      "    address_mapping: {byte: [0], column: [\"1-7\", \"11-13\"], bank: [\"8-10\"], "
      "row: [\"14-29\"], channel: []}\n"
      "    controller: {scheduler: " +
      scheduler + (scheduler == "in_order" ? "" : ", buffer_depth: 32") +
      "}\n"
      "  sram:\n    preset: sram-22nm\n    capacity: 1MiB\n";
  ConfigDocument::set_preset_directory(HMASIM_SOURCE_DIR "/platforms/presets");
  auto doc = ConfigDocument::load_string(y, "at.yaml");
  std::vector<MemorySpec> specs = parse_memories(doc->root().child("memories"));
  doc->finish();
  return specs;
}

// One DMA behind its own interconnect to its own memories (`scheduler` of the DRAM; links as
// nvdla1024-lpddr4's), with a thread that runs `body` on it. The memories are built inside the
// module, so two rigs' memories have the same base names.
class AtRig : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(AtRig);
  AtRig(const sc_core::sc_module_name& name, const std::string& scheduler, bool nonblocking,
        std::function<void(DmaEngine&)> body)
      : sc_core::sc_module(name),
        system(at_memories(scheduler), ledger),
        ic("ic",
           {{"dram", Bandwidth(25e9), Time(100'000)}, {"sram", Bandwidth(25e9), Time(10'000)}}),
        dma("dma", DmaConfig{}, Clock(Frequency(1'000'000'000))),
        body_(std::move(body)) {
    const char* names[2] = {"dram", "sram"};
    for (std::size_t i = 0; i < 2; ++i) {
      MemoryTarget* m = system.find(names[i]);
      if (m == nullptr) throw std::logic_error(std::string("no memory ") + names[i]);
      ic.port(i).bind(m->socket);
      const auto* dram = dynamic_cast<const Lpddr4*>(m);
      ic.set_at_target(i, nonblocking && dram != nullptr && dram->accepts_nb_transport());
    }
    dma.socket.bind(ic.target);
    if (nonblocking) dma.set_nonblocking(true);
    SC_THREAD(run);
  }
  EnergyLedger ledger;
  MemorySystem system;
  Interconnect ic;
  DmaEngine dma;
  Time end{0};
  std::string error;

 private:
  void run() {
    try {
      body_(dma);
    } catch (const std::exception& e) {
      error = e.what();
    }
    dma.sync();
    end = from_sc_time(sc_core::sc_time_stamp());
  }
  std::function<void(DmaEngine&)> body_;
};

// Feature reads from the SRAM and weight reads from the DRAM, in tiles, with writes back to the
// SRAM between them: the traffic of a layer. Records each read's completion.
struct Traffic {
  std::vector<Time> completions;
  Time end{0};
  void run(DmaEngine& dma) {
    struct Recorder : DmaClient {
      std::vector<Time>* out;
      void arrived(const DmaRequest&, Time, Time completed) override { out->push_back(completed); }
    } rec;
    rec.out = &completions;
    Time t(0);
    std::vector<DmaRequest> req;
    std::vector<DmaRead> reads;
    for (std::uint64_t tile = 0; tile < 8; ++tile) {
      req.clear();
      reads.clear();
      dma.split(Interconnect::address(1, tile * 4096), 4096, req);  // features: SRAM
      // Weights: DRAM, two rows of one bank in turn (FR-FCFS serves the hits first).
      for (std::uint64_t k = 0; k < 16; ++k) {
        dma.split(Interconnect::address(0, (k % 2) * (1u << 14) * 8 + tile * 2048 + k / 2 * 256),
                  256, req);
      }
      for (const DmaRequest& r : req) reads.push_back({r, &rec});
      t = dma.fetch(reads, t);
      req.clear();
      dma.split(Interconnect::address(1, 512 * 1024 + tile * 2048), 2048, req);
      dma.post_writes(req, t + Time(50'000));
    }
    end = dma.drain_writes(t);
  }
};

TEST(DmaAtInterconnect, AdapterIsExactForBTransportOnlyMemories) {
  // The in-order DRAM and the SRAM serve only b_transport: the AT DMA reaches both through the
  // interconnect's adapter and sees exactly the blocking DMA's completions.
  Traffic blocking_traffic, at_traffic;
  AtRig blocking("blocking", "in_order", false, [&](DmaEngine& d) { blocking_traffic.run(d); });
  AtRig at("at", "in_order", true, [&](DmaEngine& d) { at_traffic.run(d); });
  sc_core::sc_start();
  ASSERT_EQ(blocking.error, "");
  ASSERT_EQ(at.error, "");
  ASSERT_FALSE(at.ic.at_target(0));
  EXPECT_EQ(at_traffic.completions, blocking_traffic.completions);
  EXPECT_EQ(at_traffic.end, blocking_traffic.end);
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(at.ic.stats(i).requests, blocking.ic.stats(i).requests);
    EXPECT_EQ(at.ic.stats(i).busy, blocking.ic.stats(i).busy);
    EXPECT_EQ(at.ic.stats(i).link_limited_requests, blocking.ic.stats(i).link_limited_requests);
  }
  EXPECT_EQ(at.ic.at_in_flight(), 0u);
}

TEST(DmaAtInterconnect, FrFcfsGetsRequestsInFlightThroughTheLinkWithItsTiming) {
  Traffic blocking_traffic, at_traffic;
  AtRig blocking("blocking", "in_order", false, [&](DmaEngine& d) { blocking_traffic.run(d); });
  AtRig at("at", "fr_fcfs", true, [&](DmaEngine& d) { at_traffic.run(d); });
  sc_core::sc_start();
  ASSERT_EQ(at.error, "");
  ASSERT_TRUE(at.ic.at_target(0));
  ASSERT_EQ(at_traffic.completions.size(), blocking_traffic.completions.size());
  EXPECT_GT(at.dma.max_in_flight(DmaEngine::kRead), 1u);
  EXPECT_EQ(at.ic.at_in_flight(), 0u);  // every response went back, every END_RESP was settled
  // The link's latency and transfer are in every completion: a read completes no earlier than
  // its link's 100 ns (DRAM) or 10 ns (SRAM) plus 256 B at 25 GB/s (10.24 ns) after time 0.
  for (const Time c : at_traffic.completions) EXPECT_GE(c, Time(10'000 + 10'240));
  // Same bytes over each link as the blocking run.
  for (std::size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(at.ic.stats(i).requests, blocking.ic.stats(i).requests);
    EXPECT_EQ(at.ic.stats(i).bytes, blocking.ic.stats(i).bytes);
  }
  const auto* dram = dynamic_cast<const Lpddr4*>(at.system.find("dram"));
  ASSERT_NE(dram, nullptr);
  EXPECT_EQ(dram->stats().reads, 8u * 16u);
}

TEST(DmaAtInterconnect, UnmappedAddressIsAnAddressErrorResponse) {
  AtRig at("at", "fr_fcfs", true, [&](DmaEngine& d) {
    d.issue(DmaEngine::kRead, {Interconnect::address(5, 0), 64}, Time(0));
  });
  sc_core::sc_start();
  EXPECT_NE(at.error.find("address error"), std::string::npos) << at.error;
  EXPECT_EQ(at.dma.stats(DmaEngine::kRead).errors, 1u);
  EXPECT_EQ(at.ic.stats(0).requests + at.ic.stats(1).requests, 0u);
}

TEST(DmaAtInterconnect, MemoryErrorPassesBackAsAResponse) {
  // Out of the DRAM's 1 GiB: the buffered controller's own address error, through the link.
  AtRig at("at", "fr_fcfs", true, [&](DmaEngine& d) {
    d.issue(DmaEngine::kRead, {Interconnect::address(0, 2ull << 30), 64}, Time(0));
  });
  sc_core::sc_start();
  EXPECT_NE(at.error.find("address error"), std::string::npos) << at.error;
  EXPECT_EQ(at.ic.stats(0).requests, 1u);
  EXPECT_EQ(at.ic.at_in_flight(), 0u);
}

// ---- the platform key ----

TEST(DmaTransportKey, DefaultIsBlockingAndTheShippedPlatformIsNonblocking) {
  ConfigDocument::set_preset_directory(HMASIM_SOURCE_DIR "/platforms/presets");
  EXPECT_EQ(load_platform(kInOrderPlatform, {}).accelerator->dma.transport, DmaTransport::blocking);
  EXPECT_EQ(load_platform(kFrFcfsPlatform, {}).accelerator->dma.transport,
            DmaTransport::nonblocking);
}

TEST(DmaTransportKey, UnknownValueIsAnErrorWithFileAndLine) {
  const std::string dir = test::scratch("dma_transport_key").string();
  const std::string file = dir + "/p.yaml";
  std::string text = test::slurp(kFrFcfsPlatform);
  const std::string from = "transport: {value: nonblocking";
  ASSERT_NE(text.find(from), std::string::npos);
  text.replace(text.find(from), from.size(), "transport: {value: sometimes");
  test::spit(file, text);
  const test::CliRun r = test::hmasim("check " + file);
  EXPECT_EQ(r.status, 2);
  EXPECT_CONTAINS(r.err, "p.yaml:");
  EXPECT_CONTAINS(r.err, "accelerator.dma.transport");
  EXPECT_CONTAINS(r.err, "'sometimes' is not one of: blocking, nonblocking");
}

TEST(DmaTransportKey, NonblockingToAnInOrderDramIsAnErrorNamingTheMemory) {
  const test::CliRun r =
      test::hmasim("check --set accelerator.dma.transport=nonblocking " + kInOrderPlatform);
  EXPECT_EQ(r.status, 2);
  EXPECT_CONTAINS(r.err, "accelerator.dma.transport");
  EXPECT_CONTAINS(r.err, "memory 'dram'");
  EXPECT_CONTAINS(r.err, "in_order");
}

TEST(DmaTransportKey, ShippedPlatformChecks) {
  const test::CliRun r = test::hmasim("check " + kFrFcfsPlatform);
  EXPECT_EQ(r.status, 0) << r.err;
}

// ---- ResNet-50 on the FR-FCFS platform ----

TEST(DmaAtPlatform, ResNet50RunsWithRequestsInFlightAndPassesTheTimingChecker) {
  ConfigDocument::set_preset_directory(HMASIM_SOURCE_DIR "/platforms/presets");
  const PlatformConfig platform = load_platform(kFrFcfsPlatform, {});
  const Network net = load_network(kResNet50);
  EnergyLedger ledger;
  Accelerator acc("acc", platform.memories, *platform.accelerator, net, RunOptions{}, ledger);
  sc_core::sc_start();
  ASSERT_TRUE(acc.finished()) << acc.error();
  for (MemoryTarget* m : acc.memories()) m->finish(acc.end_time());
  EXPECT_EQ(acc.records().size(), net.layers.size());
  EXPECT_TRUE(acc.dma().nonblocking());
  EXPECT_GT(acc.dma().max_in_flight(DmaEngine::kRead), 1u);
  EXPECT_GT(acc.dma().max_in_flight(DmaEngine::kWrite), 1u);
  EXPECT_EQ(acc.interconnect().at_in_flight(), 0u);
  const Lpddr4* dram = nullptr;
  for (MemoryTarget* m : acc.memories()) {
    if (auto* d = dynamic_cast<const Lpddr4*>(m)) dram = d;
  }
  ASSERT_NE(dram, nullptr);
  EXPECT_TRUE(dram->accepts_nb_transport());
  ASSERT_TRUE(dram->timing_checked());
  EXPECT_GT(dram->commands_checked(), 0u);
  EXPECT_EQ(dram->timing_violations(), 0u) << dram->timing_report();
  // The weights really came from the DRAM.
  EXPECT_GT(dram->stats().bytes_read, 20u << 20);
}

TEST(DmaAtPlatform, ResNet50RunWithCheckTimingIsDeterministic) {
  const std::string dir = test::scratch("dma_at_platform_runs").string();
  std::string summaries[2];
  for (int k = 0; k < 2; ++k) {
    const std::string out = dir + "/run" + std::to_string(k);
    const test::CliRun r = test::hmasim("run --check-timing --platform " + kFrFcfsPlatform +
                                        " --workload " + kResNet50 + " --out " + out);
    ASSERT_EQ(r.status, 0) << r.err;
    summaries[k] = test::slurp(out + "/summary.json");
    ASSERT_FALSE(summaries[k].empty());
    EXPECT_EQ(test::slurp(out + "/layers.csv"), test::slurp(dir + "/run0/layers.csv"));
  }
  // Identical but for the wall times.
  const auto without_wall = [](std::string s) {
    for (const std::string key : {"\"wall_time_s\"", "\"wall_time_simulation_s\""}) {
      const std::size_t at = s.find(key);
      if (at != std::string::npos) s.erase(at, s.find_first_of(",\n}", at) - at);
    }
    return s;
  };
  EXPECT_EQ(without_wall(summaries[0]), without_wall(summaries[1]));
  EXPECT_GT(test::json_number(summaries[0], "cycles"), 0);
}

TEST(DmaAtPlatform, AtPathIsFasterThanBlockingCallsToTheSameController) {
  // Blocking calls to the buffered controller are served one at a time; the AT path keeps the
  // DMA's requests in flight through the link (a link that passed the memory's END_REQ back to
  // the DMA would serialise them behind the link's 100 ns latency, and lose this).
  const std::string dir = test::scratch("dma_at_vs_blocking").string();
  double cycles[2] = {0, 0};
  const char* transports[2] = {"blocking", "nonblocking"};
  for (int k = 0; k < 2; ++k) {
    const std::string out = dir + "/" + transports[k];
    const test::CliRun r =
        test::hmasim("run --platform " + kFrFcfsPlatform + " --workload " + kResNet50 +
                     " --set accelerator.dma.transport=" + transports[k] + " --out " + out);
    ASSERT_EQ(r.status, 0) << r.err;
    const std::string summary = test::slurp(out + "/summary.json");
    cycles[k] = test::json_number(summary, "cycles");
    // summary.json's dma block: the transport, and requests in flight only on the AT path.
    EXPECT_NE(summary.find(std::string("\"transport\": \"") + transports[k] + "\""),
              std::string::npos);
    const double in_flight = test::json_number(summary, "max_in_flight", "dma");
    if (k == 0) {
      EXPECT_EQ(in_flight, 1);
    } else {
      EXPECT_GT(in_flight, 1);
    }
    EXPECT_GT(test::json_number(summary, "requests", "dma"), 0);
  }
  EXPECT_LT(cycles[1], cycles[0]);
}

TEST(DmaAtPlatform, Nvdla64ResNet50OverTheAtPathPassesTheTimingChecker) {
  const std::string dir = test::scratch("dma_at_nvdla64").string();
  // The shipped NVDLA-64 FR-FCFS platform, power-down on: the checker audits PDE/PDX too.
  const test::CliRun r = test::hmasim("run --check-timing --platform " HMASIM_SOURCE_DIR
                                      "/platforms/nvdla64-lpddr4-frfcfs.yaml --workload " +
                                      kResNet50 + " --out " + dir);
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_GT(test::json_number(test::slurp(dir + "/summary.json"), "cycles"), 0);
}

}  // namespace
}  // namespace hmasim
