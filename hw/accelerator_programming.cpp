// The Accelerator's timed initial programming of its eNVMs (hw/initial_programming.hpp).
#include "hw/accelerator.hpp"
#include "mem/envm/envm.hpp"

namespace hmasim {

void Accelerator::plan_programming(const std::vector<MemorySpec>& specs) {
  for (std::size_t m = 0; m < linked_.size(); ++m) {
    if (!dynamic_cast<const Envm*>(linked_[m])) continue;
    // What is programmed before the run: the network's weights there, and every task's copy
    // kept there (in the store, or resident without one; a slot starts empty).
    std::vector<Region> regions;
    for (std::size_t i = 0; i < stored_.size(); ++i) {
      if (stored_[i].bytes > 0 && placement_.weights[i].memory == m) {
        regions.push_back(placement_.weights[i]);
      }
    }
    for (const auto& t : task_sets_kept_in(m, /*slot=*/false)) regions.push_back(t.region);
    if (regions.empty()) continue;
    const std::string& name = linked_[m]->instance_name();
    const auto spec = std::find_if(specs.begin(), specs.end(),
                                   [&](const MemorySpec& s) { return s.name == name; });
    if (spec == specs.end()) continue;
    programmers_.push_back(std::make_unique<InitialProgramming>(("program_" + name).c_str(), *spec,
                                                                *linked_[m], std::move(regions),
                                                                config_.dma.max_request.value()));
  }
}

std::vector<ProgrammingResult> Accelerator::programming() const {
  std::vector<ProgrammingResult> out;
  for (const auto& p : programmers_) {
    if (p->done()) out.push_back(p->result());
  }
  return out;
}

}  // namespace hmasim
