// `hmasim sweep` end to end: the real binary on LeNet-5 (a run takes a fraction of a second).
#include <gtest/gtest.h>

#include <filesystem>
#include <regex>
#include <sstream>

#include "support/cli.hpp"

namespace {

using hmasim::test::CliRun;
using hmasim::test::hmasim;
using hmasim::test::slurp;
using hmasim::test::spit;
namespace fs = std::filesystem;

const std::string kRoot = HMASIM_SOURCE_DIR;

fs::path fresh_dir(const std::string& name) {
  const fs::path d =
      fs::path(::testing::TempDir()) / ("hmasim_sweep_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

// A sweep file in `dir` on LeNet-5 and NVDLA-64 with `body` (axes and more) after the base files.
std::string sweep_file(const fs::path& dir, const std::string& body,
                       const std::string& name = "sweep.yaml") {
  const std::string file = (dir / name).string();
  spit(file, "sweep: test\nplatform: " + kRoot + "/platforms/nvdla64-lpddr4.yaml\nworkload: " +
                 kRoot + "/workloads/networks/lenet5.yaml\n" + body);
  return file;
}

using Table = std::vector<std::vector<std::string>>;

// RFC 4180 CSV as hmasim writes it.
Table csv(const std::string& text) {
  Table rows(1);
  std::string cell;
  bool quoted = false;
  for (std::size_t i = 0; i < text.size(); ++i) {
    const char c = text[i];
    if (quoted) {
      if (c == '"' && i + 1 < text.size() && text[i + 1] == '"') {
        cell += '"';
        ++i;
      } else if (c == '"') {
        quoted = false;
      } else {
        cell += c;
      }
    } else if (c == '"') {
      quoted = true;
    } else if (c == ',') {
      rows.back().push_back(cell);
      cell.clear();
    } else if (c == '\n') {
      rows.back().push_back(cell);
      cell.clear();
      rows.emplace_back();
    } else {
      cell += c;
    }
  }
  if (rows.back().empty()) rows.pop_back();
  return rows;
}

std::size_t column(const Table& t, const std::string& name) {
  const auto& h = t.at(0);
  const auto it = std::find(h.begin(), h.end(), name);
  EXPECT_NE(it, h.end()) << "no column " << name;
  return static_cast<std::size_t>(it - h.begin());
}

// The table without its wall-time columns (the one thing that may differ between two runs).
Table without_wall_time(Table t) {
  std::vector<std::size_t> drop;
  for (std::size_t c = 0; c < t[0].size(); ++c) {
    if (t[0][c].find("wall_time") != std::string::npos) drop.push_back(c);
  }
  for (auto& row : t) {
    for (auto c = drop.rbegin(); c != drop.rend(); ++c) {
      if (*c < row.size()) row.erase(row.begin() + static_cast<std::ptrdiff_t>(*c));
    }
  }
  return t;
}

std::string without_wall_time_json(const std::string& jsonl) {
  return std::regex_replace(jsonl, std::regex("\"[a-z_]*wall_time[a-z_]*\":[^,}]*"), "");
}

CliRun sweep(const std::string& file, const fs::path& out, const std::string& extra = "") {
  return hmasim("sweep " + file + " --out " + out.string() + " " + extra);
}

TEST(SweepCli, CartesianProductInOrderWithNamesAndRunOptions) {
  const fs::path dir = fresh_dir("cartesian");
  const std::string file =
      sweep_file(dir,
                 "frames: 2\n"
                 "axes:\n"
                 "  - {key: memories.dram.page_policy, values: [open, closed]}\n"
                 "  - {key: seed, range: {from: 3, to: 5}}\n");
  const CliRun r = sweep(file, dir / "out", "-j 2");
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  const Table t = csv(slurp((dir / "out/results.csv").string()));
  ASSERT_EQ(t.size(), 7u);
  const std::vector<std::string> names = {"open_seed3",   "open_seed4",   "open_seed5",
                                          "closed_seed3", "closed_seed4", "closed_seed5"};
  const std::size_t policy = column(t, "memories.dram.page_policy"), seed = column(t, "seed");
  const std::size_t cycles = column(t, "cycles"), frames = column(t, "frames");
  for (std::size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(t[i + 1][0], names[i]);
    EXPECT_EQ(t[i + 1][policy], i < 3 ? "open" : "closed");
    EXPECT_EQ(t[i + 1][seed], std::to_string(3 + i % 3));
    EXPECT_EQ(t[i + 1][column(t, "status")], "ok");
    EXPECT_EQ(t[i + 1][frames], "2");  // the sweep's frames: reached every run
    // Each point is its own run directory with the run's own summary.
    const std::string summary = slurp((dir / "out/points" / names[i] / "summary.json").string());
    EXPECT_CONTAINS(summary, "\"seed\": " + std::to_string(3 + i % 3) + ",");
  }
  // The override reached the DRAM model: closed pages cost cycles on this memory-bound net.
  EXPECT_GT(std::stod(t[4][cycles]), std::stod(t[1][cycles]));
  EXPECT_EQ(t[1][cycles], t[2][cycles]);  // seeds change weights, not LeNet's dense timing
  EXPECT_CONTAINS(r.err, "[6/6] ok ");    // a line per point when not on a terminal
}

TEST(SweepCli, ZippedAxesStepTogetherAndExclusionsDropPoints) {
  const fs::path dir = fresh_dir("zip");
  const std::string file =
      sweep_file(dir,
                 "axes:\n"
                 "  - zip:\n"
                 "      - {key: memories.dram.page_policy, values: [open, closed, open]}\n"
                 "      - {key: workload.input.h, values: [32, 32, 36], label: h}\n"
                 "  - {key: seed, values: [1, 2]}\n"
                 "exclude:\n"
                 "  - {memories.dram.page_policy: closed, seed: 2}\n");
  const CliRun r = hmasim("sweep " + file + " --list");
  ASSERT_EQ(r.status, 0) << r.err;
  std::vector<std::string> names;
  std::istringstream lines(r.out);
  for (std::string line; std::getline(lines, line);)
    names.push_back(line.substr(0, line.find(':')));
  EXPECT_EQ(names, (std::vector<std::string>{"open_h32_seed1", "open_h32_seed2", "closed_h32_seed1",
                                             "open_h36_seed1", "open_h36_seed2"}));
  EXPECT_CONTAINS(r.out, "open_h36_seed2: hmasim 'run'");
  EXPECT_CONTAINS(r.out,
                  "'--seed' '2' '--frames' '1' '--set' 'memories.dram.page_policy=open' "
                  "'--set' 'workload.input.h=36'");
  const CliRun check = hmasim("check " + file);
  EXPECT_EQ(check.status, 0) << check.err;
  EXPECT_CONTAINS(check.out, "ok (sweep 'test', 5 points)");
}

TEST(SweepCli, FailingPointIsRecordedAndTheOthersRun) {
  const fs::path dir = fresh_dir("failure");
  // LeNet-5's 0.57 MiB of weights do not fit NVDLA-64's 0.5 MiB SRAM: a valid config whose run
  // fails (exit 2), between two that succeed.
  const std::string file =
      sweep_file(dir,
                 "axes:\n  - {key: workload.defaults.memory, values: [dram, sram]}\n"
                 "  - {key: seed, values: [1, 2]}\n");
  const CliRun r = sweep(file, dir / "out", "-j 2");
  EXPECT_EQ(r.status, 1) << r.err;
  const Table t = csv(slurp((dir / "out/results.csv").string()));
  ASSERT_EQ(t.size(), 5u);
  const std::size_t status = column(t, "status"), error = column(t, "error");
  EXPECT_EQ(t[1][status], "ok");
  EXPECT_EQ(t[2][status], "ok");
  for (std::size_t i : {3u, 4u}) {
    EXPECT_EQ(t[i][status], "failed");
    EXPECT_CONTAINS(t[i][error], "the weights placed in 'sram' need at least");
    EXPECT_EQ(t[i][column(t, "cycles")], "");
  }
  EXPECT_CONTAINS(r.err, "FAILED sram_seed1: hmasim run: the weights placed in 'sram'");
  EXPECT_CONTAINS(slurp((dir / "out/logs/sram_seed2.log").string()), "short by");
  EXPECT_CONTAINS(slurp((dir / "out/results.jsonl").string()),
                  "\"point\":\"sram_seed2\",\"values\":{\"workload.defaults.memory\":\"sram\","
                  "\"seed\":\"2\"},\"status\":\"failed\"");
  // A failed point is run again next time; the ok ones are not.
  const CliRun again = sweep(file, dir / "out", "-j 2");
  EXPECT_EQ(again.status, 1);
  EXPECT_CONTAINS(again.out, "2 of 2 points run (2 failed), 2 unchanged");
}

TEST(SweepCli, ResumeRunsExactlyTheChangedPoints) {
  const fs::path dir = fresh_dir("resume");
  const fs::path platform = dir / "platform.yaml";
  fs::copy_file(kRoot + "/platforms/nvdla64-lpddr4.yaml", platform);
  const auto write = [&](const std::string& seeds, const std::string& extra) {
    spit((dir / "sweep.yaml").string(),
         "sweep: resume\nplatform: platform.yaml\nworkload: " + kRoot +
             "/workloads/networks/lenet5.yaml\n" + extra +
             "axes:\n  - {key: memories.dram.page_policy, values: [open, closed]}\n"
             "  - {key: seed, values: [" +
             seeds + "]}\n");
    return (dir / "sweep.yaml").string();
  };
  const fs::path out = dir / "out";
  const auto summary_time = [&](const std::string& name) {
    return fs::last_write_time(out / "points" / name / "summary.json");
  };
  ASSERT_EQ(sweep(write("1, 2", ""), out, "-j 2").status, 0);
  const auto first = summary_time("open_seed1");
  const std::string table = slurp((out / "results.csv").string());

  // Unchanged: nothing runs, the table is the same.
  CliRun r = sweep(write("1, 2", ""), out, "-j 2");
  EXPECT_EQ(r.status, 0);
  EXPECT_CONTAINS(r.out, "0 of 0 points run (0 failed), 4 unchanged");
  EXPECT_EQ(slurp((out / "results.csv").string()), table);

  // A new axis value: only its points run.
  r = sweep(write("1, 2, 3", ""), out, "-j 2");
  EXPECT_EQ(r.status, 0);
  EXPECT_CONTAINS(r.out, "2 of 2 points run (0 failed), 4 unchanged");
  EXPECT_CONTAINS(r.err, "ok open_seed3");
  EXPECT_CONTAINS(r.err, "ok closed_seed3");
  EXPECT_EQ(summary_time("open_seed1"), first);
  EXPECT_EQ(csv(slurp((out / "results.csv").string())).size(), 7u);

  // A fixed override equal to the file's own value merges to the same config: nothing runs.
  r = sweep(write("1, 2, 3", "set: [memories.dram.channels=1]\n"), out, "-j 2");
  EXPECT_CONTAINS(r.out, "0 of 0 points run (0 failed), 6 unchanged");

  // The base platform changed on disk: every point's config changed.
  std::string text = slurp(platform.string());
  const auto at = text.find("capacity: 512KiB");
  ASSERT_NE(at, std::string::npos);
  text.replace(at, 16, "capacity: 1MiB");
  spit(platform.string(), text);
  r = sweep(write("1, 2, 3", ""), out, "-j 2");
  EXPECT_CONTAINS(r.out, "6 of 6 points run (0 failed), 0 unchanged");
  EXPECT_NE(summary_time("open_seed1"), first);

  // --rerun runs everything regardless.
  r = sweep(write("1", ""), out, "-j 2 --rerun");
  EXPECT_CONTAINS(r.out, "2 of 2 points run (0 failed), 0 unchanged");
  EXPECT_EQ(csv(slurp((out / "results.csv").string())).size(), 3u);  // the points of the sweep
}

TEST(SweepCli, ResultsDoNotDependOnJobs) {
  const fs::path dir = fresh_dir("jobs");
  const std::string file =
      sweep_file(dir,
                 "axes:\n  - {key: memories.dram.page_policy, values: [open, closed]}\n"
                 "  - {key: seed, values: [1, 2, 3]}\n"
                 "  - {key: workload.defaults.memory, values: [dram]}\n");
  ASSERT_EQ(sweep(file, dir / "one", "-j 1").status, 0);
  ASSERT_EQ(sweep(file, dir / "two", "-j 2").status, 0);
  const Table one = csv(slurp((dir / "one/results.csv").string()));
  const Table two = csv(slurp((dir / "two/results.csv").string()));
  ASSERT_EQ(one.size(), 7u);
  EXPECT_EQ(one[0], two[0]);  // the same columns in the same order, wall time included
  EXPECT_EQ(without_wall_time(one), without_wall_time(two));
  EXPECT_EQ(without_wall_time_json(slurp((dir / "one/results.jsonl").string())),
            without_wall_time_json(slurp((dir / "two/results.jsonl").string())));
  EXPECT_NE(column(one, "sweep_wall_time_s"), 0u);
  EXPECT_NE(column(one, "components.dram.dynamic_j"), 0u);  // nested keys, dotted
}

TEST(SweepCli, PointsShareTheWeightCacheAndGetTheSameResults) {
  const fs::path dir = fresh_dir("cache");
  // The page policy changes no weight: the second point of each seed finds them cached.
  const std::string file =
      sweep_file(dir,
                 "axes:\n  - {key: seed, values: [1, 2]}\n"
                 "  - {key: memories.dram.page_policy, values: [open, closed]}\n");
  ASSERT_EQ(sweep(file, dir / "cached", "-j 1").status, 0);
  ASSERT_EQ(sweep(file, dir / "own", "-j 2 --cache " + (dir / "elsewhere").string()).status, 0);
  ASSERT_EQ(sweep(file, dir / "uncached", "-j 2 --no-weight-cache").status, 0);
  const auto entries = [](const fs::path& d) {
    std::size_t n = 0;
    if (fs::is_directory(d)) {
      for (auto it = fs::recursive_directory_iterator(d); it != fs::recursive_directory_iterator();
           ++it) {
        n += it->is_regular_file() ? 1 : 0;
      }
    }
    return n;
  };
  EXPECT_GT(entries(dir / "cached/weight-cache"), 0u);
  EXPECT_GT(entries(dir / "elsewhere"), 0u);
  EXPECT_FALSE(fs::exists(dir / "own/weight-cache"));
  EXPECT_FALSE(fs::exists(dir / "uncached/weight-cache"));
  const CliRun list = hmasim("sweep " + file + " --out " + (dir / "cached").string() + " --list");
  EXPECT_CONTAINS(list.out, "'--weight-cache' '" + (dir / "cached/weight-cache").string() + "'");
  const Table cached = without_wall_time(csv(slurp((dir / "cached/results.csv").string())));
  EXPECT_EQ(cached, without_wall_time(csv(slurp((dir / "own/results.csv").string()))));
  EXPECT_EQ(cached, without_wall_time(csv(slurp((dir / "uncached/results.csv").string()))));
  for (const char* point : {"seed1_open", "seed2_closed"}) {
    EXPECT_EQ(slurp((dir / "cached/points" / point / "layers.csv").string()),
              slurp((dir / "uncached/points" / point / "layers.csv").string()));
  }
  EXPECT_EQ(
      hmasim("sweep " + file + " --out " + (dir / "x").string() + " --cache /tmp --no-weight-cache")
          .status,
      2);
}

TEST(SweepCli, ShardsCollectIntoTheSameTable) {
  const fs::path dir = fresh_dir("shards");
  const std::string file =
      sweep_file(dir,
                 "axes:\n  - {key: memories.dram.page_policy, values: [open, closed]}\n"
                 "  - {key: seed, values: [1, 2, 3]}\n");
  ASSERT_EQ(sweep(file, dir / "local", "-j 2").status, 0);
  const CliRun s0 = sweep(file, dir / "shared", "--shard 0/2 -j 1");
  ASSERT_EQ(s0.status, 0) << s0.err;
  EXPECT_CONTAINS(s0.out, "shard 0/2: 3 of 3 points run");
  EXPECT_FALSE(fs::exists(dir / "shared/results.csv"));  // merging is --collect's job
  CliRun c = hmasim("sweep --collect " + (dir / "shared").string());
  EXPECT_EQ(c.status, 1);  // half the points have no result yet
  EXPECT_CONTAINS(c.err, "no result for: open_seed2, closed_seed1, closed_seed3");
  ASSERT_EQ(sweep(file, dir / "shared", "--shard 1/2 -j 1").status, 0);
  c = hmasim("sweep --collect " + (dir / "shared").string());
  EXPECT_EQ(c.status, 0) << c.err;
  EXPECT_CONTAINS(c.out, "collected 6 of 6 points (6 ok, 0 failed, 0 without a result)");
  EXPECT_EQ(without_wall_time(csv(slurp((dir / "shared/results.csv").string()))),
            without_wall_time(csv(slurp((dir / "local/results.csv").string()))));
  // A shard of a sweep that changed since the plan was written refuses to run.
  const std::string changed =
      sweep_file(dir, "axes:\n  - {key: memories.dram.page_policy, values: [open]}\n", "b.yaml");
  const CliRun stale = sweep(changed, dir / "shared", "--shard 0/2");
  EXPECT_EQ(stale.status, 2);
  EXPECT_CONTAINS(stale.err, "no longer gives the points of");
}

TEST(SweepCli, SlurmEmitOnlyWritesTheJobScripts) {
  const fs::path dir = fresh_dir("emit");
  const std::string file = sweep_file(dir, "axes:\n  - {key: seed, range: {from: 1, to: 5}}\n");
  const CliRun r = sweep(file, dir / "out",
                         "--slurm --emit-only --partition short --time 0:10:00 --array-max 2 "
                         "--shards 2 --cpus-per-task 3");
  ASSERT_EQ(r.status, 0) << r.err;
  EXPECT_CONTAINS(r.out, "5 points in 2 array tasks");
  const std::string array = slurp((dir / "out/slurm/array.sbatch").string());
  for (const char* line :
       {"#SBATCH --array=0-1%2\n", "#SBATCH --partition=short\n", "#SBATCH --time=0:10:00\n",
        "#SBATCH --cpus-per-task=3\n",
        " --shard \"${SLURM_ARRAY_TASK_ID}/2\" -j \"${SLURM_CPUS_PER_TASK:-3}\""}) {
    EXPECT_CONTAINS(array, line);
  }
  EXPECT_CONTAINS(slurp((dir / "out/slurm/collect.sbatch").string()), " sweep --collect '");
  EXPECT_CONTAINS(slurp((dir / "out/slurm/submit.sh").string()), "--dependency=afterany:");
  EXPECT_TRUE(fs::exists(dir / "out/plan.json"));
  EXPECT_FALSE(fs::exists(dir / "out/points"));  // nothing ran
}

TEST(SweepCli, CheckAndSweepReportEveryProblemAtItsLine) {
  const fs::path dir = fresh_dir("check");
  const std::string file = sweep_file(dir,
                                      "set: [storage.encodin=dense]\n"                // 4
                                      "axes:\n"                                       // 5
                                      "  - key: memories.dram.page_policy\n"          // 6
                                      "    values: [open, shut]\n"                    // 7
                                      "  - {key: workload.input.q, values: [1]}\n");  // 8
  const CliRun c = hmasim("check " + file);
  EXPECT_EQ(c.status, 2);
  EXPECT_CONTAINS(c.err, file + ":4:7: set[0]: --set storage.encodin=dense on ");
  EXPECT_CONTAINS(c.err, "unknown key 'encodin'");
  EXPECT_CONTAINS(c.err, file + ":7:20: axes[0].values[1]: --set memories.dram.page_policy=shut");
  EXPECT_CONTAINS(c.err, "'shut' is not one of: open, closed");
  EXPECT_CONTAINS(c.err, file + ":8:38: axes[1].values[0]: --set workload.input.q=1 on ");
  EXPECT_CONTAINS(c.err, "unknown key 'q'");
  // The sweep refuses the same file before running anything.
  const CliRun s = sweep(file, dir / "out");
  EXPECT_EQ(s.status, 2);
  EXPECT_CONTAINS(s.err, "axes[0].values[1]");
  EXPECT_FALSE(fs::exists(dir / "out"));

  const std::string shape = sweep_file(dir,
                                       "schedules: s.yaml\n"                      // 4
                                       "axes:\n"                                  // 5
                                       "  - zip:\n"                               // 6
                                       "      - {key: a, values: [1, 2]}\n"       // 7
                                       "      - {key: b, values: [1]}\n"          // 8
                                       "  - {key: c, range: {from: 1, to: 0}}\n"  // 9
                                       "  - {key: d, valuez: [1]}\n"              // 10
                                       "  - {key: input.h, values: [3]}\n"        // 11
                                       "  - {key: seed, values: [1, -1]}\n"       // 12
                                       "exclude:\n"                               // 13
                                       "  - {c: 3}\n"                             // 14
                                       "colour: red\n",                           // 15
                                       "shape.yaml");
  const CliRun e = hmasim("check " + shape);
  EXPECT_EQ(e.status, 2);
  for (const char* m : {":4:1: schedules: unknown key", ":8:15: axes[0].zip[1].key: zipped",
                        ":9:21: axes[1].range: a step of 1 never goes from 1 to 0",
                        ":10:14: axes[2].valuez: unknown key 'valuez'",
                        ":11:11: axes[3].key: --set input.h=3: 'input.h' is a workload key",
                        ":12:29: axes[4].values[1]: '-1' is not a whole number",
                        ":14:6: exclude[0].c: 'c' is not an axis", ":15:1: colour: unknown key"}) {
    EXPECT_CONTAINS(e.err, shape + m);
  }
}

// docs/sweeps.md's example sweep file is valid, with the point count and a name it gives.
TEST(SweepCli, DocumentedExampleIsValid) {
  const fs::path dir = fresh_dir("doc");
  const std::string doc = slurp(kRoot + "/docs/sweeps.md");
  const auto from = doc.find("```yaml\n");
  ASSERT_NE(from, std::string::npos);
  std::string text = doc.substr(from + 8, doc.find("```", from + 8) - from - 8);
  for (std::size_t at; (at = text.find("../")) != std::string::npos;) {
    text.replace(at, 3, kRoot + "/");  // the example sits one folder below the repository root
  }
  spit((dir / "example.yaml").string(), text);
  const CliRun check = hmasim("check " + (dir / "example.yaml").string());
  EXPECT_EQ(check.status, 0) << check.err;
  EXPECT_CONTAINS(check.out, "ok (sweep 'dram-study', 120 points)");
  const CliRun list = hmasim("sweep " + (dir / "example.yaml").string() + " --list");
  EXPECT_CONTAINS(list.out, "\nresnet50_closed_q24_320_320_seed3: hmasim ");
  EXPECT_CONTAINS(doc, "`resnet50_closed_q24_320_320_seed3`");
}

TEST(SweepCli, BadCommandLinesAndOutputDirectories) {
  const fs::path dir = fresh_dir("options");
  const std::string file = sweep_file(dir, "axes:\n  - {key: seed, values: [1]}\n");
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"sweep " + file, "--out DIR is required"},
      {"sweep --out " + dir.string() + "/o", "no sweep file given"},
      {"sweep " + file + " --out " + dir.string() + "/o -j 0", "--jobs: '0' must be at least 1"},
      {"sweep " + file + " --out " + dir.string() + "/o --shard 2/2", "--shard: '2/2' must be"},
      {"sweep " + file + " --out " + dir.string() + "/o --emit-only", "--emit-only needs --slurm"},
      {"sweep --collect " + dir.string(), "plan.json"},
      {"sweep " + file + " --out " + dir.string() + "/o --cpus-per-task 2", "needs --slurm"},
      {"sweep " + file + " --out " + dir.string() + "/o --slurm --emit-only --partition 'a b'",
       "--partition: 'a b' must be one word"},
      {"sweep " + file + " --out " + kRoot + "/docs", "is not empty and holds no sweep"},
  };
  for (const auto& [args, message] : cases) {
    const CliRun r = hmasim(args);
    EXPECT_EQ(r.status, 2) << args;
    EXPECT_CONTAINS(r.err, message);
  }
  EXPECT_FALSE(fs::exists(dir / "o"));
}

// The MaxNVM experiment's sweep file, cut to LeNet-5 on MLC CTT (26 runs), gives the rows of
// docs/maxnvm-experiment.md's table for it, through experiments/maxnvm/table.py.
TEST(SweepCli, MaxnvmSweepReproducesTheDocumentedTable) {
  const fs::path dir = fresh_dir("maxnvm");
  std::string text = slurp(kRoot + "/experiments/maxnvm/maxnvm.yaml");
  const auto replace_line = [&](const std::string& key, const std::string& value) {
    const auto at = text.find("\n" + key + ": ");
    ASSERT_NE(at, std::string::npos) << key;
    const auto end = text.find('\n', at + 1);
    text.replace(at + 1, end - at - 1, key + ": " + value);
  };
  replace_line("workload", kRoot + "/workloads/networks/lenet5.yaml");
  replace_line("platform", kRoot + "/platforms/maxnvm/nvdla1024-mlc-ctt.yaml");
  spit((dir / "maxnvm.yaml").string(), text);
  const CliRun check = hmasim("check " + kRoot + "/experiments/maxnvm/maxnvm.yaml");
  EXPECT_EQ(check.status, 0) << check.err;
  EXPECT_CONTAINS(check.out, "ok (sweep 'maxnvm', 104 points)");
  const CliRun r = sweep((dir / "maxnvm.yaml").string(), dir / "out", "-j 2");
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string table = (dir / "table.md").string();
  ASSERT_EQ(std::system(("/usr/bin/python3 " + kRoot + "/experiments/maxnvm/table.py " +
                         (dir / "out").string() + " > " + table)
                            .c_str()),
            0);
  const std::string ours = slurp(table);
  const std::string doc = slurp(kRoot + "/docs/maxnvm-experiment.md");
  const std::string heading = "#### lenet5, MLC-CTT (platforms/maxnvm/nvdla1024-mlc-ctt.yaml)";
  const auto from = doc.find(heading);
  ASSERT_NE(from, std::string::npos);
  const auto to = doc.find("\n\n####", from);
  const std::string documented = doc.substr(from, to - from);
  EXPECT_EQ(ours.substr(ours.find(heading)), documented + "\n");
  EXPECT_EQ(std::count(ours.begin(), ours.end(), '\n'), 26 + 5);  // blank, heading, blank, header
}

TEST(SweepCli, PlotSweepDrawsAParetoFront) {
  const fs::path dir = fresh_dir("plot");
  const std::string file =
      sweep_file(dir,
                 "axes:\n  - {key: memories.dram.page_policy, values: [open, closed]}\n"
                 "  - {key: memories.dram.power_down.enabled, values: [true, false]}\n");
  const CliRun r = sweep(file, dir / "out", "-j 2");
  ASSERT_EQ(r.status, 0) << r.err;
  const std::string png = (dir / "plot.png").string();
  const std::string cmd = "/usr/bin/python3 " + kRoot + "/scripts/plot_sweep.py " +
                          (dir / "out").string() +
                          " --x fps_max --y energy_per_frame_j --color memories.dram.page_policy "
                          "--pareto --out " +
                          png + " > " + (dir / "plot.txt").string() + " 2>&1";
  ASSERT_EQ(std::system(cmd.c_str()), 0) << slurp((dir / "plot.txt").string());
  const std::string image = slurp(png);
  ASSERT_GT(image.size(), 1000u);
  EXPECT_EQ(image.substr(1, 3), "PNG");
  EXPECT_CONTAINS(slurp((dir / "plot.txt").string()), "Pareto front: ");
}

TEST(SweepCli, AChangedWeightsFileRerunsItsPoints) {
  // The digits CNN reads its trained weights from the file its `weights:` key names: a resumed
  // sweep must see a change of that file, not only of the YAML.
  const fs::path dir = fresh_dir("weights_file");
  fs::copy_file(kRoot + "/workloads/networks/digits-cnn.yaml", dir / "digits-cnn.yaml");
  std::string net = slurp((dir / "digits-cnn.yaml").string());
  const auto key = net.find("weights: ");
  ASSERT_NE(key, std::string::npos);
  net.replace(key, net.find('\n', key) - key, "weights: digits-cnn.weights");
  spit((dir / "digits-cnn.yaml").string(), net);
  fs::copy_file(kRoot + "/data/digits/digits-cnn.weights", dir / "digits-cnn.weights");
  spit((dir / "sweep.yaml").string(), "sweep: weights\nplatform: " + kRoot +
                                          "/platforms/nvdla64-lpddr4.yaml\nworkload: " +
                                          "digits-cnn.yaml\naxes:\n  - {key: seed, values: [1]}\n");
  const fs::path out = dir / "out";
  ASSERT_EQ(sweep((dir / "sweep.yaml").string(), out).status, 0);
  CliRun r = sweep((dir / "sweep.yaml").string(), out);
  EXPECT_CONTAINS(r.out, "0 of 0 points run (0 failed), 1 unchanged");
  // Same size, one weight byte changed: the point runs again.
  std::string bytes = slurp((dir / "digits-cnn.weights").string());
  bytes[bytes.size() - 1] = static_cast<char>(bytes[bytes.size() - 1] ^ 1);
  spit((dir / "digits-cnn.weights").string(), bytes);
  r = sweep((dir / "sweep.yaml").string(), out);
  EXPECT_CONTAINS(r.out, "1 of 1 points run");
}

}  // namespace
