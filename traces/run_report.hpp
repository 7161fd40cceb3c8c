// The results of one `hmasim run`, as plain values in SI units: what the report writers print.
// Filled by the command line from the simulated platform; the writers know nothing of SystemC.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hmasim {

struct ComponentReport {
  std::string name;
  double dynamic_j = 0;
  double static_j = 0;
  std::uint64_t reads = 0;
  std::uint64_t writes = 0;
  std::uint64_t bytes_read = 0;
  std::uint64_t bytes_written = 0;
};

// DRAMPower's split of one energy class (an LPDDR4 command class or background) by rail: core
// (VDD1 + VDD2: what DRAMPower reports) and io (VDDQ).
struct RailEnergy {
  std::string name;
  double core_j = 0;
  double io_j = 0;
};

struct MemoryReport {
  std::string name;
  std::string model;
  std::uint64_t capacity_bytes = 0;
  // An eNVM sized to its contents (fit_to_contents): the bytes its area and leakage are for.
  std::optional<std::uint64_t> fitted_capacity_bytes;
  double area_mm2 = 0;
  double bandwidth_bytes_per_s = 0;  // achieved over the run
  std::uint64_t weight_bytes = 0;    // placed weights
  std::uint64_t activation_peak_bytes = 0;
  // The memory's own peak against its interconnect link: how much of the traffic the link, not
  // the memory, held up (hw/interconnect.hpp, LinkStats).
  double peak_bandwidth_bytes_per_s = 0;  // MemoryTarget::peak_bandwidth()
  double link_bandwidth_bytes_per_s = 0;
  std::uint64_t link_bytes = 0;  // carried by the link
  std::uint64_t link_limited_bytes = 0;
  double link_limited_fraction = 0;        // link_limited_bytes / link_bytes
  double link_wait_s = 0;                  // summed over requests: time spent queued for the link
  std::string limited_by;                  // "link", "memory", or "none" (no traffic)
  std::vector<RailEnergy> energy_by_rail;  // LPDDR4 only; empty otherwise
};

// One stored structure (values, mask, ...) summed over the layers in a memory.
struct StructureReport {
  std::string name;
  int bits_per_cell = 0;
  std::uint64_t bytes = 0;
  std::uint64_t cells = 0;
};

// Weights in a fault-prone memory: what was stored, what the cells misread, what the weight fetch
// unit corrected and what reached the datapath wrong.
struct FaultReport {
  std::string memory;
  std::string encoding;
  std::string protection;
  std::string fault_mode;
  std::uint64_t fault_seed = 0;  // as used: the memory's faults.seed, or derived from --seed
  std::uint64_t cells = 0;       // cells holding the stored weights
  double cells_area_mm2 = 0;     // their share of the memory's area: storage follows the encoding
  std::uint64_t cells_read = 0;
  std::uint64_t level_faults = 0;
  std::uint64_t bit_errors = 0;
  std::uint64_t ecc_corrected = 0;
  std::uint64_t ecc_uncorrectable = 0;
  std::uint64_t weights_total = 0;  // decoded and compared, over all frames
  std::uint64_t weights_corrupted = 0;
  std::uint64_t weights_misaligned = 0;
  std::vector<StructureReport> structures;
};

struct LayerReport {
  std::uint32_t frame = 0;
  std::string name;
  std::string type;
  std::uint64_t macs = 0;
  std::uint64_t start_cycle = 0;
  std::uint64_t cycles = 0;
  std::uint64_t busy_cycles = 0;
  bool memory_bound = false;
  std::uint64_t tiles = 0;
  double mac_utilization = 0;
  std::vector<std::uint64_t> bytes_per_memory;  // aligned with RunReport::memories
  double energy_j = 0;
  std::vector<double> energy_per_component_j;  // aligned with RunReport::components
};

// How the frames went against the schedule (workloads/schedule.hpp).
struct ScheduleReport {
  double fps_target = 0;    // NaN (null in JSON) at the maximum rate
  double fps_achieved = 0;  // frames / run time
  double period_s = 0;      // 0 at the maximum rate
  double duration_s = 0;    // the run: frames x period at a target rate
  std::uint64_t deadline_misses = 0;
  double frame_latency_max_s = 0;
  double power_at_target_w = 0;  // all energy / duration
  double reload_s = 0;           // summed over frames: copying back weights lost when off
  std::uint64_t reload_bytes = 0;
};

// One component with a `power:` block: where its time went (hw/power_manager.hpp).
struct PowerStateReport {
  std::string name;
  std::string idle_state;
  double on_s = 0;
  double retention_s = 0;
  double off_s = 0;
  std::uint64_t idle_periods = 0;
  std::uint64_t wakes = 0;
  double wake_energy_j = 0;
  double break_even_s = 0;  // NaN (null): never worth it
  std::uint64_t reloads = 0;
  std::uint64_t reload_bytes = 0;
};

// One task of a multi-task schedule (hw/task_plan.hpp).
struct TaskReport {
  std::string name;
  std::uint64_t inferences = 0;
  // Per inference (mean): its layers' energy (all components, static included over their spans)
  // and time, its switches included.
  double energy_per_inference_j = 0;
  double latency_s = 0;
  std::uint64_t switches = 0;  // switches to it, over the run
  double switch_s = 0;
  double switch_energy_j = 0;
  std::uint64_t switch_bytes = 0;
};

// Task switches of the whole run.
struct TaskSwitchReport {
  std::uint64_t count = 0;
  double time_s = 0;
  double energy_j = 0;
  std::uint64_t bytes = 0;
  std::uint64_t envm_cells_written = 0;  // cells programmed by switches into an eNVM
};

// An eNVM's wear under the run's schedule.
struct EnduranceReport {
  std::string memory;
  std::uint64_t max_block_writes = 0;  // program operations of its most-written block
  double writes_per_frame = 0;         // of that block
  double endurance = 0;                // the technology's writes per cell
  double frames_per_s = 0;             // the rate the lifetime assumes (target, else achieved)
  double lifetime_years = 0;           // infinite (null in JSON) without writes
  // With perfect wear levelling: every block takes the same share of all block writes.
  double lifetime_wear_leveled_years = 0;
};

// An eNVM's initial programming, simulated apart from the run (hw/initial_programming.hpp).
struct ProgrammingReport {
  std::string memory;
  std::uint64_t bytes = 0;
  std::uint64_t requests = 0;
  double time_s = 0;
  double energy_j = 0;
};

// A functional run's answers (hmasim run --functional): accuracies are fractions of the
// labelled inferences, NaN (null in JSON) without labels.
struct AccuracyFigures {
  std::uint64_t inferences = 0;
  std::uint64_t labelled = 0;
  double top1 = 0;
  double top5 = 0;
  // The same network as stored, computed without any memory by the reference inference (no
  // faults; each task on its own layers): NaN without labels.
  double fault_free_top1 = 0;
  double fault_free_top5 = 0;
  // Inferences whose logits differ from the fault-free reference's (-1: not computed).
  std::int64_t differing_from_fault_free = -1;
};

// Over every inference of the run; a multi-task run has the same figures per task too, in the
// order tasks first run.
struct AccuracyReport : AccuracyFigures {
  bool present = false;  // a functional run
  struct Task : AccuracyFigures {
    std::string name;
  };
  std::vector<Task> tasks;
};

// The DMA's traffic over the run, per channel (read, write).
struct DmaReport {
  std::string transport;  // "blocking" (b_transport) or "nonblocking" (TLM-2.0 AT)
  struct Channel {
    std::uint64_t requests = 0;
    std::uint64_t bytes = 0;  // whole min_request units
    // The most requests in flight at once (1 on the blocking path: each completes in its call).
    std::uint64_t max_in_flight = 0;
  };
  Channel read, write;
};

struct RunReport {
  std::string platform;
  std::string workload;
  std::uint64_t seed = 0;
  std::uint32_t frames = 0;
  std::uint64_t macs = 0;  // per frame
  std::uint64_t params = 0;
  std::uint64_t cycles = 0;  // per frame (mean), accelerator cycles
  double clock_hz = 0;
  double latency_s = 0;  // per frame (mean), first layer start to last layer end
  double fps_max = 0;    // 1 / latency_s: the rate frames could come at
  double mac_utilization = 0;
  double energy_per_frame_j = 0;
  double avg_power_w = 0;  // over the run (at fps_max when frames run back to back)
  double area_mm2 = 0;
  double wall_time_s = 0;
  double wall_time_simulation_s = 0;  // of it, in sc_start (weights are prepared before)
  std::vector<ComponentReport> components;
  std::vector<MemoryReport> memories;
  std::vector<LayerReport> layers;
  std::vector<FaultReport> faults;  // one per eNVM memory holding weights
  ScheduleReport schedule;
  std::vector<PowerStateReport> power_states;
  std::vector<TaskReport> tasks;  // empty without a multi-task schedule
  TaskSwitchReport task_switches;
  std::vector<EnduranceReport> endurance;  // one per eNVM
  AccuracyReport accuracy;
  std::vector<ProgrammingReport> programming;  // one per eNVM holding weights
  DmaReport dma;
};

}  // namespace hmasim
