// The tasks of a multi-task schedule (docs/schedules.md): which layers each task runs, and where
// each task's copy of its task-specific parameters lives.
//
// A layer runs for every task unless it names one (`task:` marks a task head). Its parameters
// are task-specific if it is a head or `shared: false` (residual adapters, task norms,
// classifiers): one set per task, generated from a seed of its own per task. The running task's
// set is read from `placement.task_weights` (default: `placement.weights`). With a
// `placement.task_store`, every task's set lies in the store and a switch to a task copies its set
// into one slot area of `task_weights` sized for the largest task (MEMTI: the current task's
// adapters in SRAM, every task's in DRAM; into an eNVM the copy is its program-and-verify
// writes). Without a store every task's set stays resident in `task_weights` and a switch moves
// nothing (MEMTI's "RRAM adapters").
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "hw/layer_program.hpp"
#include "hw/placement.hpp"
#include "hw/power_manager.hpp"
#include "workloads/network.hpp"

namespace hmasim {

class TaskError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// Whether a layer's parameters are one set per task.
bool is_task_specific(const Layer& l);

struct TaskLayout {
  std::vector<std::string> names;       // distinct tasks, in the order they first run
  std::vector<std::size_t> order;       // the tasks of one frame: indices into `names`
  std::vector<std::vector<bool>> runs;  // [task][layer]: the task runs the layer
  std::vector<bool> specific;           // per layer: task-specific parameters
  bool runs_layer(std::size_t task, std::size_t layer) const { return runs[task][layer]; }
};

// `schedule_tasks` (non-empty) checked against the network: with task heads, every task must be
// one of them (TaskError naming the task, `where` and the heads).
TaskLayout plan_tasks(const Network& net, const std::vector<std::string>& schedule_tasks,
                      const std::string& where);

// Where each task's task-specific weights lie (bytes 0 where the task has none for the layer).
struct TaskRegions {
  std::vector<std::vector<Region>> run;    // [task][layer]: read from here while it runs
  std::vector<std::vector<Region>> store;  // [task][layer]: its copy in the store (no store: none)
  bool has_store = false;
  std::size_t slot_memory = 0;     // the memory of `run`
  std::vector<std::uint64_t> end;  // per memory: the first byte after everything placed
};

// `bytes[task][layer]`: encoded sizes; `free_from[m]`: the first free byte of memory m (after its
// weights and activations). Throws PlacementError naming the memory and the shortfall.
TaskRegions place_tasks(const TaskLayout& tasks,
                        const std::vector<std::vector<std::uint64_t>>& bytes,
                        const PlacementConfig& config, const std::vector<MemoryInfo>& memories,
                        std::vector<std::uint64_t> free_from);

// One task as the layer controller runs it.
struct TaskProgram {
  std::string name;
  std::vector<LayerProgram> layers;   // the layers it runs, in network order
  std::vector<ReloadCopy> switch_in;  // copies that make its parameters resident (none: always)
  std::uint64_t switch_bytes = 0;
};

}  // namespace hmasim
