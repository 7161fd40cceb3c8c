// The layer controller: what NVDLA's host does through register programming. One thread walks
// the frames and, in each, the layer programs; per layer it programs every unit with the layer's
// descriptor, then per tile hands out the tile: the CBUF says when the tile's slots are free, the
// DMA fetches its features and (for the weight fetch unit) its weights, the weight fetch unit
// says when the weights are decoded, the compute unit (convolution core, PDP or SDP) runs it, its
// outputs go to the DMA's write channel. It takes the latest of the times the units return and
// never computes a unit's timing itself; at the end of the layer it waits for the units' done
// events. Layers run one after another (each reads what the previous one wrote).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <systemc>
#include <vector>

#include "core/clock.hpp"
#include "core/energy_ledger.hpp"
#include "core/trace_sink.hpp"
#include "hw/layer_program.hpp"
#include "hw/power_manager.hpp"
#include "hw/task_plan.hpp"
#include "hw/units/cbuf.hpp"
#include "hw/units/conv_unit.hpp"
#include "hw/units/dma.hpp"
#include "hw/units/functional_datapath.hpp"
#include "hw/units/pdp.hpp"
#include "hw/units/sdp.hpp"
#include "hw/units/weight_fetch.hpp"
#include "mem/memory_target.hpp"

namespace hmasim {

struct LayerRecord {
  std::uint32_t frame = 0;
  std::size_t layer = 0;
  std::size_t task = 0;  // index of the task it ran for (0 without tasks)
  Time start{0};
  Time end{0};
  Cycles cycles{0};       // accelerator cycles from start to end
  Cycles busy_cycles{0};  // cycles the compute unit worked (tiles plus pipeline fill)
  Time compute_start{0};  // the first tile's computation starts (its data has arrived)
  Time compute_end{0};    // the last tile's computation ends
  std::uint64_t tiles = 0;
  std::uint64_t atomic_ops = 0;
  std::vector<std::uint64_t> bytes_per_memory;  // read + written, per linked memory
  Energy energy{0.0};                           // all components, static included up to `end`
  std::vector<Energy> energy_per_component;     // by energy-ledger component, same span
  bool memory_bound() const { return 2 * busy_cycles.value() < cycles.value(); }
};

// One frame of the schedule.
struct FrameRecord {
  Time start{0};     // its first layer (or reload) starts
  Time end{0};       // its last layer ends
  Time deadline{0};  // the next frame's slot (0 at the maximum rate: no deadline)
  Time reload{0};    // of it, spent copying back weights lost while powered off
  std::uint64_t reload_bytes = 0;
  bool missed() const { return deadline.value() > 0 && end > deadline; }
};

// A task switch: the copies that made a task's parameters resident before it ran.
struct TaskSwitchRecord {
  std::uint32_t frame = 0;
  std::size_t task = 0;
  Time start{0};
  Time end{0};
  std::uint64_t bytes = 0;
  Energy energy{0.0};  // all components over [start, end], static included
};

// How frames come: `frames` of them, frame k starting at k x period (or when frame k - 1 ends,
// if later); no period: back to back. With `power`, the components idle between frames.
struct FramePlan {
  std::uint32_t frames = 1;
  std::optional<Time> period;
  PowerManager* power = nullptr;
  // Tasks per frame: each frame runs tasks[order[0]], tasks[order[1]], ... (switching to a task
  // whose parameters are not resident first); null: every frame runs the layer programs.
  const std::vector<TaskProgram>* tasks = nullptr;
  std::vector<std::size_t> order;
  std::size_t slot_memory = 0;  // where switches copy to: powering it off loses what is resident
};

class LayerController : public sc_core::sc_module {
 public:
  struct Units {
    DmaEngine& dma;
    Cbuf& cbuf;
    WeightFetchUnit& weight_fetch;
    ConvUnit& conv;
    Sdp& sdp;
    Pdp& pdp;
  };

  SC_HAS_PROCESS(LayerController);
  LayerController(const sc_core::sc_module_name& name, Clock clock, Units units,
                  std::vector<MemoryTarget*> memories, EnergyLedger& ledger);

  // What to run: the frames of `plan`, each the layer `programs`, started by the thread at
  // simulation start. With `on_frame`, called after each frame (frame index, its end).
  void program(const std::vector<LayerProgram>* programs, FramePlan plan,
               std::function<void(std::uint32_t, Time)> on_frame = {});

  // After sc_start().
  const std::vector<LayerRecord>& records() const { return records_; }
  const std::vector<FrameRecord>& frames() const { return frame_records_; }
  const std::vector<TaskSwitchRecord>& task_switches() const { return switches_; }
  // The end of the run: the last frame's end, or the end of its period at a target rate.
  Time end_time() const { return end_; }
  bool finished() const { return finished_; }
  const std::string& error() const { return error_; }

  // Runs one layer starting no earlier than `start` (from an SC_THREAD); returns its record.
  LayerRecord run_layer(const LayerProgram& p, Time start, std::uint32_t frame, std::size_t index,
                        std::size_t task = 0);
  void set_trace(TraceSink* sink);
  // Functional mode: the datapath computes every tile's values (null: timing only).
  void set_functional(FunctionalDatapath* f) { functional_ = f; }

 private:
  void run();
  ComputeUnit& unit_for(const LayerProgram& p) const;
  // Waits until `end`, the time every unit of the layer has reported done.
  void wait_for_units(ComputeUnit& unit, Time end);
  // Nothing earlier than `t` (or than a memory's pending accounting) will be reported again.
  void advance_watermark(Time t);
  // Runs the copies the power manager asks for before a frame; returns when they are done.
  Time reload(Time start, FrameRecord& frame);
  // Runs `copies` through the DMA from `start`, one after another; returns when they are done.
  Time run_copies(const std::vector<ReloadCopy>& copies, Time start);
  // Runs frame `f`'s layers (its tasks, with their switches) from `t`; returns its end.
  Time run_frame(std::uint32_t f, Time t);

  Clock clock_;
  Units units_;
  std::vector<MemoryTarget*> memories_;
  EnergyLedger& ledger_;
  const std::vector<LayerProgram>* programs_ = nullptr;
  FramePlan plan_;
  std::vector<FrameRecord> frame_records_;
  std::function<void(std::uint32_t, Time)> on_frame_;
  std::vector<LayerRecord> records_;
  std::vector<TaskSwitchRecord> switches_;
  static constexpr std::size_t kNoTask = static_cast<std::size_t>(-1);
  std::size_t resident_ = kNoTask;  // the task whose parameters the slot holds
  std::uint64_t slot_power_offs_ = 0;
  std::vector<DmaRead> reads_;        // of the current tile
  std::vector<DmaRequest> requests_;  // scratch
  sc_core::sc_event dma_done_;
  Time end_{0};
  bool finished_ = false;
  std::string error_;

  FunctionalDatapath* functional_ = nullptr;
  TraceSink* trace_ = nullptr;
  TraceSink::Id layer_signal_ = 0, frame_signal_ = 0, track_ = 0, power_track_ = 0;
  TraceSink::Id task_signal_ = 0, switch_signal_ = 0;
};

}  // namespace hmasim
