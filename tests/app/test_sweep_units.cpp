// The parts of `hmasim sweep` alone: ranges, point expansion and names, the results table's
// cells, JSON compaction and failure lines.
#include <gtest/gtest.h>

#include <filesystem>

#include "app/sweep/axis_range.hpp"
#include "app/sweep/flat_json.hpp"
#include "app/sweep/point_result.hpp"
#include "app/sweep/point_runner.hpp"
#include "app/sweep/results_table.hpp"
#include "app/sweep/sweep_points.hpp"
#include "app/sweep/sweep_spec.hpp"
#include "core/config_error.hpp"
#include "support/cli.hpp"

namespace {

using namespace hmasim;

std::vector<std::string> range(const std::string& from, const std::string& to,
                               const std::string& step, std::string* why = nullptr) {
  std::string reason;
  const auto v = expand_range(from, to, step, 1000, reason);
  if (why) *why = reason;
  return v ? *v : std::vector<std::string>{};
}

TEST(SweepRange, WholeNumbersBothWays) {
  EXPECT_EQ(range("1", "4", "1"), (std::vector<std::string>{"1", "2", "3", "4"}));
  EXPECT_EQ(range("10", "1", "-4"), (std::vector<std::string>{"10", "6", "2"}));
  EXPECT_EQ(range("-2", "2", "2"), (std::vector<std::string>{"-2", "0", "2"}));
  EXPECT_EQ(range("0", "18446744073709551615", "1").size(), 0u);  // beyond int64: not a range
}

TEST(SweepRange, DecimalsWithoutAccumulatedRounding) {
  const auto v = range("0", "1", "0.1");
  ASSERT_EQ(v.size(), 11u);
  EXPECT_EQ(v[3], "0.3");  // 3 * 0.1, not 0.1 + 0.1 + 0.1
  EXPECT_EQ(v.back(), "1");
  EXPECT_EQ(range("1e-3", "3e-3", "1e-3"), (std::vector<std::string>{"0.001", "0.002", "0.003"}));
}

TEST(SweepRange, RefusesWhatIsNotARange) {
  std::string why;
  EXPECT_TRUE(range("1", "5", "0", &why).empty());
  EXPECT_EQ(why, "step must not be 0");
  EXPECT_TRUE(range("5", "1", "1", &why).empty());
  EXPECT_EQ(why, "a step of 1 never goes from 5 to 1");
  EXPECT_TRUE(range("1", "1e9", "1", &why).empty());
  EXPECT_EQ(why, "the range has more than 1000 values");
  EXPECT_TRUE(range("one", "2", "1", &why).empty());
  EXPECT_NE(why.find("must be numbers"), std::string::npos);
}

TEST(SweepRange, DecimalTextAsTheCommandLineTakesIt) {
  EXPECT_EQ(parse_decimal("18446744073709551615", 0, UINT64_MAX), UINT64_MAX);
  EXPECT_FALSE(parse_decimal("18446744073709551616", 0, UINT64_MAX));
  EXPECT_FALSE(parse_decimal("+1", 0, 10));
  EXPECT_FALSE(parse_decimal("1.0", 0, 10));
  EXPECT_FALSE(parse_decimal("0", 1, 10));
  EXPECT_FALSE(parse_decimal("", 0, 10));
}

SweepAxis axis(const std::string& key, std::vector<std::string> values,
               const std::string& label = "") {
  SweepAxis a;
  a.key = key;
  a.label = label;
  for (auto& v : values) a.values.push_back({v, {}});
  return a;
}

SweepSpec spec_with(std::vector<SweepGroup> groups) {
  SweepSpec s;
  s.file = "s.yaml";
  s.name = "s";
  s.platforms = {{"p.yaml", "dir/p.yaml", {}}};
  s.workloads = {{"w.yaml", "dir/w.yaml", {}}};
  s.groups = std::move(groups);
  return s;
}

TEST(SweepPoints, ProductLastAxisFastestZipTogether) {
  SweepGroup zipped{{axis("a", {"1", "2"}), axis("workload.b", {"x", "y"})}, true};
  SweepGroup seeds{{axis(kSeedAxis, {"7", "8"}, "seed")}, false};
  const SweepPlan plan = expand_sweep(spec_with({zipped, seeds}));
  EXPECT_EQ(plan.columns, (std::vector<std::string>{"a", "workload.b", "seed"}));
  ASSERT_EQ(plan.points.size(), 4u);
  EXPECT_EQ(plan.points[0].name, "1_x_seed7");
  EXPECT_EQ(plan.points[1].name, "1_x_seed8");
  EXPECT_EQ(plan.points[3].name, "2_y_seed8");
  EXPECT_EQ(plan.points[3].values, (std::vector<std::string>{"2", "y", "8"}));
  EXPECT_EQ(plan.points[3].set, (std::vector<std::string>{"a=2", "workload.b=y"}));
  EXPECT_EQ(plan.points[3].seed, 8u);
  EXPECT_EQ(plan.points[3].platform, "dir/p.yaml");
}

TEST(SweepPoints, NamesAreUniquePathComponents) {
  SweepGroup g{{axis("k", {"a/b", "a_b", ".hidden", "[1, 2]"})}, false};
  const SweepPlan plan = expand_sweep(spec_with({g}));
  ASSERT_EQ(plan.points.size(), 4u);
  EXPECT_EQ(plan.points[0].name, "a_b");
  EXPECT_EQ(plan.points[1].name, "a_b-2");  // sanitised the same: numbered
  EXPECT_EQ(plan.points[2].name, "_hidden");
  EXPECT_EQ(plan.points[3].name, "_1__2_");
  SweepGroup files{{axis(kPlatformAxis, {"../platforms/nvdla64.yaml"})}, false};
  EXPECT_EQ(point_name_part(files.axes[0], "../platforms/nvdla64.yaml"), "nvdla64");
}

TEST(SweepPoints, ExclusionsDropPointsAndMustMatchSome) {
  SweepGroup a{{axis("a", {"1", "2"})}, false};
  SweepGroup b{{axis("b", {"x", "y"})}, false};
  SweepSpec s = spec_with({a, b});
  SweepExclusion x;
  x.match = {{"a", {{"2", {}}}}, {"b", {{"x", {}}, {"y", {}}}}};
  s.exclusions = {x};
  const SweepPlan plan = expand_sweep(s);
  ASSERT_EQ(plan.points.size(), 2u);
  EXPECT_EQ(plan.points[1].name, "1_y");
  EXPECT_EQ(plan.points[1].index, 1u);
  SweepExclusion never;
  never.match = {{"a", {{"3", {}}}}};
  never.at = {12, 5, "exclude[1]"};
  s.exclusions = {x, never};
  try {
    expand_sweep(s);
    FAIL() << "an exclusion matching nothing was accepted";
  } catch (const ConfigError& e) {
    EXPECT_EQ(e.diagnostics().at(0).str(),
              "s.yaml:12:5: exclude[1]: this exclusion matches no point");
  }
}

TEST(SweepPoints, TooManyPointsIsAnErrorBeforeExpanding) {
  std::vector<std::string> many(1000, "");
  for (std::size_t i = 0; i < many.size(); ++i) many[i] = std::to_string(i);
  SweepGroup g{{axis("a", many)}, false};
  SweepGroup h{{axis("b", many)}, false};
  EXPECT_THROW(expand_sweep(spec_with({g, h})), ConfigError);  // 1e6 > kMaxSweepPoints
}

TEST(SweepResults, CsvCellsQuotedOnlyWhenNeeded) {
  EXPECT_EQ(csv_cell("plain"), "plain");
  EXPECT_EQ(csv_cell("a,b"), "\"a,b\"");
  EXPECT_EQ(csv_cell("say \"hi\""), "\"say \"\"hi\"\"\"");
  EXPECT_EQ(csv_cell("two\nlines"), "\"two\nlines\"");
}

TEST(SweepResults, ColumnsAreTheUnionInFirstAppearanceOrder) {
  SweepPlan plan;
  plan.columns = {"seed"};
  for (int i = 0; i < 3; ++i) {
    SweepPoint p;
    p.index = static_cast<std::size_t>(i);
    p.name = "p" + std::to_string(i);
    p.values = {std::to_string(i)};
    plan.points.push_back(p);
  }
  std::vector<std::optional<PointResult>> r(3);
  r[0] = PointResult{true, "", 1.5, {{"seed", "0"}, {"a", "1"}}, "{}"};
  r[2] = PointResult{false, "boom, it failed", 2, {}, "null"};
  r[1] = PointResult{true, "", 1, {{"b", "x"}, {"a", "2"}}, "{\"a\":2}"};
  EXPECT_EQ(results_csv(plan, r),
            "point,seed,status,error,sweep_wall_time_s,a,b\n"
            "p0,0,ok,,1.5,1,\n"
            "p1,1,ok,,1,2,x\n"
            "p2,2,failed,\"boom, it failed\",2,,\n");
  r[1].reset();  // not finished: no row
  EXPECT_EQ(results_jsonl(plan, r),
            "{\"point\":\"p0\",\"values\":{\"seed\":\"0\"},\"status\":\"ok\",\"error\":\"\","
            "\"sweep_wall_time_s\":1.5,\"summary\":{}}\n"
            "{\"point\":\"p2\",\"values\":{\"seed\":\"2\"},\"status\":\"failed\",\"error\":\"boom, "
            "it failed\",\"sweep_wall_time_s\":2,\"summary\":null}\n");
}

TEST(SweepResults, SummaryFlattenedWithDottedNames) {
  const std::string file = ::testing::TempDir() + "sweep_summary_" + std::to_string(getpid());
  hmasim::test::spit(file,
                     "{\n  \"a\": 1.5e-05,\n  \"name\": \"x, \\\"y\\\"\",\n"
                     "  \"m\": {\"n\": {\"k\": 3}},\n  \"empty\": {},\n  \"l\": [1, 2]\n}\n");
  PointResult r;
  EXPECT_EQ(read_summary(file, r), "");
  using KV = std::pair<std::string, std::string>;
  EXPECT_EQ(
      r.scalars,
      (std::vector<KV>{
          {"a", "1.5e-05"}, {"name", "x, \"y\""}, {"m.n.k", "3"}, {"l.0", "1"}, {"l.1", "2"}}));
  EXPECT_EQ(r.summary_json,
            "{\"a\":1.5e-05,\"name\":\"x, \\\"y\\\"\",\"m\":{\"n\":{\"k\":3}},"
            "\"empty\":{},\"l\":[1,2]}");
  hmasim::test::spit(file, "[1, 2]");
  EXPECT_NE(read_summary(file, r).find("not a JSON object"), std::string::npos);
  std::filesystem::remove(file);
  EXPECT_NE(read_summary(file, r), "");
}

TEST(SweepResults, FlatJsonReadsJsonStrictly) {
  std::string why;
  const auto flat = flatten_json(
      "{\"s\": \"a\\\"b\\\\c\\u00e9\\ud83d\\ude00\\n\", \"n\": -1.5E+3, \"t\": true, "
      "\"z\": null, \"o\": {\"l\": [[], {}, 0]}}",
      why);
  ASSERT_TRUE(flat) << why;
  using KV = std::pair<std::string, std::string>;
  EXPECT_EQ(*flat, (FlatJson{KV{"s", "a\"b\\c\xc3\xa9\xf0\x9f\x98\x80\n"}, KV{"n", "-1.5E+3"},
                             KV{"t", "true"}, KV{"z", ""}, KV{"o.l.2", "0"}}));
  for (const char* bad : {"", "[1]", "{\"a\": 1,}", "{\"a\": 01x}", "{\"a\": \"\\q\"}",
                          "{\"a\": \"open", "{\"a\": 1} x", "{\"a\": .5}", "{\"a\": tru}"}) {
    EXPECT_FALSE(flatten_json(bad, why)) << bad;
    EXPECT_FALSE(why.empty());
  }
  EXPECT_FALSE(flatten_json(std::string(100, '['), why));
  EXPECT_FALSE(flatten_json("{\"a\":" + std::string(100, '[') + std::string(100, ']') + "}", why));
}

TEST(SweepRunner, FailureLineSkipsNotes) {
  EXPECT_EQ(failure_line("note: memory 'sram' was limited\n\nhmasim run: it broke\nmore\n"),
            "hmasim run: it broke");
  EXPECT_EQ(failure_line(""), "");
  EXPECT_EQ(failure_line("bad \x01 byte\r\n"), "bad ? byte");
  EXPECT_EQ(failure_line(std::string(400, 'x')).size(), 300u);
}

TEST(SweepRunner, RunArgumentsOfAPoint) {
  SweepPoint p;
  p.name = "n";
  p.platform = "p.yaml";
  p.workload = "w.yaml";
  p.seed = 3;
  p.frames = 2;
  p.set = {"a=1"};
  RunnerOptions o;
  o.layout.dir = "/out";
  EXPECT_EQ(
      run_arguments(p, o),
      (std::vector<std::string>{"run", "--platform", "p.yaml", "--workload", "w.yaml", "--out",
                                "/out/points/n", "--seed", "3", "--frames", "2", "--set", "a=1"}));
  o.weight_cache = "/cache";
  EXPECT_EQ(run_arguments(p, o).back(), "/cache");
}

}  // namespace
