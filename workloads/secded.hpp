// Hamming SEC-DED (single error correct, double error detect) over data words of a configurable
// size, stored as a separate `parity` structure beside the structure it protects (MaxNVM Sec. 3.3
// and 4.3: ECC on the CSR row counters and column indices, or on the bitmask).
//
// Code: an extended Hamming code. The k data bits of a word take the codeword positions 1..k+r
// that are not powers of two, in order; r check bits sit at positions 1, 2, 4, ..., 2^(r-1), with
// r the least value such that 2^r >= k + r + 1; check bit j makes the XOR of the positions of all
// set bits zero in bit j. One more bit, the overall parity, makes the number of set bits even.
// Decoding: syndrome s (XOR of the positions of the set bits) and overall parity p:
//   s = 0, p even: clean;  p odd: one bit flipped - at position s (s = 0: the overall bit),
//   corrected;  s != 0, p even: two bits flipped - detected, uncorrectable.
// A syndrome pointing past the word (a shortened last word) is also uncorrectable.
//
// Stored parity field per word: `parity_bits` >= r + 1 bits; bits 0..r-1 hold check bits 0..r-1,
// bit r the overall parity, the rest are zero and ignored (a flip there changes nothing). Fields
// are packed LSB-first, word after word; the structure is padded to 128 bytes. The data words are
// the protected structure's bytes (padding included), k / 8 bytes each; the last word may be
// shorter and reads as zero-extended.
//
// MaxNVM's figure, "24 parity bits for each 4KB of row counter values": a 4 KB word is 32768 data
// bits, so r = 16 (2^16 >= 32768 + 16 + 1) and SEC-DED needs 17 bits; stored in a 3-byte field
// they take 24. That is kMaxnvmEcc (word_bits 32768, parity_bits 24; 7 bits spare). Read as 4 Kbit
// (512-byte) words - the 3 bytes of ECC per 512-byte sector of the NAND flash ECC MaxNVM cites -
// the same design covers it as (4096, 24): 14 bits needed, 10 spare. Both keep the overhead below
// MaxNVM's 1 % per layer (0.07 % and 0.6 %).
#pragma once

#include <cstdint>
#include <vector>

#include "workloads/encoded_layer.hpp"

namespace hmasim {

// The largest SEC-DED word the codec supports (2 MiB of data bits per word).
constexpr std::uint64_t kMaxEccWordBits = std::uint64_t{1} << 24;

struct SecdedConfig {
  std::uint64_t word_bits = 32768;  // data bits per word: a positive multiple of 8
  unsigned parity_bits = 24;        // stored field per word: r + 1 .. 57
};
constexpr SecdedConfig kMaxnvmEcc{32768, 24};

class Secded {
 public:
  // Throws std::invalid_argument if the field cannot hold r + 1 bits or the word is not whole
  // bytes.
  explicit Secded(const SecdedConfig& config);

  // r: check bits a word of `word_bits` data bits needs (the overall parity not counted).
  static unsigned check_bits(std::uint64_t word_bits);

  const SecdedConfig& config() const { return config_; }

  // The parity field of a data word (`size` bytes, at most word_bits / 8; missing bytes are zero).
  std::uint64_t encode(const std::uint8_t* data, std::uint64_t size) const;

  enum class Result { clean, corrected, uncorrectable };
  // Checks a data word against its stored parity field; corrects a single flipped bit of the data
  // in place (or accepts a flipped parity bit). Leaves the data as read when uncorrectable.
  Result correct(std::uint8_t* data, std::uint64_t size, std::uint64_t parity) const;

 private:
  std::uint64_t syndrome(const std::uint8_t* data, std::uint64_t size) const;
  SecdedConfig config_;
  unsigned r_ = 0;
};

struct EccStats {
  std::uint64_t words = 0;
  std::uint64_t corrected = 0;
  std::uint64_t uncorrectable = 0;
};

// The `parity` structure protecting `data`.
EncodedStructure protect(const EncodedStructure& data, const SecdedConfig& config);

// Corrects `data` in place with its `parity` structure (both possibly corrupted; the code is the
// one recorded in `parity`: word_bits and element_bits). Throws std::invalid_argument for a bad
// code.
EccStats correct(EncodedStructure& data, const EncodedStructure& parity);

}  // namespace hmasim
