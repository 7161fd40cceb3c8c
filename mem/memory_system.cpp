#include "mem/memory_system.hpp"

#include <cctype>

namespace hmasim {

std::vector<MemorySpec> parse_memories(const ConfigNode& memories) {
  std::vector<MemorySpec> out;
  const auto& registry = MemoryRegistry::instance();
  for (const std::string& name : memories.keys()) {
    bool valid_name = !name.empty() && (std::isalpha(static_cast<unsigned char>(name[0])) != 0);
    for (char ch : name) {
      valid_name = valid_name && (std::isalnum(static_cast<unsigned char>(ch)) || ch == '_');
    }
    ConfigNode block = memories.child(name);
    if (!valid_name) {
      memories.error(name, "memory name '" + name +
                               "' must start with a letter and hold only letters, digits and _");
    }
    const std::string model = block.get<std::string>("model");
    if (model.empty()) {
      block.ignore_unread_keys();
      continue;
    }
    const auto* item = registry.find(model);
    if (!item) {
      block.error("model",
                  "unknown memory model '" + model + "' (registered: " + registry.names() + ")");
      block.ignore_unread_keys();
      continue;
    }
    out.push_back({name, item->entry.parse(block, name)});
  }
  return out;
}

MemorySystem::MemorySystem(const std::vector<MemorySpec>& specs, EnergyLedger& ledger) {
  const auto& registry = MemoryRegistry::instance();
  for (const MemorySpec& s : specs) {
    const auto* item = registry.find(s.config->common.model);
    memories_.push_back(item->entry.create(s.name.c_str(), *s.config, ledger));
  }
}

MemoryTarget* MemorySystem::find(const std::string& name) const {
  for (const auto& m : memories_) {
    if (m->basename() == name) return m.get();
  }
  return nullptr;
}

std::string MemorySystem::names() const {
  std::string s;
  for (const auto& m : memories_) s += (s.empty() ? "" : ", ") + std::string(m->basename());
  return s;
}

}  // namespace hmasim
