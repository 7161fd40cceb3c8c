// Preset files (`platforms/presets/*.yaml`): blocks a platform inherits with `preset: NAME`.
// Two kinds exist: memory presets (a memory block with its `model:`, e.g. lpddr4-3200, sram-22nm)
// and eNVM technology presets (an `envm` memory's `technology:` block, e.g. rram, ctt). A preset
// may leave keys to the platform that uses it (lpddr4-3200 gives no capacity), so checking one
// reports every bad, unknown or mistyped key, and of the missing keys only those no platform
// could supply.
#pragma once

#include <string>
#include <vector>

#include "core/config_error.hpp"

namespace hmasim {

enum class PresetKind { memory, technology };

struct PresetInfo {
  std::string name;  // file name without .yaml: what `preset:` names
  std::string file;
  PresetKind kind = PresetKind::technology;
  std::string model;        // memory presets: the model they configure
  std::string description;  // its `name:` key, else its first comment line
};

const char* to_string(PresetKind k);

// Whether `file` is a preset rather than a platform or a workload: a YAML map without
// `memories:` and without `layers:`.
bool is_preset_file(const std::string& file);

// Reads what a preset file says about itself (no validation).
PresetInfo describe_preset(const std::string& file);

// Validates `file` as a preset of its kind. Throws ConfigError listing every problem; returns
// what it is on success.
PresetInfo check_preset(const std::string& file);

// The presets a platform can name without a path: the shipped directory and
// $HMASIM_PRESET_PATH, sorted by name (a name found twice is listed where it is found first).
std::vector<PresetInfo> shipped_presets();

}  // namespace hmasim
