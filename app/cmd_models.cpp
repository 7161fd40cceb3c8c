#include <cstdio>
#include <iostream>

#include "app/commands.hpp"
#include "app/preset_file.hpp"
#include "core/config_node.hpp"
#include "mem/memory_registry.hpp"

namespace hmasim {

int cmd_models(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a == "--help" || a == "-h") {
      std::cout << "usage: hmasim models\n\nLists every registered model, one per line: name, "
                   "kind, description; then the\npresets a platform can name with 'preset: NAME' "
                   "(the shipped ones and those in\n$HMASIM_PRESET_PATH): name, kind (a memory "
                   "block for a model, or an eNVM\ntechnology), description.\n";
      return 0;
    }
    std::cerr << "hmasim models: unexpected argument '" << a << "'\n";
    return 2;
  }
  for (const auto* item : MemoryRegistry::instance().list()) {
    std::printf("%-13s %-8s %s\n", item->name.c_str(), item->kind.c_str(),
                item->description.c_str());
  }
  const auto presets = shipped_presets();
  if (presets.empty()) return 0;
  std::printf("\npresets (preset: NAME):\n");
  for (const PresetInfo& p : presets) {
    const std::string kind = p.kind == PresetKind::memory ? p.model + " memory" : "envm technology";
    std::printf("%-13s %-16s %s\n", p.name.c_str(), kind.c_str(), p.description.c_str());
  }
  return 0;
}

}  // namespace hmasim
