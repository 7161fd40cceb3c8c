// Tests of fault injection: measured rates against the analytic model, Gray coding, seeding and
// independence from read order and request split, and the envm integration (faults: key,
// regions, statistics). Expected values are derived here (from the model, the definitions, or an
// independent decode of the bytes), never pasted from a run. Suite names contain "fault".
#include <gtest/gtest.h>

#include <algorithm>
#include <bitset>
#include <cmath>
#include <memory>
#include <numeric>
#include <random>
#include <string>
#include <utility>
#include <vector>

#include "core/energy_ledger.hpp"
#include "mem/envm/envm.hpp"
#include "mem/faults/fault_injector.hpp"
#include "mem/faults/level_coding.hpp"
#include "mem/faults/mlc_fault_model.hpp"
#include "support/memory_bench.hpp"

namespace hmasim {
namespace {

// ---------------------------------------------------------------------------------------------
// Helpers

constexpr std::uint32_t kCellsPerUnit = 64;  // as the shipped presets' cells_per_access

std::vector<CellLevel> preset_levels(const std::string& preset, int bits) {
  const auto specs = test::parse_platform(
      "memories:\n  m: {model: envm, capacity: 1MiB, technology: {preset: " + preset + "}}\n");
  return dynamic_cast<const EnvmConfig&>(*specs.at(0).config).technology.levels.levels(bits);
}

// Equally spaced levels whose neighbours overlap enough for about 1% misreads each way: faults
// are plentiful, so order and split effects cannot hide.
MlcFaultModel synthetic(int bits) {
  const int n = 1 << bits;
  const double spacing = 1.0 / (n - 1);
  std::vector<CellLevel> levels;
  for (int i = 0; i < n; ++i) levels.push_back({i * spacing, spacing / 4.6});
  return MlcFaultModel(levels);
}

std::vector<std::uint8_t> random_bytes(std::size_t n, std::uint32_t seed) {
  std::mt19937 rng(seed);
  std::vector<std::uint8_t> v(n);
  for (auto& b : v) b = static_cast<std::uint8_t>(rng());
  return v;
}

using Chunks = std::vector<std::pair<std::uint64_t, std::uint64_t>>;  // (offset, length)

Chunks in_order(std::uint64_t size, std::uint64_t chunk) {
  Chunks c;
  for (std::uint64_t o = 0; o < size; o += chunk) c.push_back({o, std::min(chunk, size - o)});
  return c;
}

// Chunks of random length in [1, max] (multiples of `align`), in random order.
Chunks shuffled(std::uint64_t size, std::uint64_t max, std::uint64_t align, std::uint32_t seed) {
  std::mt19937 rng(seed);
  Chunks c;
  for (std::uint64_t o = 0; o < size;) {
    const std::uint64_t len = std::min(size - o, align * (1 + rng() % (max / align)));
    c.push_back({o, len});
    o += len;
  }
  std::shuffle(c.begin(), c.end(), rng);
  return c;
}

// Reads `stored` through `injector` request by request, as a memory returns it.
std::vector<std::uint8_t> read_through(FaultInjector& injector,
                                       const std::vector<std::uint8_t>& stored,
                                       const Chunks& chunks) {
  std::vector<std::uint8_t> out(stored.size());
  const FaultInjector::StoredBytes source = [&](std::uint64_t o) { return stored[o]; };
  for (const auto& [offset, length] : chunks) {
    std::copy_n(stored.begin() + static_cast<std::ptrdiff_t>(offset), length,
                out.begin() + static_cast<std::ptrdiff_t>(offset));
    injector.read(offset, out.data() + offset, length, source);
  }
  return out;
}

FaultInjector make(const MlcFaultModel& model, std::uint64_t bytes, FaultMode mode,
                   std::uint64_t seed, LevelCoding coding = LevelCoding::gray) {
  return FaultInjector(model, CellLayout{Bytes(bytes), coding, kCellsPerUnit}, mode, seed);
}

// |measured - p| <= 5 sqrt(p (1 - p) / n) + 1 / n: five standard errors of a binomial proportion
// (a false alarm once in ~1.7 million checks), plus one count for rates too small to observe.
void expect_agreement(const MlcFaultModel& model, const MeasuredRates& m, const std::string& what) {
  auto check = [&](std::uint64_t count, std::uint64_t n, double p, const std::string& which) {
    const double nd = static_cast<double>(n);
    const double bound = 5.0 * std::sqrt(p * (1.0 - p) / nd) + 1.0 / nd;
    EXPECT_NEAR(static_cast<double>(count) / nd, p, bound) << what << ": " << which;
  };
  std::uint64_t total = 0;
  for (std::size_t l = 0; l < model.level_count(); ++l) {
    check(m.down[l], m.cells[l], model.p_down(l), "level " + std::to_string(l) + " down");
    check(m.up[l], m.cells[l], model.p_up(l), "level " + std::to_string(l) + " up");
    total += m.cells[l];
  }
  check(m.misreads(), total, model.mean_misread_rate(), "mean per cell");
}

int bit_count(std::uint8_t v) {
  return static_cast<int>(std::bitset<8>(v).count());
}

// ---------------------------------------------------------------------------------------------
// Measured against analytic rates

TEST(fault_injector, MeasuredRatesAgreeWithAnalyticForRramMlc3) {
  const MlcFaultModel model(preset_levels("rram", 3));
  for (FaultMode mode : {FaultMode::program, FaultMode::read}) {
    const MeasuredRates m =
        measure_misread_rates(model, LevelCoding::gray, mode, 11, 10'000'000, kCellsPerUnit);
    EXPECT_EQ(std::accumulate(m.cells.begin(), m.cells.end(), std::uint64_t{0}), 10'000'000u);
    expect_agreement(model, m, std::string("rram MLC3 ") + to_string(mode));
  }
}

TEST(fault_injector, MeasuredRatesAgreeWithAnalyticForLargeUnequalRates) {
  // Unequal sigmas and spacings: rates from ~1e-4 to several 1e-2, crossings off-centre.
  const MlcFaultModel model({{0.0, 0.06}, {0.3, 0.05}, {0.62, 0.09}, {1.0, 0.04}});
  for (FaultMode mode : {FaultMode::program, FaultMode::read}) {
    const MeasuredRates m =
        measure_misread_rates(model, LevelCoding::binary, mode, 5, 10'000'000, kCellsPerUnit);
    expect_agreement(model, m, std::string("synthetic ") + to_string(mode));
  }
}

TEST(fault_injector, WithGrayCodingEveryLevelSlipIsOneBitError) {
  for (int bits = 1; bits <= 4; ++bits) {
    const MlcFaultModel model = synthetic(bits);
    const MeasuredRates gray =
        measure_misread_rates(model, LevelCoding::gray, FaultMode::read, 3, 1'000'000, 64);
    ASSERT_GT(gray.misreads(), 1000u) << bits;
    EXPECT_EQ(gray.bit_errors, gray.misreads()) << bits;
    EXPECT_EQ(gray.stats.bit_errors, gray.stats.level_faults) << bits;
    const MeasuredRates binary =
        measure_misread_rates(model, LevelCoding::binary, FaultMode::read, 3, 1'000'000, 64);
    if (bits > 1) {
      EXPECT_GT(binary.bit_errors, binary.misreads()) << bits;
    } else {
      EXPECT_EQ(binary.bit_errors, binary.misreads());
    }
  }
}

TEST(fault_injector, StatisticsCountDeliveredCellsMisreadLevelsAndFlippedBits) {
  const MlcFaultModel model = synthetic(2);
  const auto stored = random_bytes(50'000, 1);
  FaultInjector injector = make(model, stored.size(), FaultMode::program, 9);
  const auto out = read_through(injector, stored, in_order(stored.size(), 1000));
  // Decode both independently of the injector's counters.
  const auto before = levels_of_bytes(stored.data(), stored.size(), 2, LevelCoding::gray);
  const auto after = levels_of_bytes(out.data(), out.size(), 2, LevelCoding::gray);
  std::uint64_t misread = 0, bits = 0;
  for (std::size_t i = 0; i < before.size(); ++i) {
    misread += before[i] != after[i];
    EXPECT_LE(std::abs(before[i] - after[i]), 1) << "cell " << i;  // adjacent levels only
  }
  for (std::size_t i = 0; i < stored.size(); ++i) bits += bit_count(stored[i] ^ out[i]);
  EXPECT_EQ(injector.stats().cells_read, before.size());
  EXPECT_EQ(injector.stats().level_faults, misread);
  EXPECT_EQ(injector.stats().bit_errors, bits);
  EXPECT_GT(misread, 0u);
}

// ---------------------------------------------------------------------------------------------
// Seeds, read order, request split

TEST(fault_injector, ProgramModeGivesTheSameFaultsWhateverTheReadOrderOrSplit) {
  // 3 bits per cell: requests of random length cut cells at byte boundaries.
  const MlcFaultModel model = synthetic(3);
  const auto stored = random_bytes(64 * 1024, 2);
  FaultInjector a = make(model, stored.size(), FaultMode::program, 42);
  const auto whole = read_through(a, stored, in_order(stored.size(), stored.size()));
  EXPECT_NE(whole, stored);
  // The same injector again (the map is persistent) and fresh ones with the same seed.
  EXPECT_EQ(read_through(a, stored, in_order(stored.size(), 64)), whole);
  FaultInjector b = make(model, stored.size(), FaultMode::program, 42);
  Chunks backwards = in_order(stored.size(), 37);
  std::reverse(backwards.begin(), backwards.end());
  EXPECT_EQ(read_through(b, stored, backwards), whole);
  FaultInjector c = make(model, stored.size(), FaultMode::program, 42);
  EXPECT_EQ(read_through(c, stored, shuffled(stored.size(), 300, 1, 3)), whole);
  FaultInjector d = make(model, stored.size(), FaultMode::program, 42);
  EXPECT_EQ(read_through(d, stored, in_order(stored.size(), 1)), whole);  // byte by byte
}

TEST(fault_injector, ReadModeKthReadOfEveryCellIsTheSameWhateverTheOrder) {
  const MlcFaultModel model = synthetic(3);
  const auto stored = random_bytes(48 * 1024, 4);
  // An access unit of 64 cells at 3 bits is 24 bytes: chunks of whole units read each unit once
  // per pass, whatever their order.
  const std::uint64_t unit_bytes = kCellsPerUnit * 3 / 8;
  FaultInjector forwards = make(model, stored.size(), FaultMode::read, 8);
  FaultInjector scattered = make(model, stored.size(), FaultMode::read, 8);
  std::vector<std::uint8_t> previous;
  for (std::uint32_t pass = 0; pass < 3; ++pass) {
    const auto a = read_through(forwards, stored, in_order(stored.size(), stored.size()));
    const auto b =
        read_through(scattered, stored, shuffled(stored.size(), 40 * unit_bytes, unit_bytes, pass));
    EXPECT_EQ(a, b) << "pass " << pass;
    EXPECT_NE(a, stored);
    EXPECT_NE(a, previous) << "read mode draws new faults on every read";
    previous = a;
  }
}

TEST(fault_injector, ReadModeRequestSplitInsideAUnitReadsThatUnitTwice) {
  // Bytes [0, 10) and [10, 24) of every unit as two requests: the first part shows the unit's
  // first read, the second part its second read (cell 26 straddles the cut and is decided from
  // its whole stored value both times).
  const MlcFaultModel model = synthetic(3);
  const std::uint64_t unit_bytes = kCellsPerUnit * 3 / 8;
  const auto stored = random_bytes(200 * unit_bytes, 5);
  FaultInjector whole = make(model, stored.size(), FaultMode::read, 21);
  const auto first = read_through(whole, stored, in_order(stored.size(), stored.size()));
  const auto second = read_through(whole, stored, in_order(stored.size(), stored.size()));
  FaultInjector split = make(model, stored.size(), FaultMode::read, 21);
  Chunks parts;
  for (std::uint64_t u = 0; u < stored.size(); u += unit_bytes) {
    parts.push_back({u, 10});
    parts.push_back({u + 10, unit_bytes - 10});
  }
  const auto out = read_through(split, stored, parts);
  for (std::uint64_t i = 0; i < stored.size(); ++i) {
    EXPECT_EQ(out[i], i % unit_bytes < 10 ? first[i] : second[i]) << "byte " << i;
  }
}

TEST(fault_injector, DifferentSeedsAndStreamsGiveDifferentFaults) {
  const MlcFaultModel model = synthetic(2);
  const auto stored = random_bytes(16 * 1024, 6);
  const Chunks all = in_order(stored.size(), stored.size());
  for (FaultMode mode : {FaultMode::program, FaultMode::read}) {
    FaultInjector one = make(model, stored.size(), mode, 1);
    FaultInjector again = make(model, stored.size(), mode, 1);
    FaultInjector two = make(model, stored.size(), mode, 2);
    FaultInjector other_stream(model, CellLayout{Bytes(stored.size()), LevelCoding::gray, 64}, mode,
                               1, /*stream=*/1);
    const auto base = read_through(one, stored, all);
    EXPECT_EQ(read_through(again, stored, all), base);
    EXPECT_NE(read_through(two, stored, all), base);
    EXPECT_NE(read_through(other_stream, stored, all), base);
  }
}

TEST(fault_injector, OffModeChangesNothing) {
  const MlcFaultModel model = synthetic(3);
  const auto stored = random_bytes(10'000, 7);
  FaultInjector off = make(model, stored.size(), FaultMode::off, 1);
  EXPECT_EQ(read_through(off, stored, shuffled(stored.size(), 100, 1, 1)), stored);
  EXPECT_EQ(off.stats().cells_read, 0u);
  EXPECT_EQ(off.stats().level_faults, 0u);
  EXPECT_EQ(off.stats().bit_errors, 0u);
}

TEST(fault_injector, ReadsOutsideTheRegionAreRejected) {
  const MlcFaultModel model = synthetic(1);
  FaultInjector f = make(model, 100, FaultMode::program, 1);
  std::vector<std::uint8_t> buf(10);
  const FaultInjector::StoredBytes none = [](std::uint64_t) -> std::uint8_t { return 0; };
  EXPECT_THROW(f.read(95, buf.data(), 10, none), std::invalid_argument);
  EXPECT_NO_THROW(f.read(90, buf.data(), 10, none));
}

// ---------------------------------------------------------------------------------------------
// The envm model: `faults:` key, regions, statistics

std::string envm_yaml(const std::string& technology, const std::string& extra) {
  return "memories:\n  m:\n    model: envm\n    capacity: 1MiB\n    bits_per_cell: 3\n"
         "    technology: " +
         technology + "\n" + extra;
}

// A deliberately noisy RRAM: NVMExplorer's published MLC RRAM sigmas (CALIBRATION.md), about 4e-3
// misreads per MLC3 cell, so that these tests see faults in small arrays. The shipped preset is
// calibrated far lower (docs/fault-calibration.md).
const std::string kNoisyRram =
    "{preset: rram, level_distributions: {"
    "1: [{mean: 0, sigma: 0.008646}, {mean: 1, sigma: 0.0034}], "
    "2: [{mean: 0, sigma: 0.008646}, {mean: 0.384644, sigma: 0.033511}, "
    "{mean: 0.721657, sigma: 0.027417}, {mean: 1, sigma: 0.0034}], "
    "3: [{mean: 0, sigma: 0.008646}, {mean: 0.078262, sigma: 0.013458}, "
    "{mean: 0.203820, sigma: 0.030416}, {mean: 0.384644, sigma: 0.033511}, "
    "{mean: 0.542120, sigma: 0.024829}, {mean: 0.721657, sigma: 0.027417}, "
    "{mean: 0.886116, sigma: 0.037191}, {mean: 1, sigma: 0.0034}]}}";

struct EnvmRig {
  EnergyLedger ledger;
  std::unique_ptr<MemoryTarget> memory;
  Envm* envm = nullptr;
  std::vector<std::uint8_t> stored;

  EnvmRig(const std::string& yaml, std::size_t bytes) : stored(random_bytes(bytes, 99)) {
    memory = test::build_memory(yaml, ledger);
    envm = dynamic_cast<Envm*>(memory.get());
    if (envm) envm->debug_write(0, stored.data(), stored.size());
  }
};

// Reads `chunks` of the memory through TLM into one buffer.
std::vector<std::uint8_t> tlm_read(test::ScriptedInitiator& init, std::size_t size,
                                   const Chunks& chunks) {
  std::vector<std::uint8_t> out(size);
  for (const auto& [offset, length] : chunks) {
    std::vector<std::uint8_t> part(length);
    EXPECT_EQ(init.read(offset, part).status, tlm::TLM_OK_RESPONSE);
    std::copy(part.begin(), part.end(), out.begin() + static_cast<std::ptrdiff_t>(offset));
  }
  return out;
}

TEST(envm_faults, WithoutTheFaultsKeyReadsReturnTheStoredBytes) {
  EnvmRig rig(envm_yaml("{preset: rram}", ""), 64 * 1024);
  ASSERT_NE(rig.envm, nullptr);
  EXPECT_EQ(rig.envm->fault_mode(), FaultMode::off);
  std::vector<std::uint8_t> out;
  test::run_script(*rig.memory, [&](test::ScriptedInitiator& init) {
    out = tlm_read(init, rig.stored.size(), in_order(rig.stored.size(), 64));
  });
  EXPECT_EQ(out, rig.stored);
  EXPECT_EQ(rig.envm->fault_stats().cells_read, 0u);
}

TEST(envm_faults, ProgramModeReturnsTheSameBytesWhateverTheRequestOrder) {
  EnvmRig rig(envm_yaml(kNoisyRram, "    faults: {mode: program, seed: 7}\n"), 256 * 1024);
  ASSERT_NE(rig.envm, nullptr);
  std::vector<std::uint8_t> forwards, scattered;
  test::run_script(*rig.memory, [&](test::ScriptedInitiator& init) {
    forwards = tlm_read(init, rig.stored.size(), in_order(rig.stored.size(), 64));
    scattered = tlm_read(init, rig.stored.size(), shuffled(rig.stored.size(), 300, 1, 17));
  });
  EXPECT_EQ(forwards, scattered);
  EXPECT_NE(forwards, rig.stored);
  // Noisy RRAM MLC3 misreads a few cells per thousand: the faulty cells of one pass, counted
  // from the bytes, must match the model's mean rate within five standard errors.
  const auto before = levels_of_bytes(rig.stored.data(), rig.stored.size(), 3, LevelCoding::gray);
  const auto after = levels_of_bytes(forwards.data(), forwards.size(), 3, LevelCoding::gray);
  std::uint64_t misread = 0;
  for (std::size_t i = 0; i < before.size(); ++i) misread += before[i] != after[i];
  const double p = rig.envm->fault_model(3)->mean_misread_rate();
  const double n = static_cast<double>(before.size());
  // Random data holds every level about equally often; allow for that spread on top.
  EXPECT_NEAR(static_cast<double>(misread) / n, p, 5.0 * std::sqrt(p / n) + 0.1 * p);
  const FaultStats s = rig.envm->fault_stats();
  EXPECT_GE(s.cells_read, 2 * before.size());
  EXPECT_GT(s.level_faults, 0u);
  EXPECT_GT(s.bit_errors, 0u);
}

TEST(envm_faults, ProgramModeRedrawsABlocksFaultsWhenItIsReprogrammed) {
  // 4 KiB endurance blocks; the first block is programmed again (the same bytes), the second not.
  EnvmRig rig(envm_yaml(kNoisyRram, "    faults: {mode: program, seed: 7}\n"), 8 * 1024);
  ASSERT_NE(rig.envm, nullptr);
  std::vector<std::uint8_t> before, after;
  test::run_script(*rig.memory, [&](test::ScriptedInitiator& init) {
    before = tlm_read(init, rig.stored.size(), in_order(rig.stored.size(), 256));
    const std::vector<std::uint8_t> block(rig.stored.begin(), rig.stored.begin() + 4096);
    EXPECT_EQ(init.write(0, block).status, tlm::TLM_OK_RESPONSE);
    after = tlm_read(init, rig.stored.size(), in_order(rig.stored.size(), 256));
  });
  EXPECT_EQ(rig.envm->endurance_counter().writes(0), 1u);
  const auto first = [](const std::vector<std::uint8_t>& v, std::size_t from) {
    return std::vector<std::uint8_t>(v.begin() + static_cast<std::ptrdiff_t>(from),
                                     v.begin() + static_cast<std::ptrdiff_t>(from + 4096));
  };
  EXPECT_NE(first(before, 0), first(rig.stored, 0));  // faults before and after, but others
  EXPECT_NE(first(after, 0), first(rig.stored, 0));
  EXPECT_NE(first(before, 0), first(after, 0));
  EXPECT_EQ(first(before, 4096), first(after, 4096));  // the block not programmed keeps its map
}

TEST(envm_faults, ReadModeDrawsNewFaultsOnEveryRead) {
  EnvmRig rig(envm_yaml(kNoisyRram, "    faults: {mode: read, seed: 3, coding: binary}\n"),
              64 * 1024);
  ASSERT_NE(rig.envm, nullptr);
  std::vector<std::uint8_t> first, second;
  test::run_script(*rig.memory, [&](test::ScriptedInitiator& init) {
    first = tlm_read(init, rig.stored.size(), in_order(rig.stored.size(), 1536));
    second = tlm_read(init, rig.stored.size(), in_order(rig.stored.size(), 1536));
  });
  EXPECT_NE(first, rig.stored);
  EXPECT_NE(second, rig.stored);
  EXPECT_NE(first, second);
}

TEST(envm_faults, RegionsGiveStructuresTheirOwnCellMode) {
  EnvmRig rig(envm_yaml(kNoisyRram, "    faults: {mode: program}\n"), 64 * 1024);
  ASSERT_NE(rig.envm, nullptr);
  Envm& m = *rig.envm;
  // SLC mask and MLC2 counters next to the memory's MLC3 values; noisy RRAM SLC (~80 sigma
  // margins) and MLC2 (~1e-8) do not misread in 16 KiB, MLC3 does.
  m.set_region(0, Bytes(16 * 1024), 1, LevelCoding::gray);
  m.set_region(16 * 1024, Bytes(16 * 1024), 2, LevelCoding::binary);
  EXPECT_THROW(m.set_region(8 * 1024, Bytes(100), 1, LevelCoding::gray), std::invalid_argument);
  EXPECT_THROW(m.set_region(1024 * 1024 - 10, Bytes(100), 1, LevelCoding::gray),
               std::invalid_argument);
  EXPECT_THROW(m.set_region(40 * 1024, Bytes(100), 4, LevelCoding::gray), std::invalid_argument);
  std::vector<std::uint8_t> out;
  test::run_script(*rig.memory, [&](test::ScriptedInitiator& init) {
    out = tlm_read(init, rig.stored.size(), in_order(rig.stored.size(), 4096));
  });
  EXPECT_TRUE(std::equal(out.begin(), out.begin() + 32 * 1024, rig.stored.begin()));
  EXPECT_FALSE(std::equal(out.begin() + 32 * 1024, out.end(), rig.stored.begin() + 32 * 1024));
  // Cells read: 8 per byte in SLC, 4 in MLC2, and in MLC3 (cells numbered from address 0) those
  // with a bit in each 4 KiB request.
  std::uint64_t mlc3 = 0;
  for (std::uint64_t a = 32 * 1024; a < 64 * 1024; a += 4096) {
    mlc3 += ((a + 4096) * 8 + 2) / 3 - a * 8 / 3;
  }
  EXPECT_EQ(m.fault_stats().cells_read, 16 * 1024 * 8 + 16 * 1024 * 4 + mlc3);
}

TEST(envm_faults, SenseOffsetReachesTheFaultModel) {
  EnvmRig rig(envm_yaml("{preset: rram, sense_offset: 0.01}", "    faults: {mode: read}\n"), 1024);
  ASSERT_NE(rig.envm, nullptr);
  const MlcFaultModel plain(preset_levels("rram", 3));
  const MlcFaultModel* model = rig.envm->fault_model(3);
  ASSERT_NE(model, nullptr);
  for (std::size_t i = 0; i < plain.thresholds().size(); ++i) {
    EXPECT_DOUBLE_EQ(model->thresholds()[i], plain.thresholds()[i] - 0.01);
  }
  EXPECT_EQ(rig.envm->fault_model(4), nullptr);
}

std::vector<Diagnostic> diagnostics_of(const std::string& yaml) {
  try {
    test::parse_platform(yaml);
  } catch (const ConfigError& e) {
    return e.diagnostics();
  }
  return {};
}

TEST(envm_faults, FaultModeNeedsLevelDistributionsForTheBitsInUse) {
  // The PCM preset supports MLC2 but gives no level distributions.
  const auto diags = diagnostics_of(
      "memories:\n  m:\n    model: envm\n    capacity: 1MiB\n    bits_per_cell: 2\n"
      "    technology: {preset: pcm}\n    faults: {mode: program}\n");
  ASSERT_FALSE(diags.empty());
  const Diagnostic* found = nullptr;
  for (const auto& d : diags) {
    if (d.key == "memories.m.faults.mode") found = &d;
  }
  ASSERT_NE(found, nullptr);
  EXPECT_NE(found->message.find("fault mode 'program' needs the technology's "
                                "level_distributions for 2 bits per cell (it gives them for: "
                                "none)"),
            std::string::npos)
      << found->message;
}

TEST(envm_faults, BadFaultKeysAreDiagnosed) {
  const auto diags = diagnostics_of(envm_yaml("{preset: rram, sense_offset: 2}",
                                              "    faults: {mode: sometimes, coding: octal}\n"));
  std::vector<std::string> keys;
  for (const auto& d : diags) keys.push_back(d.key);
  EXPECT_NE(std::find(keys.begin(), keys.end(), "memories.m.faults.mode"), keys.end());
  EXPECT_NE(std::find(keys.begin(), keys.end(), "memories.m.faults.coding"), keys.end());
  EXPECT_NE(std::find(keys.begin(), keys.end(), "memories.m.technology.sense_offset"), keys.end());
}

}  // namespace
}  // namespace hmasim
