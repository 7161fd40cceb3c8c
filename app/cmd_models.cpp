#include <cstdio>
#include <iostream>

#include "app/commands.hpp"
#include "mem/memory_registry.hpp"

namespace hmasim {

int cmd_models(const std::vector<std::string>& args) {
  for (const auto& a : args) {
    if (a == "--help" || a == "-h") {
      std::cout << "usage: hmasim models\n\nLists every registered model, one per line: name, "
                   "kind, description.\n";
      return 0;
    }
    std::cerr << "hmasim models: unexpected argument '" << a << "'\n";
    return 2;
  }
  for (const auto* item : MemoryRegistry::instance().list()) {
    std::printf("%-10s %-8s %s\n", item->name.c_str(), item->kind.c_str(),
                item->description.c_str());
  }
  return 0;
}

}  // namespace hmasim
