// Integer helpers for sizes and counts, shared by every layer.
#pragma once

#include <cstdint>

namespace hmasim {

// Smallest multiple of `multiple` that is >= x.
constexpr std::uint64_t round_up(std::uint64_t x, std::uint64_t multiple) {
  return (x + multiple - 1) / multiple * multiple;
}

// x / d rounded up.
constexpr std::uint64_t ceil_div(std::uint64_t x, std::uint64_t d) {
  return (x + d - 1) / d;
}

}  // namespace hmasim
