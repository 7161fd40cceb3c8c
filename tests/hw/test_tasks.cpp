// Multi-task frames (hw/task_plan.hpp) on a small platform: a shared layer and a task-specific
// adapter, two tasks per frame. With a task store, every switch copies the task's adapter into
// the slot through the DMA (into an eNVM: program-and-verify writes, counted for endurance);
// without one, every task's adapter stays resident and nothing moves.
#include <gtest/gtest.h>

#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/platform_file.hpp"
#include "hw/accelerator.hpp"
#include "mem/envm/envm.hpp"

namespace hmasim {
namespace {

// Task slot in an SRAM (or the eNVM), every task's copy in an ideal backing memory.
const char* kPlatform = R"(name: tasks
memories:
  backing:
    model: simple
    capacity: 64MiB
    latency: 100ns
    bandwidth: 4GB/s
  sram:
    preset: sram-22nm
    capacity: 2MiB
  envm:
    model: envm
    capacity: 4MiB
    technology: {preset: rram}
    bits_per_cell: 2
    endurance_block: 256B
interconnect:
  backing: {bandwidth: 1TB/s}
  sram: {bandwidth: 1TB/s}
  envm: {bandwidth: 1TB/s}
placement:
  weights: sram
  activations: sram
  task_weights: sram
  task_store: backing
accelerator:
  clock: 1GHz
  mac: {atomic_c: 32, atomic_k: 32, stripe_max_ops: 32, stripe_min_cycles: 16, pipeline_fill: 32,
        energy_per_mac: 0.29pJ, leakage: 14mW}
  cbuf: {size: 256KiB, banks: 16}
  post: {outputs_per_cycle: 16}
)";

const char* kNetwork = R"(name: adapted
input: {h: 8, w: 8, c: 64}
layers:
  - {name: backbone, type: conv, k: 64, r: 3, padding: 1}
  - {name: adapter, type: conv, k: 64, r: 1, shared: false}
)";

PlatformConfig task_platform(const std::vector<std::string>& overrides = {}) {
  ConfigDocument::set_preset_directory(HMASIM_SOURCE_DIR "/platforms/presets");
  return load_platform_text(kPlatform, HMASIM_SOURCE_DIR "/platforms/tasks.yaml", overrides);
}

struct TaskSim {
  PlatformConfig platform;
  Network net;
  EnergyLedger ledger;
  std::unique_ptr<Accelerator> acc;
  TaskSim(const std::vector<std::string>& tasks, std::uint32_t frames,
          const std::vector<std::string>& overrides, std::optional<Time> period = {}) {
    platform = task_platform(overrides);
    net = load_network_text(kNetwork, "net.yaml");
    RunOptions options;
    options.frames = frames;
    options.tasks = tasks;
    options.frame_period = period;
    acc = std::make_unique<Accelerator>("acc", platform.memories, *platform.accelerator, net,
                                        options, ledger);
    sc_core::sc_start();
    EXPECT_TRUE(acc->finished()) << acc->error();
    acc->finish_power(acc->end_time());
  }
  std::size_t memory(const std::string& name) const {
    for (std::size_t m = 0; m < acc->memories().size(); ++m) {
      if (acc->memories()[m]->basename() == name) return m;
    }
    ADD_FAILURE() << "no memory " << name;
    return 0;
  }
  // The bytes the slot holds for `task`'s adapter now.
  std::vector<std::uint8_t> slot(std::size_t task) const {
    const Region& r = acc->task_regions().run[task][1];
    std::vector<std::uint8_t> b(r.bytes);
    EXPECT_TRUE(acc->memories()[r.memory]->debug_read(r.offset, b.data(), b.size()));
    return b;
  }
};

TEST(Tasks, EveryTaskRunsTheSharedLayersAndItsOwnAdapter) {
  TaskSim s({"x", "y"}, 1, {});
  ASSERT_EQ(s.acc->records().size(), 4u);
  EXPECT_EQ(s.acc->records()[0].task, 0u);
  EXPECT_EQ(s.acc->records()[1].layer, 1u);
  EXPECT_EQ(s.acc->records()[2].task, 1u);
  EXPECT_EQ(s.acc->records()[2].layer, 0u);
  // The two tasks' adapters are different weights (seeded per task), the backbone is one set.
  const auto& programs = s.acc->task_programs();
  ASSERT_EQ(programs.size(), 2u);
  EXPECT_NE(programs[0].layers[1].stored->layout.structures.at(0).bytes,
            programs[1].layers[1].stored->layout.structures.at(0).bytes);
  EXPECT_EQ(programs[0].layers[0].stored, programs[1].layers[0].stored);
}

TEST(Tasks, ASwitchToSramCostsExactlyTheDmaTimeOfItsBytes) {
  TaskSim s({"x", "y"}, 2, {});
  const auto& switches = s.acc->task_switches();
  // x, y, x, y: every task runs after the other one, so every run is a switch.
  ASSERT_EQ(switches.size(), 4u);
  const std::uint64_t adapter = (64 * 64 + 255) / 256 * 256;  // dense int8 1x1, 256 B aligned
  for (const TaskSwitchRecord& sw : switches) EXPECT_EQ(sw.bytes, adapter);
  // The switch is the DMA's copy: reads at the backing memory's 4 GB/s, writes at the SRAM's
  // peak, overlapped in 8 KiB batches; one batch here, so the latencies come on top.
  const double sram_bw = s.acc->memories()[s.memory("sram")]->peak_bandwidth().value();
  for (const TaskSwitchRecord& sw : switches) {
    const double seconds = to_seconds(sw.end - sw.start);
    EXPECT_GE(seconds, adapter / 4e9 + 100e-9);
    EXPECT_LE(seconds, adapter / 4e9 + adapter / sram_bw + 100e-9 + 1e-6);
    EXPECT_GT(sw.energy.value(), 0.0);
  }
  // Every switch takes the same time: the same bytes, the same idle memories.
  for (const TaskSwitchRecord& sw : switches) {
    EXPECT_EQ(sw.end - sw.start, switches[0].end - switches[0].start);
  }
  // The frame's time includes the switches: the task's first layer starts when its switch ends.
  EXPECT_EQ(s.acc->records()[0].start, switches[0].end);
}

TEST(Tasks, TheSlotHoldsTheRunningTasksRealBytesAndTheWeightFetchChecksThem) {
  TaskSim s({"x", "y"}, 2, {});
  // The last task run was y: the slot holds y's adapter, not x's.
  const auto& programs = s.acc->task_programs();
  const auto& y = programs[1].layers[1].stored->layout.structures.at(0).bytes;
  const auto& x = programs[0].layers[1].stored->layout.structures.at(0).bytes;
  std::vector<std::uint8_t> held = s.slot(1);
  held.resize(y.size());
  EXPECT_EQ(held, y);
  EXPECT_NE(held, x);
  // Every adapter read was compared with its task's stored bytes: none differed.
  const WeightCheck& check = s.acc->weight_checks().at(s.memory("sram"));
  EXPECT_EQ(check.weights, 4u * 64 * 64);
  EXPECT_EQ(check.corrupted, 0u);
  EXPECT_EQ(check.layers_decoded, 0u);
}

TEST(Tasks, WithoutAStoreEveryTasksSetIsResidentAndNothingMoves) {
  TaskSim s({"x", "y"}, 2, {"placement.task_store="});
  EXPECT_TRUE(s.acc->task_switches().empty());
  const TaskRegions& r = s.acc->task_regions();
  EXPECT_FALSE(r.has_store);
  EXPECT_NE(r.run[0][1].offset, r.run[1][1].offset);
  EXPECT_EQ(r.run[0][1].memory, s.memory("sram"));
}

TEST(Tasks, TheSameTaskTwiceInARowSwitchesOnlyOnce) {
  TaskSim same({"x", "x"}, 1, {});
  EXPECT_EQ(same.acc->task_switches().size(), 1u);  // the first run fills the empty slot
}

TEST(Tasks, ReprogrammingAnEnvmSlotCostsProgramAndVerifyAndCountsEveryWrite) {
  TaskSim s({"x", "y"}, 2, {"placement.task_weights=envm"});
  const auto& switches = s.acc->task_switches();
  ASSERT_EQ(switches.size(), 4u);
  const auto* envm = dynamic_cast<const Envm*>(s.acc->memories()[s.memory("envm")]);
  ASSERT_NE(envm, nullptr);
  // Each switch programs the adapter's bytes: access units of access_bytes, each one
  // program-and-verify sequence on one bank (a single bank here).
  const std::uint64_t bytes = switches[0].bytes;
  const std::uint64_t units = bytes / envm->access_bytes().value();
  // One bank: the program-and-verify sequences of the switch's access units run one after
  // another, so the switch lasts at least their sum, and they are what it spends on writes.
  const Time per_unit = envm->config().technology.write_time(envm->bits_per_cell());
  const Time programming(per_unit.value() * units);
  EXPECT_GT(units, 0u);
  for (const TaskSwitchRecord& sw : switches) {
    EXPECT_GE(sw.end - sw.start, programming);
    EXPECT_LE(sw.end - sw.start, programming + nanoseconds(2'000));
  }
  EXPECT_EQ(envm->stats().writes, switches.size() * bytes / 256);  // one per 256 B DMA write
  EXPECT_EQ(envm->stats().bytes_written, switches.size() * bytes);
  // Endurance: 256 B blocks, one DMA write request each, rewritten once per switch to the slot.
  EXPECT_EQ(envm->max_block_writes(), switches.size());
  EXPECT_EQ(envm->endurance_counter().total_writes(), switches.size() * bytes / 256);
}

// One task per frame, 1 ms slots (gaps to power off in): resident after its first switch,
// unless the slot is powered off and loses it.
TEST(Tasks, AResidentTaskDoesNotSwitchAgainWhileTheSlotStaysOn) {
  TaskSim on({"x"}, 3, {}, nanoseconds(1'000'000));
  EXPECT_EQ(on.acc->task_switches().size(), 1u);
}

TEST(Tasks, PoweringTheSlotOffMakesTheNextTaskSwitchInAgain) {
  TaskSim off({"x"}, 3, {"memories.sram.power.idle=off", "memories.sram.power.reload_from=backing"},
              nanoseconds(1'000'000));
  ASSERT_EQ(off.acc->task_switches().size(), 3u);
  EXPECT_EQ(off.acc->task_switches()[1].frame, 1u);
  // What came back is the task's adapter again: every read of it matched.
  const WeightCheck& check = off.acc->weight_checks().at(off.memory("sram"));
  EXPECT_EQ(check.corrupted, 0u);
  EXPECT_EQ(check.layers_decoded, 0u);
}

// A backbone and two task heads.
Network heads_network() {
  return load_network_text(R"(name: heads
input: {h: 8, w: 8, c: 64}
layers:
  - {name: backbone, type: conv, k: 64, r: 3, padding: 1}
  - {name: head.a, type: fc, k: 10, input: backbone, task: a}
  - {name: head.b, type: fc, k: 5, input: backbone, task: b}
)",
                           "heads.yaml");
}

TEST(Tasks, ATaskTheNetworkHasNoHeadForIsAnError) {
  const PlatformConfig platform = task_platform();
  const Network net = heads_network();
  EnergyLedger ledger;
  RunOptions options;
  options.tasks = {"a", "c"};
  options.tasks_where = "schedule.tasks (s.yaml:3)";
  try {
    Accelerator acc("acc", platform.memories, *platform.accelerator, net, options, ledger);
    FAIL() << "expected a TaskError";
  } catch (const TaskError& e) {
    EXPECT_NE(std::string(e.what()).find("schedule.tasks (s.yaml:3): task 'c'"), std::string::npos)
        << e.what();
    EXPECT_NE(std::string(e.what()).find("a, b"), std::string::npos) << e.what();
  }
}

TEST(Tasks, TaskHeadsRunOnlyForTheirTask) {
  const PlatformConfig platform = task_platform();
  const Network net = heads_network();
  EnergyLedger ledger;
  RunOptions options;
  options.tasks = {"b", "a"};
  Accelerator acc("acc", platform.memories, *platform.accelerator, net, options, ledger);
  sc_core::sc_start();
  ASSERT_TRUE(acc.finished()) << acc.error();
  std::vector<std::size_t> layers;
  for (const LayerRecord& r : acc.records()) layers.push_back(r.layer);
  EXPECT_EQ(layers, (std::vector<std::size_t>{0, 2, 0, 1}));
  EXPECT_EQ(acc.tasks().names, (std::vector<std::string>{"b", "a"}));
}

TEST(Tasks, ALayerSharingATaskSpecificOwnersWeightsReadsTheRunningTasksCopy) {
  const PlatformConfig platform = task_platform();
  const Network net = load_network_text(R"(name: shared-adapter
input: {h: 8, w: 8, c: 64}
layers:
  - {name: adapter, type: conv, k: 64, r: 1, shared: false}
  - {name: again, type: conv, k: 64, r: 1, shares: adapter}
)",
                                        "shares.yaml");
  EnergyLedger ledger;
  RunOptions options;
  options.tasks = {"x", "y"};
  Accelerator acc("acc", platform.memories, *platform.accelerator, net, options, ledger);
  sc_core::sc_start();
  ASSERT_TRUE(acc.finished()) << acc.error();
  const auto& programs = acc.task_programs();
  for (std::size_t k = 0; k < 2; ++k) {
    // The sharer reads what its owner reads for this task: the task's own copy in the slot.
    EXPECT_EQ(programs[k].layers[1].stored, programs[k].layers[0].stored);
    EXPECT_EQ(programs[k].layers[1].weights.offset, programs[k].layers[0].weights.offset);
    EXPECT_EQ(programs[k].switch_in.size(), 1u);  // one copy: the owner's
  }
  // Both layers of both tasks read their weights from the SRAM slot, and every read matched.
  const std::size_t sram = 1;
  ASSERT_EQ(acc.records().size(), 4u);
  for (const LayerRecord& r : acc.records()) EXPECT_GT(r.bytes_per_memory[sram], 64u * 64);
  const WeightCheck& check = acc.weight_checks().at(sram);
  EXPECT_EQ(check.weights, 4u * 64 * 64);
  EXPECT_EQ(check.corrupted, 0u);
}

}  // namespace
}  // namespace hmasim

namespace hmasim {
namespace {

// The eNVM's initial programming (hw/initial_programming.hpp), timed on a copy of the model:
// with one bank, every access unit of the weights there is one program-and-verify sequence after
// another; the run's own eNVM is not written (no endurance, no write energy).
TEST(Tasks, InitialProgrammingIsTimedOnACopyAndLeavesTheRunUntouched) {
  TaskSim s({"x"}, 1, {"placement.weights=envm"});
  const auto* envm = dynamic_cast<const Envm*>(s.acc->memories()[s.memory("envm")]);
  ASSERT_NE(envm, nullptr);
  const std::vector<ProgrammingResult> programming = s.acc->programming();
  ASSERT_EQ(programming.size(), 1u);
  const ProgrammingResult& p = programming[0];
  EXPECT_EQ(p.memory, "envm");
  // The backbone's weights, whole 256 B, in 256 B requests.
  std::uint64_t bytes = 0;
  for (std::size_t i = 0; i < s.acc->stored_weights().size(); ++i) {
    if (s.acc->stored_weights()[i].bytes > 0 &&
        s.acc->placement().weights[i].memory == s.memory("envm")) {
      bytes += (s.acc->placement().weights[i].bytes + 255) / 256 * 256;
    }
  }
  EXPECT_GT(bytes, 0u);
  EXPECT_EQ(p.bytes, bytes);
  EXPECT_EQ(p.requests, bytes / 256);
  const std::uint64_t units = bytes / envm->access_bytes().value();
  const Time per_unit = envm->config().technology.write_time(envm->bits_per_cell());
  EXPECT_GE(p.time, Time(per_unit.value() * units));
  EXPECT_LE(p.time, Time(per_unit.value() * units) + nanoseconds(2'000));
  EXPECT_GT(p.energy.value(), 0.0);
  EXPECT_EQ(envm->stats().writes, 0u);
  EXPECT_EQ(envm->max_block_writes(), 0u);
}

}  // namespace
}  // namespace hmasim
