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

const char* to_string(ParameterClass c) {
  return c == ParameterClass::task ? "task" : "shared";
}

ParameterClass parameter_class(const Layer& layer) {
  return !layer.shared || !layer.task.empty() ? ParameterClass::task : ParameterClass::shared;
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

// The class-independent keys, at the top level or in a `classes` block.
Encoding encoding_key(const ConfigNode& node) {
  return *parse_encoding(node.choice("encoding", {"dense", "cluster", "bitmask", "csr"}));
}

Protection protection_key(const ConfigNode& node) {
  const std::string p = node.choice("protection", {"none", "ecc", "idxsync"});
  return p == "ecc" ? Protection::ecc : p == "idxsync" ? Protection::idxsync : Protection::none;
}

ValueCoding values_key(const ConfigNode& node) {
  return node.choice("values", {"fixed", "cluster"}) == "cluster" ? ValueCoding::cluster
                                                                  : ValueCoding::fixed;
}

void check_idxsync(const ConfigNode& node, Encoding e, Protection p) {
  if (p != Protection::idxsync || e == Encoding::bitmask) return;
  if (node.has("protection") || !node.has("encoding")) {
    node.error("protection", "idxsync re-aligns a bitmask's values: it needs encoding: bitmask");
  } else {  // a class's own encoding under the top-level protection
    node.error("encoding",
               "the top-level protection idxsync re-aligns a bitmask's values: give "
               "this class a protection of its own (none or ecc)");
  }
}

// What a class or memory block of `storage` sets of its own (unset: the level above decides).
StorageOverrides parse_overrides(const ConfigNode& block) {
  StorageOverrides o;
  if (block.has("encoding")) o.encoding = encoding_key(block);
  if (block.has("protection")) o.protection = protection_key(block);
  if (block.has("values")) o.values = values_key(block);
  o.cells = parse_cells(block);
  return o;
}

}  // namespace

StorageConfig parse_storage(const ConfigNode& root,
                            const std::vector<std::string>& weight_memories) {
  StorageConfig s;
  const auto node = root.optional_child("storage");
  if (!node) return s;
  if (node->has("encoding")) s.encoding = encoding_key(*node);
  if (node->has("protection")) s.protection = protection_key(*node);
  check_idxsync(*node, s.encoding, s.protection);
  if (node->has("values")) s.values = values_key(*node);
  s.cells = parse_cells(*node);
  const auto per_memory_blocks = node->optional_child("memories");
  bool memory_protection = false;
  for (const std::string& m :
       per_memory_blocks ? per_memory_blocks->keys() : std::vector<std::string>{}) {
    memory_protection = memory_protection || per_memory_blocks->child(m).has("protection");
  }
  if (const auto per_class = node->optional_child("classes")) {
    for (const std::string& name : per_class->keys()) {
      if (name != "shared" && name != "task") {
        per_class->error(name, "'" + name + "' is not one of: shared, task");
        continue;
      }
      const ConfigNode block = per_class->child(name);
      const StorageOverrides c = parse_overrides(block);
      // Against the top level's protection; a memory's own protection may change what the
      // class's layers get (then encoding the layer says, naming it, if it does not fit).
      if (!memory_protection) {
        check_idxsync(block, c.encoding.value_or(s.encoding), c.protection.value_or(s.protection));
      }
      block.require(!block.has("fault_mode"), "fault_mode",
                    "a memory's fault mode is the same whatever class it holds: set it at the "
                    "top level or in storage.memories.<eNVM>");
      s.classes[name == "task" ? ParameterClass::task : ParameterClass::shared] = c;
    }
  }
  if (const auto per_memory = node->optional_child("memories")) {
    for (const std::string& m : per_memory->keys()) {
      const ConfigNode block = per_memory->child(m);
      const ConfigNode memory = root.child("memories").child(m);
      StorageOverrides o = parse_overrides(block);
      o.own_cells = block.has("bits_per_cell") || block.has("coding") || block.has("fault_mode") ||
                    block.keys().empty();
      if (!root.child("memories").has(m)) {
        per_memory->error(m, "no memory named '" + m + "' in the platform");
      } else if (o.own_cells && memory.get<std::string>("model", "") != "envm") {
        per_memory->error(m,
                          "'" + m + "' is not an eNVM (model: envm): its cells have no settings");
      }
      check_idxsync(block, o.encoding.value_or(s.encoding), o.protection.value_or(s.protection));
      s.memories[m] = o;
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
    const auto own = s.own_cells(m) ? node->child("memories").optional_child(m) : std::nullopt;
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

std::optional<int> CellStorage::bits_of(const std::string& kind, bool metadata) const {
  const auto named = bits_by_structure.find(kind);
  if (named != bits_by_structure.end()) return named->second;
  return metadata ? bits_metadata : bits_values;
}

const CellStorage& StorageConfig::cells_in(const std::string& memory) const {
  const auto it = memories.find(memory);
  return it != memories.end() && it->second.own_cells ? it->second.cells : cells;
}

bool StorageConfig::own_cells(const std::string& memory) const {
  const auto it = memories.find(memory);
  return it != memories.end() && it->second.own_cells;
}

std::optional<LevelCoding> CellStorage::coding_of(const std::string& kind, bool metadata) const {
  for (const std::string& key : {kind, std::string(metadata ? "metadata" : "values")}) {
    const auto it = coding_by_structure.find(key);
    if (it != coding_by_structure.end()) return it->second;
  }
  return coding;
}

int StorageConfig::bits_of(const EncodedStructure& s, ParameterClass c, const std::string& memory,
                           int memory_bits) const {
  const std::string kind = to_string(s.kind);
  const bool metadata = is_metadata(s.kind);
  const auto own = classes.find(c);
  std::optional<int> bits;
  if (own != classes.end()) bits = own->second.cells.bits_of(kind, metadata);
  return bits ? *bits : cells_in(memory).bits_of(kind, metadata).value_or(memory_bits);
}

std::optional<LevelCoding> StorageConfig::coding_of(const EncodedStructure& s, ParameterClass c,
                                                    const std::string& memory) const {
  const std::string kind = to_string(s.kind);
  const bool metadata = is_metadata(s.kind);
  const auto own = classes.find(c);
  std::optional<LevelCoding> coding;
  if (own != classes.end()) coding = own->second.cells.coding_of(kind, metadata);
  return coding ? coding : cells_in(memory).coding_of(kind, metadata);
}

namespace {

// The class's setting `field`, else the memory's; unset if neither gives it.
template <typename T>
std::optional<T> overridden(const std::map<ParameterClass, StorageOverrides>& classes,
                            ParameterClass c,
                            const std::map<std::string, StorageOverrides>& memories,
                            const std::string& memory, std::optional<T> StorageOverrides::*field) {
  const auto own = classes.find(c);
  if (own != classes.end() && own->second.*field) return own->second.*field;
  const auto in = memories.find(memory);
  if (in != memories.end() && in->second.*field) return in->second.*field;
  return std::nullopt;
}

}  // namespace

Encoding StorageConfig::encoding_of(ParameterClass c, const std::string& memory) const {
  return overridden(classes, c, memories, memory, &StorageOverrides::encoding).value_or(encoding);
}

Protection StorageConfig::protection_of(ParameterClass c, const std::string& memory) const {
  return overridden(classes, c, memories, memory, &StorageOverrides::protection)
      .value_or(protection);
}

EncodingConfig StorageConfig::encoding_for(const Layer& layer, const std::string& memory,
                                           const NvdlaAtoms& atoms) const {
  const ParameterClass of = parameter_class(layer);
  const Encoding encoding = encoding_of(of, memory);
  const Protection protection = protection_of(of, memory);
  std::optional<ValueCoding> values =
      overridden(classes, of, memories, memory, &StorageOverrides::values);
  if (!values) values = this->values;  // unset: cluster if the layer has cluster_bits
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
