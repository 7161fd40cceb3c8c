#include "workloads/value_coder.hpp"

#include <cstdlib>
#include <limits>
#include <stdexcept>
#include <string>

namespace hmasim {

ValueCoder ValueCoder::fixed_point(unsigned bits) {
  if (bits < 2 || bits > 8) {
    throw std::invalid_argument("fixed-point values take 2 to 8 bits, not " + std::to_string(bits));
  }
  ValueCoder c;
  c.bits_ = bits;
  c.values_.resize(std::size_t{1} << bits);
  const std::uint32_t sign = 1u << (bits - 1);
  for (std::uint32_t code = 0; code < c.values_.size(); ++code) {
    // Sign extension: codes with the top bit set are negative.
    c.values_[code] =
        static_cast<std::int8_t>(static_cast<int>(code ^ sign) - static_cast<int>(sign));
  }
  for (int v = -128; v < 128; ++v) {
    c.codes_[static_cast<std::uint8_t>(v)] = static_cast<std::uint32_t>(v) & (2 * sign - 1);
  }
  return c;
}

ValueCoder ValueCoder::lookup(unsigned bits, const std::vector<std::int8_t>& table) {
  if (bits < 1 || bits > 8 || table.empty() || table.size() > (std::size_t{1} << bits)) {
    throw std::invalid_argument("a look-up table of " + std::to_string(table.size()) +
                                " entries does not fit " + std::to_string(bits) + "-bit indices");
  }
  ValueCoder c;
  c.bits_ = bits;
  c.uses_lut_ = true;
  c.values_ = table;
  c.values_.resize(std::size_t{1} << bits, table.back());
  bool has_zero = false, has_nonzero = false;
  for (std::int8_t t : table) (t == 0 ? has_zero : has_nonzero) = true;
  for (int v = -128; v < 128; ++v) {
    // Entries a value may take: zero only for zero (if the table has one), non-zeros for non-zeros.
    auto allowed = [&](std::int8_t t) {
      if (v == 0) return !has_zero || t == 0;
      return !has_nonzero || t != 0;
    };
    int best_distance = std::numeric_limits<int>::max();
    std::uint32_t best = 0;
    for (std::uint32_t i = 0; i < table.size(); ++i) {
      const int d = std::abs(table[i] - v);
      const bool better = d < best_distance || (d == best_distance && table[i] < table[best]);
      if (allowed(table[i]) && better) {
        best_distance = d;
        best = i;
      }
    }
    c.codes_[static_cast<std::uint8_t>(v)] = best;
  }
  return c;
}

}  // namespace hmasim
