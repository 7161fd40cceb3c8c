// The stored form of one layer's weights, common to every encoding (dense, cluster, bitmask, csr),
// and the dense weights decoded back from it.
//
// An EncodedLayer is a list of structures, each a byte vector laid out exactly as it is programmed
// into memory, with the width of its elements. A weight-fetch unit places every structure at its
// own address (kSurfaceAlignment) and with its own bits per cell - MaxNVM (Sec. 4) keeps the
// vulnerable metadata (bitmask, column indices, row counters) in robust cells while the values sit
// in denser ones - injects faults into the bytes, and hands the structures back to decode_layer
// (weight_encoding.hpp). Everything a decoder needs besides the bytes (encoding, atoms, element
// widths, ECC word size) travels with the structures as configuration, the way NVDLA holds such
// parameters in registers rather than in the fault-prone array.
//
// docs/encodings.md gives the byte layout of every structure and their sizes.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "workloads/dense_encoding.hpp"

namespace hmasim {

enum class Encoding { dense, cluster, bitmask, csr };
const char* to_string(Encoding e);
std::optional<Encoding> parse_encoding(const std::string& name);  // "dense", ..., "csr"

enum class StructureKind {
  values,    // weight values (fixed-point codes or cluster indices)
  mask,      // bitmask: one bit per weight, 1 = non-zero
  indices,   // csr: relative column index per stored entry
  counters,  // bitmask: bytes per kernel group (NVDLA's WGS); csr: entries per row
  parity,    // SEC-DED check bits of another structure
  idxsync,   // bitmask: expected non-zeros per 128-byte block of the mask
  lut,       // cluster: centroid value of every index
};
const char* to_string(StructureKind k);
// True for the structures that locate values rather than hold them (mask, indices, counters,
// idxsync, parity): one misread there can misplace many weights (MaxNVM Sec. 4.2).
bool is_metadata(StructureKind k);

// Start address alignment of every structure: NVDLA's weight, WMB and WGS surfaces start 256-byte
// aligned (doc/hw/format.rst, "Alignment of Start Address and Stride").
constexpr std::uint64_t kSurfaceAlignment = 256;
// Every structure's size is a multiple of this (NVDLA: "data size" alignment of the same table).
constexpr std::uint64_t kDataAlignment = 128;

struct EncodedStructure {
  StructureKind kind = StructureKind::values;
  StructureKind protects = StructureKind::values;  // parity only: the structure it protects
  unsigned element_bits = 8;    // width of one element (parity: the field stored per ECC word)
  std::uint64_t elements = 0;   // elements that carry information (padding excluded)
  std::uint64_t word_bits = 0;  // parity only: data bits covered by one ECC word
  std::vector<std::uint8_t> bytes;

  std::string name() const;  // "values", "mask", ..., "parity.counters"
  // Memory cells holding the structure at `bits_per_cell` bits per cell (1..4 for MLC).
  std::uint64_t cells(unsigned bits_per_cell) const;
};

// A structure of `bytes`, already laid out (and padded) as stored.
EncodedStructure make_structure(StructureKind kind, unsigned element_bits, std::uint64_t elements,
                                std::vector<std::uint8_t> bytes);

struct EncodedLayer {
  Encoding encoding = Encoding::dense;
  // The kernels are Winograd-transformed 4x4 ones (winograd.hpp): they decode to 16 weights per
  // 3x3 kernel of the layer. (Not in a weight cache file: its key says it.)
  bool winograd = false;
  NvdlaAtoms atoms;
  std::vector<EncodedStructure> structures;

  // The structure of that kind other than parity (nullptr when absent).
  const EncodedStructure* find(StructureKind kind) const;
  EncodedStructure* find(StructureKind kind);
  // find(), or std::invalid_argument naming the encoding and the missing structure.
  const EncodedStructure& require(StructureKind kind) const;
  // The parity structure protecting `kind` (nullptr when unprotected).
  const EncodedStructure* parity_of(StructureKind kind) const;
  std::uint64_t bytes() const;  // all structures
};

// Weights decoded from (possibly corrupted) structures, with what the decoder saw on the way.
struct DecodedLayer {
  std::vector<std::int8_t> weights;  // generator order, layer.weights of them (2..8-bit layers)
  // 16-bit values (9..16-bit layers, dense_packing.hpp): the weights, generator order; `weights`
  // is then empty. Exactly one of the two holds the layer's weights.
  std::vector<std::int16_t> weights16;
  // Sparse encodings only: for every weight, 1 + the bit offset in `values` of the stored value it
  // was read from, kSourceOutside if that offset lies beyond the structure, 0 if the decoder placed
  // no stored value there (an implicit zero). Comparing with the fault-free decode tells which
  // weights index drift misplaced. Empty for dense and cluster: every weight has a fixed address.
  std::vector<std::uint32_t> source;
  std::uint64_t ecc_words = 0;             // SEC-DED words checked
  std::uint64_t ecc_corrected = 0;         // words with a corrected single-bit error
  std::uint64_t ecc_uncorrectable = 0;     // words with a detected multi-bit error (left as read)
  std::uint64_t idxsync_realignments = 0;  // mask blocks whose value index IdxSync moved
  std::uint64_t format_errors = 0;         // stored entries pointing outside the layer (ignored)
};
constexpr std::uint32_t kSourceOutside = 0xffffffffu;

// The DecodedLayer::source of a value read at bit `offset` of `values`.
inline std::uint32_t value_source(std::uint64_t offset, const EncodedStructure& values) {
  return offset < 8 * values.bytes.size() ? static_cast<std::uint32_t>(offset + 1) : kSourceOutside;
}
// Throws std::length_error if `values` is too large for 32-bit sources (512 MiB and more).
void check_source_range(const EncodedStructure& values);

struct WeightErrors {
  std::uint64_t weights = 0;    // compared
  std::uint64_t corrupted = 0;  // decoded value differs from the reference
  // Non-zero reference weights that did not get their own stored value: index drift (a misread
  // mask bit, column index, row counter or group size) filled them from another stored value or
  // left them an implicit zero. A misplaced weight may still hold the right value by chance
  // (likely with few cluster values), so it need not be corrupted; a misread value is corrupted
  // but not misplaced.
  std::uint64_t misplaced = 0;
};
// Compares `weights` or, for 16-bit layers, `weights16`.
// `reference` is the fault-free decode of the same encoding (for cluster encodings that is the
// clustered weights, not the generator's). Throws std::invalid_argument on different sizes.
WeightErrors compare_weights(const DecodedLayer& decoded, const DecodedLayer& reference);

}  // namespace hmasim
