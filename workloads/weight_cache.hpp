// A content-addressed cache of prepared weights, shared by the runs of a sweep (separate processes)
// through one directory: the generated weights of a layer and its encoded layout, so that runs that
// share them neither regenerate nor re-encode them.
//
// Two kinds of entry, one file each, named by the 128-bit hash of their key (32 hex digits):
//   <hash>.weights  generate_weights' output: key = generator version, seed, and every layer field
//                   the generator reads (index, weight count, precision, sparsity, cluster bits)
//                   and the distribution;
//   <hash>.encoded  encode_layer's output (the EncodedLayer: encoding, atoms, and per structure its
//                   kind, widths, element count and bytes): key = the weights' key, the encoder
//                   version, the layer's kernel geometry and every EncodingConfig field.
// A run whose encoding differs from a cached one still finds the generated weights. The key is a
// text (field=value lines) stored in the file and compared whole on every read, so a hash
// collision is a miss, never someone else's data.
//
// Safety: a file is written to a temporary name in the directory and renamed into place, so a
// reader sees a whole file or none, and concurrent writers of one key (which write the same bytes)
// simply replace each other. A reader maps the file and checks magic, format version, byte order,
// the key, the sizes and a checksum of key and payload, then copies the data out; any mismatch
// (truncation, a flipped byte, another version) is a miss, and the entry is rewritten. Failing to
// write (a read-only or full disk) is counted and the run goes on uncached. The cache holds
// fault-free data only: faults are drawn by the memories when the run reads its weights.
#pragma once

#include <atomic>
#include <cstdint>
#include <mutex>
#include <stdexcept>
#include <string>
#include <vector>

#include "workloads/encoded_layer.hpp"
#include "workloads/layer.hpp"
#include "workloads/weight_encoding.hpp"
#include "workloads/weight_generator.hpp"

namespace hmasim {

// Version of encode_layer's output: bump it whenever the same weights, geometry and
// EncodingConfig would give another EncodedLayer (any encoding, SEC-DED, IdxSync, k-means).
constexpr std::uint32_t kWeightEncoderVersion = 1;
// Version of the cache's file layout.
constexpr std::uint32_t kWeightCacheFormat = 1;

// The cache directory cannot be used (it is not a directory and cannot be created).
class WeightCacheError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct WeightCacheKey {
  std::string text;  // the canonical key, field=value lines
  std::string hash;  // 32 lowercase hex digits of its 128-bit hash
};

// The keys of a layer's entries. Every input of the generator (and, for the encoded entry, of the
// encoder) is part of the key: change one and the key changes.
WeightCacheKey generated_weights_key(const Layer& layer, std::uint64_t seed,
                                     const WeightDistribution& distribution = {});
WeightCacheKey encoded_layer_key(const Layer& layer, std::uint64_t seed,
                                 const EncodingConfig& config,
                                 const WeightDistribution& distribution = {});

// 64-bit checksum of `size` bytes (not cryptographic: it detects damage, not tampering; a change
// confined to one aligned 8-byte word always changes it).
std::uint64_t weight_cache_checksum(const void* data, std::size_t size, std::uint64_t seed = 0);

struct WeightCacheStats {
  std::uint64_t encoded_hits = 0;    // layers whose encoded layout was read
  std::uint64_t weights_hits = 0;    // layers whose generated weights were read (and then encoded)
  std::uint64_t generated = 0;       // layers generated
  std::uint64_t stored = 0;          // files written
  std::uint64_t rejected = 0;        // files present but damaged or of another version: rewritten
  std::uint64_t write_failures = 0;  // files that could not be written
};

class WeightCache {
 public:
  // Creates `directory` (and its parents) if needed; throws WeightCacheError if it exists and is no
  // directory or cannot be created.
  explicit WeightCache(std::string directory);

  const std::string& directory() const { return directory_; }

  // encode_layer(layer, generate_weights(layer, seed, distribution), config), from the cache when
  // the encoded layout or the generated weights are there, stored into it when not. Throws what
  // generate_weights and encode_layer throw. Safe to call from several threads.
  EncodedLayer encoded_layer(const Layer& layer, std::uint64_t seed, const EncodingConfig& config,
                             const WeightDistribution& distribution = {});
  // (For a layer of 9..16 bits, generate_weights16: only the encoded layout is cached.)
  // generate_weights(layer, seed, distribution), through the cache (int8 weights only).
  std::vector<std::int8_t> generated_weights(const Layer& layer, std::uint64_t seed,
                                             const WeightDistribution& distribution = {});

  // The file an entry lives in.
  std::string path_of(const WeightCacheKey& key, const char* kind) const;

  WeightCacheStats stats() const;
  // One line for the run's log: what was read, generated and written, and any failure.
  std::string report() const;
  // The first write failure's reason ("" if none).
  std::string first_write_failure() const;

 private:
  std::vector<std::int8_t> weights_through_cache(const Layer& layer, std::uint64_t seed,
                                                 const WeightDistribution& distribution,
                                                 bool count_hit);
  void store(const std::string& path, const WeightCacheKey& key,
             const std::vector<std::pair<const void*, std::size_t>>& payload);

  std::string directory_;
  std::atomic<std::uint64_t> encoded_hits_{0}, weights_hits_{0}, generated_{0}, stored_{0},
      rejected_{0}, write_failures_{0}, temp_counter_{0};
  mutable std::mutex failure_lock_;
  std::string first_failure_;
};

}  // namespace hmasim
