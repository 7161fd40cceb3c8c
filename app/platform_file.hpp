// A platform file: its name, description and memories (the accelerator joins in a later issue).
// Parsed and validated in one pass; every problem is a diagnostic of the document.
#pragma once

#include <memory>
#include <string>
#include <vector>

#include "core/config_node.hpp"
#include "mem/memory_system.hpp"

namespace hmasim {

struct PlatformConfig {
  std::string file;
  std::string name;
  std::string description;
  std::vector<MemorySpec> memories;
};

// Loads `file` with `--set` overrides; throws ConfigError listing every problem.
PlatformConfig load_platform(const std::string& file, const std::vector<std::string>& overrides);

}  // namespace hmasim
