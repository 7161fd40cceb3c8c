// The recorder (traces/trace_recorder): a scripted run through the TraceSink and EnergyObserver
// interfaces, then every file read back; determinism, registration rules, bounded buffers, and
// the recorder streaming into a StagedDirectory that is then committed.
#include <gtest/gtest.h>

#include "core/energy_ledger.hpp"
#include "core/file_output.hpp"
#include "support/trace_files.hpp"
#include "traces/trace_recorder.hpp"

namespace {

using hmasim::Energy;
using hmasim::EnergyLedger;
using hmasim::Time;
using hmasim::TraceDetail;
using hmasim::TraceOptions;
using hmasim::TraceRecorder;
using namespace hmasim::test;

constexpr std::uint64_t kUs = 1'000'000;

TraceOptions all_traces() {
  TraceOptions o;
  hmasim::parse_trace_kinds("all", o);
  o.window = Time(10 * kUs);
  o.detail = TraceDetail::burst;
  return o;
}

// A small scripted run: two layers on the conv unit, DMA bursts, DRAM bytes, energy.
void script(TraceRecorder& r) {
  r.set_components(std::vector<std::string>{"dram", "mac_array"});
  const auto busy = r.integer_signal("accelerator.conv", "busy", 1);
  const auto layer = r.integer_signal("accelerator", "layer", 8);
  const auto conv = r.track("accelerator", "conv");
  const auto dma = r.track("accelerator", "dma");
  const auto reads = r.byte_counter("memories.dram", "read");
  // Layer 0: [0, 15 us), memory-bound; layer 1: [15 us, 25 us).
  r.set(layer, Time(0), 0);
  r.set(busy, Time(2 * kUs), 1);
  r.slice(conv, Time(0), Time(15 * kUs), "conv1", "layer");
  for (int b = 0; b < 10; ++b) {
    r.slice(dma, Time(b * kUs), Time(b * kUs + 800'000), "burst", "dma");
    r.add_bytes(reads, Time(b * kUs), 4096);
  }
  r.energy(0, false, Energy(3e-6), Time(0), Time(10 * kUs));
  r.energy(0, true, Energy(1e-6), Time(0), Time(15 * kUs));
  r.advance(Time(12 * kUs));
  r.set(layer, Time(15 * kUs), 1);
  r.set(busy, Time(14 * kUs), 0);
  r.set(busy, Time(16 * kUs), 1);
  r.slice(conv, Time(15 * kUs), Time(25 * kUs), "conv2", "layer");
  r.counter(dma, Time(15 * kUs), "queue", 2.0);
  r.energy(1, false, Energy(5e-6), Time(15 * kUs), Time(25 * kUs));
  r.add_bytes(reads, Time(16 * kUs), 1024);
  r.block_writes("rram", 0, Time(25 * kUs), {1, 2, 3});
  r.advance(Time(20 * kUs));
  r.set(busy, Time(25 * kUs), 0);
  r.finish(Time(25 * kUs));
}

TEST(traceRecorder, AScriptedRunWritesEveryFile) {
  const fs::path dir = scratch("recorder");
  TraceRecorder r(all_traces(), dir.string());
  EXPECT_TRUE(r.shows(TraceDetail::burst));
  script(r);
  EXPECT_TRUE(r.finished());
  const auto files = r.files();
  EXPECT_EQ(files, (std::vector<std::string>{"waves.vcd", "power.csv", "bandwidth.csv",
                                             "timeline.json", "endurance.csv"}));
  EXPECT_EQ(entries(dir), std::set<std::string>(files.begin(), files.end()));
  const auto s = r.stats();
  EXPECT_EQ(s.late_changes + s.late_spans + s.late_byte_reports, 0u);
  EXPECT_DOUBLE_EQ(s.observed_energy.value(), 9e-6);
  EXPECT_EQ(s.observed_bytes, 10u * 4096 + 1024);

  // waves.vcd: the modules' signals, power per component and bytes per window.
  const Vcd vcd = read_vcd(slurp(dir / "waves.vcd"));
  std::set<std::string> names;
  for (const auto& [p, sig] : vcd.by_path) names.insert(p);
  EXPECT_EQ(names, (std::set<std::string>{"accelerator.conv.busy", "accelerator.layer",
                                          "memories.dram.read", "power.dram", "power.mac_array",
                                          "power.total"}));
  EXPECT_EQ(vcd.at("accelerator.conv.busy", 2 * kUs), "1");
  EXPECT_EQ(vcd.at("accelerator.conv.busy", 14 * kUs), "0");
  EXPECT_EQ(vcd.at("accelerator.conv.busy", 16 * kUs), "1");
  EXPECT_EQ(vcd.at("accelerator.conv.busy", 25 * kUs), "0");
  EXPECT_EQ(binary(vcd.at("accelerator.layer", 15 * kUs)), 1u);
  EXPECT_EQ(binary(vcd.at("memories.dram.read", 0)), 10u * 4096);
  EXPECT_EQ(binary(vcd.at("memories.dram.read", 10 * kUs)), 1024u);
  // Window 0: 3 uJ dynamic + 2/3 uJ static over 10 us = 0.3667 W.
  EXPECT_NEAR(std::stod(vcd.at("power.dram", 5 * kUs)), (3e-6 + 1e-6 * 10 / 15) / 10e-6, 1e-9);
  // Window 1: 1/3 uJ static in dram; window 2 (5 us: the run ends at 25 us): 2.5 uJ of MACs.
  EXPECT_NEAR(std::stod(vcd.at("power.dram", 12 * kUs)), (1e-6 * 5 / 15) / 10e-6, 1e-9);
  EXPECT_NEAR(std::stod(vcd.at("power.mac_array", 22 * kUs)), 2.5e-6 / 5e-6, 1e-9);
  EXPECT_EQ(vcd.times.back(), 25 * kUs);

  // power.csv: three windows, the last one 5 us long.
  const auto power = read_csv(slurp(dir / "power.csv"));
  ASSERT_EQ(power.size(), 4u);
  EXPECT_EQ(power[3][0], "0.00002");
  double integral = 0.0;
  for (std::size_t i = 1; i < power.size(); ++i) {
    integral += std::stod(power[i][5]) * (i < 3 ? 10e-6 : 5e-6);
  }
  EXPECT_NEAR(integral, 9e-6, 9e-9);

  const auto bw = read_csv(slurp(dir / "bandwidth.csv"));
  ASSERT_EQ(bw.size(), 4u);
  EXPECT_EQ(bw[1][1], "40960");
  EXPECT_EQ(bw[2][1], "1024");
  EXPECT_EQ(bw[3][1], "0");

  const Json timeline = parse_json(slurp(dir / "timeline.json"));
  int bursts = 0;
  for (const Json& e : timeline["traceEvents"].items) {
    if (e["ph"].text == "X" && e["name"].text == "burst") {
      ++bursts;
      EXPECT_EQ(e["dur"].text, "0.8");
    }
    if (e["ph"].text == "X" && e["name"].text == "conv2") {
      EXPECT_EQ(e["ts"].text, "15");
      EXPECT_EQ(e["dur"].text, "10");
    }
  }
  EXPECT_EQ(bursts, 10);
  EXPECT_EQ(read_csv(slurp(dir / "endurance.csv")).size(), 4u);
}

TEST(traceRecorder, SameReportsGiveTheSameBytes) {
  const fs::path a = scratch("recorder_a");
  const fs::path b = scratch("recorder_b");
  {
    TraceRecorder r(all_traces(), a.string());
    script(r);
  }
  {
    TraceRecorder r(all_traces(), b.string());
    script(r);
  }
  for (const std::string f :
       {"waves.vcd", "power.csv", "bandwidth.csv", "timeline.json", "endurance.csv"}) {
    EXPECT_EQ(slurp(a / f), slurp(b / f)) << f;
    EXPECT_FALSE(slurp(a / f).empty()) << f;
  }
}

TEST(traceRecorder, OnlyTheChosenFilesAndRegistrationBeforeSimulation) {
  const fs::path dir = scratch("recorder_some");
  TraceOptions o;
  hmasim::parse_trace_kinds("timeline, power", o);
  EXPECT_TRUE(o.timeline && o.power && !o.vcd && !o.bandwidth && !o.endurance);
  TraceRecorder r(o, dir.string());
  EXPECT_THROW(r.energy(0, false, Energy(1.0), Time(0), Time(1)), std::logic_error)
      << "energy before set_components";
  EnergyLedger ledger;
  ledger.add_component("dram", "background");
  ledger.add_component("cbuf");
  r.set_components(ledger);
  const auto sig = r.integer_signal("a", "b", 4);  // no VCD: accepted, ignored
  r.set(sig, Time(5), 3);
  r.advance(Time(1));
  EXPECT_THROW(r.integer_signal("a", "late", 1), std::logic_error);
  EXPECT_THROW(r.byte_counter("a", "late"), std::logic_error);
  EXPECT_THROW(r.set_components(std::vector<std::string>{"x"}), std::logic_error);
  EXPECT_NO_THROW(r.track("late", "tracks are fine"));
  r.finish(Time(10));
  r.finish(Time(10));
  EXPECT_EQ(entries(dir), (std::set<std::string>{"power.csv", "timeline.json"}));
  EXPECT_EQ(read_csv(slurp(dir / "power.csv"))[0],
            (std::vector<std::string>{"start_s", "dram_dynamic_w", "dram_static_w",
                                      "cbuf_dynamic_w", "cbuf_static_w", "total_w"}));
  EXPECT_THROW(hmasim::parse_trace_kinds("vcd,waves", o), std::invalid_argument);
  EXPECT_EQ(hmasim::parse_trace_detail("layer"), TraceDetail::layer);
  EXPECT_THROW(hmasim::parse_trace_detail("cycle"), std::invalid_argument);
  TraceOptions zero;
  zero.window = Time(0);
  EXPECT_THROW(TraceRecorder(zero, dir.string()), std::invalid_argument);
  TraceOptions again;
  again.power = true;
  EXPECT_THROW(TraceRecorder(again, dir.string()), hmasim::OutputError)
      << "never writes over an existing file";
}

TEST(traceRecorder, TheLedgerFeedsPowerThroughTheObserver) {
  const fs::path dir = scratch("recorder_ledger");
  TraceOptions o;
  o.power = true;
  o.window = Time(10 * kUs);
  TraceRecorder r(o, dir.string());
  EnergyLedger ledger;
  const auto dram = ledger.add_component("dram", "background");
  const auto read = ledger.add_action(dram, "read");
  r.set_components(ledger);
  ledger.set_observer(&r);
  ledger.set_static_power(dram, hmasim::milliwatts(100), Time(0));
  ledger.charge(read, hmasim::picojoules(1000), 4, Time(12 * kUs), Time(13 * kUs));
  ledger.close(Time(20 * kUs));  // static power up to t, then the watermark
  r.advance(Time(20 * kUs));
  ledger.close(Time(30 * kUs));
  r.finish(Time(30 * kUs));
  const auto rows = read_csv(slurp(dir / "power.csv"));
  ASSERT_EQ(rows.size(), 4u);
  for (std::size_t i = 1; i < 4; ++i) EXPECT_NEAR(std::stod(rows[i][2]), 0.1, 1e-12);
  EXPECT_NEAR(std::stod(rows[2][1]), 4e-9 / 10e-6, 1e-12);
  EXPECT_EQ(r.stats().late_spans, 0u);
  EXPECT_NEAR(r.stats().observed_energy.value(), ledger.total().value(), 1e-18);
}

TEST(traceRecorder, TheVcdBufferHoldsOnlyWhatLiesAfterTheWatermark) {
  const fs::path dir = scratch("recorder_bounded");
  TraceOptions o;
  o.vcd = true;
  o.window = Time(10 * kUs);
  TraceRecorder r(o, dir.string());
  r.set_components(std::vector<std::string>{"dram"});
  const auto v = r.integer_signal("u", "v", 32);
  std::size_t peak = 0;
  for (std::uint64_t w = 0; w < 1000; ++w) {
    // 100 changes per window, in reverse order, all in the window ahead of the watermark.
    for (std::uint64_t i = 100; i-- > 0;) {
      r.set(v, Time(w * 10 * kUs + i * 100'000), w * 100 + i);
    }
    r.energy(0, false, Energy(1e-6), Time(w * 10 * kUs), Time((w + 1) * 10 * kUs));
    r.advance(Time((w + 1) * 10 * kUs + 1));  // just past the window's end: it is complete
    peak = std::max(peak, r.buffered_changes());
  }
  EXPECT_LE(peak, 2u) << "at most the power values of the window just written";
  r.finish(Time(1000 * 10 * kUs));
  const Vcd vcd = read_vcd(slurp(dir / "waves.vcd"));
  EXPECT_EQ(binary(vcd.at("u.v", 999 * 10 * kUs + 99 * 100'000)), 99999u);
  EXPECT_NEAR(std::stod(vcd.at("power.dram", 500 * 10 * kUs)), 0.1, 1e-12);
}

TEST(traceRecorder, StreamsIntoAStagedRunDirectory) {
  const fs::path parent = scratch("recorder_staged");
  const fs::path out = parent / "run";
  {
    hmasim::StagedDirectory stage(out.string());
    TraceRecorder r(all_traces(), stage.directory());
    script(r);
    stage.add("summary.json", "{}\n");
    EXPECT_FALSE(fs::exists(out)) << "nothing at the target before commit";
    stage.commit();
  }
  EXPECT_EQ(entries(out),
            (std::set<std::string>{"waves.vcd", "power.csv", "bandwidth.csv", "timeline.json",
                                   "endurance.csv", "summary.json", "manifest.json"}));
  const Json manifest = parse_json(slurp(out / "manifest.json"));
  std::map<std::string, std::string> sizes;
  for (const Json& f : manifest["files"].items) sizes[f["name"].text] = f["bytes"].text;
  ASSERT_EQ(sizes.size(), 6u);
  for (const auto& [name, bytes] : sizes) {
    EXPECT_EQ(bytes, std::to_string(fs::file_size(out / name))) << name;
  }
  EXPECT_EQ(manifest["files"].items[0]["name"].text, "summary.json") << "added names first";
  EXPECT_EQ(entries(parent), std::set<std::string>{"run"});
}

}  // namespace
