// How the levels of a multi-level cell hold bits, and how a byte stream is cut into cells.
//
// Coding. A b-bit cell has 2^b levels, numbered 0 (lowest read value) to 2^b - 1. Level L stores
// the code word L (binary) or L ^ (L >> 1) (Gray). Read faults move a cell to an adjacent level
// (mlc_fault_model.hpp): under Gray coding adjacent levels differ in exactly one bit, so every
// level slip is a single-bit error that SEC-DED ECC corrects (MaxNVM Sec. 4.1); under binary
// coding the slip between levels 3 and 4 of an MLC3 cell flips three bits.
//
// Packing, LSB-first. A byte stream is the bit stream whose bit j is bit (j mod 8) of byte j / 8
// (so a little-endian multi-byte value keeps its bit order). Cell i holds stream bits
// [i*b, (i+1)*b), the first of them as the least significant bit of its code word. With b = 1, 2
// or 4 a cell sits inside one byte; with b = 3, eight cells fill three bytes and cells 2 and 5 of
// every eight straddle a byte boundary. n bytes need ceil(8n / b) cells; the bits of the last
// cell past the end of the stream are padding, stored as 0.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hmasim {

enum class LevelCoding { binary, gray };

const char* to_string(LevelCoding coding);
// "binary" or "gray"; nullopt for anything else.
std::optional<LevelCoding> level_coding_from_string(const std::string& text);

// Bits per cell the packing supports: a cell then spans at most two bytes.
constexpr int kMaxCodedBitsPerCell = 8;

// The code word stored in `level`.
constexpr std::uint32_t code_of_level(std::uint32_t level, LevelCoding coding) {
  return coding == LevelCoding::gray ? level ^ (level >> 1) : level;
}
// The level that stores `code` (the inverse of code_of_level).
std::uint32_t level_of_code(std::uint32_t code, LevelCoding coding);

// Cells needed for `bytes` bytes at `bits_per_cell`: ceil(8 * bytes / bits_per_cell).
std::uint64_t cells_for_bytes(std::uint64_t bytes, int bits_per_cell);

// Where cell `cell` sits in the byte stream: its first bit is bit `shift` of byte `byte`; with
// shift + bits_per_cell > 8 it continues in byte `byte + 1`.
struct CellPosition {
  std::uint64_t byte;
  unsigned shift;
};
inline CellPosition cell_position(std::uint64_t cell, int bits_per_cell) {
  const std::uint64_t bit = cell * static_cast<std::uint64_t>(bits_per_cell);
  return {bit >> 3, static_cast<unsigned>(bit & 7)};
}

// The code word of the cell at `shift` whose bits lie in `low` and, past it, `high`.
inline std::uint32_t code_from_bytes(std::uint8_t low, std::uint8_t high, unsigned shift,
                                     int bits_per_cell) {
  const std::uint32_t window = static_cast<std::uint32_t>(low) | static_cast<std::uint32_t>(high)
                                                                     << 8;
  return (window >> shift) & ((1u << bits_per_cell) - 1u);
}

// The code word of cell `cell` of the stream `bytes[0, size)` (padding bits read as 0).
std::uint32_t cell_code(const std::uint8_t* bytes, std::size_t size, std::uint64_t cell,
                        int bits_per_cell);
// Stores `code` into cell `cell` of `bytes[0, size)`; padding bits past `size` are dropped.
void set_cell_code(std::uint8_t* bytes, std::size_t size, std::uint64_t cell, int bits_per_cell,
                   std::uint32_t code);

// The level of every cell of `bytes[0, size)`.
std::vector<std::uint8_t> levels_of_bytes(const std::uint8_t* bytes, std::size_t size,
                                          int bits_per_cell, LevelCoding coding);
// The `size` bytes whose cells hold `levels`: levels past the stream's cells are ignored, cells
// without a level hold level 0.
std::vector<std::uint8_t> bytes_of_levels(const std::vector<std::uint8_t>& levels, std::size_t size,
                                          int bits_per_cell, LevelCoding coding);

}  // namespace hmasim
