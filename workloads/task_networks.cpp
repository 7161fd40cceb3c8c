#include "workloads/task_networks.hpp"

namespace hmasim {

Network join_task_networks(const std::vector<NamedTaskNetwork>& tasks) {
  Network joined;
  if (tasks.empty()) return joined;
  joined.precision = tasks.front().network.precision;
  joined.input = tasks.front().network.input;
  for (const NamedTaskNetwork& t : tasks) {
    const Network& n = t.network;
    joined.name += (joined.name.empty() ? "" : "+") + t.task;
    joined.file += (joined.file.empty() ? "" : ", ") + n.file;
    if (n.precision != joined.precision) {
      throw TaskNetworkError("schedule.networks: task '" + t.task + "': network '" + n.name +
                             "' has precision " + std::to_string(n.precision) + ", task '" +
                             tasks.front().task + "' " + std::to_string(joined.precision) +
                             ": the tasks' networks must have one precision");
    }
    if (joined.input != n.input) joined.input.reset();
    const int base = static_cast<int>(joined.layers.size());
    for (const Layer& from : n.layers) {
      if (!from.task.empty()) {
        throw TaskNetworkError("schedule.networks: task '" + t.task + "': network '" + n.name +
                               "' has task heads of its own (layer '" + from.name + "', task '" +
                               from.task + "'): a task's network must be a single task");
      }
      Layer l = from;
      const std::string prefix = t.task + "/";
      l.name = prefix + from.name;
      for (std::string& in : l.inputs) {
        if (in != "input") in = prefix + in;
      }
      if (!l.shares.empty()) l.shares = prefix + l.shares;
      l.task = t.task;
      l.index = from.index + static_cast<std::size_t>(base);
      for (int& s : l.sources) {
        if (s != kNetworkInput) s += base;
      }
      if (l.owner) *l.owner += static_cast<std::size_t>(base);
      joined.layers.push_back(std::move(l));
    }
  }
  joined.source = "tasks of a schedule";
  return joined;
}

Network task_subnetwork(const Network& net, const std::string& task) {
  Network sub;
  sub.file = net.file;
  sub.name = net.name + "/" + task;
  sub.source = net.source;
  sub.input = net.input;
  sub.precision = net.precision;
  std::vector<int> at(net.layers.size(), -1);  // joined index -> index in `sub`
  for (std::size_t i = 0; i < net.layers.size(); ++i) {
    const Layer& from = net.layers[i];
    if (!runs_for_task(from, task)) continue;
    Layer l = from;
    l.task.clear();
    for (int& s : l.sources) {
      if (s == kNetworkInput) continue;
      if (at[static_cast<std::size_t>(s)] < 0) {
        throw TaskNetworkError("task '" + task + "': layer '" + from.name + "' reads layer '" +
                               net.layers[static_cast<std::size_t>(s)].name +
                               "', which the task does not run");
      }
      s = at[static_cast<std::size_t>(s)];
    }
    if (l.owner) {
      if (at[*l.owner] < 0) {
        throw TaskNetworkError("task '" + task + "': layer '" + from.name +
                               "' shares the weights of a layer the task does not run");
      }
      l.owner = static_cast<std::size_t>(at[*l.owner]);
    }
    at[i] = static_cast<int>(sub.layers.size());
    sub.layers.push_back(std::move(l));
  }
  return sub;
}

std::optional<WeightsFile> join_task_weights(const std::vector<NamedTaskNetwork>& tasks) {
  std::optional<WeightsFile> joined;
  for (const NamedTaskNetwork& t : tasks) {
    std::optional<WeightsFile> own = load_network_weights(t.network, "");
    if (!own) continue;
    if (!joined) joined.emplace();
    joined->file += (joined->file.empty() ? "" : ", ") + own->file;
    // What the files are, in task order: FNV-1a 64 over their checksums.
    joined->checksum = (joined->checksum ^ own->checksum) * 1099511628211ull;
    for (LayerWeights& l : own->layers) {
      l.name = t.task + "/" + l.name;
      joined->layers.push_back(std::move(l));
    }
  }
  return joined;
}

}  // namespace hmasim
