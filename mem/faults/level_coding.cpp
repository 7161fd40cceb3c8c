#include "mem/faults/level_coding.hpp"

#include <stdexcept>

namespace hmasim {

namespace {

void check_bits(int bits_per_cell) {
  if (bits_per_cell < 1 || bits_per_cell > kMaxCodedBitsPerCell) {
    throw std::invalid_argument("bits per cell must be 1 to " +
                                std::to_string(kMaxCodedBitsPerCell) + ", got " +
                                std::to_string(bits_per_cell));
  }
}

}  // namespace

const char* to_string(LevelCoding coding) {
  return coding == LevelCoding::gray ? "gray" : "binary";
}

std::optional<LevelCoding> level_coding_from_string(const std::string& text) {
  if (text == "gray") return LevelCoding::gray;
  if (text == "binary") return LevelCoding::binary;
  return std::nullopt;
}

std::uint32_t level_of_code(std::uint32_t code, LevelCoding coding) {
  if (coding == LevelCoding::binary) return code;
  // Gray decoding: each level bit is the XOR of all code bits at or above it.
  std::uint32_t level = code;
  for (unsigned s = 1; s < 32; s <<= 1) level ^= level >> s;
  return level;
}

std::uint64_t cells_for_bytes(std::uint64_t bytes, int bits_per_cell) {
  check_bits(bits_per_cell);
  const auto b = static_cast<std::uint64_t>(bits_per_cell);
  return (bytes * 8 + b - 1) / b;
}

std::uint32_t cell_code(const std::uint8_t* bytes, std::size_t size, std::uint64_t cell,
                        int bits_per_cell) {
  check_bits(bits_per_cell);
  const CellPosition at = cell_position(cell, bits_per_cell);
  const std::uint8_t low = at.byte < size ? bytes[at.byte] : 0;
  const std::uint8_t high = at.byte + 1 < size ? bytes[at.byte + 1] : 0;
  return code_from_bytes(low, high, at.shift, bits_per_cell);
}

void set_cell_code(std::uint8_t* bytes, std::size_t size, std::uint64_t cell, int bits_per_cell,
                   std::uint32_t code) {
  check_bits(bits_per_cell);
  const CellPosition at = cell_position(cell, bits_per_cell);
  const std::uint32_t mask = ((1u << bits_per_cell) - 1u) << at.shift;
  const std::uint32_t bits = (code << at.shift) & mask;
  for (unsigned k = 0; k < 2; ++k) {
    const std::uint64_t i = at.byte + k;
    if (i >= size) break;
    const unsigned s = 8 * k;
    bytes[i] = static_cast<std::uint8_t>((bytes[i] & ~(mask >> s)) | (bits >> s));
  }
}

std::vector<std::uint8_t> levels_of_bytes(const std::uint8_t* bytes, std::size_t size,
                                          int bits_per_cell, LevelCoding coding) {
  std::vector<std::uint8_t> levels(cells_for_bytes(size, bits_per_cell));
  for (std::size_t i = 0; i < levels.size(); ++i) {
    levels[i] =
        static_cast<std::uint8_t>(level_of_code(cell_code(bytes, size, i, bits_per_cell), coding));
  }
  return levels;
}

std::vector<std::uint8_t> bytes_of_levels(const std::vector<std::uint8_t>& levels, std::size_t size,
                                          int bits_per_cell, LevelCoding coding) {
  std::vector<std::uint8_t> bytes(size, 0);
  const std::uint64_t cells = cells_for_bytes(size, bits_per_cell);
  for (std::size_t i = 0; i < levels.size() && i < cells; ++i) {
    set_cell_code(bytes.data(), size, i, bits_per_cell, code_of_level(levels[i], coding));
  }
  return bytes;
}

}  // namespace hmasim
