// The buffered LPDDR4 controller (controller.scheduler: fcfs, fr_fcfs, fr_fcfs_grp) driven by the
// trace replayer over AT nb_transport: reordering, buffer depth, per-bank refresh, the JEDEC
// turnarounds, sequential bandwidth, and energy per rail against a hand-computed DRAMPower core
// energy. Every memory here is audited by the independent timing checker (main below).
#include <gtest/gtest.h>

#include <algorithm>
#include <cstdint>
#include <fstream>
#include <memory>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "app/platform_file.hpp"
#include "core/config_node.hpp"
#include "core/energy_ledger.hpp"
#include "mem/lpddr4/lpddr4.hpp"
#include "mem/memory_system.hpp"
#include "mem/stl_trace.hpp"
#include "mem/trace_replayer.hpp"

namespace hmasim {
namespace {

const char* kInterleaved =
    "address_mapping: {byte: [0], column: [\"1-10\"], bank: [\"11-13\"], row: [\"14-29\"], "
    "channel: []}";
const char* kRowMajor =
    "address_mapping: {byte: [0], column: [\"1-10\"], row: [\"11-26\"], bank: [\"27-29\"], "
    "channel: []}";

// One lpddr4 memory per entry (name -> extra lines) on the lpddr4-3200 preset, 1 GiB.
std::vector<MemorySpec> memories(
    const std::vector<std::pair<std::string, std::vector<std::string>>>& list) {
  std::string y = "memories:\n";
  for (const auto& [name, lines] : list) {
    y += "  " + name + ":\n    preset: lpddr4-3200\n    model: lpddr4\n    capacity: 1GiB\n";
    bool mapping = false;
    for (const auto& l : lines) mapping = mapping || l.rfind("address_mapping", 0) == 0;
    if (!mapping) y += std::string("    ") + kRowMajor + "\n";
    for (const auto& l : lines) y += "    " + l + "\n";
  }
  ConfigDocument::set_preset_directory(HMASIM_SOURCE_DIR "/platforms/presets");
  auto doc = ConfigDocument::load_string(y, "test.yaml");
  std::vector<MemorySpec> specs = parse_memories(doc->root().child("memories"));
  doc->finish();
  return specs;
}

std::string controller(const std::string& scheduler, unsigned depth = 8) {
  return "controller: {scheduler: " + scheduler + ", buffer_depth: " + std::to_string(depth) + "}";
}

struct Req {
  std::uint64_t cycle;
  bool write;
  std::uint64_t address;
  std::uint32_t length = 64;
};
std::string stl(const std::vector<Req>& reqs) {
  std::ostringstream s;
  for (const Req& r : reqs) {
    s << r.cycle << ": (" << r.length << ") " << (r.write ? "write" : "read") << " 0x" << std::hex
      << r.address << std::dec << "\n";
  }
  return s.str();
}

// Replays one trace per memory of `specs`, all in one simulation; returns the summaries.
struct Bench {
  EnergyLedger ledger;
  std::unique_ptr<MemorySystem> system;
  std::vector<std::unique_ptr<std::istringstream>> inputs;
  std::vector<std::unique_ptr<StlTraceReader>> readers;
  std::vector<std::unique_ptr<TraceReplayer>> replayers;
  std::vector<Lpddr4*> drams;

  Bench(const std::vector<MemorySpec>& specs, const std::vector<std::string>& traces) {
    system = std::make_unique<MemorySystem>(specs, ledger);
    for (std::size_t i = 0; i < specs.size(); ++i) {
      auto* d = dynamic_cast<Lpddr4*>(system->find(specs[i].name));
      drams.push_back(d);
      d->enable_command_log();
      inputs.push_back(std::make_unique<std::istringstream>(traces[i]));
      readers.push_back(std::make_unique<StlTraceReader>(*inputs.back(), specs[i].name, 64));
      replayers.push_back(std::make_unique<TraceReplayer>(("replay_" + specs[i].name).c_str(),
                                                          *readers.back(), d->clock(),
                                                          d->accepts_nb_transport()));
      replayers.back()->socket.bind(d->socket);
    }
    sc_core::sc_start();
    for (std::size_t i = 0; i < drams.size(); ++i) {
      EXPECT_EQ(replayers[i]->summary().error, "");
      drams[i]->finish(replayers[i]->summary().end_time);
    }
  }
  Time end(std::size_t i) const { return replayers[i]->summary().end_time; }
  std::vector<Lpddr4CommandRecord> log(std::size_t i, Lpddr4Command c) const {
    std::vector<Lpddr4CommandRecord> v;
    for (const auto& r : drams[i]->command_log()) {
      if (r.command == c) v.push_back(r);
    }
    return v;
  }
};

// n random reads over `rows` rows of each of the 8 banks, all at cycle 0.
std::vector<Req> random_reads(std::size_t n, std::uint64_t rows, std::uint64_t seed) {
  std::mt19937_64 rng(seed);
  std::vector<Req> v;
  for (std::size_t i = 0; i < n; ++i) {
    const std::uint64_t bank = rng() % 8, row = rng() % rows, col64 = rng() % 32;
    v.push_back({0, false, (bank << 27) | (row << 11) | (col64 << 6)});
  }
  return v;
}

TEST(Lpddr4Controller, FrFcfsBeatsFcfsOnRandomReadsAtEqualDepth) {
  const std::string t = stl(random_reads(3000, 4, 11));
  Bench b(memories({{"fcfs", {controller("fcfs")}}, {"frfcfs", {controller("fr_fcfs")}}}), {t, t});
  EXPECT_LT(b.end(1), b.end(0)) << "fr_fcfs " << b.end(1).value() << " ps, fcfs "
                                << b.end(0).value() << " ps";
  // Reordering turns misses into hits: fewer ACTs for the same reads.
  EXPECT_LT(b.drams[1]->count(Lpddr4Command::ACT), b.drams[0]->count(Lpddr4Command::ACT));
}

TEST(Lpddr4Controller, FrFcfsEqualsFcfsOnASequentialStream) {
  std::vector<Req> seq;
  for (std::uint64_t i = 0; i < 4000; ++i) seq.push_back({0, false, i * 64});
  const std::string t = stl(seq);
  Bench b(memories({{"fcfs", {controller("fcfs"), kInterleaved}},
                    {"frfcfs", {controller("fr_fcfs"), kInterleaved}}}),
          {t, t});
  EXPECT_EQ(b.end(0), b.end(1));
}

TEST(Lpddr4Controller, RowHitBehindARowMissToAnotherBankIsServedFirst) {
  // Bank 0 row 1 and bank 1 row 5 opened first; later, a miss to bank 0 (row 2) and, behind
  // it, a hit to bank 1 row 5 arrive together.
  const std::uint64_t b0r1 = (0ull << 27) | (1ull << 11), b0r2 = (0ull << 27) | (2ull << 11);
  const std::uint64_t b1r5 = (1ull << 27) | (5ull << 11);
  const std::string t =
      stl({{0, false, b0r1}, {0, false, b1r5}, {1000, false, b0r2}, {1000, false, b1r5 + 64}});
  Bench b(memories({{"dram", {controller("fr_fcfs"), "refresh: none"}}}), {t});
  const auto reads = b.log(0, Lpddr4Command::RD);
  ASSERT_EQ(reads.size(), 8u);
  // After cycle 1000: the hit's two bursts (bank 1) come before the miss's (bank 0).
  std::vector<std::uint16_t> late;
  for (const auto& r : reads) {
    if (r.cycle >= Cycles(1000)) late.push_back(r.bank);
  }
  ASSERT_EQ(late.size(), 4u);
  EXPECT_EQ(late, (std::vector<std::uint16_t>{1, 1, 0, 0}));
}

TEST(Lpddr4Controller, DeeperBuffersNeverSlowATraceDown) {
  std::mt19937_64 rng(5);
  std::vector<Req> v;
  for (std::size_t i = 0; i < 3000; ++i) {
    v.push_back({i * 6, rng() % 3 == 0, (rng() % (1ull << 24)) * 64});
  }
  const std::string t = stl(v);
  const std::vector<unsigned> depths = {1, 2, 4, 8, 16, 32};
  std::vector<std::pair<std::string, std::vector<std::string>>> list;
  for (unsigned d : depths) list.push_back({"d" + std::to_string(d), {controller("fr_fcfs", d)}});
  Bench b(memories(list), std::vector<std::string>(depths.size(), t));
  for (std::size_t i = 1; i < depths.size(); ++i) {
    EXPECT_LE(b.end(i), b.end(i - 1)) << "depth " << depths[i] << " vs " << depths[i - 1];
  }
  EXPECT_LT(b.end(depths.size() - 1), b.end(0));
}

TEST(Lpddr4Controller, PerBankRefreshNeverBlocksTheOtherBanks) {
  std::mt19937_64 rng(9);
  std::vector<Req> v;
  for (std::size_t i = 0; i < 6000; ++i) v.push_back({i * 4, false, (rng() % (1ull << 24)) * 64});
  Bench b(memories({{"dram", {controller("fr_fcfs"), "refresh: per_bank"}}}), {stl(v)});
  const Lpddr4Timing& tm = b.drams[0]->config().timing;
  const auto refs = b.log(0, Lpddr4Command::REFPB);
  ASSERT_GE(refs.size(), 8u);
  EXPECT_EQ(b.drams[0]->count(Lpddr4Command::REF), 0u);
  EXPECT_EQ(b.drams[0]->count(Lpddr4Command::PREA), 0u);
  // While a bank refreshes, nothing goes to it, and the other banks keep being served.
  std::uint64_t others_served = 0;
  for (const auto& ref : refs) {
    for (const auto& r : b.drams[0]->command_log()) {
      if (r.cycle < ref.cycle || r.cycle >= ref.cycle + tm.RFCpb) continue;
      if (r.command == Lpddr4Command::REFPB) continue;
      if (r.bank == ref.bank)
        ADD_FAILURE() << "command to a refreshing bank at " << r.cycle.value();
      if (r.command == Lpddr4Command::RD) ++others_served;
    }
  }
  EXPECT_GT(others_served, refs.size());
}

TEST(Lpddr4Controller, ReadToWriteAndWriteToReadGapsEqualTheJedecFormulas) {
  // Row hits in one bank, one burst each: RD, WR, RD (FCFS keeps the order).
  const std::uint64_t a = 3ull << 11;
  const std::string t = stl(
      {{0, false, a, 32}, {0, false, a + 32, 32}, {0, true, a + 64, 32}, {0, false, a + 96, 32}});
  Bench b(memories({{"dram", {controller("fcfs"), "refresh: none"}}}), {t});
  const Lpddr4Timing& tm = b.drams[0]->config().timing;
  const auto rd = b.log(0, Lpddr4Command::RD);
  const auto wr = b.log(0, Lpddr4Command::WR);
  ASSERT_EQ(rd.size(), 3u);
  ASSERT_EQ(wr.size(), 1u);
  const std::uint64_t bl2 = 8;
  EXPECT_EQ(
      (wr[0].cycle - rd[1].cycle).value(),
      tm.RL.value() + tm.DQSCK.value() + bl2 - tm.WL.value() + tm.WPRE.value() + tm.RPST.value());
  EXPECT_EQ((rd[2].cycle - wr[0].cycle).value(), tm.WL.value() + 1 + bl2 + tm.WTR.value());
  // Read data comes RL + tDQSCK + BL/2 after the last RD: the replayer sees that end time.
  EXPECT_EQ(b.end(0), b.drams[0]->clock().time_of(rd[2].cycle + tm.RL + tm.DQSCK + Cycles(bl2)));
}

TEST(Lpddr4Controller, SequentialReadsReachNinetyPercentOfPeakWithBankInterleaving) {
  std::vector<Req> seq;
  for (std::uint64_t i = 0; i < 20000; ++i) seq.push_back({0, false, i * 64});
  Bench b(memories({{"dram", {controller("fr_fcfs"), kInterleaved}}}), {stl(seq)});
  const double bw = 20000.0 * 64 / to_seconds(b.end(0));
  EXPECT_GE(bw, 0.9 * b.drams[0]->peak_bandwidth().value()) << bw;
}

TEST(Lpddr4Controller, CoreEnergyMatchesAHandComputedDrampowerFigure) {
  // One 32 B read to a precharged bank at cycle 0, open page, no refresh, run until 1000 tCK:
  // ACT at 0, RD at tRCD = 29; the bank stays open. DRAMPower core energy (VDD1 + VDD2 only),
  // from the memspec's numbers (V: 1.8, 1.1; mA):
  //   E_ACT = (1.8 (3.5 - 2.25) + 1.1 (45 - 30)) mW x tRAS (68 x 0.625 ns)
  //   E_RD  = (1.8 (2.25 - 2.25) + 1.1 (275 - 30)) mW x BL/2 (8 x 0.625 ns)
  //   background: active standby IDD3N over the 1000 tCK (a bank is open from the ACT at 0)
  //   (1.8 x 2.25 + 1.1 x 30) mW x 1000 x 0.625 ns
  Bench b(memories({{"dram", {controller("fr_fcfs"), "refresh: none"}}}),
          {stl({{0, false, 0, 32}})});
  const double tck = 0.625e-9;
  const double act = (1.8 * (3.5 - 2.25) + 1.1 * (45 - 30)) * 1e-3 * 68 * tck;
  const double rd = (1.8 * 0 + 1.1 * (275 - 30)) * 1e-3 * 8 * tck;
  const double bg = (1.8 * 2.25 + 1.1 * 30) * 1e-3 * 1000 * tck;
  b.drams[0]->finish(b.drams[0]->clock().time_of(Cycles(1000)));
  const Lpddr4RailReport r = b.drams[0]->energy_by_rail();
  EXPECT_NEAR(r.by_class[0].core.value(), act, 1e-12);
  EXPECT_NEAR(r.by_class[2].core.value(), rd, 1e-12);
  EXPECT_NEAR(r.by_class[6].core.value(), bg, 1e-12);
  EXPECT_NEAR(r.sum().core.value(), act + rd + bg, 1e-12);
  // core + io is what the ledger holds.
  const double total = b.ledger.total(b.drams[0]->component()).value();
  EXPECT_NEAR(r.sum().core.value() + r.sum().io.value(), total, 1e-15);
  EXPECT_GT(r.sum().io.value(), 0.0);
}

TEST(Lpddr4Controller, EveryShippedTracePassesTheChecker) {
  std::ifstream in(HMASIM_SOURCE_DIR "/platforms/traces/demo.stl");
  std::stringstream s;
  s << in.rdbuf();
  Bench b(memories({{"frfcfs", {controller("fr_fcfs")}},
                    {"grp", {controller("fr_fcfs_grp"), "page_policy: closed_adaptive"}},
                    {"pb", {controller("fcfs"), "refresh: per_bank", "page_policy: open_adaptive"}},
                    {"inorder", {}}}),
          {s.str(), s.str(), s.str(), s.str()});
  for (Lpddr4* d : b.drams) {
    EXPECT_TRUE(d->timing_checked());
    EXPECT_GT(d->commands_checked(), 0u);
    EXPECT_EQ(d->timing_violations(), 0u) << d->timing_report();
  }
}

}  // namespace
}  // namespace hmasim
