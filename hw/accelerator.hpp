// The accelerator platform built from a validated config and a network: the top module only
// builds and binds. Memories behind the interconnect; the units (hw/units/): DMA, convolution
// buffer, weight fetch unit (the implementation the platform names), convolution core, SDP, PDP;
// and the layer controller that programs them layer by layer. The network's weights are
// generated, encoded and programmed into their memories as real bytes before simulation; the
// controller's thread runs `frames` frames of the network back to back, then stops.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <systemc>
#include <vector>

#include "core/energy_ledger.hpp"
#include "core/trace_sink.hpp"
#include "hw/accelerator_config.hpp"
#include "hw/initial_programming.hpp"
#include "hw/interconnect.hpp"
#include "hw/layer_program.hpp"
#include "hw/placement.hpp"
#include "hw/power_manager.hpp"
#include "hw/task_plan.hpp"
#include "hw/units/cbuf.hpp"
#include "hw/units/conv_unit.hpp"
#include "hw/units/dma.hpp"
#include "hw/units/functional_datapath.hpp"
#include "hw/units/layer_controller.hpp"
#include "hw/units/pdp.hpp"
#include "hw/units/sdp.hpp"
#include "hw/units/weight_fetch.hpp"
#include "mem/memory_system.hpp"
#include "workloads/network.hpp"

namespace hmasim {

class WeightCache;
struct WeightsFile;

struct RunOptions {
  std::uint64_t seed = 1;
  std::uint32_t frames = 1;
  std::optional<Time> frame_period;  // a target rate's period; none: back to back
  std::optional<double> target_fps;  // the rate asked for (the period is it rounded to 1 ps)
  // Where prepared weights are read from and stored (not owned); null: generated and encoded anew.
  WeightCache* weight_cache = nullptr;
  // Real weights of the network's layers (not owned; checked against it); null: generated.
  const WeightsFile* weights = nullptr;
  // Tasks run per frame (a multi-task schedule); empty: every layer once per frame.
  std::vector<std::string> tasks;
  std::string tasks_where;  // where they were given, for errors
  // Functional mode: the images to infer (not owned); null: timing only (no values computed).
  const FunctionalInputs* functional = nullptr;
};

class Accelerator : public sc_core::sc_module {
 public:
  // Throws PlacementError, TilingError or TaskError (naming the memory, layer or task) before
  // simulation.
  Accelerator(const sc_core::sc_module_name& name, const std::vector<MemorySpec>& memories,
              const AcceleratorConfig& config, const Network& network, const RunOptions& options,
              EnergyLedger& ledger);

  // Before sc_start(): every unit and memory reports to `sink` (null: nothing is traced).
  // `block_group`: bytes of eNVM per endurance group (a multiple of the memory's block).
  void set_trace(TraceSink* sink, Bytes block_group = Bytes(1 << 20));

  // Before sc_start(): called after each frame with its index and end (e.g. a progress line).
  void set_frame_observer(std::function<void(std::uint32_t, Time)> f) {
    frame_observer_ = std::move(f);
  }

  // After sc_start().
  const std::vector<LayerRecord>& records() const { return controller_->records(); }
  const std::vector<FrameRecord>& frames() const { return controller_->frames(); }
  const std::vector<TaskSwitchRecord>& task_switches() const {
    return controller_->task_switches();
  }
  // The tasks as run (names empty without a multi-task schedule) and what each one runs.
  const TaskLayout& tasks() const { return tasks_; }
  const std::vector<TaskProgram>& task_programs() const { return task_programs_; }
  const TaskRegions& task_regions() const { return task_regions_; }
  const RunOptions& options() const { return options_; }
  // Time in each power state per component with a `power:` block (after finish_power).
  const std::vector<PowerDomainStats>& power_stats() const { return power_->stats(); }
  // Closes the power-state accounting at the end of the run.
  void finish_power(Time end) { power_->finish(end); }
  Time end_time() const { return controller_->end_time(); }
  bool finished() const { return controller_->finished(); }
  const std::string& error() const { return controller_->error(); }

  const AcceleratorConfig& config() const { return config_; }
  const Network& network() const { return network_; }
  const Placement& placement() const { return placement_; }
  const std::vector<LayerProgram>& programs() const { return programs_; }
  // Linked memories, in interconnect order (Region::memory indexes this).
  const std::vector<MemoryTarget*>& memories() const { return linked_; }
  const DmaEngine& dma() const { return *dma_; }
  const Cbuf& cbuf() const { return *cbuf_; }
  const WeightFetchUnit& weight_fetch() const { return *weight_fetch_; }
  const ConvUnit& conv() const { return *conv_; }
  const std::vector<StoredWeights>& stored_weights() const { return stored_; }
  // Every task's set of task-specific weights, [task][layer] (bytes 0 where it has none).
  const std::vector<std::vector<StoredWeights>>& task_stored_weights() const {
    return task_stored_;
  }
  // The task-specific sets kept in memory `m` before the run: every task's copy in the store,
  // or resident without one. `slot`: the run slot's occupant too, the largest task's set (the
  // slot starts empty; a report counts what it holds at the peak).
  struct KeptTaskSet {
    const StoredWeights* set;
    Region region;
    bool in_slot;  // the slot's cells keep the memory's own mode
  };
  std::vector<KeptTaskSet> task_sets_kept_in(std::size_t m, bool slot) const;
  // Bits per cell a structure of a `c` layer is stored with in eNVM `memory`, whose own mode is
  // `memory_bits`.
  int structure_bits(const EncodedStructure& s, ParameterClass c, const std::string& memory,
                     int memory_bits) const;
  // Per linked memory: the weight fetch unit's checks of the layers stored there.
  const std::vector<WeightCheck>& weight_checks() const { return weight_fetch_->checks(); }
  const Interconnect& interconnect() const { return *interconnect_; }
  // The eNVMs' initial programming, simulated apart from the run (hw/initial_programming.hpp):
  // one result per eNVM holding weights, after sc_start().
  std::vector<ProgrammingResult> programming() const;
  // Functional mode's datapath (its inferences' logits); null without --functional.
  FunctionalDatapath* functional() const { return functional_.get(); }

 private:
  // The encoder configuration of layer i: the storage's, with Winograd's transformed kernels
  // where the core runs the layer in that mode.
  EncodingConfig encoding_of(std::size_t i, const NvdlaAtoms& atoms) const;
  // Generates and encodes every layer's weights (and every task's set of task-specific ones).
  void encode_weights(std::uint64_t seed);
  // hw/accelerator_tasks.cpp: places every task's task-specific weights after what `placement_`
  // holds, and builds each task's layer programs and switch copies.
  void plan_tasks_run(const std::vector<MemoryInfo>& infos);
  // Writes every task's set where it is kept (the store, or resident).
  void program_task_weights();
  // Writes one `c` layer's encoded structures at `r` and gives each its cell mode in an eNVM.
  void program_structures(const StoredWeights& s, ParameterClass c, const Region& r);
  // Per memory: the first byte after its weights, activations and task parameters.
  std::vector<std::uint64_t> used_end() const;
  // Writes the encoded structures into their memories and gives each its cell mode.
  void program_weights();
  // The power manager, with a backing copy (in the memory named by power.reload_from) of the
  // weights of every memory that loses them when powered off between frames.
  void plan_power();
  // hw/accelerator_programming.cpp: a timed programming of each eNVM's weights on a copy.
  void plan_programming(const std::vector<MemorySpec>& specs);
  // After each frame: the eNVMs' block writes, per group of blocks (endurance.csv).
  void report_endurance(std::uint32_t frame, Time at);

  AcceleratorConfig config_;
  const Network& network_;
  RunOptions options_;
  EnergyLedger& ledger_;
  MemorySystem memory_system_;
  std::vector<MemoryTarget*> linked_;
  std::unique_ptr<Interconnect> interconnect_;
  std::unique_ptr<DmaEngine> dma_;
  std::unique_ptr<Cbuf> cbuf_;
  std::unique_ptr<WeightFetchUnit> weight_fetch_;
  std::unique_ptr<Sdp> sdp_;
  std::unique_ptr<Pdp> pdp_;
  std::unique_ptr<ConvUnit> conv_;
  std::unique_ptr<LayerController> controller_;
  std::unique_ptr<PowerManager> power_;
  std::unique_ptr<FunctionalDatapath> functional_;
  std::vector<std::unique_ptr<InitialProgramming>> programmers_;
  std::vector<StoredWeights> stored_;
  TaskLayout tasks_;
  std::vector<std::vector<StoredWeights>> task_stored_;  // [task][layer]
  TaskRegions task_regions_;
  std::vector<TaskProgram> task_programs_;
  Placement placement_;
  std::vector<LayerProgram> programs_;
  TraceSink* trace_ = nullptr;
  Bytes block_group_{1 << 20};
  std::function<void(std::uint32_t, Time)> frame_observer_;
};

}  // namespace hmasim
