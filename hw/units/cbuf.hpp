// The convolution buffer (CBUF): banks of SRAM split per layer between features and weights (the
// tile plan's shares). Each share holds two tiles, so the DMA may fill tile t while the core works
// on tile t-1, but not before tile t-2 has released its half (the credit handshake): writers
// stall when the buffer is full, and the core waits when its data is missing. Write energy is
// charged per byte the DMA (features) and the weight fetch unit (dense weights) put in, read
// energy per byte the core takes out. Occupancy per share is traced.
#pragma once

#include <string>
#include <systemc>
#include <vector>

#include "core/clock.hpp"
#include "core/energy_ledger.hpp"
#include "core/trace_sink.hpp"
#include "hw/accelerator_config.hpp"
#include "hw/layer_tiling.hpp"

namespace hmasim {

class Cbuf : public sc_core::sc_module {
 public:
  struct Stats {
    std::uint64_t bytes_written = 0;
    std::uint64_t bytes_read = 0;
    Time writer_stall{0};  // time fetches waited for a free half of a share
  };

  // `component`: its energy-ledger component (leakage is set here).
  Cbuf(const sc_core::sc_module_name& name, const CbufConfig& config, EnergyLedger& ledger,
       EnergyLedger::ComponentId component);

  // A new layer cut into `plan`, starting at `start`.
  void begin_layer(const TilePlan& plan, Time start);
  // When tile `t`'s half of each share is free to be written: at the layer's start for the first
  // two tiles, else when tile t-2 released it.
  Time slot_free(std::size_t t) const;
  // The fetch of tile `t` could have started at `wanted` (its writer was ready) but the slot was
  // free only at slot_free(t): the writer stalled in between.
  void writer_waited(std::size_t t, Time wanted);
  // Bytes written into tile `t`'s slots over [begin, end): features by the DMA, dense weights by
  // the weight fetch unit.
  void filled(std::size_t t, std::uint64_t feature_bytes, std::uint64_t weight_bytes, Time begin,
              Time end);
  // The core read `bytes` over [begin, end).
  void read(std::uint64_t bytes, Time begin, Time end);
  // Tile `t` is done with its slots at `at` (the core finished it).
  void released(std::size_t t, Time at);
  // The layer is over at `end`: weights still resident leave, and the occupancy is traced.
  void end_layer(Time end);

  const Stats& stats() const { return stats_; }
  const CbufConfig& config() const { return config_; }
  void set_trace(TraceSink* sink);

 private:
  // An occupancy change of one share, traced in time order at the end of the layer (fills of a
  // tile are known before the releases of earlier tiles that happen later).
  struct Change {
    Time at;
    bool weights;
    std::int64_t delta;
  };

  CbufConfig config_;
  EnergyLedger& ledger_;
  EnergyLedger::ActionId read_, write_;
  Time layer_start_{0};
  std::vector<Time> released_;  // per tile of the layer: when it released its slots
  // Per tile: the weight bytes it brought, and the tile after which they leave (weights stay
  // until the next tile that loads weights has taken over, or the layer ends).
  std::vector<std::uint64_t> weight_bytes_;
  std::vector<std::size_t> weight_last_user_;
  std::vector<std::uint64_t> feature_bytes_;
  Stats stats_;

  TraceSink* trace_ = nullptr;
  TraceSink::Id feature_signal_ = 0, weight_signal_ = 0, stall_signal_ = 0, track_ = 0;
  std::vector<Change> changes_;
};

}  // namespace hmasim
