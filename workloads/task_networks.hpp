// Tasks that are different networks (docs/schedules.md, `networks:` in a schedule): the
// networks joined into one multi-task network whose every layer is a task head of its own task,
// so the accelerator plans, places and switches them with the machinery of task heads. A task
// runs exactly its own network's layers; every parameter is its task's (task-specific).
#pragma once

#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "workloads/network.hpp"
#include "workloads/weights_file.hpp"

namespace hmasim {

class TaskNetworkError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct NamedTaskNetwork {
  std::string task;
  Network network;  // resolved (load_network)
};

// Layers become `<task>/<layer>` with `task: <task>`; sources, shared weights and indices are
// shifted to the joined positions. The joined network has a declared input only if every task's
// input is the same; it names no weights file (join_task_weights reads the tasks'). Throws
// TaskNetworkError for a network with task heads of its own, or networks of different precision.
Network join_task_networks(const std::vector<NamedTaskNetwork>& tasks);

// The layers task `task` runs (every layer without a task, and its own head), as a network of one
// task: sources and shared weights point into it, `task` is cleared, names and `index` (the
// weights' seed) are kept. What the reference inference computes a task of a multi-task run with.
Network task_subnetwork(const Network& net, const std::string& task);

// The real weights of the tasks whose networks name a weights file (`weights:`), as records of
// the joined network's layers; nullopt when none does (every task's weights are generated).
// Throws WeightsFileError as load_network_weights does.
std::optional<WeightsFile> join_task_weights(const std::vector<NamedTaskNetwork>& tasks);

}  // namespace hmasim
