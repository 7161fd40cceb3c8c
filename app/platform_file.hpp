// A platform file: its name, description, memories and, optionally, the accelerator.
// Parsed and validated in one pass; every problem is a diagnostic of the document.
#pragma once

#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "core/config_node.hpp"
#include "hw/accelerator_config.hpp"
#include "mem/memory_system.hpp"

namespace hmasim {

struct PlatformConfig {
  std::string file;
  std::string name;
  std::string description;
  std::vector<MemorySpec> memories;
  // Absent for memory-only platforms (replay); present when the file has `accelerator:`.
  std::optional<AcceleratorConfig> accelerator;
};

// Loads `file` with `--set` overrides; throws ConfigError listing every problem.
PlatformConfig load_platform(const std::string& file, const std::vector<std::string>& overrides);
// The same on YAML `text` named `name` (diagnostics and relative presets use that name).
PlatformConfig load_platform_text(const std::string& text, const std::string& name,
                                  const std::vector<std::string>& overrides);

}  // namespace hmasim
