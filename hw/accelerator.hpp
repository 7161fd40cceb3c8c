// The accelerator platform built from a validated config and a network: memories, interconnect,
// DMA and the layer sequencer, with the network's weights generated, encoded and programmed into
// their memories as real bytes before simulation. The sequencer thread runs `frames` frames of
// the network back to back, then stops the simulation.
#pragma once

#include <memory>
#include <string>
#include <systemc>
#include <vector>

#include "core/energy_ledger.hpp"
#include "hw/accelerator_config.hpp"
#include "hw/dma_engine.hpp"
#include "hw/interconnect.hpp"
#include "hw/layer_program.hpp"
#include "hw/layer_sequencer.hpp"
#include "hw/placement.hpp"
#include "mem/memory_system.hpp"
#include "workloads/network.hpp"

namespace hmasim {

struct RunOptions {
  std::uint64_t seed = 1;
  std::uint32_t frames = 1;
};

class Accelerator : public sc_core::sc_module {
 public:
  SC_HAS_PROCESS(Accelerator);
  // Throws PlacementError or TilingError (with the memory or layer named) before simulation.
  Accelerator(const sc_core::sc_module_name& name, const std::vector<MemorySpec>& memories,
              const AcceleratorConfig& config, const Network& network, const RunOptions& options,
              EnergyLedger& ledger);

  // After sc_start().
  const std::vector<LayerRecord>& records() const { return records_; }
  Time end_time() const { return end_; }
  bool finished() const { return finished_; }
  const std::string& error() const { return error_; }

  const AcceleratorConfig& config() const { return config_; }
  const Network& network() const { return network_; }
  const Placement& placement() const { return placement_; }
  const std::vector<LayerProgram>& programs() const { return programs_; }
  // Linked memories, in interconnect order (Region::memory indexes this).
  const std::vector<MemoryTarget*>& memories() const { return linked_; }
  const DmaEngine& dma() const { return *dma_; }
  const std::vector<StoredWeights>& stored_weights() const { return stored_; }
  // Bits per cell a structure is stored with in an eNVM whose own mode is `memory_bits`.
  int structure_bits(const EncodedStructure& s, int memory_bits) const;
  // Decoded-weight checks of the layers in each linked memory (weight memories with faults).
  const std::vector<WeightCheck>& weight_checks() const { return sequencer_->weight_checks(); }
  const Interconnect& interconnect() const { return *interconnect_; }

 private:
  void run();
  // Generates, encodes and (when checked) decodes every layer's weights.
  void encode_weights(std::uint64_t seed);
  // Writes the encoded structures into their memories and gives each its cell mode.
  void program_weights();

  AcceleratorConfig config_;
  const Network& network_;
  RunOptions options_;
  EnergyLedger& ledger_;
  MemorySystem memory_system_;
  std::vector<MemoryTarget*> linked_;
  std::unique_ptr<Interconnect> interconnect_;
  std::unique_ptr<DmaEngine> dma_;
  std::vector<StoredWeights> stored_;
  Placement placement_;
  std::vector<LayerProgram> programs_;
  std::unique_ptr<LayerSequencer> sequencer_;
  std::vector<LayerRecord> records_;
  Time end_{0};
  bool finished_ = false;
  std::string error_;
};

}  // namespace hmasim
