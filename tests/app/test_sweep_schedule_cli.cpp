// `hmasim sweep` with schedules (docs/sweeps.md, "Schedules"): the real binary on LeNet-5 on
// NVDLA-64, `schedule.` overrides on an axis, the schedule's own frames, schedules that name their
// tasks' networks (no workload), the errors, resume after a schedule or task network changed, and
// several schedules as an axis.
#include <gtest/gtest.h>

#include <filesystem>
#include <string>
#include <vector>

#include "app/sweep/point_runner.hpp"
#include "support/cli.hpp"

namespace {

using hmasim::test::CliRun;
using hmasim::test::hmasim;
using hmasim::test::json_number;
using hmasim::test::slurp;
using hmasim::test::spit;
namespace fs = std::filesystem;

const std::string kRoot = HMASIM_SOURCE_DIR;
const std::string kPlatform = kRoot + "/platforms/nvdla64-lpddr4.yaml";
const std::string kLenet = kRoot + "/workloads/networks/lenet5.yaml";

fs::path fresh_dir(const std::string& name) {
  const fs::path d = fs::path(::testing::TempDir()) /
                     ("hmasim_sweep_schedule_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

using Table = std::vector<std::vector<std::string>>;

// hmasim's CSV has no quoted cells in the columns these tests read: split at commas.
Table csv(const std::string& text) {
  Table rows;
  std::size_t at = 0;
  while (at < text.size()) {
    const std::size_t end = std::min(text.find('\n', at), text.size());
    std::vector<std::string> row;
    std::size_t from = at;
    while (true) {
      const std::size_t comma = std::min(text.find(',', from), end);
      row.push_back(text.substr(from, comma - from));
      if (comma >= end) break;
      from = comma + 1;
    }
    rows.push_back(std::move(row));
    at = end + 1;
  }
  return rows;
}

std::size_t column(const Table& t, const std::string& name) {
  const auto& h = t.at(0);
  const auto it = std::find(h.begin(), h.end(), name);
  EXPECT_NE(it, h.end()) << "no column " << name;
  return static_cast<std::size_t>(it - h.begin());
}

// The cell of `name` in the row of point `point`.
std::string cell(const Table& t, const std::string& point, const std::string& name) {
  const std::size_t c = column(t, name);
  for (const auto& row : t) {
    if (!row.empty() && row[0] == point && c < row.size()) return row[c];
  }
  ADD_FAILURE() << "no point " << point;
  return "";
}

CliRun sweep(const std::string& file, const fs::path& out, const std::string& extra = "-j 2") {
  return hmasim("sweep " + file + " --out " + out.string() + " " + extra);
}

// A sweep file `sweep.yaml` in `dir`: NVDLA-64, then `body`.
std::string sweep_file(const fs::path& dir, const std::string& body) {
  const std::string file = (dir / "sweep.yaml").string();
  spit(file, "sweep: test\nplatform: " + kPlatform + "\n" + body);
  return file;
}

TEST(SweepScheduleCli, FrameRateAxisReachesEveryPointWithTheSchedulesFrames) {
  const fs::path dir = fresh_dir("fps");
  spit((dir / "schedule.yaml").string(), "fps: 10\nframes: 2\n");
  const std::string file = sweep_file(dir, "workload: " + kLenet +
                                               "\nschedule: schedule.yaml\n"
                                               "axes:\n  - {key: schedule.fps, values: [max, 30], "
                                               "label: fps}\n");
  const CliRun list = hmasim("sweep " + file + " --list");
  ASSERT_EQ(list.status, 0) << list.err;
  EXPECT_CONTAINS(list.out, "'--schedule' '" + (dir / "schedule.yaml").string() + "'");
  EXPECT_CONTAINS(list.out, "'--seed' '1' '--set' 'schedule.fps=30'");
  EXPECT_EQ(list.out.find("'--frames'"), std::string::npos) << list.out;  // the schedule's
  const CliRun r = sweep(file, dir / "out");
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  const Table t = csv(slurp((dir / "out/results.csv").string()));
  ASSERT_EQ(t.size(), 3u);
  EXPECT_EQ(t[1][0], "fpsmax");
  EXPECT_EQ(t[2][0], "fps30");
  for (const char* point : {"fpsmax", "fps30"}) {
    EXPECT_EQ(cell(t, point, "status"), "ok");
    EXPECT_EQ(cell(t, point, "frames"), "2");  // the schedule's frames, not the sweep's default 1
  }
  EXPECT_EQ(cell(t, "fpsmax", "schedule.fps"), "max");
  EXPECT_EQ(cell(t, "fps30", "schedule.fps"), "30");
  EXPECT_EQ(cell(t, "fpsmax", "schedule.fps_target"), "");  // null: back to back
  EXPECT_EQ(cell(t, "fps30", "schedule.fps_target"), "30");
  const std::string summary = slurp((dir / "out/points/fps30/summary.json").string());
  EXPECT_EQ(json_number(summary, "fps_target", "schedule"), 30);
  EXPECT_NEAR(json_number(summary, "duration_s", "schedule"), 2.0 / 30, 1e-9);

  // `frames:` given: every point runs that many, the schedule's frames notwithstanding.
  const std::string given = sweep_file(dir, "workload: " + kLenet +
                                                "\nschedule: schedule.yaml\nframes: 3\n"
                                                "axes:\n  - {key: schedule.fps, values: [30]}\n");
  const CliRun r3 = sweep(given, dir / "out3");
  ASSERT_EQ(r3.status, 0) << r3.err;
  EXPECT_EQ(cell(csv(slurp((dir / "out3/results.csv").string())), "30", "frames"), "3");
}

TEST(SweepScheduleCli, ScheduleThatNamesItsNetworksRunsWithoutAWorkload) {
  const fs::path dir = fresh_dir("networks");
  spit((dir / "tasks.yaml").string(),
       "frames: 2\ntasks: [digits, lenet]\nnetworks:\n  digits: " + kRoot +
           "/workloads/networks/digits-cnn.yaml\n  lenet: " + kLenet + "\n");
  const std::string file =
      sweep_file(dir, "schedule: tasks.yaml\naxes:\n  - {key: schedule.fps, values: [max, 30]}\n");
  const CliRun check = hmasim("check " + file);
  EXPECT_EQ(check.status, 0) << check.err;
  EXPECT_CONTAINS(check.out, "ok (sweep 'test', 2 points)");
  const CliRun list = hmasim("sweep " + file + " --list");
  EXPECT_EQ(list.out.find("--workload"), std::string::npos) << list.out;
  const CliRun r = sweep(file, dir / "out");
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  const Table t = csv(slurp((dir / "out/results.csv").string()));
  ASSERT_EQ(t.size(), 3u);
  for (const char* point : {"max", "30"}) {
    EXPECT_EQ(cell(t, point, "status"), "ok");
    EXPECT_EQ(cell(t, point, "workload"), "digits+lenet");  // the tasks' networks, joined
    EXPECT_EQ(cell(t, point, "tasks.lenet.inferences"), "2");
  }

  // A workload too is an error, and so is a workload override, each at its line.
  const std::string both = sweep_file(dir,
                                      "workload: " + kLenet +               // 3
                                          "\nschedule: tasks.yaml\n"        // 4
                                          "set: [workload.input.h=32]\n");  // 5
  const CliRun e = hmasim("check " + both);
  EXPECT_EQ(e.status, 2);
  EXPECT_CONTAINS(e.err, both + ":3:11: workload: the schedule names each task's network");
  EXPECT_CONTAINS(e.err, both + ":5:7: set[0]: 'workload.input.h' overrides a workload key");
  const CliRun s = sweep(both, dir / "both");
  EXPECT_EQ(s.status, 2);
  EXPECT_FALSE(fs::exists(dir / "both"));

  // A schedule without networks still needs the workload.
  spit((dir / "plain.yaml").string(), "fps: 30\n");
  const std::string none = sweep_file(dir, "schedule: plain.yaml\n");
  const CliRun n = hmasim("check " + none);
  EXPECT_EQ(n.status, 2);
  EXPECT_CONTAINS(n.err, "workload: missing required key 'workload'");
}

TEST(SweepScheduleCli, BadScheduleValueIsReportedAtItsSweepLine) {
  const fs::path dir = fresh_dir("bad_value");
  spit((dir / "schedule.yaml").string(), "frames: 2\n");
  const std::string file = sweep_file(dir,
                                      "workload: " + kLenet +                         // 3
                                          "\nschedule: schedule.yaml\n"               // 4
                                          "axes:\n"                                   // 5
                                          "  - key: schedule.fps\n"                   // 6
                                          "    values: [30, fast]\n"                  // 7
                                          "  - {key: schedule.fpz, values: [1]}\n");  // 8
  const CliRun c = hmasim("check " + file);
  EXPECT_EQ(c.status, 2);
  EXPECT_CONTAINS(c.err, file +
                             ":7:18: axes[0].values[1]: --set schedule.fps=fast on "
                             "schedule.yaml: schedule.fps: 'fast' is not a number");
  EXPECT_CONTAINS(c.err, file +
                             ":8:34: axes[1].values[0]: --set schedule.fpz=1 on schedule.yaml: "
                             "schedule.fpz: unknown key 'fpz'");
  EXPECT_EQ(c.err.find("values[0]: --set schedule.fps"), std::string::npos) << c.err;  // 30 is ok
  const CliRun s = sweep(file, dir / "out");
  EXPECT_EQ(s.status, 2);
  EXPECT_CONTAINS(s.err, "axes[0].values[1]");
  EXPECT_FALSE(fs::exists(dir / "out"));
}

TEST(SweepScheduleCli, ScheduleOverrideWithoutAScheduleIsAnError) {
  const fs::path dir = fresh_dir("no_schedule");
  const std::string file = sweep_file(dir,
                                      "workload: " + kLenet +                                   // 3
                                          "\nset: [schedule.fps=30]\n"                          // 4
                                          "axes:\n  - {key: schedule.frames, values: [1]}\n");  // 6
  const CliRun c = hmasim("check " + file);
  EXPECT_EQ(c.status, 2);
  EXPECT_CONTAINS(c.err, file +
                             ":4:7: set[0]: 'schedule.fps' overrides a schedule key, and the "
                             "sweep has no schedule");
  EXPECT_CONTAINS(c.err, file + ":6:11: axes[0].key: 'schedule.frames' overrides a schedule key");
  // With a schedule, schedule.frames and frames set the same thing: one of them only.
  spit((dir / "schedule.yaml").string(), "fps: 30\n");
  const std::string twice = sweep_file(dir, "workload: " + kLenet +
                                                "\nschedule: schedule.yaml\nframes: 2\n"
                                                "axes:\n  - {key: schedule.frames, values: [1]}\n");
  const CliRun t = hmasim("check " + twice);
  EXPECT_EQ(t.status, 2);
  EXPECT_CONTAINS(t.err, "axes[0].key: 'schedule.frames' sets the frames, and so does 'frames:'");
}

TEST(SweepScheduleCli, EditingAScheduleOrATaskNetworkRerunsItsPoints) {
  const fs::path dir = fresh_dir("resume");
  spit((dir / "a.yaml").string(), "fps: 30\nframes: 1\n");
  spit((dir / "b.yaml").string(), "fps: 10\nframes: 1\n");
  fs::copy_file(kLenet, dir / "lenet5.yaml");
  spit((dir / "c.yaml").string(), "tasks: [lenet]\nnetworks: {lenet: lenet5.yaml}\n");
  const std::string with_workload =
      sweep_file(dir, "workload: " + kLenet + "\nschedule: [a.yaml, b.yaml]\n");
  const fs::path out = dir / "out";
  ASSERT_EQ(sweep(with_workload, out).status, 0);
  CliRun r = sweep(with_workload, out);
  EXPECT_CONTAINS(r.out, "0 of 0 points run (0 failed), 2 unchanged");
  // A comment changes nothing; a schedule key does: only that schedule's point runs again.
  spit((dir / "a.yaml").string(), "# the same\nfps: 30\nframes: 1\n");
  r = sweep(with_workload, out);
  EXPECT_CONTAINS(r.out, "0 of 0 points run (0 failed), 2 unchanged");
  spit((dir / "a.yaml").string(), "fps: 30\nframes: 2\n");
  r = sweep(with_workload, out);
  EXPECT_CONTAINS(r.out, "1 of 1 points run (0 failed), 1 unchanged");
  EXPECT_CONTAINS(r.err, "ok a");
  EXPECT_CONTAINS(slurp((out / "points/a/summary.json").string()), "\"frames\": 2,");

  // A network the schedule names is part of its points' config too.
  const std::string tasks = sweep_file(dir, "schedule: c.yaml\n");
  const fs::path out2 = dir / "out2";
  ASSERT_EQ(sweep(tasks, out2).status, 0);
  r = sweep(tasks, out2);
  EXPECT_CONTAINS(r.out, "0 of 0 points run (0 failed), 1 unchanged");
  std::string net = slurp((dir / "lenet5.yaml").string());
  const auto at = net.find("k: 128");
  ASSERT_NE(at, std::string::npos);
  net.replace(at, 6, "k: 64");
  spit((dir / "lenet5.yaml").string(), net);
  r = sweep(tasks, out2);
  EXPECT_CONTAINS(r.out, "1 of 1 points run (0 failed), 0 unchanged");
}

TEST(SweepScheduleCli, SeveralSchedulesMakeAScheduleAxis) {
  const fs::path dir = fresh_dir("axis");
  fs::create_directories(dir / "s");
  spit((dir / "s/slow.yaml").string(), "fps: 5\nframes: 1\n");
  spit((dir / "s/fast.yaml").string(), "fps: 50\nframes: 1\n");
  spit((dir / "sweep.yaml").string(),
       "sweep: test\nplatform: [" + kPlatform + ", " + kRoot +
           "/platforms/maxnvm/nvdla1024-mlc-rram.yaml]\nworkload: " + kLenet +
           "\nschedule: [s/slow.yaml, s/fast.yaml]\naxes:\n  - {key: seed, values: [1]}\n");
  const CliRun r = sweep((dir / "sweep.yaml").string(), dir / "out");
  ASSERT_EQ(r.status, 0) << r.err << r.out;
  const Table t = csv(slurp((dir / "out/results.csv").string()));
  ASSERT_EQ(t.size(), 5u);
  // Nesting: platforms outside schedules outside the axes; a column per axis, as written.
  EXPECT_EQ(std::vector<std::string>(t[0].begin(), t[0].begin() + 4),
            (std::vector<std::string>{"point", "platform", "schedule", "seed"}));
  const std::vector<std::string> names = {"nvdla64-lpddr4_slow_seed1", "nvdla64-lpddr4_fast_seed1",
                                          "nvdla1024-mlc-rram_slow_seed1",
                                          "nvdla1024-mlc-rram_fast_seed1"};
  for (std::size_t i = 0; i < names.size(); ++i) {
    EXPECT_EQ(t[i + 1][0], names[i]);
    const bool slow = i % 2 == 0;
    EXPECT_EQ(cell(t, names[i], "schedule"), slow ? "s/slow.yaml" : "s/fast.yaml");
    EXPECT_EQ(cell(t, names[i], "schedule.fps_target"), slow ? "5" : "50");
  }
  EXPECT_CONTAINS(slurp((dir / "out/plan.json").string()), "\"schedule\"");
  EXPECT_CONTAINS(slurp((dir / "out/results.jsonl").string()),
                  "\"values\":{\"platform\":\"" + kPlatform + "\",\"schedule\":\"s/slow.yaml\"");
}

// A point with a schedule that names its networks and gives the frames: no --workload, no
// --frames, the schedule's path and its overrides as --set.
TEST(SweepScheduleCli, RunArgumentsOfASchedulePoint) {
  hmasim::SweepPoint p;
  p.name = "n";
  p.platform = "p.yaml";
  p.schedule = "s.yaml";
  p.frames_from_schedule = true;
  p.set = {"schedule.fps=30"};
  hmasim::RunnerOptions o;
  o.layout.dir = "/out";
  EXPECT_EQ(
      hmasim::run_arguments(p, o),
      (std::vector<std::string>{"run", "--platform", "p.yaml", "--schedule", "s.yaml", "--out",
                                "/out/points/n", "--seed", "1", "--set", "schedule.fps=30"}));
  p.workload = "w.yaml";
  p.frames_from_schedule = false;
  EXPECT_EQ(hmasim::run_arguments(p, o),
            (std::vector<std::string>{"run", "--platform", "p.yaml", "--workload", "w.yaml",
                                      "--schedule", "s.yaml", "--out", "/out/points/n", "--seed",
                                      "1", "--frames", "1", "--set", "schedule.fps=30"}));
}

// The MEMTI example of docs/sweeps.md is valid: three designs x three frame rates.
TEST(SweepScheduleCli, MemtiExampleSweepIsValid) {
  const std::string file = kRoot + "/experiments/memti/memti.yaml";
  const CliRun c = hmasim("check " + file);
  EXPECT_EQ(c.status, 0) << c.err;
  EXPECT_CONTAINS(c.out, "ok (sweep 'memti', 9 points)");
  const CliRun list = hmasim("sweep " + file + " --list");
  EXPECT_CONTAINS(list.out, "\nmemti_fps30: hmasim 'run' ");
  EXPECT_CONTAINS(list.out, "'--schedule' '" + kRoot + "/experiments/memti/schedule.yaml' ");
  EXPECT_CONTAINS(list.out, "'--frames' '3' '--set' 'schedule.fps=30'");
}

}  // namespace
