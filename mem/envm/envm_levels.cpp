#include "mem/envm/envm_levels.hpp"

#include <cmath>
#include <cstdio>
#include <optional>
#include <string>
#include <utility>

namespace hmasim {

namespace {

// A scalar of a level entry as a finite number; nullopt (and no diagnostic) if it is not one, so
// the caller can say which level and field is wrong.
std::optional<double> number_of(const YAML::Node& n) {
  if (!n.IsDefined() || !n.IsScalar()) return std::nullopt;
  try {
    const double v = n.as<double>();
    if (!std::isfinite(v)) return std::nullopt;
    return v;
  } catch (const YAML::Exception&) {
    return std::nullopt;
  }
}

std::string format_number(double v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%g", v);
  return buf;
}

// Parses the list of one mode; returns an empty vector after recording the first problem found.
std::vector<CellLevel> parse_mode(const ConfigNode& node, const std::string& key, int bits) {
  const YAML::Node list = node.raw(key);
  const std::size_t expected = std::size_t{1} << bits;
  const std::string mode = std::to_string(bits) + " bit" + (bits == 1 ? "" : "s") + " per cell";
  if (!list.IsSequence()) {
    node.error(key, "expected a list of " + std::to_string(expected) +
                        " levels {mean, sigma} for " + mode);
    return {};
  }
  if (list.size() != expected) {
    node.error(key, "expected " + std::to_string(expected) + " levels (2^" + std::to_string(bits) +
                        ") for " + mode + ", got " + std::to_string(list.size()));
    return {};
  }
  std::vector<CellLevel> out;
  for (std::size_t i = 0; i < list.size(); ++i) {
    const YAML::Node entry = list[i];
    const std::string where = "level " + std::to_string(i) + " of " + mode;
    if (!entry.IsMap()) {
      node.error(key, where + ": expected {mean: X, sigma: Y}");
      return {};
    }
    for (const auto& kv : entry) {
      const std::string k = kv.first.Scalar();
      if (k != "mean" && k != "sigma" && k != "source") {
        node.error(key, where + ": unknown key '" + k + "' (expected mean, sigma, source)");
        return {};
      }
    }
    const auto mean = number_of(entry["mean"]);
    const auto sigma = number_of(entry["sigma"]);
    if (!mean) {
      node.error(key, where + ": 'mean' must be a number");
      return {};
    }
    if (!sigma) {
      node.error(key, where + ": 'sigma' must be a number");
      return {};
    }
    if (!(*sigma > 0.0)) {
      node.error(key, where + ": sigma " + format_number(*sigma) + " must be positive");
      return {};
    }
    if (!out.empty() && !(*mean > out.back().mean)) {
      node.error(key, where + ": mean " + format_number(*mean) + " is not above the mean " +
                          format_number(out.back().mean) + " of level " + std::to_string(i - 1) +
                          " (means must increase strictly)");
      return {};
    }
    out.push_back({*mean, *sigma});
  }
  return out;
}

}  // namespace

LevelDistributions LevelDistributions::parse(const ConfigNode& node, int max_bits_per_cell) {
  LevelDistributions d;
  for (const std::string& key : node.keys()) {
    int bits = 0;
    if (key.size() == 1 && key[0] >= '1' && key[0] <= '0' + kMaxBitsPerCell) bits = key[0] - '0';
    if (bits == 0) {
      node.raw(key);  // consumed here: the diagnostic below says what is wrong with it
      node.error(key, "'" + key + "' is not a bits-per-cell mode (expected 1 to " +
                          std::to_string(kMaxBitsPerCell) + ")");
      continue;
    }
    // Modes above max_bits_per_cell are still validated but kept out of use, like their pulse
    // counts: a block may lower the maximum of a preset without deleting the preset's data.
    std::vector<CellLevel> levels = parse_mode(node, key, bits);
    if (bits <= max_bits_per_cell) d.by_bits_[static_cast<std::size_t>(bits)] = std::move(levels);
  }
  return d;
}

const std::vector<CellLevel>& LevelDistributions::levels(int bits_per_cell) const {
  static const std::vector<CellLevel> none;
  if (bits_per_cell < 1 || bits_per_cell > kMaxBitsPerCell) return none;
  return by_bits_[static_cast<std::size_t>(bits_per_cell)];
}

}  // namespace hmasim
