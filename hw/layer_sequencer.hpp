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

class LayerSequencer {
 public:
  LayerSequencer(const AcceleratorConfig& config, DmaEngine& dma,
                 std::vector<MemoryTarget*> memories, EnergyLedger& ledger);

  // Runs one layer starting no earlier than `start`; returns its record. Called from an
  // SC_THREAD (the DMA's transactions may sync with SystemC time).
  LayerRecord run(const LayerProgram& program, Time start, std::uint32_t frame, std::size_t index);

 private:
  struct TileTiming {
    Cycles cycles{0};
    std::uint64_t atomic_ops = 0;
    std::uint64_t cbuf_read_bytes = 0;
    std::uint64_t macs = 0;
    std::uint64_t outputs = 0;
  };
  TileTiming compute(const LayerProgram& p, const Tile& t) const;
  void tile_reads(const LayerProgram& p, const Tile& t, std::vector<DmaEngine::Request>& out) const;
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
};

}  // namespace hmasim
