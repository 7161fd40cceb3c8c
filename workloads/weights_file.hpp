// Real (trained, quantised) weights of a network, read from a weights file (docs/weights.md)
// instead of generated: `hmasim run --weights FILE` or a workload's `weights:` key.
//
// The file is little-endian binary: the magic "HMASIMW1", a u32 record count, then per layer with
// weights a record: u32 name length and the name; u64 weight count; u64 bias count; u32 flags
// (bit 0: ReLU after requantisation; bit 1: the weights are int16, for a 9..16-bit layer); u32
// scale count (0, 1 = per layer, or one per output channel); that many (i32 multiplier, i32 shift)
// pairs; the int8 (or int16 little-endian) weights in the generator's order
// [group][kernel][channel][r][s] (layer.hpp, KernelGeometry); the int32 biases. Nothing follows
// the last record. The requantisation of a layer's sum to its int8 (int16) output is
// (acc x multiplier + 2^(shift-1)) >> shift (floor), saturated to int8 (int16), then ReLU: what
// scripts/train_digits.py quantises for and the reference inference computes. A softmax layer may
// have a record of no weights and no biases whose one scale is its input's real scale
// (multiplier / 2^shift; docs/functional.md, "Arithmetic").
#pragma once

#include <cstdint>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

#include "workloads/network.hpp"

namespace hmasim {

// Every problem of a file or of its match with a network, one "file: ..." line each.
class WeightsFileError : public std::runtime_error {
 public:
  explicit WeightsFileError(std::vector<std::string> problems);
  const std::vector<std::string>& problems() const { return problems_; }

 private:
  std::vector<std::string> problems_;
};

// int8 output = saturate((acc x multiplier + 2^(shift-1)) >> shift); shift 0 adds no rounding.
struct Requantisation {
  std::int32_t multiplier = 1;  // 1 .. 2^31 - 1
  std::int32_t shift = 0;       // 0 .. 62
};

struct LayerWeights {
  std::string name;
  std::vector<std::int8_t> weights;  // [group][kernel][channel][r][s] (2..8-bit layers)
  // The int16 weights of a 9..16-bit layer, same order; `weights` is then empty.
  std::vector<std::int16_t> weights16;
  std::vector<std::int32_t> bias;  // empty, or one per output channel
  bool relu = false;
  std::vector<Requantisation> scales;  // empty, one for the layer, or one per output channel

  std::uint64_t weight_count() const { return weights.size() + weights16.size(); }
};

// The real scale of a softmax layer's input (multiplier / 2^shift) without one in a weights
// file: 1 / 16 for an int8 map, 1 / 4096 for an int16 one (the map's range spans -8 .. 8).
Requantisation default_softmax_scale(std::uint32_t precision);

struct WeightsFile {
  std::string file;
  std::uint64_t checksum = 0;  // FNV-1a 64 of the file's bytes: what the file is, for keys
  std::vector<LayerWeights> layers;

  // The record of layer `name`, or nullptr.
  const LayerWeights* find(const std::string& name) const;
};

// Limits on a file: names and counts past these are a damaged file, not an allocation.
constexpr std::uint32_t kMaxWeightsNameBytes = 4096;
constexpr std::uint32_t kMaxWeightsRecords = 1u << 20;

// Reads and checks the file's structure (magic, sizes, duplicate names, value ranges). Throws
// WeightsFileError naming the file and, for a record, its layer.
WeightsFile read_weights_file(const std::string& path);

// The file's bytes for `weights` (the format above); `write_weights_file` writes them atomically
// (a temporary name, then renamed). Throws WeightsFileError if the file cannot be written.
std::string weights_file_bytes(const WeightsFile& weights);
void write_weights_file(const std::string& path, const WeightsFile& weights);

// Checks `weights` against a validated network: every layer with weights has a record with its
// weight count and bias count (one per output channel with `bias: true`, else none), 0, 1 or one
// scale per output channel, values within the layer's precision (int8 weights for 2..8 bits, int16
// for 9..16); every record names such a layer or a softmax layer (no weights, 0 or 1 scale).
// Throws WeightsFileError listing every mismatch (file, layer, expected vs got).
void check_weights_file(const WeightsFile& weights, const Network& network);

// The real weights of a run: the file `path` if given (`--weights`), else the network's
// `weights:` file, read and checked against the network; nullopt when neither names one.
// Throws WeightsFileError.
std::optional<WeightsFile> load_network_weights(const Network& network, const std::string& path);

}  // namespace hmasim
