// `hmasim run --schedule` whose tasks are different networks (`networks:` in the schedule,
// workloads/task_networks.hpp): each task runs its own network's layers with that network's
// timing, real weights files are used per task, and the errors of the key.
#include <gtest/gtest.h>

#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

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
const std::string kNets = kRoot + "/workloads/networks/";
const std::string kDigits = kRoot + "/data/digits/";

fs::path temp(const std::string& name) {
  const fs::path d = fs::path(::testing::TempDir()) /
                     ("hmasim_tasknets_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  return d;
}

// A schedule file in its own folder; returns its path.
std::string schedule(const std::string& name, const std::string& text) {
  const fs::path d = temp(name + "_schedule");
  fs::create_directories(d);
  const std::string file = (d / "schedule.yaml").string();
  spit(file, text);
  return file;
}

std::string run_ok(const std::string& name, const std::string& args) {
  const fs::path out = temp(name);
  const CliRun r = hmasim("run --platform " + kRram + " --out " + out.string() + " " + args);
  EXPECT_EQ(r.status, 0) << r.err;
  return out.string();
}

// Column `col` of every data row of a CSV file whose column `key_col` is `key` (all rows: "").
std::vector<std::string> column(const std::string& file, std::size_t col, std::size_t key_col = 0,
                                const std::string& key = "") {
  std::istringstream in(slurp(file));
  std::string line;
  std::getline(in, line);  // header
  std::vector<std::string> out;
  while (std::getline(in, line)) {
    std::vector<std::string> cells;
    std::stringstream row(line);
    for (std::string c; std::getline(row, c, ',');) cells.push_back(c);
    if (cells.size() <= std::max(col, key_col)) continue;
    if (key.empty() || cells[key_col] == key) out.push_back(cells[col]);
  }
  return out;
}

TEST(TaskNetworksCli, EachTaskRunsItsOwnNetworkWithThatNetworksTiming) {
  const std::string s =
      schedule("timing",
               "frames: 2\ntasks: [digits, lenet, digits]\n"
               "networks:\n  digits: " +
                   kNets + "digits-cnn.yaml\n  lenet: " + kNets + "lenet5.yaml\n");
  const std::string joined = run_ok("timing", "--schedule " + s);
  const std::string lenet = run_ok("lenet", "--workload " + kNets + "lenet5.yaml");
  const std::string digits = run_ok("digits", "--workload " + kNets + "digits-cnn.yaml");
  const std::string sum = slurp(joined + "/summary.json");
  // Resident networks, nothing to switch: a task's inference takes exactly its network's frame.
  EXPECT_EQ(json_number(sum, "latency_s", "lenet"),
            json_number(slurp(lenet + "/summary.json"), "latency_s"));
  EXPECT_EQ(json_number(sum, "latency_s", "digits"),
            json_number(slurp(digits + "/summary.json"), "latency_s"));
  EXPECT_EQ(json_number(sum, "inferences", "digits"), 4);
  EXPECT_EQ(json_number(sum, "inferences", "lenet"), 2);
  EXPECT_EQ(json_number(sum, "count", "task_switches"), 0);
  // Every layer of a frame, in the schedule's order, named task/layer.
  const std::vector<std::string> layers = column(joined + "/layers.csv", 1, 0, "0");
  const std::vector<std::string> lone = column(lenet + "/layers.csv", 1, 0, "0");
  const std::vector<std::string> lone_digits = column(digits + "/layers.csv", 1, 0, "0");
  ASSERT_EQ(layers.size(), 2 * lone_digits.size() + lone.size());
  EXPECT_EQ(layers.front(), "digits/" + lone_digits.front());
  EXPECT_EQ(layers[lone_digits.size()], "lenet/" + lone.front());
  EXPECT_EQ(layers.back(), "digits/" + lone_digits.back());
}

TEST(TaskNetworksCli, EachTaskComputesWithItsNetworksRealWeights) {
  // The digits CNN and MLP share their 8 x 8 input: one image per frame, both tasks classify it
  // with the weights their own files hold, as each does alone.
  const std::string s =
      schedule("weights", "tasks: [cnn, mlp]\nnetworks:\n  cnn: " + kNets +
                              "digits-cnn.yaml\n  mlp: " + kNets + "digits-mlp.yaml\n");
  const std::string images = " --functional --frames 40 --inputs " + kDigits +
                             "test-images.npy --labels " + kDigits + "test-labels.npy";
  const std::string joined = run_ok("weights", "--schedule " + s + images);
  const std::string sum = slurp(joined + "/summary.json");
  const std::string accuracy = sum.substr(sum.find("\"accuracy\""));
  for (const std::string task : {"cnn", "mlp"}) {
    const std::string lone =
        run_ok("weights_" + task, "--workload " + kNets + "digits-" + task + ".yaml" + images);
    const std::vector<std::string> alone = column(lone + "/predictions.csv", 4);
    ASSERT_EQ(alone.size(), 40u);
    EXPECT_EQ(column(joined + "/predictions.csv", 4, 2, task), alone) << task;
    // Per task: the accuracy of the lone run, and the independent reference on the task's own
    // layers and weights gives the same logits.
    const std::string lone_sum = slurp(lone + "/summary.json");
    EXPECT_EQ(json_number(accuracy, "top1", task), json_number(lone_sum, "top1", "accuracy"));
    EXPECT_EQ(json_number(accuracy, "labelled", task), 40);
    EXPECT_EQ(json_number(accuracy, "differing_from_fault_free", task), 0);
  }
  EXPECT_EQ(json_number(accuracy, "inferences"), 80);
  EXPECT_EQ(json_number(accuracy, "differing_from_fault_free"), 0);
}

TEST(TaskNetworksCli, EveryTaskOfAFrameReadsTheInputAsWritten) {
  // Task heads on a shared backbone, the second task reading the image after the first task's
  // maps were written: the input must not share room with them (it did: the second task computed
  // on overwritten pixels). Each task's logits equal the reference's on that task's layers.
  const fs::path d = temp("heads_net");
  fs::create_directories(d);
  const std::string net = (d / "heads.yaml").string();
  spit(net, R"(name: heads
input: {h: 8, w: 8, c: 1}
layers:
  - {name: conv1, type: conv, k: 16, r: 3, padding: 1}
  - {name: conv2, type: conv, k: 16, r: 3, padding: 1}
  - {name: pool, type: pool, r: 2, stride: 2}
  - {name: head_a, type: fc, k: 10, input: pool, task: a}
  - {name: head_b, type: fc, k: 10, input: pool, task: b}
)");
  const std::string images = " --functional --inputs " + kDigits + "test-images.npy --labels " +
                             kDigits + "test-labels.npy --frames 8";
  for (const std::string order : {"a,b", "b,a,b"}) {
    const std::string out =
        run_ok("heads_" + order, "--workload " + net + " --set schedule.tasks=" + order + images);
    const std::string sum = slurp(out + "/summary.json");
    const std::string accuracy = sum.substr(sum.find("\"accuracy\""));
    EXPECT_EQ(json_number(accuracy, "differing_from_fault_free"), 0) << order;
    EXPECT_EQ(json_number(accuracy, "differing_from_fault_free", "b"), 0) << order;
    EXPECT_EQ(json_number(accuracy, "labelled", "b"), order == "a,b" ? 8 : 16) << order;
  }
}

TEST(TaskNetworksCli, ErrorsNameTheKeyAndWriteNothing) {
  const fs::path out = temp("errors");
  const auto fails = [&](const std::string& args, const std::vector<std::string>& expected) {
    const CliRun r = hmasim("run --platform " + kRram + " --out " + out.string() + " " + args);
    EXPECT_EQ(r.status, 2) << args;
    for (const std::string& e : expected) EXPECT_NE(r.err.find(e), std::string::npos) << r.err;
    EXPECT_FALSE(fs::exists(out)) << args;
  };
  const std::string lenet = kNets + "lenet5.yaml";
  fails("", {"--workload is required"});
  const std::string both = schedule("both", "tasks: [a]\nnetworks: {a: " + lenet + "}\n");
  fails("--schedule " + both + " --workload " + lenet, {"give no --workload"});
  fails("--schedule " + both + " --set workload.defaults.shared=false", {"no workload overrides"});
  fails("--schedule " + both + " --weights " + kDigits + "digits-cnn.weights",
        {"name their own weights files"});
  fails("--schedule " + schedule("missing", "tasks: [a, b]\nnetworks: {a: " + lenet + "}\n"),
        {"schedule.yaml:", "networks", "task 'b'"});
  fails("--schedule " + schedule("extra", "tasks: [a]\nnetworks: {a: " + lenet + ", c: x.yaml}\n"),
        {"networks.c", "not a task"});
  fails("--schedule " + schedule("notasks", "networks: {a: " + lenet + "}\n"),
        {"networks", "give the tasks too"});
  fails("--schedule " + schedule("nofile", "tasks: [a]\nnetworks: {a: nowhere.yaml}\n"),
        {"nowhere.yaml"});
  const std::string mixed = schedule(
      "mixed", "tasks: [a, b]\nnetworks: {a: " + lenet + ", b: " + kNets + "digits-cnn.yaml}\n");
  fails("--schedule " + mixed + " --functional", {"inputs of different shapes"});
  fails("--schedule " +
            schedule("heads", "tasks: [a]\nnetworks: {a: " + kNets + "resnet26-adapters.yaml}\n"),
        {"task heads of its own", "task 'a'"});
}

}  // namespace
