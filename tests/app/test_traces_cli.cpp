// `hmasim run --trace all` end to end: ResNet-50 on NVDLA-1024 with every trace on, each file
// read back and held against summary.json and layers.csv of the same run (the power integral is
// the run's energy, every layer is a timeline slice of its duration, the bytes per window add up
// to the bytes moved, the VCD converts and holds the units' signals), and an eNVM platform's
// endurance trace.
#include <gtest/gtest.h>

#include <cstdlib>
#include <map>
#include <set>

#include "support/cli.hpp"
#include "support/trace_files.hpp"

namespace hmasim {
namespace {

using test::CliRun;
using test::hmasim;
namespace fs = std::filesystem;

const std::string kRoot = HMASIM_SOURCE_DIR;

struct TraceRun {
  fs::path dir;
  test::Json summary;
  std::vector<std::vector<std::string>> layers;  // layers.csv, header first
};

TraceRun run(const std::string& platform, const std::string& network, const std::string& extra,
             const std::string& name) {
  TraceRun r;
  r.dir = test::scratch("cli_" + name) / "run";
  const CliRun c = hmasim("run --platform " + kRoot + "/platforms/" + platform + ".yaml" +
                          " --workload " + kRoot + "/workloads/networks/" + network + ".yaml" +
                          " --out " + r.dir.string() + " " + extra);
  EXPECT_EQ(c.status, 0) << c.err;
  r.summary = test::parse_json(test::slurp(r.dir / "summary.json"));
  r.layers = test::read_csv(test::slurp(r.dir / "layers.csv"));
  return r;
}

std::size_t column(const std::vector<std::string>& header, const std::string& name) {
  for (std::size_t i = 0; i < header.size(); ++i) {
    if (header[i] == name) return i;
  }
  ADD_FAILURE() << "no column " << name;
  return 0;
}

// Each check of one ResNet-50 run; every test is its own process, so one test runs them all.
void every_trace_is_in_the_manifest(const TraceRun* r_) {
  const test::Json manifest = test::parse_json(test::slurp(r_->dir / "manifest.json"));
  std::set<std::string> listed;
  std::uint64_t bytes = 0;
  for (const auto& f : manifest["files"].items) {
    listed.insert(f["name"].text);
    bytes += static_cast<std::uint64_t>(f["bytes"].number());
  }
  for (const char* f : {"summary.json", "layers.csv", "waves.vcd", "power.csv", "bandwidth.csv",
                        "timeline.json", "endurance.csv"}) {
    EXPECT_TRUE(listed.count(f)) << f;
  }
  // A ResNet-50 frame at tile detail stays well under 50 MB in all.
  EXPECT_LT(bytes, 50u << 20);
}

void power_integrates_to_the_runs_energy(const TraceRun* r_) {
  const auto rows = test::read_csv(test::slurp(r_->dir / "power.csv"));
  ASSERT_GT(rows.size(), 10u);
  const double end = r_->summary["latency_s"].number() * r_->summary["frames"].number();
  const std::size_t total = column(rows[0], "total_w");
  double joules = 0;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    const double start = std::stod(rows[i][0]);
    const double next = i + 1 < rows.size() ? std::stod(rows[i + 1][0]) : end;
    joules += std::stod(rows[i][total]) * (next - start);
  }
  const double energy = r_->summary["energy_per_frame_j"].number() * r_->summary["frames"].number();
  EXPECT_NEAR(joules, energy, energy * 1e-3);
  // Per component too: dynamic and static columns of each add up to its energy.
  const test::Json& components = r_->summary["components"];
  for (const auto& [name, c] : components.members) {
    const std::size_t d = column(rows[0], name + "_dynamic_w");
    const std::size_t s = column(rows[0], name + "_static_w");
    double e = 0;
    for (std::size_t i = 1; i < rows.size(); ++i) {
      const double start = std::stod(rows[i][0]);
      const double next = i + 1 < rows.size() ? std::stod(rows[i + 1][0]) : end;
      e += (std::stod(rows[i][d]) + std::stod(rows[i][s])) * (next - start);
    }
    const double expected = c["dynamic_j"].number() + c["static_j"].number();
    EXPECT_NEAR(e, expected, expected * 1e-3 + 1e-15) << name;
  }
}

void every_layer_is_a_timeline_slice_of_its_duration(const TraceRun* r_) {
  const test::Json timeline = test::parse_json(test::slurp(r_->dir / "timeline.json"));
  std::vector<const test::Json*> layer_slices;
  std::size_t tiles = 0;
  for (const auto& e : timeline["traceEvents"].items) {
    for (const char* key : {"ph", "ts", "pid", "tid"}) {
      if (e["ph"].text != "M") {
        ASSERT_TRUE(e.has(key)) << key;
      }
    }
    if (e["ph"].text != "X") continue;
    ASSERT_TRUE(e.has("dur"));
    if (e["cat"].text == "layer") layer_slices.push_back(&e);
    if (e["cat"].text == "tile") ++tiles;
  }
  const auto& header = r_->layers[0];
  const std::size_t name = column(header, "layer"), start = column(header, "start_cycle"),
                    cycles = column(header, "cycles"), tile_count = column(header, "tiles");
  ASSERT_EQ(layer_slices.size(), r_->layers.size() - 1);
  const double period_us = 1e6 / r_->summary["clock_hz"].number();
  std::size_t tiles_expected = 0;
  for (std::size_t i = 1; i < r_->layers.size(); ++i) {
    const test::Json& s = *layer_slices[i - 1];
    const auto& row = r_->layers[i];
    EXPECT_EQ(s["name"].text, row[name]);
    EXPECT_NEAR(s["ts"].number(), std::stod(row[start]) * period_us, 1e-9);
    // layers.csv counts whole cycles to the first edge at or after the layer's end.
    EXPECT_NEAR(s["dur"].number(), std::stod(row[cycles]) * period_us, period_us) << row[name];
    tiles_expected += std::stoull(row[tile_count]);
  }
  EXPECT_EQ(tiles, tiles_expected) << "one slice per tile at tile detail";
}

void bytes_per_window_add_up_to_the_bytes_moved(const TraceRun* r_) {
  const auto rows = test::read_csv(test::slurp(r_->dir / "bandwidth.csv"));
  ASSERT_GT(rows.size(), 1u);
  for (const auto& [name, m] : r_->summary["components"].members) {
    if (!r_->summary["memories"].has(name)) continue;
    const std::size_t col = column(rows[0], "memories." + name + ".data_bytes");
    std::uint64_t total = 0;
    for (std::size_t i = 1; i < rows.size(); ++i) total += std::stoull(rows[i][col]);
    EXPECT_EQ(total,
              static_cast<std::uint64_t>(m["bytes_read"].number() + m["bytes_written"].number()))
        << name;
  }
}

void the_vcd_converts_and_holds_every_units_signals(const TraceRun* r_) {
  const std::string vcd_path = (r_->dir / "waves.vcd").string();
  const test::Vcd vcd = test::read_vcd(test::slurp(vcd_path));
  for (const char* s :
       {"accelerator.controller.layer", "accelerator.conv.state", "accelerator.pdp.state",
        "accelerator.sdp.state", "accelerator.weight_fetch.busy", "accelerator.cbuf.feature_bytes",
        "accelerator.cbuf.weight_bytes", "accelerator.dma.read_in_flight",
        "accelerator.dma.write_in_flight", "memories.dram.ch0.bank0", "memories.dram.powered",
        "memories.sram.data", "power.dram", "power.mac_array", "power.total"}) {
    EXPECT_TRUE(vcd.by_path.count(s)) << s;
  }
  // Times increase through the file.
  for (std::size_t i = 1; i < vcd.times.size(); ++i) ASSERT_LT(vcd.times[i - 1], vcd.times[i]);
  // Known values: during each layer the controller shows its index + 1; the convolution core is
  // busy (1) at some point of the first layer and idle (0) after the last.
  const double period_ps = 1e12 / r_->summary["clock_hz"].number();
  const auto& header = r_->layers[0];
  const std::size_t start = column(header, "start_cycle"), cycles = column(header, "cycles");
  for (std::size_t i = 1; i < r_->layers.size(); i += 10) {
    const auto t = static_cast<std::uint64_t>(
        (std::stod(r_->layers[i][start]) + std::stod(r_->layers[i][cycles]) / 2) * period_ps);
    EXPECT_EQ(test::binary(vcd.at("accelerator.controller.layer", t)), i) << "layer " << i;
  }
  std::set<std::uint64_t> conv_states;
  for (const auto& [t, v] : vcd.signal("accelerator.conv.state").changes) {
    conv_states.insert(test::binary(v));
  }
  EXPECT_EQ(conv_states, (std::set<std::uint64_t>{0, 1, 2}));
  EXPECT_EQ(test::binary(vcd.signal("accelerator.conv.state").changes.back().second), 0u);
  // GTKWave's converter reads it back whole.
  const std::string fst = (r_->dir.parent_path() / "waves.fst").string();
  const std::string back = (r_->dir.parent_path() / "back.vcd").string();
  ASSERT_EQ(std::system(("vcd2fst " + vcd_path + " " + fst + " >/dev/null 2>&1").c_str()), 0);
  ASSERT_EQ(std::system(("fst2vcd " + fst + " -o " + back + " >/dev/null 2>&1").c_str()), 0);
  EXPECT_EQ(test::read_vcd(test::slurp(back)).by_path.size(), vcd.by_path.size());
}

TEST(TracesCli, ResNet50WithEveryTraceAgreesWithItsSummaryAndLayers) {
  const TraceRun r = run("nvdla1024-lpddr4", "resnet50", "--trace all", "resnet");
  {
    SCOPED_TRACE("manifest and size");
    every_trace_is_in_the_manifest(&r);
  }
  {
    SCOPED_TRACE("power.csv");
    power_integrates_to_the_runs_energy(&r);
  }
  {
    SCOPED_TRACE("timeline.json");
    every_layer_is_a_timeline_slice_of_its_duration(&r);
  }
  {
    SCOPED_TRACE("bandwidth.csv");
    bytes_per_window_add_up_to_the_bytes_moved(&r);
  }
  {
    SCOPED_TRACE("waves.vcd");
    the_vcd_converts_and_holds_every_units_signals(&r);
  }
}

TEST(TracesCli, EnduranceHasARowPerBlockGroupPerFrame) {
  const TraceRun r =
      run("maxnvm/nvdla1024-mlc-ctt", "lenet5", "--trace endurance --frames 2", "end");
  const auto rows = test::read_csv(test::slurp(r.dir / "endurance.csv"));
  ASSERT_GT(rows.size(), 1u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"memory", "frame", "time_s", "group", "writes"}));
  std::map<std::string, std::size_t> per_frame;
  for (std::size_t i = 1; i < rows.size(); ++i) {
    EXPECT_EQ(rows[i][0], "envm");
    ++per_frame[rows[i][1]];
  }
  ASSERT_EQ(per_frame.size(), 2u);
  // 1 MiB groups of the memory's blocks: its capacity in MiB, every frame.
  const double mib = r.summary["memories"]["envm"]["capacity_bytes"].number() / (1 << 20);
  EXPECT_EQ(per_frame["0"], static_cast<std::size_t>(mib));
  EXPECT_EQ(per_frame["1"], per_frame["0"]);
}

TEST(TracesCli, TraceOptionsAreCheckedAndTracingOffWritesNoTrace) {
  const std::string base = "run --platform " + kRoot + "/platforms/nvdla64-lpddr4.yaml" +
                           " --workload " + kRoot + "/workloads/networks/lenet5.yaml ";
  for (const std::string bad : {"--trace vcdd", "--trace vcd --window 0us", "--window 5us",
                                "--trace-detail tile", "--trace vcd --trace-detail bursts"}) {
    const CliRun r = hmasim(base + bad);
    EXPECT_EQ(r.status, 2) << bad;
    EXPECT_NE(r.err.find("hmasim run: --"), std::string::npos) << r.err;
  }
  const TraceRun off = run("nvdla64-lpddr4", "lenet5", "", "off");
  EXPECT_EQ(test::entries(off.dir),
            (std::set<std::string>{"summary.json", "layers.csv", "manifest.json"}));
  // Same figures with and without traces: tracing observes, it changes nothing.
  const TraceRun on = run("nvdla64-lpddr4", "lenet5", "--trace all --trace-detail burst", "on");
  EXPECT_EQ(test::slurp(on.dir / "layers.csv"), test::slurp(off.dir / "layers.csv"));
  EXPECT_EQ(on.summary["energy_per_frame_j"].text, off.summary["energy_per_frame_j"].text);
}

TEST(TracesCli, PlotScriptRendersEveryPlotOfARun) {
  const TraceRun r = run("nvdla64-lpddr4", "lenet5", "--trace power,bandwidth", "plot");
  const fs::path out = r.dir.parent_path() / "plots";
  const std::string plot = "/usr/bin/python3 " + kRoot + "/scripts/plot.py ";
  ASSERT_EQ(std::system((plot + r.dir.string() + " --out " + out.string() + " >/dev/null").c_str()),
            0)
      << "plot.py failed (python3-matplotlib is installed by scripts/common.sh)";
  for (const char* png : {"power.png", "layers.png", "bandwidth.png"}) {
    const std::string bytes = test::slurp(out / png);
    EXPECT_GT(bytes.size(), 10000u) << png;
    EXPECT_EQ(bytes.substr(0, 8), std::string("\x89PNG\r\n\x1a\n", 8)) << png;
  }
  // Not a run directory: a clear error.
  EXPECT_NE(std::system((plot + out.string() + " >/dev/null 2>&1").c_str()), 0);
}

}  // namespace
}  // namespace hmasim
