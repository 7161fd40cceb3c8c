// Bit-granular access to stored byte vectors, shared by every weight encoding.
//
// Elements of any width are packed LSB-first without gaps: element i of width w occupies bits
// [i*w, (i+1)*w) of the vector, and bit j of the vector is bit j % 8 of byte j / 8. This is the
// order NVDLA stores its weight mask bits in ("the bits in WMB are stored as little-endian",
// nvdla/doc, doc/hw/format.rst); using it for every structure keeps one convention for the
// weight-fetch unit. Reads past the end return zeros, so a decoder walking offsets taken from
// corrupted bytes stays in bounds whatever it reads.
#pragma once

#include <algorithm>
#include <cstdint>
#include <vector>

#include "core/integer_math.hpp"

namespace hmasim {

// Largest element width read_bits and BitWriter handle (an element then spans at most 8 bytes).
constexpr unsigned kMaxElementBits = 57;

constexpr std::uint64_t low_bits_mask(unsigned bits) {
  return bits >= 64 ? ~std::uint64_t{0} : (std::uint64_t{1} << bits) - 1;
}

// Bits needed to write x in binary (0 for 0): C++20's std::bit_width.
constexpr unsigned bit_width(std::uint64_t x) {
  return x == 0 ? 0u : 64u - static_cast<unsigned>(__builtin_clzll(x));
}

// The `bits` (<= kMaxElementBits) bits starting at bit `offset`; bits beyond the end read as 0.
inline std::uint64_t read_bits(const std::vector<std::uint8_t>& bytes, std::uint64_t offset,
                               unsigned bits) {
  const std::uint64_t first = offset >> 3;
  if (bits == 0 || first >= bytes.size()) return 0;
  const unsigned shift = static_cast<unsigned>(offset & 7);
  // offset < 8 * size here, so offset + bits cannot overflow.
  const std::uint64_t last = std::min<std::uint64_t>(bytes.size(), (offset + bits + 7) >> 3);
  std::uint64_t acc = 0;
  for (std::uint64_t i = first; i < last; ++i) acc |= std::uint64_t{bytes[i]} << (8 * (i - first));
  return (acc >> shift) & low_bits_mask(bits);
}

inline bool read_bit(const std::vector<std::uint8_t>& bytes, std::uint64_t offset) {
  const std::uint64_t byte = offset >> 3;
  return byte < bytes.size() && ((bytes[byte] >> (offset & 7)) & 1);
}

// Flips one bit in place (no effect beyond the end): how tests and the ECC corrector touch bytes.
inline void flip_bit(std::vector<std::uint8_t>& bytes, std::uint64_t offset) {
  const std::uint64_t byte = offset >> 3;
  if (byte < bytes.size()) bytes[byte] ^= static_cast<std::uint8_t>(1u << (offset & 7));
}

// Appends elements LSB-first, as read_bits reads them.
class BitWriter {
 public:
  void put(std::uint64_t value, unsigned bits) {
    value &= low_bits_mask(bits);
    while (bits > 0) {
      const unsigned used = static_cast<unsigned>(bits_ & 7);
      if (used == 0) bytes_.push_back(0);
      const unsigned take = std::min(bits, 8 - used);
      bytes_.back() |= static_cast<std::uint8_t>((value & low_bits_mask(take)) << used);
      value >>= take;
      bits -= take;
      bits_ += take;
    }
  }
  // Zero bits up to the next multiple of `bytes` bytes (nothing if already there).
  void align(std::uint64_t bytes) {
    bytes_.resize(round_up(bytes_.size(), bytes), 0);
    bits_ = 8 * bytes_.size();
  }
  std::uint64_t bit_size() const { return bits_; }
  std::uint64_t byte_size() const { return bytes_.size(); }
  std::vector<std::uint8_t> take() { return std::move(bytes_); }

 private:
  std::vector<std::uint8_t> bytes_;
  std::uint64_t bits_ = 0;
};

}  // namespace hmasim
