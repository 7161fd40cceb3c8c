// power.csv and bandwidth.csv (traces/power_windows, traces/bandwidth_windows, through the
// recorder): energy spread uniformly over the windows a span covers, the integral of power equal
// to the energy reported, late spans kept, bytes summed per window.
#include <gtest/gtest.h>

#include <cmath>
#include <random>

#include "support/trace_files.hpp"
#include "traces/bandwidth_windows.hpp"
#include "traces/power_windows.hpp"
#include "traces/trace_recorder.hpp"

namespace {

using hmasim::BandwidthWindows;
using hmasim::Energy;
using hmasim::PowerWindows;
using hmasim::Time;
using hmasim::TraceOptions;
using hmasim::TraceRecorder;
using namespace hmasim::test;

constexpr std::uint64_t kUs = 1'000'000;  // ps

Time us(double v) {
  return Time(static_cast<std::uint64_t>(v * 1e6));
}

// Windows collected from PowerWindows: start, length, energies.
struct Collected {
  std::vector<std::uint64_t> start, length;
  std::vector<std::vector<double>> energy;
  PowerWindows::Emit emit() {
    return [this](const PowerWindows::Window& w) {
      EXPECT_EQ(w.index, start.size()) << "windows come in order, none skipped";
      start.push_back(w.start.value());
      length.push_back(w.length.value());
      energy.push_back(w.energy);
    };
  }
};

TEST(tracePower, ASpanIsSpreadUniformlyOverTheWindowsItCovers) {
  PowerWindows p(Time(10 * kUs), 2);
  Collected c;
  // 2 J over [5 us, 25 us): a quarter, a half, a quarter.
  p.add(0, false, Energy(2.0), us(5), us(25));
  // An instant at exactly 10 us belongs to window 1; static energy has its own column.
  p.add(1, true, Energy(0.5), us(10), us(10));
  p.advance(us(20), c.emit());
  ASSERT_EQ(c.start.size(), 1u)
      << "window 1 ends at 20 us: not complete before the watermark passes";
  p.advance(us(20) + Time(1), c.emit());
  ASSERT_EQ(c.start.size(), 2u);
  p.finish(us(30), c.emit());
  ASSERT_EQ(c.start.size(), 3u);
  EXPECT_DOUBLE_EQ(c.energy[0][0], 0.5);
  EXPECT_DOUBLE_EQ(c.energy[1][0], 1.0);
  EXPECT_DOUBLE_EQ(c.energy[2][0], 0.5);
  EXPECT_DOUBLE_EQ(c.energy[1][3], 0.5) << "component 1, static";
  EXPECT_DOUBLE_EQ(c.energy[0][3] + c.energy[2][3], 0.0);
  EXPECT_EQ(c.start, (std::vector<std::uint64_t>{0, 10 * kUs, 20 * kUs}));
}

TEST(tracePower, ALongSpanHoldsTwoEntriesNotOnePerWindow) {
  PowerWindows p{Time(kUs), 1};
  // One joule over a million windows (1 s), arriving first.
  p.add(0, true, Energy(1.0), Time(kUs / 2), Time(kUs / 2 + 1'000'000 * kUs));
  EXPECT_LE(p.held(), 3u);
  std::vector<double> seen;  // windows 0, 1, 999'999 and 1'000'000
  double sum = 0.0;
  std::uint64_t windows = 0;
  p.finish(Time(1'000'001 * kUs), [&](const PowerWindows::Window& w) {
    ++windows;
    sum += w.energy[1];
    if (w.index <= 1 || w.index >= 999'999) seen.push_back(w.energy[1]);
  });
  EXPECT_EQ(windows, 1'000'001u);
  ASSERT_EQ(seen.size(), 4u);
  EXPECT_DOUBLE_EQ(seen[0], 0.5e-6);
  EXPECT_DOUBLE_EQ(seen[1], 1e-6);
  EXPECT_DOUBLE_EQ(seen[2], 1e-6);
  EXPECT_DOUBLE_EQ(seen[3], 0.5e-6);
  EXPECT_NEAR(sum, 1.0, 1e-9);
  EXPECT_EQ(p.held(), 0u);
}

TEST(tracePower, WindowsAfterTheLastSpanAreExactlyZero) {
  // Overlapping spans whose per-window rates do not cancel exactly in floating point: once they
  // have all ended the running rate is reset, so an idle window reads 0, not 1e-22.
  PowerWindows p{Time(kUs), 1};
  p.add(0, false, Energy(0.1), Time(kUs / 3), Time(7 * kUs + 11));
  p.add(0, false, Energy(0.2), Time(kUs / 7), Time(9 * kUs + 5));
  p.add(0, false, Energy(0.3), Time(2 * kUs + 1), Time(12 * kUs + 3));
  std::vector<double> e;
  p.finish(Time(20 * kUs), [&](const PowerWindows::Window& w) { e.push_back(w.energy[0]); });
  ASSERT_EQ(e.size(), 20u);
  for (std::size_t k = 13; k < 20; ++k) EXPECT_EQ(e[k], 0.0) << "window " << k;
  double sum = 0.0;
  for (double v : e) sum += v;
  EXPECT_NEAR(sum, 0.6, 1e-15);
}

TEST(tracePower, ASpanBeforeTheWatermarkKeepsItsEnergyInTheOldestOpenWindow) {
  PowerWindows p(Time(10 * kUs), 1);
  Collected c;
  p.advance(us(35), c.emit());  // windows 0..2 written; window 3 open
  ASSERT_EQ(c.start.size(), 3u);
  // [15 us, 45 us), 3 J: the share before 30 us (1.5 J) cannot go back; it goes into window 3.
  p.add(0, false, Energy(3.0), us(15), us(45));
  p.add(0, false, Energy(0.25), us(1), us(1));  // a late instant
  EXPECT_EQ(p.late_spans(), 2u);
  EXPECT_DOUBLE_EQ(p.moved_energy().value(), 1.75);
  p.finish(us(50), c.emit());
  ASSERT_EQ(c.start.size(), 5u);
  EXPECT_DOUBLE_EQ(c.energy[3][0], 1.75 + 1.0);
  EXPECT_DOUBLE_EQ(c.energy[4][0], 0.5);
  EXPECT_DOUBLE_EQ(p.total_energy().value(), 3.25);
}

TEST(tracePower, EnergyAfterTheEndGoesIntoTheLastWindow) {
  PowerWindows p(Time(10 * kUs), 1);
  Collected c;
  p.add(0, false, Energy(1.0), us(95), us(105));   // straddles the end
  p.add(0, false, Energy(2.0), us(200), us(400));  // wholly after it, over many windows
  p.add(0, false, Energy(4.0), us(100), us(100));  // an instant exactly at the end
  p.finish(us(100), c.emit());
  ASSERT_EQ(c.start.size(), 10u);
  EXPECT_DOUBLE_EQ(c.energy[9][0], 7.0);
  EXPECT_EQ(c.length.back(), 10 * kUs);
}

// Reads power.csv's rows; the last window ends at `end`.
double csv_integral(const std::vector<std::vector<std::string>>& rows, std::size_t column,
                    double end_s) {
  double sum = 0.0;
  for (std::size_t r = 1; r < rows.size(); ++r) {
    const double start = std::stod(rows[r][0]);
    const double next = r + 1 < rows.size() ? std::stod(rows[r + 1][0]) : end_s;
    sum += std::stod(rows[r][column]) * (next - start);
  }
  return sum;
}

TEST(tracePower, PowerCsvIntegratesToTheReportedEnergy) {
  const fs::path dir = scratch("power_integral");
  TraceOptions o;
  o.power = true;
  o.window = Time(10 * kUs);
  const Time end(1'234'567'891);         // 1.234... ms: a last partial window of 4.567891 us
  std::vector<double> reported(6, 0.0);  // per component, dynamic and static
  {
    TraceRecorder r(o, dir.string());
    r.set_components(std::vector<std::string>{"dram", "sram", "mac_array"});
    std::mt19937_64 rng(42);
    std::uint64_t watermark = 0;
    while (watermark < end.value()) {
      // Spans ahead of the watermark, in random order: short ones, ones straddling many windows
      // (up to 300 us), instants.
      for (int i = 0; i < 40; ++i) {
        const std::uint64_t begin = watermark + rng() % (20 * kUs);
        const std::uint64_t kind = rng() % 3;
        const std::uint64_t length = kind == 0 ? 0 : kind == 1 ? rng() % kUs : rng() % (300 * kUs);
        const std::uint64_t stop = std::min(begin + length, end.value());
        const std::size_t c = rng() % 3;
        const bool is_static = rng() % 2 == 1;
        const double e = static_cast<double>(rng() % 1000 + 1) * 1e-9;
        r.energy(c, is_static, Energy(e), Time(std::min(begin, stop)), Time(stop));
        reported[2 * c + (is_static ? 1 : 0)] += e;
      }
      watermark += 7 * kUs;
      r.advance(Time(std::min(watermark, end.value())));
    }
    EXPECT_EQ(r.stats().late_spans, 0u);
    r.finish(end);
  }
  const auto rows = read_csv(slurp(dir / "power.csv"));
  ASSERT_FALSE(rows.empty());
  EXPECT_EQ(rows[0], (std::vector<std::string>{
                         "start_s", "dram_dynamic_w", "dram_static_w", "sram_dynamic_w",
                         "sram_static_w", "mac_array_dynamic_w", "mac_array_static_w", "total_w"}));
  // ceil(1234.567891 us / 10 us) windows.
  ASSERT_EQ(rows.size(), 1u + 124u);
  EXPECT_EQ(rows[1][0], "0");
  EXPECT_EQ(rows[2][0], "0.00001");
  EXPECT_EQ(rows.back()[0], "0.00123");
  const double end_s = hmasim::to_seconds(end);
  double total = 0.0;
  for (std::size_t j = 0; j < 6; ++j) {
    EXPECT_NEAR(csv_integral(rows, 1 + j, end_s), reported[j], reported[j] * 1e-3)
        << "column " << j;
    total += reported[j];
  }
  EXPECT_NEAR(csv_integral(rows, 7, end_s), total, total * 1e-3);
  // The rows' sum is the total column.
  for (std::size_t r = 1; r < rows.size(); ++r) {
    double sum = 0.0;
    for (std::size_t j = 1; j <= 6; ++j) sum += std::stod(rows[r][j]);
    ASSERT_NEAR(sum, std::stod(rows[r][7]), 1e-9 * std::abs(sum) + 1e-15);
  }
}

TEST(tracePower, LateSpansThroughTheRecorderKeepTheIntegralExact) {
  const fs::path dir = scratch("power_late");
  TraceOptions o;
  o.power = true;
  o.window = Time(10 * kUs);
  {
    TraceRecorder r(o, dir.string());
    r.set_components(std::vector<std::string>{"a"});
    r.energy(0, false, Energy(1.0), us(0), us(40));
    r.advance(us(25));
    r.energy(0, true, Energy(2.0), us(0), us(30));  // static power reported late: 0..20 us moves
    r.finish(us(40));
    EXPECT_EQ(r.stats().late_spans, 1u);
    EXPECT_NEAR(r.stats().moved_energy.value(), 2.0 * 20 / 30, 1e-12);
    EXPECT_DOUBLE_EQ(r.stats().observed_energy.value(), 3.0);
  }
  const auto rows = read_csv(slurp(dir / "power.csv"));
  ASSERT_EQ(rows.size(), 5u);
  EXPECT_NEAR(csv_integral(rows, 3, 40e-6), 3.0, 3e-3);
  EXPECT_NEAR(std::stod(rows[3][2]) * 10e-6, 2.0, 1e-9)
      << "window 2 got the late share and its own";
}

TEST(traceBandwidth, BytesAreSummedPerWindow) {
  const fs::path dir = scratch("bandwidth");
  TraceOptions o;
  o.bandwidth = true;
  o.window = Time(10 * kUs);
  {
    TraceRecorder r(o, dir.string());
    const auto rd = r.byte_counter("memories.dram", "read");
    const auto wr = r.byte_counter("", "sram,write");  // a name that needs quoting
    r.add_bytes(rd, us(12), 64);
    r.add_bytes(rd, us(3), 64);
    r.add_bytes(rd, us(19.999999), 128);
    r.add_bytes(wr, us(10), 10000);
    r.advance(us(20));
    r.add_bytes(rd, us(20), 1);  // at the watermark: allowed, window 2
    r.advance(us(30));
    r.add_bytes(rd, us(5), 1000);  // late: into the oldest open window (2)
    r.finish(us(25));              // before the watermark: the run ends at it
    EXPECT_EQ(r.stats().late_byte_reports, 1u);
    EXPECT_EQ(r.stats().observed_bytes, 64u + 64 + 128 + 10000 + 1 + 1000);
  }
  const auto rows = read_csv(slurp(dir / "bandwidth.csv"));
  ASSERT_EQ(rows.size(), 4u);
  EXPECT_EQ(rows[0], (std::vector<std::string>{"start_s", "memories.dram.read_bytes",
                                               "memories.dram.read_gbps", "sram,write_bytes",
                                               "sram,write_gbps"}));
  EXPECT_EQ(rows[1], (std::vector<std::string>{"0", "64", "0.0064", "0", "0"}));
  EXPECT_EQ(rows[2], (std::vector<std::string>{"0.00001", "192", "0.0192", "10000", "1"}));
  EXPECT_EQ(rows[3][0], "0.00002");
  EXPECT_EQ(rows[3][1], "1001");
}

TEST(traceBandwidth, WindowsAreSparseAndCountersFixedOnceWritten) {
  BandwidthWindows b{Time(kUs)};
  const auto c = b.add_counter();
  b.add(c, Time(500 * kUs), 8);
  b.add(c, Time(900'000 * kUs), 8);
  EXPECT_EQ(b.held(), 2u);
  std::uint64_t windows = 0, bytes = 0;
  b.advance(Time(2 * kUs), [&](const BandwidthWindows::Window& w) {
    ++windows;
    bytes += w.bytes[0];
  });
  EXPECT_EQ(windows, 1u);
  EXPECT_THROW(b.add_counter(), std::logic_error);
  b.finish(Time(1000 * kUs), [&](const BandwidthWindows::Window& w) {
    ++windows;
    bytes += w.bytes[0];
  });
  EXPECT_EQ(windows, 1000u);
  EXPECT_EQ(bytes, 16u) << "bytes after the end go into the last window";
}

}  // namespace
