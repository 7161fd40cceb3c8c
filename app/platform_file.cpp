#include "app/platform_file.hpp"

#include <filesystem>

namespace hmasim {

namespace {

// `power.reload_from` names another memory the DMA can read (its contents are copied back from
// there after a power-off).
void check_reload_sources(const ConfigNode& memories, const PlatformConfig& p) {
  for (const MemorySpec& m : p.memories) {
    const PowerConfig& power = m.config->common.power;
    const std::string& from = power.reload_from;
    if (from.empty()) continue;
    const ConfigNode node = memories.child(m.name).child("power");
    std::string names;
    bool known = false;
    for (const MemorySpec& other : p.memories) {
      known = known || other.name == from;
      names += (names.empty() ? "" : ", ") + other.name;
    }
    if (!known) {
      node.error("reload_from",
                 "no memory '" + from + "' in this platform (memories: " + names + ")");
    } else if (from == m.name) {
      node.error("reload_from", "a memory cannot be reloaded from itself");
    } else if (power.idle != PowerState::off) {
      node.error("reload_from",
                 "only with idle: off (a memory that stays on or in retention "
                 "keeps its contents)");
    } else if (p.accelerator && !p.accelerator->link(from)) {
      node.error("reload_from",
                 "memory '" + from + "' has no interconnect link: the DMA could not read it");
    }
  }
}

PlatformConfig load(std::unique_ptr<ConfigDocument> doc) {
  PlatformConfig p;
  p.file = doc->file();
  const std::string& file = p.file;
  if (doc->parsed()) {
    ConfigNode root = doc->root();
    p.name = root.get<std::string>("name", std::filesystem::path(file).stem().string());
    p.description = root.get<std::string>("description", "");
    ConfigNode memories = root.child("memories");
    p.memories = parse_memories(memories);
    if (doc->ok() && p.memories.empty()) {
      root.error("memories", "a platform needs at least one memory");
    }
    if (root.has("accelerator")) {
      std::vector<std::string> names;
      for (const auto& m : p.memories) names.push_back(m.name);
      p.accelerator = parse_accelerator(root, names);
    }
    check_reload_sources(memories, p);
  }
  doc->finish();
  return p;
}

}  // namespace

PlatformConfig load_platform(const std::string& file, const std::vector<std::string>& overrides) {
  return load(ConfigDocument::load_file(file, overrides));
}

PlatformConfig load_platform_text(const std::string& text, const std::string& name,
                                  const std::vector<std::string>& overrides) {
  return load(ConfigDocument::load_string(text, name, overrides));
}

}  // namespace hmasim
