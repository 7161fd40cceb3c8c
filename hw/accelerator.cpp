#include "hw/accelerator.hpp"

#include <atomic>
#include <exception>
#include <mutex>
#include <thread>

#include "core/clock.hpp"
#include "workloads/dense_encoding.hpp"
#include "workloads/weight_generator.hpp"

namespace hmasim {

Accelerator::Accelerator(const sc_core::sc_module_name& name,
                         const std::vector<MemorySpec>& memories, const AcceleratorConfig& config,
                         const Network& network, const RunOptions& options, EnergyLedger& ledger)
    : sc_core::sc_module(name),
      config_(config),
      network_(network),
      options_(options),
      ledger_(ledger),
      memory_system_(memories, ledger) {
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

  std::vector<std::uint64_t> weight_bytes;
  for (const Layer& l : network_.layers) {
    weight_bytes.push_back(l.has_weights() ? dense_nvdla_bytes(l) : 0);
  }
  placement_ = place_network(network_, weight_bytes, config_.placement, infos);
  programs_ = prepare_layers(network_.layers, placement_, config_.cbuf, config_.mac.atomic_c,
                             config_.mac.atomic_k);
  program_weights(options_.seed);
  sequencer_ = std::make_unique<LayerSequencer>(config_, *dma_, linked_, ledger_);
  SC_THREAD(run);
}

void Accelerator::program_weights(std::uint64_t seed) {
  // Each layer's weights depend only on (seed, layer index), so layers are generated and encoded
  // on all host cores; the bytes are then written in layer order.
  const NvdlaAtoms atoms{config_.mac.atomic_c, config_.mac.atomic_k};
  const std::size_t n = network_.layers.size();
  std::vector<std::vector<std::int8_t>> encoded(n);
  std::atomic<std::size_t> next{0};
  std::exception_ptr failure;
  std::mutex failure_lock;
  const auto work = [&] {
    for (std::size_t i = next++; i < n; i = next++) {
      const Layer& l = network_.layers[i];
      if (!l.has_weights()) continue;
      try {
        encoded[i] = encode_dense_nvdla(l, generate_weights(l, seed), atoms);
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
  for (std::size_t i = 0; i < n; ++i) {
    if (encoded[i].empty()) continue;
    const Region& r = placement_.weights[i];
    linked_[r.memory]->debug_write(
        r.offset, reinterpret_cast<const std::uint8_t*>(encoded[i].data()), encoded[i].size());
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
