// Integer helpers for sizes and counts, shared by every layer.
#pragma once

#include <cstdint>
#include <optional>

namespace hmasim {

// Smallest multiple of `multiple` that is >= x.
constexpr std::uint64_t round_up(std::uint64_t x, std::uint64_t multiple) {
  return (x + multiple - 1) / multiple * multiple;
}

// x / d rounded up.
constexpr std::uint64_t ceil_div(std::uint64_t x, std::uint64_t d) {
  return (x + d - 1) / d;
}

// a * b, or nullopt if the product exceeds `limit` (or 64 bits): sizes, counts and MACs of
// user-given shapes are computed with these, never wrapping.
inline std::optional<std::uint64_t> checked_mul(std::uint64_t a, std::uint64_t b,
                                                std::uint64_t limit = UINT64_MAX) {
  std::uint64_t r = 0;
  if (__builtin_mul_overflow(a, b, &r) || r > limit) return std::nullopt;
  return r;
}
inline std::optional<std::uint64_t> checked_add(std::uint64_t a, std::uint64_t b,
                                                std::uint64_t limit = UINT64_MAX) {
  std::uint64_t r = 0;
  if (__builtin_add_overflow(a, b, &r) || r > limit) return std::nullopt;
  return r;
}

}  // namespace hmasim
