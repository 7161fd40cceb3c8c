// How weights are stored and fetched (MaxNVM co-design): the encoding, its protection, the bits
// per cell of values and of metadata, the fault mode of the weight memory, and the weight fetch
// unit that decodes on the way to the CBUF. Both sections are optional: without them weights are
// stored dense, unprotected, at the weight memory's own bits per cell.
//
//   storage:
//     encoding: bitmask          # dense | cluster | bitmask | csr
//     protection: idxsync        # none | ecc | idxsync (idxsync: bitmask only)
//     values: cluster            # fixed | cluster: how sparse encodings store non-zeros
//                                #   (default: cluster when the layer has cluster_bits)
//     bits_per_cell: {values: 3, metadata: 1}   # per stored structure (eNVM weight memory);
//                                # a structure may also be named on its own (mask, indices,
//                                # counters, idxsync, parity, lut), overriding `metadata` (the
//                                # lut otherwise follows `values`)
//     fault_mode: program        # program | read | off: overrides the weight memory's faults.mode
//     coding: gray               # gray | binary: level <-> bits of every structure, or per
//                                # structure as bits_per_cell: {values: gray, metadata: binary}
//                                # (default: the weight memory's faults.coding)
//     ecc: {word_bits: 32768, parity_bits: 24}  # SEC-DED code (default: MaxNVM's)
//     memories:                  # per memory: encoding, protection, values of the layers stored
//       rram_slc: {bits_per_cell: {values: 1, metadata: 1}}  # there; per eNVM its own
//                                # bits_per_cell, coding and fault_mode in place of the
//                                # top-level ones ({}: the memory's own settings)
//     classes:                   # per parameter class (shared backbone / task-specific):
//       task: {encoding: dense, bits_per_cell: 1}   # encoding, protection, values,
//                                # bits_per_cell and coding of that class's layers, over the
//                                # top-level and per-memory ones (fault_mode stays per memory)
//   weight_fetch:
//     model: streaming           # streaming | buffered: when a tile's decode starts
//     mask_bits_per_cycle: 256   # decoder throughput for the bitmask
//     value_bytes_per_cycle: 32  # ... and for values, indices and counters
//     pipeline_latency: 16       # cycles from the last fetched byte to dense weights in the CBUF
//
// protection: ecc puts SEC-DED (MaxNVM's 24 parity bits per 4 KB word) on every metadata
// structure of the encoding (mask, indices, counters), or on the values of dense and cluster.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "core/config_node.hpp"
#include "mem/faults/fault_injector.hpp"
#include "mem/faults/level_coding.hpp"
#include "workloads/weight_encoding.hpp"

namespace hmasim {

enum class Protection { none, ecc, idxsync };
const char* to_string(Protection p);

// How the weights' structures sit in the cells of one eNVM: bits per cell, level coding and
// fault mode. Unset: what the memory itself says.
struct CellStorage {
  std::optional<int> bits_values;
  std::optional<int> bits_metadata;
  std::map<std::string, int> bits_by_structure;  // "mask", "counters", ...: overrides the above
  std::optional<FaultMode> fault_mode;
  std::optional<LevelCoding> coding;
  std::map<std::string, LevelCoding> coding_by_structure;  // "values", "metadata", "mask", ...

  // Bits per cell of a structure (`kind` as in bits_per_cell); unset: what the memory says.
  std::optional<int> bits_of(const std::string& kind, bool metadata) const;
  // The coding of a structure; unset: the memory's own `faults.coding`.
  std::optional<LevelCoding> coding_of(const std::string& kind, bool metadata) const;
};

// The two classes of parameters (MEMTI): the backbone every task shares, and the parameters of
// one task (layers with `shared: false` or a task head, as hw/task_plan's is_task_specific).
enum class ParameterClass { shared, task };
const char* to_string(ParameterClass c);
ParameterClass parameter_class(const Layer& layer);

// `storage.classes.<class>` or `storage.memories.<memory>`: what that class's layers, or the
// layers stored in that memory, store differently from the top level.
struct StorageOverrides {
  std::optional<Encoding> encoding;
  std::optional<Protection> protection;
  std::optional<ValueCoding> values;
  CellStorage cells;  // a class's fault_mode stays unset: it is the memory's, whatever it holds
  // A memory's block gives cell keys (or is `{}`): they replace the top-level ones there.
  bool own_cells = false;
};

struct StorageConfig {
  Encoding encoding = Encoding::dense;
  Protection protection = Protection::none;
  std::optional<ValueCoding> values;  // unset: cluster if the layer has cluster_bits
  CellStorage cells;                  // the top-level cell keys: every eNVM without its own
  std::map<std::string, StorageOverrides> memories;    // `storage.memories.<name>`
  std::map<ParameterClass, StorageOverrides> classes;  // `storage.classes.<class>`
  SecdedConfig ecc = kMaxnvmEcc;

  // The cell settings of the weights stored in `memory` (before any class's own).
  const CellStorage& cells_in(const std::string& memory) const;
  // Bits per cell and level coding of structure `s` of a `c` layer stored in `memory`: the
  // class's setting, else the memory's (or the top level's), else the eNVM's own.
  int bits_of(const EncodedStructure& s, ParameterClass c, const std::string& memory,
              int memory_bits) const;
  std::optional<LevelCoding> coding_of(const EncodedStructure& s, ParameterClass c,
                                       const std::string& memory) const;
  // Whether `storage.memories.<memory>` decides that memory's cells (fault mode included).
  bool own_cells(const std::string& memory) const;
  // Encoding and protection of a class's layers stored in `memory`: the class's, else the
  // memory's, else the top level's.
  Encoding encoding_of(ParameterClass c, const std::string& memory) const;
  Protection protection_of(ParameterClass c, const std::string& memory) const;
  // The encoder configuration for `layer`, stored in `memory`, with NVDLA atoms.
  EncodingConfig encoding_for(const Layer& layer, const std::string& memory,
                              const NvdlaAtoms& atoms) const;
};

struct WeightFetchConfig {
  std::string model = "streaming";  // a registered weight fetch unit (hw/units/weight_fetch.hpp)
  std::uint32_t mask_bits_per_cycle = 256;
  std::uint32_t value_bytes_per_cycle = 32;
  Cycles pipeline_latency{16};
};

// Reads the optional `storage` and `weight_fetch` sections of a platform root. `weight_memories`
// are the memories placement puts weights in: for the eNVMs among them, the storage keys decide
// what the memory's own bits_per_cell, faults.mode and faults.coding would, so a `--set` of one
// of those that a storage key from a file overrules is an error naming that key.
StorageConfig parse_storage(const ConfigNode& root,
                            const std::vector<std::string>& weight_memories);
WeightFetchConfig parse_weight_fetch(const ConfigNode& root);

}  // namespace hmasim
