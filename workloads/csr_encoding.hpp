// Compressed sparse row (CSR) weights, as MaxNVM stores them (Sec. 3.2.1) with EIE's relative
// column indices (Han et al., ISCA 2016).
//
// 2-D mapping (NVDLA needs one, MaxNVM Sec. 3.2.1): one row per kernel (output channel), rows in
// generator order (convolution group, then kernel); one column per weight of a kernel, numbered in
// NVDLA's direct-convolution order within the kernel - channel cube, R, S, channel within the cube
// (nvdla_kernel_columns). Decoding a row in column order thus yields the kernel's weights in the
// order the convolution buffer takes them, and a fully-connected layer's rows are its matrix rows.
//
// Structures (each packed LSB-first and padded to 128 bytes):
// - values: one code (coder width) per stored entry, rows one after another;
// - indices: one relative column index per entry, index_bits wide: the number of zero columns
//   between the previous entry of the row (or the row start) and this one. A gap wider than
//   2^index_bits - 1 takes padding entries: index 2^index_bits - 1 with a stored zero value, each
//   covering 2^index_bits columns (EIE). A row's trailing zeros take nothing;
// - counters: the entries (padding included) of each row, counter_bits wide - MaxNVM's row
//   counters, not cumulative row pointers, so the decoder sums them: a misread counter misplaces
//   the entries of every later row, a misread index the rest of its row (MaxNVM Sec. 4.2).
#pragma once

#include <cstdint>
#include <vector>

#include "workloads/encoded_layer.hpp"
#include "workloads/value_coder.hpp"

namespace hmasim {

struct CsrOptions {
  // Relative column index width, 1..16; 0 picks the width that minimises the bits of values and
  // indices for this layer (ties: the narrower).
  unsigned index_bits = 0;
  // Row counter width, 1..32; 0 gives bit_width(weights per kernel), which holds any row.
  unsigned counter_bits = 0;
};

// Stored entries (non-zeros plus padding entries) of `weights` with index_bits-wide indices.
std::uint64_t csr_entries(const KernelGeometry& g, const NvdlaAtoms& atoms,
                          const std::vector<std::int8_t>& weights, unsigned index_bits);

// Appends the `values`, `indices` and `counters` structures of `weights` (generator order).
// Throws std::invalid_argument for widths out of range or a row too long for its counter.
void encode_csr(const KernelGeometry& g, const NvdlaAtoms& atoms,
                const std::vector<std::int8_t>& weights, const ValueCoder& coder,
                const CsrOptions& options, std::vector<EncodedStructure>& out);

// Decodes `stored` (values, indices, counters; any contents) into `out`: weights and sources.
// Entries beyond a row's last column count as format errors and are dropped; the walk stops when
// the stored entries run out. Throws std::invalid_argument if a structure is missing.
void decode_csr(const KernelGeometry& g, const EncodedLayer& stored, const ValueCoder& coder,
                DecodedLayer& out);

}  // namespace hmasim
