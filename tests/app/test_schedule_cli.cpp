// `hmasim run` with a schedule: frames at a target rate, deadline misses, power states between
// frames, the schedule file and its overrides, and the errors of each.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <string>

#include "support/cli.hpp"

namespace {

using hmasim::test::CliRun;
using hmasim::test::hmasim;
using hmasim::test::json_number;
using hmasim::test::slurp;
using hmasim::test::spit;
namespace fs = std::filesystem;

const std::string kRoot = HMASIM_SOURCE_DIR;
const std::string kRram = kRoot + "/platforms/maxnvm/nvdla1024-mlc-rram.yaml";
const std::string kLenet = kRoot + "/workloads/networks/lenet5.yaml";
// Every component of the RRAM platform off between frames, waking for free.
const std::string kAllOff =
    " --set memories.sram.power.idle=off --set memories.envm.power.idle=off"
    " --set memories.dram.power.idle=off --set accelerator.power.idle=off";

fs::path out_dir(const std::string& name) {
  const fs::path d = fs::path(::testing::TempDir()) /
                     ("hmasim_schedule_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  return d;
}

// summary.json of a LeNet-5 run on the MLC-RRAM platform.
std::string run(const std::string& name, const std::string& extra) {
  const fs::path out = out_dir(name);
  const CliRun r = hmasim("run --platform " + kRram + " --workload " + kLenet + " --out " +
                          out.string() + " " + extra);
  EXPECT_EQ(r.status, 0) << r.err;
  return slurp((out / "summary.json").string());
}

TEST(ScheduleCli, ATargetRateRunsEveryFrameInItsSlot) {
  const std::string fast = run("max", "--frames 4");
  const std::string paced = run("paced", "--frames 4 --fps 100");
  EXPECT_EQ(json_number(paced, "deadline_misses"), 0);
  EXPECT_DOUBLE_EQ(json_number(paced, "duration_s"), 0.04);
  EXPECT_DOUBLE_EQ(json_number(paced, "fps_achieved"), 100);
  EXPECT_DOUBLE_EQ(json_number(paced, "fps_target"), 100);
  // Frames are timed alike whether they come back to back or at a rate.
  EXPECT_NEAR(json_number(paced, "fps_max"), json_number(fast, "fps_max"),
              1e-6 * json_number(fast, "fps_max"));
  EXPECT_CONTAINS(fast, "\"fps_target\": null");
}

TEST(ScheduleCli, AFrameThatEndsAfterItsSlotIsAMissedDeadline) {
  const std::string s = run("late", "--frames 3 --fps 1000000");
  EXPECT_EQ(json_number(s, "deadline_misses"), 3);
  EXPECT_LT(json_number(s, "fps_achieved"), 1e6);
}

TEST(ScheduleCli, WithEverythingOffBetweenFramesPowerFallsInProportionToTheRate) {
  // The idle floor is what the components draw while off: nothing here. Idle time costs no
  // energy and no simulation, so each frame costs the same at every rate (to within the DRAM's
  // refreshes, whose phase against the frame's start varies with the rate: well under 1%).
  double previous_power = 0;
  double frame_energy = 0;
  for (const double fps : {1000.0, 100.0, 10.0, 1.0}) {
    const std::string s =
        run("off" + std::to_string(int(fps)), "--frames 3 --fps " + std::to_string(fps) + kAllOff);
    const double power = json_number(s, "power_at_target_w");
    const double energy = json_number(s, "energy_per_frame_j");
    if (frame_energy > 0) {
      EXPECT_NEAR(energy, frame_energy, 0.01 * frame_energy) << fps;
      EXPECT_NEAR(power, previous_power / 10, 0.001 * previous_power) << fps;
    }
    EXPECT_EQ(json_number(s, "deadline_misses"), 0);
    EXPECT_GT(json_number(s, "off_s", "sram"), 0);
    previous_power = power;
    frame_energy = energy;
  }
}

TEST(ScheduleCli, StayingOnPowerFallsWithTheRateTowardsTheStaticFloor) {
  std::vector<double> power;
  for (const char* fps : {"100", "10", "1", "0.5"}) {
    power.push_back(json_number(
        run(std::string("on") + fps, "--frames 2 --fps " + std::string(fps)), "power_at_target_w"));
  }
  for (std::size_t i = 1; i < power.size(); ++i) EXPECT_LT(power[i], power[i - 1]) << i;
  // At 1 and 0.5 fps a frame's own energy is a sliver of the idle energy: the power is the floor.
  EXPECT_LT((power[2] - power[3]) / power[3], 0.01);
  EXPECT_GT(power[3], 0);
}

TEST(ScheduleCli, AScheduleFileSetsRateAndFramesAndOverridesWin) {
  const fs::path dir = out_dir("file");
  fs::create_directories(dir);
  const std::string file = (dir / "s.yaml").string();
  spit(file, "fps: 50\nframes: 2\n");
  const std::string s = run("file_run", "--schedule " + file + " --set schedule.frames=3");
  EXPECT_EQ(json_number(s, "frames"), 3);
  EXPECT_DOUBLE_EQ(json_number(s, "duration_s"), 0.06);

  spit(file, "fps: 50\nframez: 2\n");
  const CliRun bad = hmasim("run --platform " + kRram + " --workload " + kLenet + " --schedule " +
                            file + " --out " + (dir / "x").string());
  EXPECT_EQ(bad.status, 2);
  EXPECT_CONTAINS(bad.err, file + ":2");
  EXPECT_CONTAINS(bad.err, "framez");
  EXPECT_FALSE(fs::exists(dir / "x"));
}

TEST(ScheduleCli, BadRatesAndMisplacedScheduleOverridesAreErrors) {
  for (const char* fps : {"0", "-5", "abc", "1e9"}) {
    const CliRun r = hmasim("run --platform " + kRram + " --workload " + kLenet + " --fps " + fps +
                            " --out " + out_dir("bad").string());
    EXPECT_EQ(r.status, 2) << fps;
    EXPECT_CONTAINS(r.err, "fps");
  }
  // Simulated time has a 64-bit picosecond range: a schedule longer than 1e7 s is refused.
  const CliRun long_run = hmasim("run --platform " + kRram + " --workload " + kLenet +
                                 " --fps 0.00001 --frames 1000 --out " + out_dir("long").string());
  EXPECT_EQ(long_run.status, 2);
  EXPECT_CONTAINS(long_run.err, "at most 1e7 s");
  const CliRun check = hmasim("check " + kRram + " --set schedule.fps=30");
  EXPECT_EQ(check.status, 2);
  EXPECT_CONTAINS(check.err, "only hmasim run reads a schedule");
}

TEST(ScheduleCli, PowerStateMistakesAreCleanErrors) {
  const std::string base = "run --platform " + kRram + " --workload " + kLenet + " --out " +
                           out_dir("power").string() + " --fps 10 ";
  // Weights in a memory that forgets them, with nowhere to reload them from.
  CliRun r = hmasim(base + "--set placement.weights=sram --set storage.encoding=dense " +
                    "--set storage.protection=none --set storage.values=fixed " +
                    "--set memories.sram.power.idle=off");
  EXPECT_EQ(r.status, 2) << r.err;
  EXPECT_CONTAINS(r.err, "reload_from");
  r = hmasim("check " + kRram + " --set memories.sram.power.idle=off" +
             " --set memories.sram.power.reload_from=flash");
  EXPECT_EQ(r.status, 2);
  EXPECT_CONTAINS(r.err, "no memory 'flash'");
  r = hmasim("check " + kRram + " --set memories.sram.power.reload_from=dram");
  EXPECT_EQ(r.status, 2);
  EXPECT_CONTAINS(r.err, "only with idle: off");
  r = hmasim(base + "--set memories.dram.power.idle=retention");
  EXPECT_EQ(r.status, 2);
  EXPECT_CONTAINS(r.err, "self-refresh");
  r = hmasim("check " + kRram + " --set memories.envm.power.wake_latency=1us" +
             " --set memories.envm.wakeup_time=1us");
  EXPECT_EQ(r.status, 2);
  EXPECT_CONTAINS(r.err, "given twice");
}

// summary.json of LeNet-5, every parameter task-specific, on MEMTI's all-RRAM design: every task
// switch reprograms the RRAM slot.
std::string run_all_rram(const std::string& name, const std::string& tasks) {
  const fs::path out = out_dir(name);
  const CliRun r = hmasim("run --platform " + kRoot + "/platforms/memti/all-rram.yaml --workload " +
                          kLenet + " --out " + out.string() +
                          " --fps 30 --frames 2 --set workload.defaults.shared=false" +
                          " --set schedule.tasks=" + tasks);
  EXPECT_EQ(r.status, 0) << r.err;
  return slurp((out / "summary.json").string());
}

TEST(ScheduleCli, LifetimeFallsWhenWritesPerFrameRise) {
  const std::string two = run_all_rram("two_tasks", "a,b");
  const std::string four = run_all_rram("four_tasks", "a,b,c,d");
  // Every task switch rewrites each block of the slot once: twice the switches per frame, twice
  // the writes of the most-written block, half the lifetime.
  const double w2 = json_number(two, "writes_per_frame", "endurance");
  const double w4 = json_number(four, "writes_per_frame", "endurance");
  EXPECT_EQ(w2, 2.0);
  EXPECT_EQ(w4, 4.0);
  const double l2 = json_number(two, "lifetime_years", "endurance");
  const double l4 = json_number(four, "lifetime_years", "endurance");
  EXPECT_GT(l2, 0.0);
  EXPECT_NEAR(l4, l2 / 2, l2 * 1e-9);
  // Endurance 1e6 writes, 2 writes per frame at 30 FPS.
  EXPECT_NEAR(l2, 1e6 / (2 * 30 * 365.25 * 24 * 3600), l2 * 1e-9);
  EXPECT_EQ(json_number(two, "count", "task_switches"), 4.0);
  EXPECT_GT(json_number(two, "envm_cells_written", "task_switches"), 0.0);
}

TEST(ScheduleCli, WithoutWritesTheLifetimeIsUnbounded) {
  // Weights in the RRAM, never rewritten: no lifetime limit from this schedule (null).
  const std::string s = run("no_writes", "--fps 30 --frames 2");
  const auto at = s.find("\"lifetime_years\": ");
  ASSERT_NE(at, std::string::npos) << s;
  EXPECT_EQ(s.substr(at + 18, 4), "null");
}

TEST(ScheduleCli, ATaskNotInTheNetworksHeadsIsAnErrorAtItsKey) {
  const fs::path out = out_dir("bad_task");
  const CliRun r = hmasim("run --platform " + kRoot + "/platforms/memti/memti.yaml --workload " +
                          kRoot + "/workloads/networks/resnet26-adapters.yaml --out " +
                          out.string() + " --set schedule.tasks=cifar100,imagenet");
  EXPECT_EQ(r.status, 2);
  EXPECT_CONTAINS(r.err, "--set schedule.tasks");
  EXPECT_CONTAINS(r.err, "task 'imagenet'");
  EXPECT_CONTAINS(r.err, "cifar100, gtsrb, ucf101");
  EXPECT_FALSE(fs::exists(out));
  const CliRun empty = hmasim("run --platform " + kRram + " --workload " + kLenet + " --out " +
                              out.string() + " --set schedule.tasks=a,,b");
  EXPECT_EQ(empty.status, 2);
  EXPECT_CONTAINS(empty.err, "schedule.tasks");
}

TEST(ScheduleCli, CheckValidatesAScheduleAndItsTasksNetworks) {
  const CliRun ok =
      hmasim("check " + kRoot + "/experiments/memti/schedule.yaml --set schedule.fps=10");
  EXPECT_EQ(ok.status, 0) << ok.err;
  EXPECT_CONTAINS(ok.out, "ok (schedule, 100 frames at 10 fps, 3 tasks per frame)");
  const fs::path d = out_dir("check");
  fs::create_directories(d);
  // A typo is a schedule key error, not a platform's.
  spit((d / "typo.yaml").string(), "fsp: 30\nframes: 2\n");
  CliRun r = hmasim("check " + (d / "typo.yaml").string());
  EXPECT_EQ(r.status, 2);
  EXPECT_CONTAINS(r.err, "typo.yaml:1:1: fsp: unknown key 'fsp' (expected one of: fps, frames");
  // A task's network that does not load fails the check.
  spit((d / "nets.yaml").string(), "tasks: [a]\nnetworks: {a: missing.yaml}\n");
  r = hmasim("check " + (d / "nets.yaml").string());
  EXPECT_EQ(r.status, 2);
  EXPECT_CONTAINS(r.err, "missing.yaml");
}

}  // namespace
