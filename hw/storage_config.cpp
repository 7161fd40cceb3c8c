#include "hw/storage_config.hpp"

namespace hmasim {

const char* to_string(Protection p) {
  switch (p) {
    case Protection::ecc:
      return "ecc";
    case Protection::idxsync:
      return "idxsync";
    default:
      return "none";
  }
}

StorageConfig parse_storage(const ConfigNode& root) {
  StorageConfig s;
  const auto node = root.optional_child("storage");
  if (!node) return s;
  s.encoding =
      *parse_encoding(node->choice("encoding", {"dense", "cluster", "bitmask", "csr"}, "dense"));
  const std::string p = node->choice("protection", {"none", "ecc", "idxsync"}, "none");
  s.protection = p == "ecc"       ? Protection::ecc
                 : p == "idxsync" ? Protection::idxsync
                                  : Protection::none;
  node->require(s.protection != Protection::idxsync || s.encoding == Encoding::bitmask,
                "protection", "idxsync re-aligns a bitmask's values: it needs encoding: bitmask");
  if (node->has("values")) {
    s.values = node->choice("values", {"fixed", "cluster"}) == "cluster" ? ValueCoding::cluster
                                                                         : ValueCoding::fixed;
  }
  if (const auto bits = node->optional_child("bits_per_cell")) {
    for (const char* key :
         {"values", "metadata", "mask", "indices", "counters", "idxsync", "parity", "lut"}) {
      if (!bits->has(key)) continue;
      const int b = bits->get<int>(key);
      bits->require(b >= 1 && b <= 4, key, "must be 1 to 4 bits per cell");
      const std::string k = key;
      if (k == "values") {
        s.bits_values = b;
      } else if (k == "metadata") {
        s.bits_metadata = b;
      } else {
        s.bits_by_structure[k] = b;
      }
    }
  }
  if (node->has("fault_mode")) {
    s.fault_mode = fault_mode_from_string(node->choice("fault_mode", {"program", "read", "off"}));
  }
  // A map names structures, unless it is the {value: ..., source: ...} form of one coding.
  if (const YAML::Node c = node->raw("coding"); c.IsMap() && !c["value"]) {
    const ConfigNode codings = node->child("coding");
    for (const char* key :
         {"values", "metadata", "mask", "indices", "counters", "idxsync", "parity", "lut"}) {
      if (!codings.has(key)) continue;
      s.coding_by_structure[key] =
          *level_coding_from_string(codings.choice(key, {"gray", "binary"}));
    }
  } else {
    s.coding = *level_coding_from_string(node->choice("coding", {"gray", "binary"}, "gray"));
  }
  if (const auto ecc = node->optional_child("ecc")) {
    s.ecc.word_bits = ecc->get<std::uint64_t>("word_bits", s.ecc.word_bits);
    s.ecc.parity_bits = ecc->get<std::uint32_t>("parity_bits", s.ecc.parity_bits);
    ecc->require(s.ecc.word_bits > 0 && s.ecc.word_bits % 8 == 0, "word_bits",
                 "must be a positive multiple of 8");
    // SEC-DED over k data bits needs r check bits with 2^r >= k + r + 1, plus one.
    unsigned r = 0;
    while ((std::uint64_t{1} << r) < s.ecc.word_bits + r + 1) ++r;
    ecc->require(s.ecc.parity_bits >= r + 1 && s.ecc.parity_bits <= 57, "parity_bits",
                 "a SEC-DED code over " + std::to_string(s.ecc.word_bits) + " data bits needs " +
                     std::to_string(r + 1) + " to 57 parity bits");
  }
  return s;
}

WeightFetchConfig parse_weight_fetch(const ConfigNode& root) {
  WeightFetchConfig w;
  const auto node = root.optional_child("weight_fetch");
  if (!node) return w;
  w.mask_bits_per_cycle = node->get<std::uint32_t>("mask_bits_per_cycle", w.mask_bits_per_cycle);
  w.value_bytes_per_cycle =
      node->get<std::uint32_t>("value_bytes_per_cycle", w.value_bytes_per_cycle);
  w.pipeline_latency = Cycles(node->get<std::uint32_t>("pipeline_latency", 16));
  node->require(w.mask_bits_per_cycle > 0, "mask_bits_per_cycle", "must be at least 1");
  node->require(w.value_bytes_per_cycle > 0, "value_bytes_per_cycle", "must be at least 1");
  return w;
}

LevelCoding StorageConfig::coding_of(const std::string& kind, bool metadata) const {
  for (const std::string& key : {kind, std::string(metadata ? "metadata" : "values")}) {
    const auto it = coding_by_structure.find(key);
    if (it != coding_by_structure.end()) return it->second;
  }
  return coding;
}

EncodingConfig StorageConfig::encoding_for(const Layer& layer, const NvdlaAtoms& atoms) const {
  EncodingConfig c;
  c.encoding = encoding;
  c.atoms = atoms;
  c.value_bits = layer.precision;
  const bool sparse = encoding == Encoding::bitmask || encoding == Encoding::csr;
  if (sparse) {
    c.values = values.value_or(layer.cluster_bits ? ValueCoding::cluster : ValueCoding::fixed);
  }
  // Clustering needs index bits: the layer's (MaxNVM Table 2), else 4 (16 centroids).
  const bool clustered =
      encoding == Encoding::cluster || (sparse && c.values == ValueCoding::cluster);
  if (clustered && !layer.cluster_bits) c.cluster_bits = 4;
  c.idxsync = protection == Protection::idxsync;
  c.ecc_code = ecc;
  if (protection == Protection::ecc) {
    switch (encoding) {
      case Encoding::bitmask:
        c.ecc = {StructureKind::mask, StructureKind::counters};
        break;
      case Encoding::csr:
        c.ecc = {StructureKind::indices, StructureKind::counters};
        break;
      default:
        c.ecc = {StructureKind::values};
        break;
    }
  }
  return c;
}

}  // namespace hmasim
