#include "hw/accelerator.hpp"

#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include "core/clock.hpp"
#include "mem/envm.hpp"
#include "workloads/weight_encoding.hpp"
#include "workloads/weight_generator.hpp"

namespace hmasim {

namespace {

// The memory specs with the storage section applied: `storage.fault_mode` overrides the fault
// mode of the eNVM holding the weights.
std::vector<MemorySpec> with_storage(std::vector<MemorySpec> specs,
                                     const AcceleratorConfig& config) {
  if (!config.storage.fault_mode) return specs;
  for (MemorySpec& s : specs) {
    const auto* envm = dynamic_cast<const EnvmConfig*>(s.config.get());
    if (s.name != config.placement.weights || !envm) continue;
    auto changed = std::make_shared<EnvmConfig>(*envm);
    changed->faults.mode = *config.storage.fault_mode;
    s.config = changed;
  }
  return specs;
}

std::uint64_t align256(std::uint64_t v) {
  return (v + kSurfaceAlignment - 1) / kSurfaceAlignment * kSurfaceAlignment;
}

bool is_metadata_structure(const EncodedStructure& s) {
  return is_metadata(s.kind);
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
      memory_system_(with_storage(memories, config), ledger) {
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

  encode_weights(options_.seed);
  std::vector<std::uint64_t> weight_bytes;
  for (const StoredWeights& s : stored_) weight_bytes.push_back(s.bytes);
  placement_ = place_network(network_, weight_bytes, config_.placement, infos);
  programs_ = prepare_layers(network_.layers, placement_, config_.cbuf, config_.mac.atomic_c,
                             config_.mac.atomic_k);
  for (std::size_t i = 0; i < programs_.size(); ++i) {
    if (stored_[i].bytes > 0) programs_[i].stored = &stored_[i];
  }
  program_weights();
  sequencer_ = std::make_unique<LayerSequencer>(config_, *dma_, linked_, ledger_);
  SC_THREAD(run);
}

void Accelerator::encode_weights(std::uint64_t seed) {
  // Each layer's weights depend only on (seed, layer index), so layers are generated, encoded and
  // decoded on all host cores.
  const NvdlaAtoms atoms{config_.mac.atomic_c, config_.mac.atomic_k};
  const std::size_t n = network_.layers.size();
  stored_.resize(n);
  // Decoded weights are checked where faults can corrupt them.
  bool checked = false;
  if (MemoryTarget* m = memory_system_.find(config_.placement.weights)) {
    if (const auto* e = dynamic_cast<const Envm*>(m)) checked = e->fault_mode() != FaultMode::off;
  }
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_lock;
  const auto work = [&] {
    for (std::size_t i = next++; i < n; i = next++) {
      const Layer& l = network_.layers[i];
      if (!l.has_weights()) continue;
      try {
        StoredWeights& s = stored_[i];
        const EncodingConfig cfg = config_.storage.encoding_for(l, atoms);
        s.layout = encode_layer(l, generate_weights(l, seed), cfg);
        for (const EncodedStructure& st : s.layout.structures) {
          s.offsets.push_back(s.bytes);
          s.bytes += align256(st.bytes.size());
        }
        const bool layer_checked =
            checked && (l.memory.empty() || l.memory == config_.placement.weights);
        if (layer_checked) s.golden = std::make_unique<DecodedLayer>(decode_layer(l, s.layout));
      } catch (...) {
        std::lock_guard<std::mutex> guard(failure_lock);
        if (!failure) failure = std::current_exception();
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

int Accelerator::structure_bits(const EncodedStructure& s, int memory_bits) const {
  // Each structure sits in cells of its own mode: MaxNVM keeps metadata in robust cells.
  const StorageConfig& storage = config_.storage;
  const auto named = storage.bits_by_structure.find(to_string(s.kind));
  if (named != storage.bits_by_structure.end()) return named->second;
  return is_metadata_structure(s) ? storage.bits_metadata.value_or(memory_bits)
                                  : storage.bits_values.value_or(memory_bits);
}

void Accelerator::program_weights() {
  for (std::size_t i = 0; i < stored_.size(); ++i) {
    const StoredWeights& s = stored_[i];
    if (s.bytes == 0) continue;
    const Region& r = placement_.weights[i];
    MemoryTarget* m = linked_[r.memory];
    auto* envm = dynamic_cast<Envm*>(m);
    for (std::size_t k = 0; k < s.layout.structures.size(); ++k) {
      const EncodedStructure& st = s.layout.structures[k];
      const std::uint64_t at = r.offset + s.offsets[k];
      m->debug_write(at, st.bytes.data(), st.bytes.size());
      if (!envm) continue;
      envm->set_region(at, Bytes(align256(st.bytes.size())),
                       structure_bits(st, envm->bits_per_cell()),
                       config_.storage.coding_of(to_string(st.kind), is_metadata_structure(st)));
    }
  }
}

void Accelerator::run() {
  Time t(0);
  try {
    for (std::uint32_t f = 0; f < options_.frames; ++f) {
      for (std::size_t i = 0; i < programs_.size(); ++i) {
        records_.push_back(sequencer_->run(programs_[i], t, f, i));
        t = records_.back().end;
      }
    }
    dma_->sync();
    finished_ = true;
  } catch (const std::exception& e) {
    error_ = e.what();
  }
  end_ = t;  // the thread ends here; with nothing else scheduled, sc_start() returns
}

}  // namespace hmasim
