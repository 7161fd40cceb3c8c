// The weight fetch unit: between the DMA and the convolution buffer. Per layer it requests the
// encoded structures (values, mask, indices, counters, IdxSync counts, parity, LUT) from where
// the layer's weights are placed, each tile its share of every structure; decodes them (BitMask,
// CSR, cluster indices, with SEC-DED and IdxSync) at its configured throughput and pipeline
// latency; and writes dense weights into the CBUF's weight banks. When the weight memory injects
// faults, it keeps the bytes each request actually returned and, at the end of the layer, checks
// them against the stored ones (weight_check.hpp): read-mode faults are seen per frame.
//
// The unit's timing is what differs between implementations, registered by name
// (`weight_fetch.model` in the platform): when does a tile's decode start, given when its fetch
// started and when its last byte arrived. `streaming` decodes as the bytes arrive (NVDLA's
// in-line decompression); `buffered` decodes once the tile's weights are all in.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <systemc>
#include <vector>

#include "core/clock.hpp"
#include "core/registry.hpp"
#include "core/trace_sink.hpp"
#include "hw/layer_program.hpp"
#include "hw/storage_config.hpp"
#include "hw/units/dma.hpp"
#include "hw/units/weight_check.hpp"

namespace hmasim {

class WeightFetchUnit : public sc_core::sc_module, public DmaClient {
 public:
  struct Stats {
    std::uint64_t tiles = 0;
    std::uint64_t bytes_fetched = 0;  // encoded bytes read
    std::uint64_t dense_bytes = 0;    // dense weight bytes written into the CBUF
    Cycles decode_cycles{0};
  };

  // `memories`: how many linked memories there are (checks are kept per weight memory).
  WeightFetchUnit(const sc_core::sc_module_name& name, const WeightFetchConfig& config, Clock clock,
                  const DmaConfig& dma, std::size_t memories);

  // A new layer. Without stored weights the unit does nothing for it.
  void begin_layer(const LayerProgram& p, Time start);
  // Appends the tile's weight requests (its kernels, and of those its channel slice, of every
  // stored structure) and returns the dense weight bytes the tile puts into the CBUF.
  std::uint64_t tile_reads(const Tile& t, std::vector<DmaRead>& out);
  // When the tile's dense weights are in the CBUF: its fetch started at `fetch_start` (its CBUF
  // slot was free) and its last byte arrived at `arrived`. Only after tile_reads added any.
  Time tile_ready(Time fetch_start, Time arrived);
  // The layer's weights have all been read: check them (when the layer is checked).
  void end_layer();

  std::uint8_t* destination(const DmaRequest& r) override;

  // Functional mode: keep the bytes read of every layer, not only of the checked ones.
  void keep_bytes_read(bool on = true) { keep_all_ = on; }
  // The current layer's weight region as read so far, when its bytes are kept (null otherwise):
  // a functional run preloads it with the stored bytes at the layer's start, so that a byte not
  // yet read holds what the memory stores, and decodes the weights it computes with from it.
  std::vector<std::uint8_t>* region_as_read() { return keep_ ? &region_ : nullptr; }

  // Per linked memory: what the checks of the layers stored there found.
  const std::vector<WeightCheck>& checks() const { return checks_; }
  const Stats& stats() const { return stats_; }
  const WeightFetchConfig& config() const { return config_; }
  void set_trace(TraceSink* sink);

 protected:
  // The first cycle the decoder may start on a tile, as the implementation decides: with the
  // fetch, or once the tile's bytes are all in (`fetch_start` / `arrived` as in tile_ready).
  // It starts no earlier than the end of the previous tile's decode: one decoder.
  virtual Cycles decode_start(Time fetch_start, Time arrived) const = 0;
  const Clock& clock() const { return clock_; }

 private:
  WeightFetchConfig config_;
  Clock clock_;
  DmaConfig dma_;
  std::vector<WeightCheck> checks_;
  Stats stats_;
  const LayerProgram* layer_ = nullptr;
  bool checked_ = false;
  bool keep_all_ = false;
  bool keep_ = false;       // the current layer's bytes read are kept (checked, or keep_all_)
  std::uint64_t base_ = 0;  // global address of the layer's weight region
  std::vector<std::uint8_t> region_;   // the region as read (checked layers only)
  std::uint64_t tile_mask_bytes_ = 0;  // of the current tile
  std::uint64_t tile_other_bytes_ = 0;
  Cycles decoder_free_{0};  // the decoder is done with the previous tile's bytes

  TraceSink* trace_ = nullptr;
  TraceSink::Id busy_signal_ = 0, track_ = 0;
};

// Implementations by name.
struct WeightFetchEntry {
  std::function<std::unique_ptr<WeightFetchUnit>(const sc_core::sc_module_name&,
                                                 const WeightFetchConfig&, Clock, const DmaConfig&,
                                                 std::size_t memories)>
      create;
};
using WeightFetchRegistry = Registry<WeightFetchEntry>;

template <class Unit>
struct WeightFetchRegistrar {
  WeightFetchRegistrar(const std::string& name, const std::string& description) {
    WeightFetchEntry e;
    e.create = [](const sc_core::sc_module_name& n, const WeightFetchConfig& c, Clock clock,
                  const DmaConfig& dma, std::size_t memories) -> std::unique_ptr<WeightFetchUnit> {
      return std::make_unique<Unit>(n, c, clock, dma, memories);
    };
    WeightFetchRegistry::instance().add({name, "weight fetch", description, std::move(e)});
  }
};

#define HMASIM_REGISTER_WEIGHT_FETCH(Unit, name, description)                              \
  static const ::hmasim::WeightFetchRegistrar<Unit> HMASIM_WF_CONCAT(hmasim_weight_fetch_, \
                                                                     __LINE__)(name, description)
#define HMASIM_WF_CONCAT_INNER(a, b) a##b
#define HMASIM_WF_CONCAT(a, b) HMASIM_WF_CONCAT_INNER(a, b)

}  // namespace hmasim
