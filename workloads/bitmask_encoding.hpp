// NVDLA's sparse weight compression, "BitMask" in MaxNVM (Sec. 3.2.2), after nvdla/doc
// doc/hw/format.rst ("Sparse Compression option") and CALIBRATION.md.
//
// The weights are first put in NVDLA's direct-convolution order, kernel group by kernel group
// (nvdla_order.hpp); then three structures, each an NVDLA memory surface:
// - mask (NVDLA's WMB): one bit per weight, 1 = non-zero, LSB-first ("stored as little-endian").
//   Each kernel group's bits are padded with zero bits to 128 bytes, so a group's mask starts at a
//   fixed, data-independent offset. format.rst only says the WMB surface is 128-byte aligned; we
//   pad per kernel group as CALIBRATION.md and MaxNVM ("128-byte aligned groups") describe, which
//   lets the fetch unit address a group's mask without reading earlier groups.
// - values: the non-zero weights of each group in that order, packed without gaps as codes of the
//   coder's width (NVDLA: int8 bytes; MaxNVM: cluster indices), each group padded to 128 bytes.
// - counters (NVDLA's WGS): the bytes of each group's packed values before padding,
//   ceil(non-zeros x value bits / 8), one 32-bit little-endian word per group, padded to 128 bytes.
//   The decoder finds group g's values at sum over earlier groups of round_up(WGS, 128), as NVDLA's
//   weight DMA does: a misread WGS misplaces the values of every later group.
// Each surface starts 256-byte aligned (kSurfaceAlignment); that is the placement's job.
//
// Decoding walks each group's mask bits in order and takes the next packed value for every set
// bit. A misread mask bit therefore shifts every later value of its group - one "stream" - by
// one: the vulnerability IdxSync (idxsync.hpp) bounds to a 128-byte mask block when the layer
// carries an `idxsync` structure.
//
// Grouped and depthwise layers: every convolution group has its own kernel groups, each padded to
// 128 bytes in both mask and values. That is NVDLA's format applied per group, and costly for
// depthwise layers (a 3x3 kernel's 9 mask bits take 128 bytes): NVDLA has no grouped convolution.
#pragma once

#include <cstdint>
#include <vector>

#include "workloads/encoded_layer.hpp"
#include "workloads/value_coder.hpp"

namespace hmasim {

constexpr unsigned kBitmaskCounterBits = 32;  // one WGS word per kernel group

// Bytes of the `mask` structure of a layer (data-independent).
std::uint64_t bitmask_mask_bytes(const KernelGeometry& g, const NvdlaAtoms& atoms);

// Appends the `values`, `mask` and `counters` structures of `weights` (generator order).
void encode_bitmask(const KernelGeometry& g, const NvdlaAtoms& atoms,
                    const std::vector<std::int8_t>& weights, const ValueCoder& coder,
                    std::vector<EncodedStructure>& out);

// Decodes `stored` (values, mask, counters, and idxsync if present; any contents) into `out`:
// weights and sources. Throws std::invalid_argument if a structure is missing.
void decode_bitmask(const KernelGeometry& g, const EncodedLayer& stored, const ValueCoder& coder,
                    DecodedLayer& out);

}  // namespace hmasim
