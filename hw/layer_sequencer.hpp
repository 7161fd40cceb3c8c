// Runs layers on the datapath, tile by tile. For each tile the DMA fetches its feature rows and
// weights into the CBUF (read channel), the core (or PDP / SDP) computes once the tile's data has
// arrived and the previous tile is done, and the DMA writes the tile's outputs back (write
// channel). A tile may be fetched while the core works on the previous one, but not before the
// tile two back has finished (the CBUF holds two tiles per share: the credit handshake). The
// requests of both DMA channels go out in time order, so every memory sees its traffic in order.
// Nothing here knows a layer's duration in advance: it is what the memories' responses, the DMA
// limits and the core's cycle counts make of it. Layers run one after another (each reads what
// the previous one wrote).
#pragma once

#include <string>
#include <vector>

#include "core/clock.hpp"
#include "core/energy_ledger.hpp"
#include "hw/accelerator_config.hpp"
#include "hw/conv_core.hpp"
#include "hw/dma_engine.hpp"
#include "hw/layer_program.hpp"
#include "mem/memory_target.hpp"

namespace hmasim {

struct LayerRecord {
  std::uint32_t frame = 0;
  std::size_t layer = 0;
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
  bool memory_bound() const { return 2 * busy_cycles.value() < cycles.value(); }
};

// What the weight fetch unit found when it decoded the weights of one memory's layers.
struct WeightCheck {
  std::uint64_t weights = 0;    // decoded and compared with the fault-free decode
  std::uint64_t corrupted = 0;  // differing value
  std::uint64_t misplaced =
      0;  // placed at the wrong index by index drift (mask, indices, counters)
  std::uint64_t ecc_words = 0;
  std::uint64_t ecc_corrected = 0;
  std::uint64_t ecc_uncorrectable = 0;
  std::uint64_t idxsync_realignments = 0;
};

class LayerSequencer {
 public:
  LayerSequencer(const AcceleratorConfig& config, DmaEngine& dma,
                 std::vector<MemoryTarget*> memories, EnergyLedger& ledger);

  // Runs one layer starting no earlier than `start`; returns its record. Called from an
  // SC_THREAD (the DMA's transactions may sync with SystemC time).
  LayerRecord run(const LayerProgram& program, Time start, std::uint32_t frame, std::size_t index);
  // Per linked memory: the decoded-weight checks of the layers stored there.
  const std::vector<WeightCheck>& weight_checks() const { return checks_; }

 private:
  struct TileTiming {
    Cycles cycles{0};
    std::uint64_t atomic_ops = 0;
    std::uint64_t cbuf_read_bytes = 0;
    std::uint64_t macs = 0;
    std::uint64_t outputs = 0;
  };
  TileTiming compute(const LayerProgram& p, const Tile& t) const;
  // The tile's feature and weight requests; `weights` counts the weight bytes per kind (mask,
  // the rest) for the weight fetch unit's decode time.
  struct WeightBytes {
    std::uint64_t mask = 0;
    std::uint64_t other = 0;
  };
  void tile_reads(const LayerProgram& p, const Tile& t, std::vector<DmaEngine::Request>& out,
                  WeightBytes& weights) const;
  // Cycles the weight fetch unit needs to decode what a tile fetched.
  Cycles decode_cycles(const WeightBytes& w) const;
  // Decodes the layer's weights as they were read and compares them with the fault-free ones.
  void check_weights(const LayerProgram& p);
  void tile_writes(const LayerProgram& p, const Tile& t,
                   std::vector<DmaEngine::Request>& out) const;
  std::uint64_t address(const Region& r, std::uint64_t offset) const;

  const AcceleratorConfig& config_;
  Clock clock_;
  DmaEngine& dma_;
  ConvCore core_;
  std::vector<MemoryTarget*> memories_;
  EnergyLedger& ledger_;
  EnergyLedger::ActionId mac_, cbuf_read_, cbuf_write_, post_;
  std::vector<WeightCheck> checks_;
  std::vector<std::uint8_t> weight_buffer_;  // the layer's weight region as the DMA read it
};

}  // namespace hmasim
