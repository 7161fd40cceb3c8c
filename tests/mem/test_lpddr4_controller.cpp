// The buffered LPDDR4 controller (controller.scheduler: fcfs, fr_fcfs, fr_fcfs_grp) driven by the
// trace replayer over AT nb_transport: reordering, buffer depth, per-bank refresh, the JEDEC
// turnarounds, sequential bandwidth, and energy per rail against a hand-computed DRAMPower core
// energy, and power-down / self-refresh (power_down: {...}). Every memory here is audited by the
// independent timing checker (main below).
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
#include "support/memory_bench.hpp"

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

// ---------------------------------------------------------------------------------------------
// Power-down and self-refresh

const char* kPowerDown = "power_down: {enabled: true, idle_cycles: 64}";
// Data of a 32 B read issued at `rd`: RL + tDQSCK + BL/2 later it has crossed the bus.
std::uint64_t read_data_end(const Lpddr4Timing& tm, Cycles rd) {
  return (rd + tm.RL + tm.DQSCK + Cycles(8)).value();
}

TEST(Lpddr4Controller, PowerDownIsEnteredOnALongIdleAndTheExitLatencyDelaysTheNextRequest) {
  // Two 32 B reads of one row, 2000 tCK apart; the bank stays open (active power-down).
  const std::string t = stl({{0, false, 0, 32}, {2000, false, 32, 32}});
  Bench b(memories({{"off", {controller("fr_fcfs"), "refresh: none"}},
                    {"on", {controller("fr_fcfs"), "refresh: none", kPowerDown}}}),
          {t, t});
  const Lpddr4Timing& tm = b.drams[1]->config().timing;
  const auto rd_off = b.log(0, Lpddr4Command::RD), rd_on = b.log(1, Lpddr4Command::RD);
  ASSERT_EQ(rd_off.size(), 2u);
  ASSERT_EQ(rd_on.size(), 2u);
  EXPECT_EQ(b.drams[0]->count(Lpddr4Command::PDE), 0u);
  const auto pde = b.log(1, Lpddr4Command::PDE);
  const auto pdx = b.log(1, Lpddr4Command::PDX);
  ASSERT_EQ(pde.size(), 1u);
  ASSERT_EQ(pdx.size(), 1u);
  // Entry idle_cycles after the first read's data; exit at the second arrival, which then waits
  // tXP: the only difference to the run without power-down.
  EXPECT_EQ(pde[0].cycle.value(), read_data_end(tm, rd_on[0].cycle) + 64);
  EXPECT_EQ(pdx[0].cycle, rd_off[1].cycle);
  EXPECT_EQ(rd_on[0].cycle, rd_off[0].cycle);
  EXPECT_EQ(rd_on[1].cycle, rd_off[1].cycle + tm.XP);
  EXPECT_EQ(b.drams[1]->background_cycles(BackgroundState::active_power_down),
            pdx[0].cycle - pde[0].cycle);
}

TEST(Lpddr4Controller, SelfRefreshFollowsTheLongerIdleWithNoRefreshInside) {
  const std::string t = stl({{0, false, 0, 32}, {100000, false, 32, 32}});
  Bench b(memories({{"dram",
                     {controller("fr_fcfs"),
                      "power_down: {enabled: true, idle_cycles: 64, self_refresh_idle_cycles: "
                      "20000}"}}}),
          {t});
  const Lpddr4Timing& tm = b.drams[0]->config().timing;
  const auto sre = b.log(0, Lpddr4Command::SRE), srx = b.log(0, Lpddr4Command::SRX);
  ASSERT_EQ(sre.size(), 1u);
  ASSERT_EQ(srx.size(), 1u);
  const auto rd = b.log(0, Lpddr4Command::RD);
  ASSERT_EQ(rd.size(), 2u);
  // Power-down first; at the longer threshold PDX, tXP, then SRE (the REFs closed the bank).
  EXPECT_EQ(sre[0].cycle.value(), read_data_end(tm, rd[0].cycle) + 20000 + tm.XP.value());
  EXPECT_EQ(srx[0].cycle, Cycles(100000));
  // Every REF before the SRE woke power-down first; none between SRE and SRX.
  const auto& log = b.drams[0]->command_log();
  std::size_t refs_before = 0;
  for (std::size_t i = 0; i < log.size(); ++i) {
    if (log[i].command != Lpddr4Command::REF) continue;
    EXPECT_FALSE(log[i].cycle > sre[0].cycle && log[i].cycle < srx[0].cycle)
        << "REF in self-refresh at " << log[i].cycle.value();
    if (log[i].cycle < sre[0].cycle) {
      ++refs_before;
      // PDX, then PREA (first REF only: the bank was open), then REF.
      std::size_t j = i;
      while (j > 0 && log[j - 1].command == Lpddr4Command::PREA) --j;
      ASSERT_GT(j, 0u);
      EXPECT_EQ(log[j - 1].command, Lpddr4Command::PDX);
      EXPECT_GE(log[i].cycle, log[j - 1].cycle + tm.XP);
    }
  }
  EXPECT_EQ(refs_before, (sre[0].cycle.value() - 1) / tm.REFI.value());
  // The next command waits tXSR after the exit (the bank is closed: ACT first).
  const auto act = b.log(0, Lpddr4Command::ACT);
  ASSERT_EQ(act.size(), 2u);
  EXPECT_EQ(act[1].cycle, srx[0].cycle + tm.XSR);
  EXPECT_GT(b.drams[0]->background_cycles(BackgroundState::self_refresh).value(), 70000u);
}

TEST(Lpddr4Controller, BackgroundEnergyPerPowerStateMatchesAHandComputedFigure) {
  // One 32 B read at cycle 0, no refresh, run until 1000 tCK. ACT at 0, RD at tRCD = 29, data
  // until 29 + RL 28 + tDQSCK 6 + BL/2 8 = 71. Power-down at 71 + 64 = 135 (bank open: IDD3P);
  // self-refresh threshold 71 + 400 = 471: PDX at 471, tXP (12, IDD3N), PREA at 483, tRPab (34,
  // all banks precharged: IDD2N), SRE at 517, IDD6 until 1000.
  Bench b(memories({{"dram",
                     {controller("fr_fcfs"), "refresh: none",
                      "power_down: {enabled: true, idle_cycles: 64, self_refresh_idle_cycles: "
                      "400}"}}}),
          {stl({{0, false, 0, 32}})});
  b.drams[0]->finish(b.drams[0]->clock().time_of(Cycles(1000)));
  const std::vector<std::pair<Lpddr4Command, std::uint64_t>> expected = {
      {Lpddr4Command::ACT, 0},   {Lpddr4Command::RD, 29},    {Lpddr4Command::PDE, 135},
      {Lpddr4Command::PDX, 471}, {Lpddr4Command::PREA, 483}, {Lpddr4Command::SRE, 517}};
  const auto& log = b.drams[0]->command_log();
  ASSERT_EQ(log.size(), expected.size());
  for (std::size_t i = 0; i < log.size(); ++i) {
    EXPECT_EQ(log[i].command, expected[i].first) << i;
    EXPECT_EQ(log[i].cycle.value(), expected[i].second) << i;
  }
  const double tck = 0.625e-9;
  // (VDD1 IDD1 + VDD2 IDD2) core and VDDQ IDDQ io, mW x cycles x tCK.
  const double core = (1.8 * 2.25 + 1.1 * 30) * (135 + 12) + (1.8 * 1.2 + 1.1 * 9.0) * 336 +
                      (1.8 * 2.0 + 1.1 * 27) * 34 + (1.8 * 0.3 + 1.1 * 0.5) * 483;
  const double io = 1.1 * 0.75 * (135 + 12 + 336 + 34) + 1.1 * 0.1 * 483;
  const Lpddr4RailReport r = b.drams[0]->energy_by_rail();
  EXPECT_NEAR(r.by_class[6].core.value(), core * 1e-3 * tck, 1e-12);
  EXPECT_NEAR(r.by_class[6].io.value(), io * 1e-3 * tck, 1e-12);
  EXPECT_EQ(b.drams[0]->background_cycles(BackgroundState::self_refresh), Cycles(483));
  const double total = b.ledger.total(b.drams[0]->component()).value();
  EXPECT_NEAR(r.sum().core.value() + r.sum().io.value(), total, 1e-15);
}

TEST(Lpddr4Controller, RunsWithPowerDownPassTheChecker) {
  // Bursts of random traffic with idle gaps of every length: short (no power-down), past
  // idle_cycles, past self_refresh_idle_cycles, across refreshes.
  std::mt19937_64 rng(21);
  std::vector<Req> v;
  std::uint64_t at = 0;
  for (int burst = 0; burst < 60; ++burst) {
    const std::uint64_t gaps[] = {10, 100, 700, 3000, 9000, 30000};
    at += gaps[rng() % 6] + 60;
    for (int i = 0; i < 20; ++i) {
      v.push_back(
          {at + static_cast<std::uint64_t>(i) * 3, rng() % 3 == 0, (rng() % (1ull << 24)) * 64});
    }
  }
  const std::string t = stl(v);
  const std::string staggered =
      "power_down: {enabled: true, idle_cycles: 50, self_refresh_idle_cycles: 8000}";
  Bench b(
      memories({{"a", {controller("fr_fcfs"), staggered}},
                {"b", {controller("fcfs"), "refresh: per_bank", "page_policy: closed", staggered}},
                {"c", {controller("fr_fcfs_grp"), "page_policy: open_adaptive", kPowerDown}}}),
      {t, t, t});
  for (Lpddr4* d : b.drams) {
    EXPECT_TRUE(d->timing_checked());
    EXPECT_EQ(d->timing_violations(), 0u) << d->timing_report();
    EXPECT_GT(d->count(Lpddr4Command::PDE), 10u);
    EXPECT_EQ(d->count(Lpddr4Command::PDE), d->count(Lpddr4Command::PDX));
  }
  EXPECT_GT(b.drams[0]->count(Lpddr4Command::SRE), 3u);
  EXPECT_GT(b.drams[1]->count(Lpddr4Command::SRE), 3u);
  EXPECT_EQ(b.drams[2]->count(Lpddr4Command::SRE), 0u);
}

TEST(Lpddr4Controller, PowerDownNeverChangesTheBytesRead) {
  // The same writes and reads, with long idle gaps, with and without power-down / self-refresh.
  const auto specs = memories(
      {{"off", {controller("fr_fcfs")}},
       {"on",
        {controller("fr_fcfs"),
         "power_down: {enabled: true, idle_cycles: 16, self_refresh_idle_cycles: 2000}"}}});
  EnergyLedger ledger;
  MemorySystem system(specs, ledger);
  std::vector<std::vector<std::uint8_t>> got(2);
  const auto script = [&](std::size_t k) {
    return [&, k](test::ScriptedInitiator& init) {
      std::mt19937_64 rng(3);
      Time t(0);
      for (int i = 0; i < 40; ++i) {
        const std::uint64_t a = (rng() % (1ull << 20)) * 64;
        std::vector<std::uint8_t> d(64);
        for (auto& x : d) x = static_cast<std::uint8_t>(rng());
        init.write(a, d);
        t += Time(1'000'000 * (1 + rng() % 20));  // 1 to 20 us apart
        init.advance_to(t);
        init.sync();
        std::vector<std::uint8_t> r;
        init.read(a, 64, &r);
        got[k].insert(got[k].end(), r.begin(), r.end());
        EXPECT_EQ(r, d) << "memory " << k << " access " << i;
      }
    };
  };
  test::ScriptedInitiator i0("init_off", *system.find("off"), script(0));
  test::ScriptedInitiator i1("init_on", *system.find("on"), script(1));
  sc_core::sc_start();
  EXPECT_EQ(got[0], got[1]);
  EXPECT_EQ(got[0].size(), 40u * 64);
  auto* on = dynamic_cast<Lpddr4*>(system.find("on"));
  on->finish(Time(1'000'000'000));
  EXPECT_GT(on->count(Lpddr4Command::SRE), 0u);
}

}  // namespace
}  // namespace hmasim
