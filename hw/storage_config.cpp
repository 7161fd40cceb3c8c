#include "hw/storage_config.hpp"

#include <algorithm>

#include "hw/units/weight_fetch.hpp"
#include "workloads/dense_encoding.hpp"

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

namespace {

const std::vector<std::string> kStructureKeys = {"values",   "metadata", "mask",   "indices",
                                                 "counters", "idxsync",  "parity", "lut"};

// The keys of `kStructureKeys` that `block` gives, excluding `values` and `metadata`.
std::vector<std::string> named_structures(const ConfigNode& block) {
  std::vector<std::string> out;
  for (const std::string& k : kStructureKeys) {
    if (k != "values" && k != "metadata" && block.has(k)) out.push_back(k);
  }
  return out;
}

// `general` of `node`, when from `--set`, is overruled by the first of `specific` that a file
// gives in `by`: an error naming it.
void check_shadow(const ConfigNode& node, const std::string& general, const ConfigNode& by,
                  const std::vector<std::string>& specific, const std::string& what) {
  if (!node.from_command_line(general)) return;
  for (const std::string& k : specific) {
    if (!by.has(k) || by.from_command_line(k)) continue;
    node.shadowed(general, by.where(k) + " sets " + what,
                  "override " + by.path() + "." + k + " instead");
    return;
  }
}

// The memory keys the storage section decides for the weights in eNVM `memory`.
void check_memory_keys(const ConfigNode& root, const ConfigNode& storage,
                       const std::string& memory) {
  const ConfigNode block = root.child("memories").child(memory);
  if (block.get<std::string>("model", "") != "envm") return;
  const std::string of = " of the weights stored in '" + memory + "'";
  if (const auto bits = storage.optional_child("bits_per_cell")) {
    check_shadow(block, "bits_per_cell", *bits, kStructureKeys, "the bits per cell" + of);
  }
  if (const auto faults = block.optional_child("faults")) {
    check_shadow(*faults, "mode", storage, {"fault_mode"}, "the fault mode" + of);
    check_shadow(*faults, "coding", storage, {"coding"}, "the level coding" + of);
  }
}

// The cell keys (bits_per_cell, fault_mode, coding) of a storage block.
CellStorage parse_cells(const ConfigNode& node) {
  CellStorage s;
  if (const auto bits = node.optional_child("bits_per_cell")) {
    for (const std::string& key : kStructureKeys) {
      if (!bits->has(key)) continue;
      const int b = bits->get<int>(key);
      if (!bits->require(b >= 1 && b <= 4, key, "must be 1 to 4 bits per cell")) continue;
      if (key == "values") {
        s.bits_values = b;
      } else if (key == "metadata") {
        s.bits_metadata = b;
      } else {
        s.bits_by_structure[key] = b;
      }
    }
    check_shadow(*bits, "metadata", *bits, named_structures(*bits),
                 "the bits per cell of that structure");
  }
  if (node.has("fault_mode")) {
    s.fault_mode = fault_mode_from_string(node.choice("fault_mode", {"program", "read", "off"}));
  }
  // A map names structures, unless it is the {value: ..., source: ...} form of one coding.
  if (const YAML::Node c = node.raw("coding"); c.IsMap() && !c["value"]) {
    const ConfigNode codings = node.child("coding");
    for (const std::string& key : kStructureKeys) {
      if (!codings.has(key)) continue;
      s.coding_by_structure[key] =
          *level_coding_from_string(codings.choice(key, {"gray", "binary"}));
    }
    check_shadow(codings, "metadata", codings, named_structures(codings),
                 "the coding of that structure");
    // A file's `coding: gray` under `--set storage.coding.mask=binary` stays the default.
    if (const YAML::Node below = node.scalar_under_map("coding"); below.IsScalar()) {
      s.coding = level_coding_from_string(below.Scalar());
      if (!s.coding) node.error("coding", "'" + below.Scalar() + "' is not one of: gray, binary");
    }
  } else if (node.has("coding")) {
    s.coding = *level_coding_from_string(node.choice("coding", {"gray", "binary"}, "gray"));
  }
  return s;
}

}  // namespace

StorageConfig parse_storage(const ConfigNode& root,
                            const std::vector<std::string>& weight_memories) {
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
  s.cells = parse_cells(*node);
  if (const auto per_memory = node->optional_child("memories")) {
    for (const std::string& m : per_memory->keys()) {
      const ConfigNode block = per_memory->child(m);
      const ConfigNode memory = root.child("memories").child(m);
      if (!root.child("memories").has(m)) {
        per_memory->error(m, "no memory named '" + m + "' in the platform");
      } else if (memory.get<std::string>("model", "") != "envm") {
        per_memory->error(m,
                          "'" + m + "' is not an eNVM (model: envm): its cells have no settings");
      }
      s.memories[m] = parse_cells(block);
    }
  }
  if (const auto ecc = node->optional_child("ecc")) {
    s.ecc.word_bits = ecc->get<std::uint64_t>("word_bits", s.ecc.word_bits);
    s.ecc.parity_bits = ecc->get<std::uint32_t>("parity_bits", s.ecc.parity_bits);
    // A SEC-DED word of up to 2^24 data bits (2 MiB) covers any sensible layout, and bounds
    // the parity search below.
    const bool word_ok = ecc->require(
        s.ecc.word_bits > 0 && s.ecc.word_bits % 8 == 0 && s.ecc.word_bits <= kMaxEccWordBits,
        "word_bits",
        "must be a positive multiple of 8, at most " + std::to_string(kMaxEccWordBits));
    if (word_ok) {
      // SEC-DED over k data bits needs r check bits with 2^r >= k + r + 1, plus one.
      unsigned r = 0;
      while ((std::uint64_t{1} << r) < s.ecc.word_bits + r + 1) ++r;
      ecc->require(s.ecc.parity_bits >= r + 1 && s.ecc.parity_bits <= 57, "parity_bits",
                   "a SEC-DED code over " + std::to_string(s.ecc.word_bits) + " data bits needs " +
                       std::to_string(r + 1) + " to 57 parity bits");
    }
  }
  std::vector<std::string> checked;
  std::vector<std::string> memories = weight_memories;
  for (const auto& kv : s.memories) memories.push_back(kv.first);
  for (const std::string& m : memories) {
    if (m.empty() || std::find(checked.begin(), checked.end(), m) != checked.end()) continue;
    checked.push_back(m);
    // The block that decides the memory's cells: its own, else the top-level keys.
    const auto own = s.memories.count(m) ? node->child("memories").optional_child(m) : std::nullopt;
    check_memory_keys(root, own ? *own : *node, m);
  }
  return s;
}

WeightFetchConfig parse_weight_fetch(const ConfigNode& root) {
  WeightFetchConfig w;
  const auto node = root.optional_child("weight_fetch");
  if (!node) return w;
  std::vector<std::string> models;
  for (const auto* item : WeightFetchRegistry::instance().list()) models.push_back(item->name);
  w.model = node->choice("model", models, w.model);
  w.mask_bits_per_cycle = node->get<std::uint32_t>("mask_bits_per_cycle", w.mask_bits_per_cycle);
  w.value_bytes_per_cycle =
      node->get<std::uint32_t>("value_bytes_per_cycle", w.value_bytes_per_cycle);
  w.pipeline_latency = Cycles(node->get<std::uint32_t>("pipeline_latency", 16));
  node->require(w.mask_bits_per_cycle > 0, "mask_bits_per_cycle", "must be at least 1");
  node->require(w.value_bytes_per_cycle > 0, "value_bytes_per_cycle", "must be at least 1");
  return w;
}

int CellStorage::bits_of(const std::string& kind, bool metadata, int memory_bits) const {
  const auto named = bits_by_structure.find(kind);
  if (named != bits_by_structure.end()) return named->second;
  return metadata ? bits_metadata.value_or(memory_bits) : bits_values.value_or(memory_bits);
}

const CellStorage& StorageConfig::cells_in(const std::string& memory) const {
  const auto it = memories.find(memory);
  return it == memories.end() ? cells : it->second;
}

std::optional<LevelCoding> CellStorage::coding_of(const std::string& kind, bool metadata) const {
  for (const std::string& key : {kind, std::string(metadata ? "metadata" : "values")}) {
    const auto it = coding_by_structure.find(key);
    if (it != coding_by_structure.end()) return it->second;
  }
  return coding;
}

EncodingConfig StorageConfig::encoding_for(const Layer& layer, const NvdlaAtoms& atoms) const {
  EncodingConfig c;
  c.encoding = encoding;
  // 16-bit weights are laid out in kernel groups of half atomic_k, as NVDLA's int16 weights.
  c.atoms = atoms_for_element(atoms, (layer.precision + 7) / 8);
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
