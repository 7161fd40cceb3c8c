// The registry of memory models: a platform's memory block names its model (`model: lpddr4`) and
// the registry parses the block into that model's validated config and builds the module from it.
// A new model needs one .cpp with HMASIM_REGISTER_MEMORY; nothing else changes.
#pragma once

#include <functional>
#include <memory>
#include <string>
#include <systemc>

#include "core/config_node.hpp"
#include "core/energy_ledger.hpp"
#include "core/registry.hpp"
#include "mem/memory_config.hpp"
#include "mem/memory_target.hpp"

namespace hmasim {

struct MemoryModelEntry {
  // Stage one and two: read the block and validate it (diagnostics go to the node's document).
  std::function<std::shared_ptr<const MemoryConfig>(const ConfigNode& block,
                                                    const std::string& instance)>
      parse;
  std::function<std::unique_ptr<MemoryTarget>(const sc_core::sc_module_name& name,
                                              const MemoryConfig& config, EnergyLedger& ledger)>
      create;
};

using MemoryRegistry = Registry<MemoryModelEntry>;

// Registers Model under `name`. Config must have `static Config parse(const ConfigNode&, const
// std::string& instance)`; Model a constructor (sc_module_name, const Config&, EnergyLedger&).
template <class Model, class Config>
struct MemoryRegistrar {
  MemoryRegistrar(const std::string& name, const std::string& description) {
    MemoryModelEntry entry;
    entry.parse = [](const ConfigNode& block, const std::string& instance) {
      return std::shared_ptr<const MemoryConfig>(
          std::make_shared<Config>(Config::parse(block, instance)));
    };
    entry.create = [](const sc_core::sc_module_name& n, const MemoryConfig& config,
                      EnergyLedger& ledger) -> std::unique_ptr<MemoryTarget> {
      return std::make_unique<Model>(n, static_cast<const Config&>(config), ledger);
    };
    MemoryRegistry::instance().add({name, "memory", description, std::move(entry)});
  }
};

#define HMASIM_CONCAT_INNER(a, b) a##b
#define HMASIM_CONCAT(a, b) HMASIM_CONCAT_INNER(a, b)
#define HMASIM_REGISTER_MEMORY(Model, Config, name, description)                                 \
  static const ::hmasim::MemoryRegistrar<Model, Config> HMASIM_CONCAT(hmasim_memory_, __LINE__)( \
      name, description)

}  // namespace hmasim
