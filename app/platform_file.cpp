#include "app/platform_file.hpp"

#include <filesystem>

namespace hmasim {

namespace {

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
