// The accelerator's units on their own, bound to scripted stimuli (the controller's calls), and
// through small simulations where one unit's behaviour decides a layer's time: the CBUF's
// credits stall writers, a compute unit waits for missing data, a decode-bound layer is slower
// than a fetch-bound one, the controller waits for the units' done events, and a second weight
// fetch unit chosen by name in the platform changes only what it models.
#include <gtest/gtest.h>
#include <unistd.h>

#include <sstream>

#include "hw/ideal_sim.hpp"
#include "hw/units/cbuf.hpp"
#include "hw/units/compute_unit.hpp"
#include "support/cli.hpp"
#include "support/recording_trace_sink.hpp"

namespace hmasim {
namespace {

const Clock kGHz(Frequency(1'000'000'000));

TilePlan plan_of(std::size_t tiles) {
  TilePlan p;
  for (std::size_t i = 0; i < tiles; ++i) {
    Tile t;
    t.out_rows = {i, i + 1};
    t.kernels = {0, 32};
    if (i == 0) t.load_kernels = {0, 32};
    p.tiles.push_back(t);
  }
  return p;
}

TEST(CbufUnit, ATileWaitsForTheTileTwoBackToReleaseItsSlots) {
  EnergyLedger ledger;
  CbufConfig config;
  config.size = Bytes(256 * 1024);
  config.banks = 16;
  config.write_energy_per_byte = picojoules(1.0);
  Cbuf cbuf("cbuf", config, ledger, ledger.add_component("cbuf"));
  const TilePlan plan = plan_of(4);
  cbuf.begin_layer(plan, nanoseconds(100));
  EXPECT_EQ(cbuf.slot_free(0), nanoseconds(100));
  EXPECT_EQ(cbuf.slot_free(1), nanoseconds(100));  // two tiles per share
  cbuf.released(0, nanoseconds(500));
  cbuf.released(1, nanoseconds(900));
  EXPECT_EQ(cbuf.slot_free(2), nanoseconds(500));
  EXPECT_EQ(cbuf.slot_free(3), nanoseconds(900));
  // The writer of tile 3 was ready at 600 ns: full buffer, it stalled 300 ns.
  cbuf.writer_waited(3, nanoseconds(600));
  cbuf.writer_waited(2, nanoseconds(700));  // ready after its slot was free: no stall
  EXPECT_EQ(cbuf.stats().writer_stall, nanoseconds(300));
  // Write energy per byte put in: features and dense weights alike.
  cbuf.filled(0, 1000, 24, nanoseconds(100), nanoseconds(200));
  EXPECT_NEAR(ledger.dynamic_energy(0).value(), 1024e-12, 1e-21);
}

TEST(CbufUnit, OccupancyIsTracedInTimeOrder) {
  EnergyLedger ledger;
  CbufConfig config;
  config.size = Bytes(1 << 20);
  Cbuf cbuf("cbuf", config, ledger, ledger.add_component("cbuf"));
  test::RecordingTraceSink sink;
  cbuf.set_trace(&sink);
  cbuf.begin_layer(plan_of(3), Time(0));
  // Tile 1 is fetched before tile 0 is released: its fill comes first in time, last in calls.
  cbuf.filled(0, 100, 50, Time(0), nanoseconds(10));
  cbuf.released(0, nanoseconds(40));
  cbuf.filled(1, 100, 0, Time(0), nanoseconds(20));
  cbuf.released(1, nanoseconds(60));
  cbuf.filled(2, 100, 0, nanoseconds(40), nanoseconds(50));
  cbuf.released(2, nanoseconds(80));
  cbuf.end_layer(nanoseconds(90));
  const auto features = sink.waveform(sink.signal_id("accelerator.cbuf", "feature_bytes"));
  ASSERT_EQ(features.size(), 6u);
  EXPECT_EQ(features[0], std::make_pair(nanoseconds(10), std::uint64_t{100}));
  EXPECT_EQ(features[1], std::make_pair(nanoseconds(20), std::uint64_t{200}));  // both resident
  EXPECT_EQ(features[2], std::make_pair(nanoseconds(40), std::uint64_t{100}));  // tile 0 left
  EXPECT_EQ(features.back(), std::make_pair(nanoseconds(80), std::uint64_t{0}));
  // Weights loaded by tile 0 stay until its last user (tile 2) is done.
  const auto weights = sink.waveform(sink.signal_id("accelerator.cbuf", "weight_bytes"));
  ASSERT_EQ(weights.size(), 2u);
  EXPECT_EQ(weights[1], std::make_pair(nanoseconds(80), std::uint64_t{0}));
}

// A compute unit whose tiles take a scripted number of cycles.
class ScriptedUnit : public ComputeUnit {
 public:
  ScriptedUnit() : ComputeUnit("scripted", kGHz) {}
  Cycles cycles{100};
  int charges = 0;

 protected:
  Work plan(const TileJob&) override { return {cycles, 7}; }
  void charge(const TileJob&, Time, Time) override { ++charges; }
};

TEST(ComputeUnitBase, WaitsForMissingDataAndForItsPreviousTile) {
  ScriptedUnit u;
  test::RecordingTraceSink sink;
  u.set_trace(&sink);
  u.begin_layer(Time(0));
  TileJob job;
  job.ready = nanoseconds(50);  // data late: stalled 50 ns
  TileDone a = u.run(job);
  EXPECT_EQ(a.begin, nanoseconds(50));
  EXPECT_EQ(a.end, nanoseconds(150));
  job.index = 1;
  job.ready = nanoseconds(120);  // data early: waits for the unit
  TileDone b = u.run(job);
  EXPECT_EQ(b.begin, nanoseconds(150));
  EXPECT_EQ(b.end, nanoseconds(250));
  job.ready = Time(250'500);  // mid-cycle: starts on the next edge
  EXPECT_EQ(u.run(job).begin, nanoseconds(251));
  EXPECT_EQ(u.stats().stalled, nanoseconds(51));
  EXPECT_EQ(u.stats().busy.value(), 300u);
  EXPECT_EQ(u.charges, 3);
  u.end_layer(nanoseconds(400));
  // State: stalled at 0, busy at 50, stalled at 150 then busy again, ..., idle at the last end.
  using S = std::pair<Time, std::uint64_t>;
  const std::vector<S> expected = {{Time(0), ComputeUnit::kStalled},
                                   {nanoseconds(50), ComputeUnit::kBusy},
                                   {nanoseconds(250), ComputeUnit::kStalled},
                                   {nanoseconds(251), ComputeUnit::kBusy},
                                   {nanoseconds(351), ComputeUnit::kIdle}};
  EXPECT_EQ(sink.waveform(sink.signal_id("accelerator.scripted", "state")), expected);
}

// ---------------------------------------------------------------------------------------------
// Through the simulation

using test::IdealSim;
const std::string& kIdeal = test::kIdealPlatform;

// A fully-connected layer: its weights stream through the CBUF once, so the weight path decides.
const char* kFc = R"(name: fc
input: {h: 1, w: 1, c: 4096}
layers:
  - {name: fc, type: fc, k: 1024}
)";

// One simulation per process: configurations are compared through the real binary.
struct LayerRow {
  std::uint64_t cycles = 0;
  std::string bytes;  // the bytes_<memory> columns
};
LayerRow run_fc(const std::vector<std::string>& sets, const std::string& name) {
  const std::string dir = ::testing::TempDir() + "hmasim_units_" + name + std::to_string(getpid());
  test::spit(dir + ".yaml", kFc);
  std::string args = "run --platform " + kIdeal + " --workload " + dir + ".yaml --out " + dir;
  for (const auto& s : sets) args += " --set " + s;
  const test::CliRun r = test::hmasim(args);
  EXPECT_EQ(r.status, 0) << r.err;
  // layers.csv: frame,layer,type,macs,start_cycle,cycles,busy_cycles,bound,tiles,util,bytes...
  const std::string csv = test::slurp(dir + "/layers.csv");
  std::istringstream lines(csv);
  std::string header, row;
  std::getline(lines, header);
  std::getline(lines, row);
  std::vector<std::string> f;
  std::istringstream fields(row);
  for (std::string x; std::getline(fields, x, ',');) f.push_back(x);
  EXPECT_GE(f.size(), 12u) << csv;
  if (f.size() < 12) return {};
  return {std::stoull(f[5]), f[10] + "," + f[11]};
}

TEST(UnitsInASimulation, DecodeBoundLayerIsSlowerThanFetchBound) {
  const LayerRow fetch = run_fc({}, "fetch");
  // A decoder of 1 byte per cycle cannot keep up with 25 GB/s of weights: the layer takes at
  // least its 4 MiB of weights at one byte per cycle.
  const LayerRow decode = run_fc({"weight_fetch.value_bytes_per_cycle=1"}, "decode");
  EXPECT_GT(decode.cycles, fetch.cycles * 3 / 2);
  EXPECT_GE(decode.cycles, 4096u * 1024u);
  EXPECT_EQ(decode.bytes, fetch.bytes);  // same bytes moved: only the decoder's pace differs
}

TEST(UnitsInASimulation, TheBufferedWeightFetchUnitIsChosenByName) {
  const LayerRow streaming = run_fc({"weight_fetch.value_bytes_per_cycle=8"}, "streaming");
  const LayerRow buffered =
      run_fc({"weight_fetch.value_bytes_per_cycle=8", "weight_fetch.model=buffered"}, "buffered");
  // Decoding after each tile's fetch instead of alongside it: the same work, later.
  EXPECT_GT(buffered.cycles, streaming.cycles);
  EXPECT_EQ(buffered.bytes, streaming.bytes);
}

TEST(UnitsInASimulation, TheWeightFetchUnitCountsItsDecodeCycles) {
  IdealSim decode(kFc, {"weight_fetch.value_bytes_per_cycle=1"});
  EXPECT_EQ(decode.acc->weight_fetch().stats().decode_cycles.value(), 4096u * 1024u);
  EXPECT_EQ(decode.acc->weight_fetch().stats().dense_bytes, 4096u * 1024u);
}

TEST(UnitsInASimulation, AnUnknownWeightFetchUnitListsTheRegisteredOnes) {
  ConfigDocument::set_preset_directory(HMASIM_SOURCE_DIR "/platforms/presets");
  try {
    load_platform(kIdeal, {"weight_fetch.model=fancy"});
    FAIL() << "expected a diagnostic";
  } catch (const ConfigError& e) {
    const std::string s = e.what();
    EXPECT_NE(s.find("weight_fetch.model: 'fancy' is not one of: buffered, streaming"),
              std::string::npos)
        << s;
  }
}

TEST(UnitsInASimulation, TheControllerWaitsForEveryUnitBeforeTheNextLayer) {
  IdealSim s(R"(name: two
input: {h: 28, w: 28, c: 64}
layers:
  - {name: a, type: conv, k: 64, r: 3, padding: 1}
  - {name: p, type: pool, r: 2}
)",
             {});
  const auto& r = s.acc->records();
  ASSERT_EQ(r.size(), 2u);
  // The first layer ends when its last write is done, after its core finished; the second
  // starts there, and SystemC time is at the end of the run when the controller stops.
  EXPECT_GE(r[0].end, r[0].compute_end);
  EXPECT_EQ(r[1].start, r[0].end);
  EXPECT_EQ(s.acc->end_time(), r[1].end);
  EXPECT_EQ(sc_core::sc_time_stamp(),
            sc_core::sc_time(static_cast<double>(r[1].end.value()), sc_core::SC_PS));
  EXPECT_EQ(s.acc->conv().stats().tiles, r[0].tiles);
}

// post.pdp_elements_per_cycle (issue 13: NVDLA's PDP_THROUGHPUT apart from the SDP's): a 2x2
// pooling of 28 x 28 x 64 reads 50176 elements, 4 a cycle.
TEST(UnitsInASimulation, ThePdpReadsItsInputAtItsOwnRate) {
  IdealSim s(R"(name: two
input: {h: 28, w: 28, c: 64}
layers:
  - {name: a, type: conv, k: 64, r: 3, padding: 1}
  - {name: p, type: pool, r: 2}
)",
             {"accelerator.post.pdp_elements_per_cycle=4"});
  const auto& r = s.acc->records();
  ASSERT_EQ(r.size(), 2u);
  EXPECT_GE(r[1].busy_cycles.value(), 50176u / 4);
  EXPECT_LE(r[1].busy_cycles.value(), 50176u / 4 + r[1].tiles);  // rounding per tile
}

}  // namespace
}  // namespace hmasim
