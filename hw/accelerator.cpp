#include "hw/accelerator.hpp"

#include <unistd.h>

#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include "core/clock.hpp"
#include "core/seed.hpp"
#include "hw/conv_core.hpp"
#include "hw/sdp_fusion.hpp"
#include "mem/envm/envm.hpp"
#include "mem/lpddr4/lpddr4.hpp"
#include "workloads/weight_cache.hpp"
#include "workloads/weight_encoding.hpp"
#include "workloads/weight_generator.hpp"
#include "workloads/weights_file.hpp"

namespace hmasim {

namespace {

// The memory specs as this run builds them: `storage.fault_mode` overrides the fault mode of the
// eNVM holding the weights (`storage.memories.<name>.fault_mode` that of eNVM <name>), and
// every eNVM without a fault seed of its own gets one derived from
// the run's seed and its name (one --seed reproduces, or varies, every draw of the run).
std::vector<MemorySpec> effective_memories(std::vector<MemorySpec> specs,
                                           const AcceleratorConfig& config,
                                           std::uint64_t run_seed) {
  for (MemorySpec& s : specs) {
    const auto* envm = dynamic_cast<const EnvmConfig*>(s.config.get());
    if (!envm) continue;
    auto changed = std::make_shared<EnvmConfig>(*envm);
    const CellStorage& cells = config.storage.cells_in(s.name);
    const bool decided = config.storage.own_cells(s.name) || s.name == config.placement.weights;
    if (decided && cells.fault_mode) changed->faults.mode = *cells.fault_mode;
    if (!changed->faults.seed) changed->faults.seed = derive_seed(run_seed, "faults." + s.name);
    s.config = changed;
  }
  return specs;
}

std::uint64_t align256(std::uint64_t v) {
  return (v + kSurfaceAlignment - 1) / kSurfaceAlignment * kSurfaceAlignment;
}

// Host bytes a weight costs while it is prepared: the generated int8 weight, its encoded
// form (at most about a byte), and the fault-free decode kept to compare with.
constexpr std::uint64_t kHostBytesPerWeight = 8;

// The fewest bytes `layer`'s weights can be stored in with `c`, before they exist: dense and
// cluster store every weight at its width, bitmask at least its mask; CSR may store nothing.
std::uint64_t least_stored_bytes(const Layer& layer, const EncodingConfig& c) {
  const std::uint64_t w = c.winograd ? layer.weights / 9 * 16 : layer.weights;  // 4x4 per 3x3
  switch (c.encoding) {
    case Encoding::dense:
      return w * c.value_bits / 8;
    case Encoding::cluster:
      return w * c.cluster_bits.value_or(layer.cluster_bits.value_or(1)) / 8;
    case Encoding::bitmask:
      return w / 8;
    default:
      return 0;
  }
}

void check_host_memory(std::uint64_t bytes) {
  const long pages = sysconf(_SC_PHYS_PAGES);
  const long page = sysconf(_SC_PAGESIZE);
  if (pages <= 0 || page <= 0) return;
  const auto ram = static_cast<std::uint64_t>(pages) * static_cast<std::uint64_t>(page);
  if (bytes <= ram / 10 * 8) return;
  throw PlacementError("the network's weights need about " + std::to_string(bytes >> 30) +
                       " GiB of host memory to generate and encode; this machine has " +
                       std::to_string(ram >> 30) + " GiB");
}

}  // namespace

Accelerator::Accelerator(const sc_core::sc_module_name& name,
                         const std::vector<MemorySpec>& memories, const AcceleratorConfig& config,
                         const Network& network, const RunOptions& options, EnergyLedger& ledger)
    : sc_core::sc_module(name),
      config_(config),
      network_(network),
      options_(options),
      ledger_(ledger),
      memory_system_(effective_memories(memories, config, options.seed), ledger) {
  std::vector<Interconnect::Link> links;
  std::vector<MemoryInfo> infos;
  for (const LinkConfig& l : config_.links) {
    MemoryTarget* m = memory_system_.find(l.memory);
    linked_.push_back(m);
    links.push_back({l.memory, l.bandwidth, l.latency});
    infos.push_back({l.memory, m->capacity().value()});
  }
  interconnect_ = std::make_unique<Interconnect>("interconnect", links);
  for (std::size_t i = 0; i < linked_.size(); ++i) interconnect_->port(i).bind(linked_[i]->socket);
  dma_ = std::make_unique<DmaEngine>("dma", config_.dma, Clock(config_.clock));
  dma_->socket.bind(interconnect_->target);
  if (config_.dma.transport == DmaTransport::nonblocking) {
    // AT: a buffered LPDDR4 gets the DMA's requests in flight; the other memories are served by
    // the interconnect's exact b_transport adapter (hw/interconnect.hpp).
    for (std::size_t i = 0; i < linked_.size(); ++i) {
      const auto* dram = dynamic_cast<const Lpddr4*>(linked_[i]);
      interconnect_->set_at_target(i, dram != nullptr && dram->accepts_nb_transport());
    }
    dma_->set_nonblocking(true);
  }

  // Everything that can be checked before generating weights is: a layer that cannot be tiled,
  // weights or activations that cannot fit even at the least their encoding can take, or
  // weights that would not fit the host's memory.
  programs_ = plan_layers(network_.layers, config_.cbuf, config_.mac);
  if (!options_.tasks.empty()) tasks_ = plan_tasks(network_, options_.tasks, options_.tasks_where);
  const NvdlaAtoms atoms{config_.mac.atomic_c, config_.mac.atomic_k};
  std::vector<std::uint64_t> least;
  std::uint64_t host_bytes = 0;
  for (std::size_t i = 0; i < network_.layers.size(); ++i) {
    const Layer& l = network_.layers[i];
    // Task-specific sets are placed after the shared weights (place_tasks checks their room).
    const bool per_task = !tasks_.names.empty() && tasks_.specific[i];
    least.push_back(l.has_weights() && !per_task ? least_stored_bytes(l, encoding_of(i, atoms))
                                                 : 0);
    host_bytes += l.weights * kHostBytesPerWeight * (per_task ? tasks_.names.size() : 1);
  }
  PlaceOptions placing;
  placing.multi_task = !tasks_.names.empty();
  std::vector<FusedEltwise> fusions;
  if (config_.post.fuse_eltwise) {
    // A pair fuses only where every task runs both of its layers or neither.
    const auto both_or_neither = [this](std::size_t conv, std::size_t eltwise) {
      for (std::size_t k = 0; k < tasks_.names.size(); ++k) {
        if (tasks_.runs_layer(k, conv) != tasks_.runs_layer(k, eltwise)) return false;
      }
      return true;
    };
    fusions = find_fusions(network_, programs_, both_or_neither);
    placing.fused_output.assign(network_.layers.size(), false);
    for (const FusedEltwise& f : fusions) placing.fused_output[f.conv] = true;
  }
  PlaceOptions bounds = placing;
  bounds.lower_bounds = true;
  place_network(network_, least, config_.placement, infos, bounds);
  check_host_memory(host_bytes);

  encode_weights(options_.seed);
  std::vector<std::uint64_t> weight_bytes;
  for (const StoredWeights& s : stored_) weight_bytes.push_back(s.bytes);
  placement_ = place_network(network_, weight_bytes, config_.placement, infos, placing);
  assign_regions(programs_, placement_);
  apply_fusions(programs_, fusions);
  attach_weights(programs_, stored_);  // a sharing layer reads its owner's copy
  program_weights();
  if (!tasks_.names.empty()) {
    plan_tasks_run(infos);
    program_task_weights();
  }
  plan_programming(memories);

  // The units, in NVDLA's order along the data path; ledger components in report order.
  const Clock clock(config_.clock);
  const auto mac_component = ledger_.add_component("mac_array");
  const auto cbuf_component = ledger_.add_component("cbuf");
  const auto post_component = ledger_.add_component("post");
  ledger_.set_static_power(post_component, config_.post.leakage, Time(0));
  cbuf_ = std::make_unique<Cbuf>("cbuf", config_.cbuf, ledger_, cbuf_component);
  const auto* wfu = WeightFetchRegistry::instance().find(config_.weight_fetch.model);
  if (!wfu) {
    throw std::invalid_argument("no weight fetch unit '" + config_.weight_fetch.model + "'");
  }
  weight_fetch_ =
      wfu->entry.create("weight_fetch", config_.weight_fetch, clock, config_.dma, linked_.size());
  sdp_ = std::make_unique<Sdp>("sdp", config_.post, clock, ledger_, post_component);
  pdp_ = std::make_unique<Pdp>("pdp", config_.post, clock, ledger_, post_component);
  conv_ =
      std::make_unique<ConvUnit>("conv", config_.mac, clock, ledger_, mac_component, *cbuf_, *sdp_);
  controller_ = std::make_unique<LayerController>(
      "controller", clock,
      LayerController::Units{*dma_, *cbuf_, *weight_fetch_, *conv_, *sdp_, *pdp_}, linked_,
      ledger_);
  if (options_.functional) {
    // The datapath computes direct convolutions; Winograd's kernels are stored transformed.
    for (const LayerProgram& p : programs_) {
      if (p.fused_eltwise) {
        throw FunctionalError("--functional: layer '" + p.layer->name + "' applies '" +
                              p.fused_eltwise->name +
                              "' on its output path (accelerator.post.fuse_eltwise), which "
                              "functional mode does not compute: run it with "
                              "--set accelerator.post.fuse_eltwise=false");
      }
      if (p.unit == LayerProgram::Unit::conv &&
          conv_mode(p.work, config_.mac) == ConvMode::winograd) {
        throw FunctionalError("--functional: layer '" + p.layer->name +
                              "' runs in Winograd mode (accelerator.mac.winograd), whose "
                              "transformed kernels functional mode does not compute: run it with "
                              "--set accelerator.mac.winograd=false");
      }
    }
    functional_ =
        std::make_unique<FunctionalDatapath>(network_, programs_, placement_, options_.weights,
                                             linked_, *weight_fetch_, *options_.functional);
    controller_->set_functional(functional_.get());
  }
  plan_power();
  FramePlan plan;
  plan.frames = options_.frames;
  plan.period = options_.frame_period;
  plan.power = power_.get();
  if (!tasks_.names.empty()) {
    plan.tasks = &task_programs_;
    plan.order = tasks_.order;
    plan.slot_memory = task_regions_.slot_memory;
  }
  controller_->program(&programs_, plan, [this](std::uint32_t frame, Time at) {
    report_endurance(frame, at);
    if (frame_observer_) frame_observer_(frame, at);
  });
}

void Accelerator::plan_power() {
  PowerManager::Datapath datapath;
  datapath.power = config_.power;
  for (EnergyLedger::ComponentId c = 0; c < ledger_.component_count(); ++c) {
    const std::string& n = ledger_.name(c);
    if (n == "mac_array" || n == "cbuf" || n == "post") datapath.components.push_back(c);
  }
  power_ = std::make_unique<PowerManager>(linked_, datapath, ledger_);
  // Free space of each memory: after its weights, activations, task parameters and earlier
  // backing copies.
  std::vector<std::uint64_t> used = used_end();
  for (std::size_t m = 0; m < linked_.size(); ++m) {
    const PowerConfig& p = linked_[m]->power_config();
    if (p.idle != PowerState::off || !linked_[m]->loses_contents_when_off()) continue;
    // Weights that would be lost: the shared ones, and every task's set kept resident here (a
    // slot refilled by task switches is not reloaded: the next switch brings its task back).
    std::vector<Region> lost;
    for (std::size_t i = 0; i < stored_.size(); ++i) {
      if (stored_[i].bytes > 0 && placement_.weights[i].memory == m) {
        lost.push_back(placement_.weights[i]);
      }
    }
    if (!task_regions_.has_store) {
      for (const auto& per_layer : task_regions_.run) {
        for (const Region& r : per_layer) {
          if (r.bytes > 0 && r.memory == m) lost.push_back(r);
        }
      }
    }
    if (lost.empty()) continue;
    const std::string& name = linked_[m]->instance_name();
    if (p.reload_from.empty()) {
      throw PowerError("memory '" + name +
                       "' loses its contents when off (power.idle: off) and holds weights: give "
                       "power.reload_from (the memory they are copied back from) or idle: "
                       "retention");
    }
    std::size_t from = linked_.size();
    for (std::size_t k = 0; k < linked_.size(); ++k) {
      if (linked_[k]->instance_name() == p.reload_from) from = k;
    }
    if (from == linked_.size()) {
      throw PowerError("memory '" + name + "': power.reload_from: '" + p.reload_from +
                       "' has no interconnect link");
    }
    // The backing copy: the same bytes, written into the source memory before the run.
    std::vector<std::uint8_t> bytes;
    for (const Region& r : lost) {
      const std::uint64_t size = align256(r.bytes);
      if (used[from] + size > linked_[from]->capacity().value()) {
        throw PowerError("memory '" + p.reload_from +
                         "' has no room for the copy of the weights "
                         "of '" +
                         name + "' it reloads them from (" + std::to_string(used[from] + size) +
                         " B needed, " + std::to_string(linked_[from]->capacity().value()) +
                         " B capacity)");
      }
      bytes.resize(size);
      linked_[m]->debug_read(r.offset, bytes.data(), size);
      linked_[from]->debug_write(used[from], bytes.data(), size);
      power_->add_reload(m, ReloadCopy{Interconnect::address(from, used[from]),
                                       Interconnect::address(m, r.offset), size});
      used[from] += size;
    }
  }
  // An eNVM sized to its contents (fit_to_contents) is charged area and leakage for them.
  for (std::size_t m = 0; m < linked_.size(); ++m) {
    if (auto* envm = dynamic_cast<Envm*>(linked_[m])) envm->fit_to(Bytes(used[m]));
  }
}

void Accelerator::set_trace(TraceSink* sink, Bytes block_group) {
  trace_ = sink;
  block_group_ = block_group;
  for (MemoryTarget* m : linked_) m->set_trace(sink);
  dma_->set_trace(sink);
  cbuf_->set_trace(sink);
  weight_fetch_->set_trace(sink);
  sdp_->set_trace(sink);
  pdp_->set_trace(sink);
  conv_->set_trace(sink);
  controller_->set_trace(sink);
}

void Accelerator::report_endurance(std::uint32_t frame, Time at) {
  if (!trace_) return;
  for (MemoryTarget* m : linked_) {
    const auto* envm = dynamic_cast<const Envm*>(m);
    if (!envm) continue;
    // Writes of the most-written block of each group of blocks.
    const EnduranceCounter& wear = envm->endurance_counter();
    const std::uint64_t per_group =
        std::max<std::uint64_t>(1, block_group_.value() / wear.block_size().value());
    std::vector<std::uint64_t> groups((wear.block_count() + per_group - 1) / per_group, 0);
    for (std::size_t b = 0; b < wear.block_count(); ++b) {
      groups[b / per_group] = std::max(groups[b / per_group], wear.writes(b));
    }
    trace_->block_writes(m->basename(), frame, at, groups);
  }
}

void Accelerator::encode_weights(std::uint64_t seed) {
  // Each layer's weights depend only on (seed, layer index), so layers are generated, encoded and
  // decoded on all host cores.
  const NvdlaAtoms atoms{config_.mac.atomic_c, config_.mac.atomic_k};
  const std::size_t n = network_.layers.size();
  stored_.resize(n);
  // Decoded weights are checked where they can be corrupted: in an eNVM with faults, and in a
  // memory that loses them when powered off between frames (a reload must bring them back).
  const auto at_risk = [&](const std::string& name) {
    const MemoryTarget* m = memory_system_.find(name);
    if (!m) return false;
    if (const auto* e = dynamic_cast<const Envm*>(m)) {
      if (e->fault_mode() != FaultMode::off) return true;
    }
    return m->power_config().idle == PowerState::off && m->loses_contents_when_off();
  };
  const bool checked = at_risk(config_.placement.weights);
  // One job per layer, or per (layer, task) for task-specific parameters of a multi-task run:
  // each task's set has a seed of its own.
  struct Job {
    std::size_t layer;
    std::size_t task;  // kShared: the one set
  };
  constexpr std::size_t kShared = static_cast<std::size_t>(-1);
  std::vector<Job> jobs;
  task_stored_.assign(tasks_.names.size(), std::vector<StoredWeights>(n));
  std::vector<std::uint64_t> task_seeds;
  for (const std::string& t : tasks_.names) task_seeds.push_back(derive_seed(seed, "task." + t));
  for (std::size_t i = 0; i < n; ++i) {
    if (!network_.layers[i].has_weights()) continue;
    if (tasks_.names.empty() || !tasks_.specific[i]) {
      jobs.push_back({i, kShared});
      continue;
    }
    for (std::size_t k = 0; k < tasks_.names.size(); ++k) {
      if (tasks_.runs_layer(k, i)) jobs.push_back({i, k});
    }
  }
  // A switch rewrites the slot: what the weight fetch unit reads there is checked.
  const bool task_slot_checked = !config_.placement.task_store.empty();
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::size_t failed_job = jobs.size();  // the first job that failed: the same error every run
  std::mutex failure_lock;
  const auto work = [&] {
    for (std::size_t j = next++; j < jobs.size(); j = next++) {
      const std::size_t i = jobs[j].layer;
      const Layer& l = network_.layers[i];
      try {
        const bool per_task = jobs[j].task != kShared;
        StoredWeights& s = per_task ? task_stored_[jobs[j].task][i] : stored_[i];
        const std::uint64_t layer_seed = per_task ? task_seeds[jobs[j].task] : seed;
        const EncodingConfig cfg = encoding_of(i, atoms);
        // Real weights (a weights file) bypass the cache, which holds generated ones.
        const LayerWeights* real = options_.weights ? options_.weights->find(l.name) : nullptr;
        // Generated weights: int16 for layers of 9..16 bits, int8 otherwise.
        const auto generated = [&] {
          return l.precision > 8 ? encode_layer(l, generate_weights16(l, layer_seed), cfg)
                                 : encode_layer(l, generate_weights(l, layer_seed), cfg);
        };
        s.layout = real ? (real->weights16.empty() ? encode_layer(l, real->weights, cfg)
                                                   : encode_layer(l, real->weights16, cfg))
                   : options_.weight_cache
                       ? options_.weight_cache->encoded_layer(l, layer_seed, cfg)
                       : generated();
        for (const EncodedStructure& st : s.layout.structures) {
          s.offsets.push_back(s.bytes);
          s.bytes += align256(st.bytes.size());
        }
        // (A layer placed elsewhere by name is checked only for a power-off's loss.)
        const MemoryTarget* own = l.memory.empty() ? nullptr : memory_system_.find(l.memory);
        s.checked = l.memory.empty() || l.memory == config_.placement.weights
                        ? checked
                        : own && own->power_config().idle == PowerState::off &&
                              own->loses_contents_when_off();
        if (per_task) s.checked = s.checked || task_slot_checked;
      } catch (...) {
        std::lock_guard<std::mutex> guard(failure_lock);
        if (j < failed_job) {
          failure = std::current_exception();
          failed_job = j;
        }
      }
    }
  };
  const unsigned workers = std::max(1u, std::min(4u, std::thread::hardware_concurrency()));
  std::vector<std::thread> threads;
  for (unsigned w = 1; w < workers; ++w) threads.emplace_back(work);
  work();
  for (auto& t : threads) t.join();
  if (failure) std::rethrow_exception(failure);
}

EncodingConfig Accelerator::encoding_of(std::size_t i, const NvdlaAtoms& atoms) const {
  // The memory the weights are placed in by name or by policy (before any overflow, which
  // needs the sizes this decides): a task's set where its task runs from.
  const Layer& l = network_.layers[i];
  const PlacementConfig& p = config_.placement;
  const bool task_set = !tasks_.names.empty() && tasks_.specific[i] && !p.task_weights.empty();
  const std::string& memory = task_set ? p.task_weights : !l.memory.empty() ? l.memory : p.weights;
  EncodingConfig c = config_.storage.encoding_for(l, memory, atoms);
  const LayerProgram& program = programs_[i];
  c.winograd = program.unit == LayerProgram::Unit::conv &&
               conv_mode(program.work, config_.mac) == ConvMode::winograd;
  return c;
}

int Accelerator::structure_bits(const EncodedStructure& s, ParameterClass c,
                                const std::string& memory, int memory_bits) const {
  // Each structure sits in cells of its own mode: MaxNVM keeps metadata in robust cells.
  return config_.storage.bits_of(s, c, memory, memory_bits);
}

void Accelerator::program_weights() {
  for (std::size_t i = 0; i < stored_.size(); ++i) {
    if (stored_[i].bytes > 0) {
      program_structures(stored_[i], parameter_class(network_.layers[i]), placement_.weights[i]);
    }
  }
}

void Accelerator::program_structures(const StoredWeights& s, ParameterClass c, const Region& r) {
  MemoryTarget* m = linked_[r.memory];
  auto* envm = dynamic_cast<Envm*>(m);
  for (std::size_t k = 0; k < s.layout.structures.size(); ++k) {
    const EncodedStructure& st = s.layout.structures[k];
    const std::uint64_t at = r.offset + s.offsets[k];
    m->debug_write(at, st.bytes.data(), st.bytes.size());
    if (!envm) continue;
    const std::string& name = envm->instance_name();
    envm->set_region(at, Bytes(align256(st.bytes.size())),
                     structure_bits(st, c, name, envm->bits_per_cell()),
                     config_.storage.coding_of(st, c, name).value_or(envm->fault_coding()));
  }
}

}  // namespace hmasim
