// The accelerator's part of a multi-task schedule (hw/task_plan.hpp): every task's set of
// task-specific weights placed and programmed, each task's layer programs and switch copies.
#include "core/integer_math.hpp"
#include "hw/accelerator.hpp"
#include "hw/interconnect.hpp"

namespace hmasim {

namespace {
// Per memory: the first byte after the network's weights and activations.
std::vector<std::uint64_t> after_network(const Placement& p) {
  std::vector<std::uint64_t> used(p.weight_bytes_per_memory.size());
  for (std::size_t m = 0; m < used.size(); ++m) {
    used[m] = round_up(p.weight_bytes_per_memory[m], kSurfaceAlignment) +
              round_up(p.activation_peak_per_memory[m], kSurfaceAlignment);
  }
  return used;
}
}  // namespace

std::vector<std::uint64_t> Accelerator::used_end() const {
  return tasks_.names.empty() ? after_network(placement_) : task_regions_.end;
}

void Accelerator::plan_tasks_run(const std::vector<MemoryInfo>& infos) {
  const std::size_t n = network_.layers.size();
  std::vector<std::vector<std::uint64_t>> bytes(tasks_.names.size(),
                                                std::vector<std::uint64_t>(n, 0));
  for (std::size_t k = 0; k < tasks_.names.size(); ++k) {
    for (std::size_t i = 0; i < n; ++i) bytes[k][i] = task_stored_[k][i].bytes;
  }
  task_regions_ = place_tasks(tasks_, bytes, config_.placement, infos, after_network(placement_));

  task_programs_.clear();
  for (std::size_t k = 0; k < tasks_.names.size(); ++k) {
    TaskProgram task;
    task.name = tasks_.names[k];
    for (std::size_t i = 0; i < n; ++i) {
      if (!tasks_.runs_layer(k, i)) continue;
      LayerProgram p = programs_[i];
      const StoredWeights& s = task_stored_[k][i];
      if (s.bytes > 0) {
        p.weights = task_regions_.run[k][i];
        p.stored = &s;
        const Region& from = task_regions_.store[k][i];
        if (task_regions_.has_store && from.bytes > 0) {
          const Region& to = task_regions_.run[k][i];
          task.switch_in.push_back({Interconnect::address(from.memory, from.offset),
                                    Interconnect::address(to.memory, to.offset),
                                    round_up(s.bytes, kSurfaceAlignment)});
          task.switch_bytes += round_up(s.bytes, kSurfaceAlignment);
        }
      } else if (const auto owner = network_.layers[i].owner;
                 owner && task_stored_[k][*owner].bytes > 0) {
        // A layer sharing a task-specific owner's weights reads the running task's copy (switched
        // in once, with the owner's).
        p.weights = task_regions_.run[k][*owner];
        p.stored = &task_stored_[k][*owner];
      }
      task.layers.push_back(p);
    }
    task_programs_.push_back(std::move(task));
  }
}

void Accelerator::program_task_weights() {
  // With a store, the slot starts empty: the first switch to each task fills it, by simulation.
  // A slot in an eNVM keeps the memory's own cell mode (the tasks' layouts share its cells).
  const auto& where = task_regions_.has_store ? task_regions_.store : task_regions_.run;
  for (std::size_t k = 0; k < tasks_.names.size(); ++k) {
    for (std::size_t i = 0; i < network_.layers.size(); ++i) {
      if (task_stored_[k][i].bytes > 0) {
        program_structures(task_stored_[k][i], ParameterClass::task, where[k][i]);
      }
    }
  }
}

std::vector<Accelerator::KeptTaskSet> Accelerator::task_sets_kept_in(std::size_t m,
                                                                     bool slot) const {
  std::vector<KeptTaskSet> out;
  const auto& r = task_regions_;
  const auto& kept = r.has_store ? r.store : r.run;
  std::size_t largest = 0;
  std::uint64_t largest_bytes = 0;
  for (std::size_t k = 0; k < task_stored_.size(); ++k) {
    std::uint64_t bytes = 0;
    for (std::size_t l = 0; l < task_stored_[k].size(); ++l) {
      if (task_stored_[k][l].bytes == 0) continue;
      bytes += task_stored_[k][l].bytes;
      if (k < kept.size() && l < kept[k].size() && kept[k][l].memory == m) {
        out.push_back({&task_stored_[k][l], kept[k][l], false});
      }
    }
    if (bytes > largest_bytes) largest = k, largest_bytes = bytes;
  }
  if (slot && r.has_store && largest < task_stored_.size() && largest < r.run.size()) {
    for (std::size_t l = 0; l < task_stored_[largest].size(); ++l) {
      if (task_stored_[largest][l].bytes > 0 && l < r.run[largest].size() &&
          r.run[largest][l].memory == m) {
        out.push_back({&task_stored_[largest][l], r.run[largest][l], true});
      }
    }
  }
  return out;
}

}  // namespace hmasim
