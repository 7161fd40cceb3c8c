// How one weight value is stored: a code of `bits` bits.
//
// - Fixed point: the value's low `bits` bits in two's complement (the generator's weights of
//   precision b lie in [-(2^(b-1) - 1), 2^(b-1) - 1], so b bits hold them exactly).
// - Look-up table (cluster indices, MaxNVM Sec. 3.1.2): the index of the value's centroid in a
//   per-layer table of at most 2^bits int8 values; decoding is a table read.
//
// Both are a pair of tables, int8 -> code and code -> int8, so every encoding stores and decodes
// values the same way whichever is chosen, and decoding any code of `bits` bits - including one a
// fault produced - is defined.
#pragma once

#include <array>
#include <cstdint>
#include <vector>

#include "workloads/bit_stream.hpp"

namespace hmasim {

class ValueCoder {
 public:
  // Two's complement codes of 2..8 bits. Throws std::invalid_argument otherwise.
  static ValueCoder fixed_point(unsigned bits);
  // Indices into `table` (1..2^bits entries, 1 <= bits <= 8; entries past the table decode as its
  // last entry). A value is coded as its nearest entry (the lower one on a tie), except that zero
  // codes as a zero entry when the table has one and a non-zero value never codes as a zero entry
  // (when the table has a non-zero one): zeros stay exact and the zero pattern - the sparsity the
  // mask and CSR encodings rely on - is kept. Throws std::invalid_argument for a bad size.
  static ValueCoder lookup(unsigned bits, const std::vector<std::int8_t>& table);

  unsigned bits() const { return bits_; }
  bool uses_lut() const { return uses_lut_; }
  // The value of every code, 2^bits entries (for a look-up coder: the stored table, padded).
  const std::vector<std::int8_t>& table() const { return values_; }

  std::uint32_t encode(std::int8_t v) const { return codes_[static_cast<std::uint8_t>(v)]; }
  std::int8_t decode(std::uint64_t code) const { return values_[code & low_bits_mask(bits_)]; }
  // The value stores without loss.
  bool exact(std::int8_t v) const { return decode(encode(v)) == v; }

 private:
  unsigned bits_ = 8;
  bool uses_lut_ = false;
  std::array<std::uint32_t, 256> codes_{};  // by the value's byte
  std::vector<std::int8_t> values_;         // by code
};

}  // namespace hmasim
