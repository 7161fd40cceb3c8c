// waves.vcd (traces/vcd_writer): the header GTKWave reads, value changes written sorted up to the
// watermark, coalescing, and the bounded buffer.
#include <gtest/gtest.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <random>

#include "support/trace_files.hpp"
#include "traces/vcd_writer.hpp"

namespace {

using hmasim::Time;
using hmasim::VcdWriter;
using namespace hmasim::test;

Time ps(std::uint64_t v) {
  return Time(v);
}

// The body after $enddefinitions: what the changes look like.
std::string body(const std::string& vcd) {
  const std::size_t at = vcd.find("$enddefinitions $end\n");
  return at == std::string::npos ? "" : vcd.substr(at + 21);
}

int run(const std::string& command) {
  const int status = std::system((command + " >/dev/null 2>&1").c_str());
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

TEST(traceVcd, HeaderScopesAndValuesReadBack) {
  const fs::path dir = scratch("vcd_header");
  const std::string path = (dir / "waves.vcd").string();
  {
    VcdWriter w(path);
    const auto busy = w.integer("accelerator.conv", "busy", 1);
    const auto layer = w.integer("accelerator", "layer", 16);
    const auto occ = w.integer("accelerator.cbuf", "occupancy", 20);
    const auto pwr = w.real("power", "dram");
    const auto bank = w.integer("memories.dram", "open bank[3]", 4);  // sanitized name
    // Out of order, all after the watermark 0.
    w.set(busy, ps(5000), 0);
    w.set(busy, ps(1000), 1);
    w.set(layer, ps(1000), 3);
    w.set(occ, ps(2500), 0xABCDE);
    w.set_real(pwr, ps(0), 0.25);  // at time 0: an initial value
    w.set_real(pwr, ps(2500), 1.5);
    w.set(bank, ps(7000), 2);
    w.advance(ps(3000));
    EXPECT_EQ(w.buffered(), 2u) << "changes at 5000 and 7000 wait for the watermark";
    w.advance(ps(8000));
    EXPECT_EQ(w.buffered(), 0u);
    w.finish(ps(10000));
  }
  const std::string text = slurp(path);
  const Vcd vcd = read_vcd(text);
  EXPECT_EQ(vcd.timescale, "1ps");
  EXPECT_TRUE(vcd.dumpvars);
  EXPECT_EQ(vcd.scopes,
            (std::vector<std::string>{"accelerator", "accelerator.conv", "accelerator.cbuf",
                                      "power", "memories", "memories.dram"}));
  std::set<std::string> names;
  for (const auto& [p, s] : vcd.by_path) names.insert(p);
  EXPECT_EQ(names, (std::set<std::string>{"accelerator.conv.busy", "accelerator.layer",
                                          "accelerator.cbuf.occupancy", "power.dram",
                                          "memories.dram.open_bank_3_"}));
  EXPECT_EQ(vcd.signal("accelerator.cbuf.occupancy").width, 20u);
  EXPECT_EQ(vcd.signal("power.dram").type, "real");
  EXPECT_EQ(vcd.signal("accelerator.conv.busy").type, "wire");
  EXPECT_EQ(vcd.times, (std::vector<std::uint64_t>{0, 1000, 2500, 5000, 7000, 10000}));
  EXPECT_EQ(vcd.at("accelerator.conv.busy", 999), "0");
  EXPECT_EQ(vcd.at("accelerator.conv.busy", 1000), "1");
  EXPECT_EQ(vcd.at("accelerator.conv.busy", 6000), "0");
  EXPECT_EQ(binary(vcd.at("accelerator.layer", 1500)), 3u);
  EXPECT_EQ(binary(vcd.at("accelerator.cbuf.occupancy", 2500)), 0xABCDEu);
  EXPECT_EQ(vcd.at("power.dram", 0), "0.25");
  EXPECT_EQ(vcd.at("power.dram", 2500), "1.5");
  EXPECT_EQ(binary(vcd.at("memories.dram.open_bank_3_", 9000)), 2u);
  EXPECT_NE(text.find("$var wire 1 ! busy $end"), std::string::npos) << text;
  EXPECT_NE(text.find("$var real 64 $ dram $end"), std::string::npos) << text;
  EXPECT_NE(text.find("\n1!\n"), std::string::npos) << "1-bit values without 'b'";

  // GTKWave's converter reads it, and the round trip through FST keeps every signal.
  ASSERT_EQ(run("command -v vcd2fst"), 0)
      << "vcd2fst missing: install Debian's gtkwave (scripts/common.sh lists it)";
  const std::string fst = (dir / "waves.fst").string();
  ASSERT_EQ(run("vcd2fst " + path + " " + fst), 0);
  ASSERT_TRUE(fs::exists(fst));
  const std::string back = (dir / "back.vcd").string();
  ASSERT_EQ(run("fst2vcd " + fst + " -o " + back), 0);
  const Vcd round = read_vcd(slurp(back));
  EXPECT_EQ(round.by_path.size(), vcd.by_path.size());
  EXPECT_EQ(binary(round.at("accelerator.cbuf.occupancy", 3000)), 0xABCDEu);
}

TEST(traceVcd, TheFstRoundTripCatchesABrokenFile) {
  // vcd2fst exits 0 on nearly anything; what it cannot parse yields no FST that fst2vcd opens.
  // That is why the test above checks the round trip, not only vcd2fst's status.
  const fs::path dir = scratch("vcd_broken");
  std::ofstream(dir / "bad.vcd") << "$timescale 1ps $end\n$scope module a $end\n$var wire 8 ! x";
  (void)run("vcd2fst " + (dir / "bad.vcd").string() + " " + (dir / "bad.fst").string());
  EXPECT_NE(run("fst2vcd " + (dir / "bad.fst").string() + " -o " + (dir / "back.vcd").string()), 0);
}

TEST(traceVcd, LastReportAtATimeWinsAndUnchangedValuesAreSkipped) {
  const fs::path dir = scratch("vcd_coalesce");
  const std::string path = (dir / "w.vcd").string();
  {
    VcdWriter w(path);
    const auto a = w.integer("top", "a", 8);
    const auto b = w.integer("top", "b", 8);
    w.set(a, ps(10), 5);
    w.set(a, ps(10), 7);  // wins
    w.set(b, ps(10), 0);  // equal to the initial value: no change
    w.set(b, ps(20), 1);
    w.set(b, ps(20), 0);    // back to the current value within one time: nothing at 20
    w.set(a, ps(30), 7);    // unchanged
    w.set(a, ps(40), 300);  // masked to 8 bits: 44
    w.finish(ps(50));
  }
  EXPECT_EQ(body(slurp(path)),
            "#0\n$dumpvars\nb0 !\nb0 \"\n$end\n#10\nb111 !\n#40\nb101100 !\n#50\n");
}

TEST(traceVcd, OutOfOrderReportsAreWrittenSortedAndTheBufferEmpties) {
  const fs::path dir = scratch("vcd_order");
  const std::string path = (dir / "w.vcd").string();
  std::mt19937_64 rng(7);
  std::uint64_t watermark = 0;
  {
    VcdWriter w(path);
    std::vector<VcdWriter::Id> vars;
    for (int i = 0; i < 20; ++i) vars.push_back(w.integer("s" + std::to_string(i % 3), "v", 32));
    std::size_t peak = 0;
    for (int step = 0; step < 200; ++step) {
      // Reports anywhere in the next 10 ns, in random order, none before the watermark.
      for (int i = 0; i < 50; ++i) {
        w.set(vars[rng() % vars.size()], ps(watermark + rng() % 10000), rng() % 1000);
      }
      watermark += 5000;
      w.advance(ps(watermark));
      peak = std::max(peak, w.buffered());
    }
    EXPECT_LE(peak, 100u) << "only what lies after the watermark is held";
    w.advance(ps(watermark + 10000));
    EXPECT_EQ(w.buffered(), 0u);
    EXPECT_EQ(w.late_changes(), 0u);
    w.finish(ps(watermark + 10000));
  }
  const Vcd vcd = read_vcd(slurp(path));  // throws if a time does not increase
  EXPECT_GT(vcd.times.size(), 1000u);
  for (std::size_t i = 1; i < vcd.times.size(); ++i) ASSERT_LT(vcd.times[i - 1], vcd.times[i]);
}

TEST(traceVcd, ALateChangeIsWrittenAtTheWatermarkAndCounted) {
  const fs::path dir = scratch("vcd_late");
  const std::string path = (dir / "w.vcd").string();
  {
    VcdWriter w(path);
    const auto a = w.integer("top", "a", 4);
    w.set(a, ps(100), 1);
    w.advance(ps(500));
    w.set(a, ps(200), 2);  // before the watermark: a contract violation
    EXPECT_EQ(w.late_changes(), 1u);
    w.finish(ps(1000));
  }
  const Vcd vcd = read_vcd(slurp(path));
  EXPECT_EQ(binary(vcd.at("top.a", 499)), 1u);
  EXPECT_EQ(binary(vcd.at("top.a", 500)), 2u);
}

TEST(traceVcd, RegistrationRulesAndNames) {
  const fs::path dir = scratch("vcd_names");
  const std::string path = (dir / "w.vcd").string();
  VcdWriter w(path);
  EXPECT_THROW(w.integer("top", "zero", 0), std::invalid_argument);
  EXPECT_THROW(w.integer("top", "wide", 65), std::invalid_argument);
  const auto x = w.integer("", "x", 64);
  const auto x2 = w.integer("top", "x", 64);  // same scope ("" is "top"): renamed x_2
  (void)x;
  (void)x2;
  w.set(x2, ps(5), ~std::uint64_t{0});
  w.advance(ps(10));
  EXPECT_THROW(w.integer("top", "late", 1), std::logic_error);
  EXPECT_THROW(w.set(99, ps(20), 1), std::out_of_range) << "unknown ids are refused, not UB";
  w.finish(ps(10));
  const Vcd vcd = read_vcd(slurp(path));
  EXPECT_TRUE(vcd.by_path.count("top.x"));
  EXPECT_EQ(vcd.at("top.x_2", 5), std::string(64, '1'));
}

TEST(traceVcd, AMillionChangesStreamWithABoundedBuffer) {
  const fs::path dir = scratch("vcd_million");
  const std::string path = (dir / "w.vcd").string();
  constexpr std::uint64_t kChanges = 1'000'000;
  const auto start = std::chrono::steady_clock::now();
  std::uint64_t written = 0;
  std::size_t peak = 0;
  {
    VcdWriter w(path);
    std::vector<VcdWriter::Id> vars;
    for (int i = 0; i < 32; ++i) vars.push_back(w.integer("unit" + std::to_string(i % 8), "v", 16));
    for (int i = 0; i < 32; ++i) vars.push_back(w.real("power", "p" + std::to_string(i)));
    std::uint64_t t = 0;
    for (std::uint64_t n = 0; n < kChanges; ++n) {
      const auto v = vars[n % vars.size()];
      // Reports ahead of the watermark in a scrambled order within each 1000-report batch.
      const Time at(t + (n * 7919) % 1000 * 1000);
      if (v < 32) {
        w.set(v, at, n & 0xFFFF);
      } else {
        w.set_real(v, at, static_cast<double>(n % 977) * 0.001);
      }
      if (n % 1000 == 999) {
        t += 1'000'000;
        w.advance(Time(t));
        peak = std::max(peak, w.buffered());
      }
    }
    w.finish(Time(t + 1'000'000));
    written = w.changes_written();
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  const auto bytes = fs::file_size(path);
  std::printf("1M value changes: %llu written, %.1f MB, %.2f s (%.1f M changes/s)\n",
              static_cast<unsigned long long>(written), static_cast<double>(bytes) / 1e6, seconds,
              static_cast<double>(kChanges) / seconds / 1e6);
  RecordProperty("vcd_bytes", std::to_string(bytes));
  EXPECT_EQ(peak, 0u) << "each batch lies before the next watermark";
  EXPECT_GT(written, kChanges * 9 / 10);
  EXPECT_LE(written, kChanges);
  EXPECT_EQ(read_vcd(slurp(path)).by_path.size(), 64u);
}

}  // namespace
