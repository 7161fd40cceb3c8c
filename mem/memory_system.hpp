// The `memories:` section of a platform: parsed and validated through the registry, then built
// into modules. Order follows the file, so reports are stable.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/config_node.hpp"
#include "core/energy_ledger.hpp"
#include "mem/memory_registry.hpp"

namespace hmasim {

struct MemorySpec {
  std::string name;
  std::shared_ptr<const MemoryConfig> config;
};

// Reads every entry of `memories` (a map of instance name -> block with `model:`). Unknown models
// are diagnostics listing the registered ones.
std::vector<MemorySpec> parse_memories(const ConfigNode& memories);

class MemorySystem {
 public:
  MemorySystem(const std::vector<MemorySpec>& specs, EnergyLedger& ledger);
  MemoryTarget* find(const std::string& name) const;
  const std::vector<std::unique_ptr<MemoryTarget>>& all() const { return memories_; }
  std::string names() const;

 private:
  std::vector<std::unique_ptr<MemoryTarget>> memories_;
};

}  // namespace hmasim
