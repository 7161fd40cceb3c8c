// DRAMSys LPDDR4 memspec files (JSON) as the device of an `lpddr4` memory block:
//
//   dram: {model: lpddr4, memspec: memspecs/JEDEC_8Gb_LPDDR4-3200_16bit.json, ...}
//
// The file's `memspec.memarchitecturespec`, `memtimingspec` and `mempowerspec` are translated into
// the keys of a preset (width_bits, burst_length, banks, rows, columns, channels, capacity, timing,
// currents; mem/lpddr4/lpddr4_config.hpp) and put behind the block's own keys: the block and
// `--set` still override any of them, and Lpddr4Config::parse validates them as it validates a
// preset. Keys the model has no use for (memimpedancespec, RCab, CCDMW, ...) are ignored, as
// DRAMSys files carry more than the model reads. Two vintages of the format are read: DRAMSys 5
// (DRAMUtils: `tCK` in seconds, currents in A, `idd01`, `REFIpb`) and the older one (`clkMhz`,
// currents in mA, `idd0`, `REFIPB`). Full description: docs/lpddr4.md "DRAMSys memspec files".
#pragma once

#include <yaml-cpp/yaml.h>

#include <optional>
#include <string>

#include "core/config_node.hpp"

namespace hmasim {

// The memspec file `file` translated into a preset map (our key names and units), or nullopt with
// `error` set to what is wrong: the file unreadable, a JSON syntax error (with nlohmann's line and
// column), a missing or mistyped key (named by its JSON path, e.g. memspec.memtimingspec.RCD), a
// memoryType other than LPDDR4, or a device the model does not cover (ranks, several devices).
std::optional<YAML::Node> read_lpddr4_memspec(const std::string& file, std::string& error);

// `block` with the device of its `memspec:` file behind its own keys, or the block itself if it
// has no `memspec` key. The path is relative to the platform file (to the working directory when
// given by `--set`). nullopt after an error, reported at the `memspec` key (file:line and the JSON
// detail). `preset` and `memspec` together are an error (each gives the whole device), reported
// at the `memspec` key; the block is then returned as it is, so that its preset is read.
std::optional<ConfigNode> with_lpddr4_memspec(const ConfigNode& block);

}  // namespace hmasim
