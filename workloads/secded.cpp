#include "workloads/secded.hpp"

#include <cstring>
#include <stdexcept>
#include <string>

#include "workloads/bit_stream.hpp"

namespace hmasim {

namespace {

bool is_power_of_two(std::uint64_t x) {
  return x != 0 && (x & (x - 1)) == 0;
}

// Codeword position of data bit i (0-based): the (i+1)-th position that is not a power of two.
// p - bit_width(p) counts the non-powers of two in 1..p; starting at a lower bound, the first p
// where it reaches i + 1 is the answer (it takes one or two steps).
std::uint64_t data_position(std::uint64_t i) {
  const std::uint64_t q = i + 1;
  std::uint64_t p = q + bit_width(q);
  while (p - bit_width(p) < q) ++p;
  return p;
}

// The inverse: data bit at non-power-of-two position p.
std::uint64_t data_index(std::uint64_t p) {
  return p - bit_width(p) - 1;
}

unsigned parity_of(std::uint64_t x) {
  return static_cast<unsigned>(__builtin_popcountll(x) & 1);
}

}  // namespace

unsigned Secded::check_bits(std::uint64_t word_bits) {
  unsigned r = 1;
  while ((std::uint64_t{1} << r) < word_bits + r + 1) ++r;
  return r;
}

Secded::Secded(const SecdedConfig& config) : config_(config) {
  if (config.word_bits == 0 || config.word_bits % 8 != 0 || config.word_bits > (1ull << 40)) {
    throw std::invalid_argument("ECC words must be a positive number of bytes, not " +
                                std::to_string(config.word_bits) + " bits");
  }
  r_ = check_bits(config.word_bits);
  if (config.parity_bits < r_ + 1 || config.parity_bits > kMaxElementBits) {
    throw std::invalid_argument("SEC-DED over " + std::to_string(config.word_bits) +
                                "-bit words needs " + std::to_string(r_ + 1) +
                                " parity bits (at most " + std::to_string(kMaxElementBits) +
                                "), not " + std::to_string(config.parity_bits));
  }
}

std::uint64_t Secded::syndrome(const std::uint8_t* data, std::uint64_t size) const {
  std::uint64_t s = 0;
  for (std::uint64_t byte = 0; byte < size; ++byte) {
    for (unsigned bits = data[byte]; bits != 0; bits &= bits - 1) {
      s ^= data_position(8 * byte + static_cast<unsigned>(__builtin_ctz(bits)));
    }
  }
  return s;
}

std::uint64_t Secded::encode(const std::uint8_t* data, std::uint64_t size) const {
  size = std::min(size, config_.word_bits / 8);
  const std::uint64_t check = syndrome(data, size);  // makes the XOR of all positions zero
  unsigned parity = parity_of(check);
  for (std::uint64_t i = 0; i < size; ++i) parity ^= parity_of(data[i]);
  return check | (std::uint64_t{parity} << r_);
}

Secded::Result Secded::correct(std::uint8_t* data, std::uint64_t size, std::uint64_t parity) const {
  size = std::min(size, config_.word_bits / 8);
  const std::uint64_t check = parity & low_bits_mask(r_);
  const std::uint64_t s = syndrome(data, size) ^ check;
  unsigned odd = parity_of(parity & low_bits_mask(r_ + 1));
  for (std::uint64_t i = 0; i < size; ++i) odd ^= parity_of(data[i]);
  if (!odd) return s == 0 ? Result::clean : Result::uncorrectable;
  // One flipped bit: the overall parity bit (s = 0), a check bit (s a power of two), or data.
  if (s == 0 || is_power_of_two(s)) return Result::corrected;
  const std::uint64_t i = data_index(s);
  if (i >= 8 * size) return Result::uncorrectable;  // past the (shortened) word: several flips
  data[i / 8] ^= static_cast<std::uint8_t>(1u << (i % 8));
  return Result::corrected;
}

EncodedStructure protect(const EncodedStructure& data, const SecdedConfig& config) {
  const Secded code(config);
  const std::uint64_t word_bytes = config.word_bits / 8;
  const std::uint64_t words = ceil_div(data.bytes.size(), word_bytes);
  BitWriter out;
  for (std::uint64_t w = 0; w < words; ++w) {
    const std::uint64_t first = w * word_bytes;
    out.put(code.encode(data.bytes.data() + first, std::min(word_bytes, data.bytes.size() - first)),
            config.parity_bits);
  }
  out.align(kDataAlignment);
  EncodedStructure s = make_structure(StructureKind::parity, config.parity_bits, words, out.take());
  s.protects = data.kind;
  s.word_bits = config.word_bits;
  return s;
}

EccStats correct(EncodedStructure& data, const EncodedStructure& parity) {
  const Secded code(SecdedConfig{parity.word_bits, parity.element_bits});
  const std::uint64_t word_bytes = parity.word_bits / 8;
  EccStats stats;
  stats.words = ceil_div(data.bytes.size(), word_bytes);
  for (std::uint64_t w = 0; w < stats.words; ++w) {
    const std::uint64_t first = w * word_bytes;
    const std::uint64_t field =
        read_bits(parity.bytes, w * parity.element_bits, parity.element_bits);
    switch (code.correct(data.bytes.data() + first, std::min(word_bytes, data.bytes.size() - first),
                         field)) {
      case Secded::Result::clean:
        break;
      case Secded::Result::corrected:
        ++stats.corrected;
        break;
      case Secded::Result::uncorrectable:
        ++stats.uncorrectable;
        break;
    }
  }
  return stats;
}

}  // namespace hmasim
