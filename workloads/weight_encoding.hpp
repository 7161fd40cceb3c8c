// One entry point for every weight encoding: a configuration, encode_layer (weights -> stored
// structures) and decode_layer (stored, possibly corrupted structures -> weights and the decoder's
// counts). This is what a weight-fetch unit calls; the encodings themselves live in
// dense_packing, cluster_encoding, bitmask_encoding, csr_encoding, secded and idxsync.
//
// Encodings and the structures they store (docs/encodings.md):
//   dense    values (fixed point)
//   cluster  values (cluster indices), lut
//   bitmask  values, mask, counters (WGS) [, idxsync] [, lut]
//   csr      values, indices, counters (row counters) [, lut]
// plus one `parity` structure per structure listed in `ecc`.
#pragma once

#include <cstdint>
#include <optional>
#include <vector>

#include "workloads/cluster_encoding.hpp"
#include "workloads/csr_encoding.hpp"
#include "workloads/encoded_layer.hpp"
#include "workloads/secded.hpp"

namespace hmasim {

// How the values of the sparse encodings are stored (dense is always fixed point, cluster always
// cluster indices). MaxNVM's sparse encodings store cluster indices (Table 2).
enum class ValueCoding { fixed, cluster };

struct EncodingConfig {
  Encoding encoding = Encoding::dense;
  NvdlaAtoms atoms;
  ValueCoding values = ValueCoding::fixed;
  // Fixed-point width: 2..8 for int8 weights (8: NVDLA's int8 bytes); 9..16 for int16 weights,
  // which are stored as 16-bit elements (NVDLA's int16), dense only.
  unsigned value_bits = 8;
  // Cluster index width, 1..8; unset: the layer's cluster_bits (the network's Table 2 figure).
  std::optional<unsigned> cluster_bits;
  KMeansOptions kmeans;
  CsrOptions csr;
  // NVDLA Winograd: store the layer's 3x3 kernels pre-transformed as 4x4 (workloads/winograd.hpp;
  // a 3x3 stride-1 convolution of 8-bit weights only).
  bool winograd = false;
  bool idxsync = false;            // bitmask only
  std::vector<StructureKind> ecc;  // structures to protect with SEC-DED (each present one)
  SecdedConfig ecc_code = kMaxnvmEcc;
};

// Encodes `weights` (generator order, layer.weights of them). Throws std::invalid_argument for a
// wrong weight count, an inconsistent configuration (idxsync without bitmask, no cluster bits for
// clustering, ECC on a structure the encoding lacks) or fixed-point values too narrow for a weight.
EncodedLayer encode_layer(const Layer& layer, const std::vector<std::int8_t>& weights,
                          const EncodingConfig& config);
// The same for int16 weights (a layer of 9..16 bits: config.value_bits). 16-bit data is stored
// dense only (2 bytes per weight, dense_packing.hpp); the cluster, bitmask and csr encodings throw
// std::invalid_argument naming the layer and the encoding. SEC-DED protection applies as for int8.
EncodedLayer encode_layer(const Layer& layer, const std::vector<std::int16_t>& weights,
                          const EncodingConfig& config);

// Decodes stored structures (any byte contents): first SEC-DED corrects every protected structure,
// then the encoding's decoder runs, with IdxSync if the layer carries counts. 16-bit dense
// values decode into DecodedLayer::weights16, all others into DecodedLayer::weights. Never reads
// out of bounds; throws std::invalid_argument only if a structure the encoding needs is missing.
DecodedLayer decode_layer(const Layer& layer, EncodedLayer stored);

// The structures as a reader got them: structure i's bytes from `read` at `offsets[i]` (which must
// hold them). Empty when every structure reads back as stored, so a caller decodes nothing anew.
std::optional<EncodedLayer> layer_as_read(const EncodedLayer& stored,
                                          const std::vector<std::uint64_t>& offsets,
                                          const std::vector<std::uint8_t>& read);

}  // namespace hmasim
