#include "workloads/weight_encoding.hpp"

#include <algorithm>
#include <stdexcept>
#include <string>

#include "workloads/bitmask_encoding.hpp"
#include "workloads/dense_packing.hpp"
#include "workloads/idxsync.hpp"
#include "workloads/nvdla_order.hpp"
#include "workloads/winograd.hpp"

namespace hmasim {

namespace {

std::invalid_argument config_error(const Layer& layer, const std::string& what) {
  return std::invalid_argument("layer '" + layer.name + "': " + what);
}

bool clusters(const EncodingConfig& config) {
  return config.encoding == Encoding::cluster ||
         (config.values == ValueCoding::cluster && config.encoding != Encoding::dense);
}

ValueCoder make_coder(const Layer& layer, const std::vector<std::int8_t>& weights,
                      const EncodingConfig& config) {
  if (!clusters(config) && config.value_bits > 8) {
    throw config_error(layer, "int8 weights given for " + std::to_string(config.value_bits) +
                                  "-bit values: a layer of 9 to 16 bits takes int16 weights");
  }
  if (!clusters(config)) {
    ValueCoder coder = ValueCoder::fixed_point(config.value_bits);
    for (std::int8_t w : weights) {
      if (!coder.exact(w)) {
        throw config_error(layer, "weight " + std::to_string(w) + " does not fit " +
                                      std::to_string(config.value_bits) + "-bit fixed point");
      }
    }
    return coder;
  }
  const std::optional<unsigned> bits =
      config.cluster_bits
          ? config.cluster_bits
          : (layer.cluster_bits ? std::optional<unsigned>(*layer.cluster_bits) : std::nullopt);
  if (!bits) throw config_error(layer, "cluster indices need cluster_bits");
  return cluster_coder(cluster_weights(weights, *bits, config.kmeans));
}

template <class V>
void check_inputs(const Layer& layer, const KernelGeometry& g, const std::vector<V>& weights,
                  const EncodingConfig& config) {
  try {
    check_weight_count(g, weights);
    check_atoms(config.atoms);
  } catch (const std::invalid_argument& e) {
    throw config_error(layer, e.what());
  }
}

// The parity structures `config.ecc` asks for.
void add_protection(const Layer& layer, const EncodingConfig& config, EncodedLayer& out) {
  for (StructureKind kind : config.ecc) {
    const EncodedStructure* target = out.find(kind);
    if (!target) {
      throw config_error(layer, std::string("no '") + to_string(kind) +
                                    "' structure to protect in the " + to_string(config.encoding) +
                                    " encoding");
    }
    if (!out.parity_of(kind)) out.structures.push_back(protect(*target, config.ecc_code));
  }
}

}  // namespace

EncodedLayer encode_layer(const Layer& layer, const std::vector<std::int8_t>& given,
                          const EncodingConfig& config) {
  const KernelGeometry layer_geometry = kernel_geometry(layer);
  check_inputs(layer, layer_geometry, given, config);
  if (config.idxsync && config.encoding != Encoding::bitmask) {
    throw config_error(layer, "IdxSync applies to the bitmask encoding only");
  }
  if (config.winograd && !winograd_shape(layer)) {
    throw config_error(layer, "Winograd applies to 3x3 stride-1 convolutions of 8-bit weights");
  }
  // Winograd stores the transformed kernels: they are what is encoded.
  const KernelGeometry g = config.winograd ? winograd_geometry(layer_geometry) : layer_geometry;
  const std::vector<std::int8_t> transformed =
      config.winograd ? winograd_transform(layer_geometry, given) : std::vector<std::int8_t>{};
  const std::vector<std::int8_t>& weights = config.winograd ? transformed : given;
  const ValueCoder coder = make_coder(layer, weights, config);

  EncodedLayer out;
  out.encoding = config.encoding;
  out.atoms = config.atoms;
  out.winograd = config.winograd;
  switch (config.encoding) {
    case Encoding::dense:
    case Encoding::cluster:
      out.structures.push_back(pack_dense_values(g, config.atoms, weights, coder));
      break;
    case Encoding::bitmask:
      encode_bitmask(g, config.atoms, weights, coder, out.structures);
      if (config.idxsync) {
        out.structures.push_back(idxsync_counts(*out.find(StructureKind::mask)));
      }
      break;
    case Encoding::csr:
      encode_csr(g, config.atoms, weights, coder, config.csr, out.structures);
      break;
  }
  if (coder.uses_lut()) out.structures.push_back(lut_structure(coder));
  add_protection(layer, config, out);
  return out;
}

EncodedLayer encode_layer(const Layer& layer, const std::vector<std::int16_t>& weights,
                          const EncodingConfig& config) {
  const KernelGeometry g = kernel_geometry(layer);
  check_inputs(layer, g, weights, config);
  if (config.encoding != Encoding::dense) {
    throw config_error(layer, std::string("the ") + to_string(config.encoding) +
                                  " encoding cannot store " + std::to_string(config.value_bits) +
                                  "-bit weights: 16-bit data is stored dense only");
  }
  if (config.value_bits < 9 || config.value_bits > kInt16Bits) {
    throw config_error(layer, "int16 weights given for " + std::to_string(config.value_bits) +
                                  "-bit values: int16 weights are for layers of 9 to 16 bits");
  }
  const int q = (1 << (config.value_bits - 1)) - 1;
  for (std::int16_t w : weights) {
    if (w < -q - 1 || w > q) {
      throw config_error(layer, "weight " + std::to_string(w) + " does not fit " +
                                    std::to_string(config.value_bits) + "-bit fixed point");
    }
  }
  EncodedLayer out;
  out.encoding = config.encoding;
  out.atoms = config.atoms;
  out.structures.push_back(pack_dense_int16(g, config.atoms, weights));
  add_protection(layer, config, out);
  return out;
}

DecodedLayer decode_layer(const Layer& layer, EncodedLayer stored) {
  const KernelGeometry g =
      stored.winograd ? winograd_geometry(kernel_geometry(layer)) : kernel_geometry(layer);
  check_atoms(stored.atoms);
  DecodedLayer out;
  for (const EncodedStructure& parity : stored.structures) {
    if (parity.kind != StructureKind::parity) continue;
    EncodedStructure* target = stored.find(parity.protects);
    if (!target) throw config_error(layer, "parity without the structure it protects");
    const EccStats ecc = correct(*target, parity);
    out.ecc_words += ecc.words;
    out.ecc_corrected += ecc.corrected;
    out.ecc_uncorrectable += ecc.uncorrectable;
  }
  const EncodedStructure& values = stored.require(StructureKind::values);
  const EncodedStructure* lut = stored.find(StructureKind::lut);
  if (values.element_bits == kInt16Bits && !lut && stored.encoding == Encoding::dense) {
    unpack_dense_int16(g, stored.atoms, values, out);
    return out;
  }
  const ValueCoder coder = lut ? coder_from_lut(*lut, values.element_bits)
                               : ValueCoder::fixed_point(values.element_bits);
  switch (stored.encoding) {
    case Encoding::dense:
    case Encoding::cluster:
      unpack_dense_values(g, stored.atoms, values, coder, out);
      break;
    case Encoding::bitmask:
      decode_bitmask(g, stored, coder, out);
      break;
    case Encoding::csr:
      decode_csr(g, stored, coder, out);
      break;
  }
  return out;
}

std::optional<EncodedLayer> layer_as_read(const EncodedLayer& stored,
                                          const std::vector<std::uint64_t>& offsets,
                                          const std::vector<std::uint8_t>& read) {
  const auto at = [&](std::size_t i) {
    return read.begin() + static_cast<std::ptrdiff_t>(offsets[i]);
  };
  bool same = true;
  for (std::size_t i = 0; same && i < stored.structures.size(); ++i) {
    const auto& bytes = stored.structures[i].bytes;
    same = std::equal(bytes.begin(), bytes.end(), at(i));
  }
  if (same) return std::nullopt;
  EncodedLayer as_read = stored;
  for (std::size_t i = 0; i < stored.structures.size(); ++i) {
    auto& bytes = as_read.structures[i].bytes;
    std::copy_n(at(i), bytes.size(), bytes.begin());
  }
  return as_read;
}

}  // namespace hmasim
