// Settings every memory model shares, and the base of each model's validated runtime config.
#pragma once

#include <string>

#include "core/config_node.hpp"
#include "core/power_config.hpp"
#include "core/units.hpp"

namespace hmasim {

struct MemoryCommonConfig {
  std::string instance;  // name in the platform's `memories:` map
  std::string model;     // registered model name
  Bytes capacity{0};
  Frequency clock{1'000'000'000};
  Bytes alignment{1};      // requests must start at a multiple of this (else address error)
  bool store_data = true;  // false: timing-only, no backing storage
  PowerConfig power;       // between frames (core/power_config.hpp)
};

// Base of every model's runtime config, so the registry can hand configs around uniformly.
struct MemoryConfig {
  virtual ~MemoryConfig() = default;
  MemoryCommonConfig common;
};

// Reads the shared keys of a memory block: `model`, `capacity`, `clock`, `alignment`,
// `storage: sparse|none`, `power`. `default_clock` and `default_alignment` are the model's natural
// values. A model whose clock follows from its own timing (LPDDR4: tCK) passes `clock_key = false`;
// the `clock` key is then not accepted and the model sets `clock` itself.
MemoryCommonConfig parse_common_config(const ConfigNode& node, const std::string& instance,
                                       Frequency default_clock, Bytes default_alignment,
                                       bool clock_key = true);

}  // namespace hmasim
