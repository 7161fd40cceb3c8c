#include "hw/task_plan.hpp"

#include <algorithm>

#include "core/integer_math.hpp"
#include "hw/storage_config.hpp"

namespace hmasim {

namespace {

std::size_t linked_memory(const std::vector<MemoryInfo>& memories, const std::string& name,
                          const char* key) {
  for (std::size_t i = 0; i < memories.size(); ++i) {
    if (memories[i].name == name) return i;
  }
  throw PlacementError(std::string("placement.") + key + ": memory '" + name +
                       "' is not linked to the accelerator");
}

void check_fits(const MemoryInfo& m, std::uint64_t end, const std::string& what) {
  if (end <= m.capacity) return;
  throw PlacementError(what + " need " + std::to_string(end) + " B of '" + m.name +
                       "' (after its weights and activations) but it holds " +
                       std::to_string(m.capacity) + " B: short by " +
                       std::to_string(end - m.capacity) + " B");
}

}  // namespace

bool is_task_specific(const Layer& l) {
  return l.has_weights() && parameter_class(l) == ParameterClass::task;
}

TaskLayout plan_tasks(const Network& net, const std::vector<std::string>& schedule_tasks,
                      const std::string& where) {
  std::vector<std::string> heads;
  for (const Layer& l : net.layers) {
    if (!l.task.empty() && std::find(heads.begin(), heads.end(), l.task) == heads.end()) {
      heads.push_back(l.task);
    }
  }
  TaskLayout t;
  for (const std::string& name : schedule_tasks) {
    if (!heads.empty() && std::find(heads.begin(), heads.end(), name) == heads.end()) {
      std::string list;
      for (const std::string& h : heads) list += (list.empty() ? "" : ", ") + h;
      throw TaskError(where + ": task '" + name + "' is not a task of network '" + net.name +
                      "' (its task heads: " + list + ")");
    }
    auto it = std::find(t.names.begin(), t.names.end(), name);
    if (it == t.names.end()) it = t.names.insert(t.names.end(), name);
    t.order.push_back(static_cast<std::size_t>(it - t.names.begin()));
  }
  for (const std::string& name : t.names) {
    std::vector<bool> runs;
    for (const Layer& l : net.layers) runs.push_back(l.task.empty() || l.task == name);
    t.runs.push_back(std::move(runs));
  }
  for (const Layer& l : net.layers) t.specific.push_back(is_task_specific(l));
  return t;
}

TaskRegions place_tasks(const TaskLayout& tasks,
                        const std::vector<std::vector<std::uint64_t>>& bytes,
                        const PlacementConfig& config, const std::vector<MemoryInfo>& memories,
                        std::vector<std::uint64_t> free_from) {
  TaskRegions r;
  const std::size_t layers = tasks.specific.size();
  r.run.assign(tasks.names.size(), std::vector<Region>(layers));
  r.store.assign(tasks.names.size(), std::vector<Region>(layers));
  const std::string& slot_name = config.task_weights.empty() ? config.weights : config.task_weights;
  r.slot_memory = linked_memory(memories, slot_name, "task_weights");
  r.has_store = !config.task_store.empty();
  const std::size_t store =
      r.has_store ? linked_memory(memories, config.task_store, "task_store") : r.slot_memory;
  for (auto& f : free_from) f = round_up(f, kSurfaceAlignment);

  // Every task's set, one after another: in the store, or resident in the slot memory.
  std::uint64_t at = free_from[store];
  for (std::size_t k = 0; k < tasks.names.size(); ++k) {
    for (std::size_t i = 0; i < layers; ++i) {
      if (!tasks.specific[i] || !tasks.runs[k][i] || bytes[k][i] == 0) continue;
      (r.has_store ? r.store : r.run)[k][i] = {store, at, bytes[k][i]};
      at += round_up(bytes[k][i], kSurfaceAlignment);
    }
  }
  check_fits(memories[store], at,
             r.has_store ? "every task's task-specific parameters (placement.task_store)"
                         : "every task's task-specific parameters (resident)");
  free_from[store] = at;

  // With a store: one slot area, each task's set laid out from its start.
  if (r.has_store) {
    const std::uint64_t base = free_from[r.slot_memory];
    std::uint64_t largest = 0;
    for (std::size_t k = 0; k < tasks.names.size(); ++k) {
      std::uint64_t off = base;
      for (std::size_t i = 0; i < layers; ++i) {
        if (r.store[k][i].bytes == 0) continue;
        r.run[k][i] = {r.slot_memory, off, bytes[k][i]};
        off += round_up(bytes[k][i], kSurfaceAlignment);
      }
      largest = std::max(largest, off - base);
    }
    check_fits(memories[r.slot_memory], base + largest,
               "the running task's parameters (placement.task_weights)");
    free_from[r.slot_memory] = base + largest;
  }
  r.end = std::move(free_from);
  return r;
}

}  // namespace hmasim
