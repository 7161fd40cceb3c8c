// The weight cache: keys that change with every input of the generator and the encoder, entries
// that read back exactly what encode_layer gives, damaged or foreign files that are misses (never
// wrong data), and writers in several processes at once.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <filesystem>
#include <fstream>
#include <functional>
#include <map>
#include <random>
#include <set>
#include <thread>

#include "app/platform_file.hpp"
#include "hw/accelerator.hpp"
#include "support/cli.hpp"
#include "workloads/encoding_fixtures.hpp"
#include "workloads/network.hpp"
#include "workloads/paths.hpp"
#include "workloads/weight_cache.hpp"

namespace {

namespace fs = std::filesystem;
using hmasim::EncodedLayer;
using hmasim::EncodingConfig;
using hmasim::Layer;
using hmasim::StructureKind;
using hmasim::WeightCache;
using hmasim::WeightCacheStats;

fs::path fresh_dir(const std::string& name) {
  const fs::path d = fs::path(::testing::TempDir()) /
                     ("hmasim_weight_cache_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  return d;
}

// A convolution with sparsity and 4-bit clusters; `changes` replaces some of its properties.
Layer conv_layer(const std::map<std::string, std::string>& changes = {}) {
  std::map<std::string, std::string> props = {
      {"k", "40"}, {"r", "3"}, {"padding", "1"}, {"sparsity", "0.6"}, {"cluster_bits", "4"}};
  for (const auto& c : changes) props[c.first] = c.second;
  std::string yaml = "  - {name: c, type: conv";
  for (const auto& p : props) yaml += ", " + p.first + ": " + p.second;
  return hmasim::test::encoding_layer(yaml + "}\n");
}

EncodingConfig bitmask_config() {
  EncodingConfig c;
  c.encoding = hmasim::Encoding::bitmask;
  c.atoms = hmasim::test::kTestAtoms;
  c.values = hmasim::ValueCoding::cluster;
  c.idxsync = true;
  return c;
}

// Every encoding, with ECC on a structure of each and IdxSync on the bitmask.
std::vector<EncodingConfig> all_configs() {
  std::vector<EncodingConfig> out;
  EncodingConfig dense;
  dense.atoms = hmasim::test::kTestAtoms;
  out.push_back(dense);
  EncodingConfig cluster = dense;
  cluster.encoding = hmasim::Encoding::cluster;
  cluster.ecc = {StructureKind::values};
  out.push_back(cluster);
  out.push_back(bitmask_config());
  EncodingConfig csr = dense;
  csr.encoding = hmasim::Encoding::csr;
  csr.ecc = {StructureKind::indices, StructureKind::counters};
  out.push_back(csr);
  return out;
}

EncodedLayer uncached(const Layer& l, std::uint64_t seed, const EncodingConfig& c) {
  return hmasim::encode_layer(l, hmasim::generate_weights(l, seed), c);
}

// Field by field: an EncodedLayer has no operator==.
void expect_same(const EncodedLayer& a, const EncodedLayer& b) {
  EXPECT_EQ(a.encoding, b.encoding);
  EXPECT_EQ(a.atoms.atomic_c, b.atoms.atomic_c);
  EXPECT_EQ(a.atoms.atomic_k, b.atoms.atomic_k);
  ASSERT_EQ(a.structures.size(), b.structures.size());
  for (std::size_t i = 0; i < a.structures.size(); ++i) {
    const auto& x = a.structures[i];
    const auto& y = b.structures[i];
    EXPECT_EQ(x.kind, y.kind) << i;
    EXPECT_EQ(x.protects, y.protects) << i;
    EXPECT_EQ(x.element_bits, y.element_bits) << i;
    EXPECT_EQ(x.elements, y.elements) << i;
    EXPECT_EQ(x.word_bits, y.word_bits) << i;
    EXPECT_EQ(x.bytes, y.bytes) << i;
  }
}

std::vector<fs::path> files_in(const fs::path& dir) {
  std::vector<fs::path> out;
  for (const auto& e : fs::directory_iterator(dir)) out.push_back(e.path());
  std::sort(out.begin(), out.end());
  return out;
}

TEST(workloadWeightCache, KeysChangeWithEveryInput) {
  const Layer base = conv_layer();
  const EncodingConfig config = bitmask_config();
  const std::string key = hmasim::encoded_layer_key(base, 1, config).hash;
  EXPECT_EQ(key.size(), 32u);
  EXPECT_EQ(hmasim::encoded_layer_key(base, 1, config).hash, key);  // deterministic

  std::set<std::string> keys{key};
  const auto differs = [&](const std::string& what, const Layer& l, std::uint64_t seed,
                           const EncodingConfig& c, const hmasim::WeightDistribution& d = {}) {
    const std::string k = hmasim::encoded_layer_key(l, seed, c, d).hash;
    EXPECT_TRUE(keys.insert(k).second) << what << " did not change the key";
  };
  differs("seed", base, 2, config);
  differs("sparsity", conv_layer({{"sparsity", "0.61"}}), 1, config);
  differs("cluster bits", conv_layer({{"cluster_bits", "5"}}), 1, config);
  differs("precision", conv_layer({{"precision", "6"}}), 1, config);
  // The same weight count in another shape: 360 kernels of 1x1 against 40 of 3x3.
  const Layer reshaped = conv_layer({{"k", "360"}, {"r", "1"}, {"padding", "0"}});
  ASSERT_EQ(reshaped.weights, base.weights);
  differs("geometry", reshaped, 1, config);
  Layer moved = base;
  moved.index = 3;
  differs("layer index", moved, 1, config);
  differs("distribution", base, 1, config, hmasim::WeightDistribution{0.2});
  for (const EncodingConfig& c : all_configs()) {
    if (c.encoding != config.encoding) differs(to_string(c.encoding), base, 1, c);
  }
  const std::vector<std::pair<std::string, std::function<void(EncodingConfig&)>>> changes = {
      {"idxsync", [](EncodingConfig& c) { c.idxsync = false; }},
      {"ecc", [](EncodingConfig& c) { c.ecc = {StructureKind::mask}; }},
      {"ecc order",
       [](EncodingConfig& c) {
         c.ecc = {StructureKind::counters, StructureKind::mask};
       }},
      {"ecc word", [](EncodingConfig& c) { c.ecc_code.word_bits = 4096; }},
      {"ecc parity", [](EncodingConfig& c) { c.ecc_code.parity_bits = 30; }},
      {"value coding", [](EncodingConfig& c) { c.values = hmasim::ValueCoding::fixed; }},
      {"value bits", [](EncodingConfig& c) { c.value_bits = 6; }},
      {"config cluster bits", [](EncodingConfig& c) { c.cluster_bits = 3u; }},
      {"atoms", [](EncodingConfig& c) { c.atoms.atomic_c = 16; }},
      {"kmeans", [](EncodingConfig& c) { c.kmeans.max_iterations = 7; }},
      {"csr index", [](EncodingConfig& c) { c.csr.index_bits = 4; }},
      {"csr counter", [](EncodingConfig& c) { c.csr.counter_bits = 9; }},
  };
  for (const auto& change : changes) {
    EncodingConfig c = config;
    change.second(c);
    differs(change.first, base, 1, c);
  }
  // The generated weights' key ignores the encoding (encodings share them) and the layer's name,
  // but not the seed or the weights' own properties.
  EncodingConfig csr = config;
  csr.encoding = hmasim::Encoding::csr;
  EXPECT_EQ(hmasim::generated_weights_key(base, 1).hash,
            hmasim::generated_weights_key(base, 1).hash);
  Layer renamed = base;
  renamed.name = "other";
  EXPECT_EQ(hmasim::generated_weights_key(renamed, 1).hash,
            hmasim::generated_weights_key(base, 1).hash);
  EXPECT_NE(hmasim::generated_weights_key(base, 2).hash,
            hmasim::generated_weights_key(base, 1).hash);
  EXPECT_NE(hmasim::generated_weights_key(conv_layer({{"sparsity", "0.5"}}), 1).hash,
            hmasim::generated_weights_key(base, 1).hash);
  // The key text says what it is keyed by, versions included.
  const std::string text = hmasim::encoded_layer_key(base, 1, config).text;
  EXPECT_NE(text.find("generator=" + std::to_string(hmasim::kWeightGeneratorVersion) + "\n"),
            std::string::npos)
      << text;
  EXPECT_NE(text.find("encoder=" + std::to_string(hmasim::kWeightEncoderVersion) + "\n"),
            std::string::npos)
      << text;
}

TEST(workloadWeightCache, ColdAndWarmReadsEqualEncodingAnew) {
  const fs::path dir = fresh_dir("cold_warm");
  const Layer layer = conv_layer();
  for (const EncodingConfig& c : all_configs()) {
    const EncodedLayer reference = uncached(layer, 9, c);
    WeightCache cold(dir.string());
    expect_same(cold.encoded_layer(layer, 9, c), reference);
    WeightCache warm(dir.string());  // a new process would see the same directory
    expect_same(warm.encoded_layer(layer, 9, c), reference);
    EXPECT_EQ(warm.stats().encoded_hits, 1u) << to_string(c.encoding);
    EXPECT_EQ(warm.stats().generated, 0u);
    EXPECT_EQ(warm.stats().stored, 0u);
  }
  // The first encoding generated the weights; every later one found them.
  WeightCache again(dir.string());
  EXPECT_EQ(again.generated_weights(layer, 9), hmasim::generate_weights(layer, 9));
  EXPECT_EQ(again.stats().weights_hits, 1u);
  // One weights file and one per encoding, no temporary files left.
  const auto files = files_in(dir);
  EXPECT_EQ(files.size(), 1 + all_configs().size());
  for (const fs::path& f : files) EXPECT_NE(f.filename().string()[0], '.') << f;
}

TEST(workloadWeightCache, EncodingsShareTheGeneratedWeights) {
  const fs::path dir = fresh_dir("share");
  const Layer layer = conv_layer();
  const auto configs = all_configs();
  {
    WeightCache c(dir.string());
    c.encoded_layer(layer, 4, configs[0]);
    EXPECT_EQ(c.stats().generated, 1u);
    EXPECT_EQ(c.stats().stored, 2u);
  }
  WeightCache c(dir.string());
  expect_same(c.encoded_layer(layer, 4, configs[2]), uncached(layer, 4, configs[2]));
  const WeightCacheStats s = c.stats();
  EXPECT_EQ(s.encoded_hits, 0u);
  EXPECT_EQ(s.weights_hits, 1u);
  EXPECT_EQ(s.generated, 0u);
  EXPECT_EQ(s.stored, 1u);
}

// Damage of every kind to one file: the next read still returns the right data, counts the file
// as rejected and rewrites it, so the read after that is a hit again.
TEST(workloadWeightCache, DamagedFilesAreMissesAndRewritten) {
  const fs::path dir = fresh_dir("damage");
  const Layer layer = conv_layer();
  const EncodingConfig config = bitmask_config();
  const EncodedLayer reference = uncached(layer, 3, config);
  WeightCache(dir.string()).encoded_layer(layer, 3, config);
  const std::string path =
      WeightCache(dir.string()).path_of(hmasim::encoded_layer_key(layer, 3, config), "encoded");
  const std::string good = hmasim::test::slurp(path);
  ASSERT_GT(good.size(), 200u);

  std::vector<std::pair<std::string, std::string>> damaged;
  for (std::size_t size : {std::size_t{0}, std::size_t{10}, std::size_t{39}, std::size_t{40},
                           good.size() / 2, good.size() - 1}) {
    damaged.push_back({"truncated to " + std::to_string(size), good.substr(0, size)});
  }
  damaged.push_back({"one byte appended", good + "x"});
  // Magic, format version, byte order, sizes, checksum, key, the payload's table and its bytes.
  for (std::size_t at :
       {std::size_t{0}, std::size_t{8}, std::size_t{12}, std::size_t{16}, std::size_t{24},
        std::size_t{32}, std::size_t{45}, good.size() / 2, good.size() - 300, good.size() - 1}) {
    std::string flipped = good;
    flipped[at] = static_cast<char>(flipped[at] ^ 0x10);
    damaged.push_back({"byte " + std::to_string(at) + " flipped", flipped});
  }
  // A whole valid file of another key under this key's name (what a hash collision would give).
  WeightCache other(dir.string());
  other.encoded_layer(layer, 4, config);
  damaged.push_back(
      {"another key's file",
       hmasim::test::slurp(other.path_of(hmasim::encoded_layer_key(layer, 4, config), "encoded"))});
  for (const auto& d : damaged) {
    hmasim::test::spit(path, d.second);
    WeightCache c(dir.string());
    expect_same(c.encoded_layer(layer, 3, config), reference);
    EXPECT_EQ(c.stats().rejected, 1u) << d.first;
    EXPECT_EQ(c.stats().encoded_hits, 0u) << d.first;
    EXPECT_EQ(c.stats().weights_hits, 1u) << d.first;  // re-encoded from the cached weights
    EXPECT_EQ(hmasim::test::slurp(path), good) << d.first << ": not rewritten";
  }
  // The generated weights' file too.
  const std::string weights_path =
      WeightCache(dir.string()).path_of(hmasim::generated_weights_key(layer, 3), "weights");
  std::string w = hmasim::test::slurp(weights_path);
  w[w.size() - 5] = static_cast<char>(w[w.size() - 5] + 1);
  hmasim::test::spit(weights_path, w);
  WeightCache c(dir.string());
  EXPECT_EQ(c.generated_weights(layer, 3), hmasim::generate_weights(layer, 3));
  EXPECT_EQ(c.stats().rejected, 1u);
  EXPECT_EQ(c.stats().generated, 1u);
}

TEST(workloadWeightCache, ChecksumSeesEveryChangedWord) {
  std::mt19937_64 rng(5);
  std::vector<std::uint8_t> data(1000);
  for (auto& b : data) b = static_cast<std::uint8_t>(rng());
  const std::uint64_t sum = hmasim::weight_cache_checksum(data.data(), data.size());
  EXPECT_EQ(hmasim::weight_cache_checksum(data.data(), data.size()), sum);
  EXPECT_NE(hmasim::weight_cache_checksum(data.data(), data.size(), 1), sum);
  EXPECT_NE(hmasim::weight_cache_checksum(data.data(), data.size() - 1), sum);
  for (std::size_t i = 0; i < data.size(); ++i) {
    for (int bit = 0; bit < 8; ++bit) {
      data[i] ^= static_cast<std::uint8_t>(1u << bit);
      EXPECT_NE(hmasim::weight_cache_checksum(data.data(), data.size()), sum) << i << ":" << bit;
      data[i] ^= static_cast<std::uint8_t>(1u << bit);
    }
  }
}

TEST(workloadWeightCache, EntryNamesTakenByOtherFilesAreMisses) {
  const fs::path dir = fresh_dir("taken");
  const Layer layer = conv_layer();
  const EncodingConfig config = bitmask_config();
  WeightCache c(dir.string());
  // A directory where the encoded entry belongs: cannot be read nor replaced.
  const std::string encoded = c.path_of(hmasim::encoded_layer_key(layer, 6, config), "encoded");
  fs::create_directories(fs::path(encoded) / "inside");
  // A FIFO where the weights belong: must not block the reader; it is replaced.
  const std::string weights = c.path_of(hmasim::generated_weights_key(layer, 6), "weights");
  ASSERT_EQ(::mkfifo(weights.c_str(), 0600), 0);
  expect_same(c.encoded_layer(layer, 6, config), uncached(layer, 6, config));
  const WeightCacheStats s = c.stats();
  EXPECT_EQ(s.rejected, 2u);
  EXPECT_EQ(s.stored, 1u);
  EXPECT_EQ(s.write_failures, 1u);
  EXPECT_NE(c.first_write_failure().find(encoded), std::string::npos) << c.first_write_failure();
  EXPECT_NE(c.report().find("1 not written"), std::string::npos) << c.report();
  EXPECT_TRUE(fs::is_regular_file(weights));
  for (const fs::path& f : files_in(dir)) EXPECT_NE(f.filename().string()[0], '.') << f;
}

TEST(workloadWeightCache, DirectoryThatCannotBeOneIsAnError) {
  const fs::path dir = fresh_dir("not_a_dir");
  fs::create_directories(dir);
  hmasim::test::spit((dir / "file").string(), "x");
  EXPECT_THROW(WeightCache((dir / "file").string()), hmasim::WeightCacheError);
  EXPECT_THROW(WeightCache((dir / "file" / "below").string()), hmasim::WeightCacheError);
  EXPECT_THROW(WeightCache(""), hmasim::WeightCacheError);
  // Parents are made.
  WeightCache nested((dir / "a" / "b").string());
  EXPECT_TRUE(fs::is_directory(dir / "a" / "b"));
}

// Four processes fill one empty cache with the same layers at the same time, each with two
// threads (as a run's weight preparation does): every one gets the right layouts, and the
// directory ends with exactly one whole file per entry.
TEST(workloadWeightCache, ConcurrentWritersInSeveralProcesses) {
  const fs::path dir = fresh_dir("concurrent");
  std::vector<Layer> layers;
  for (std::size_t i = 0; i < 6; ++i) {
    Layer l = conv_layer({{"sparsity", "0." + std::to_string(i + 2)}});
    l.index = i;
    layers.push_back(l);
  }
  const auto configs = all_configs();
  std::vector<EncodedLayer> reference;
  for (const Layer& l : layers) {
    for (const EncodingConfig& c : configs) reference.push_back(uncached(l, 8, c));
  }
  std::vector<pid_t> children;
  for (int p = 0; p < 4; ++p) {
    const pid_t pid = ::fork();
    ASSERT_GE(pid, 0);
    if (pid == 0) {
      // No gtest assertions in the child: its exit status is the verdict.
      bool ok = true;
      try {
        WeightCache cache(dir.string());
        const auto work = [&](std::size_t first) {
          for (std::size_t k = first; k < reference.size(); k += 2) {
            const std::size_t i = (k + static_cast<std::size_t>(p)) % reference.size();
            const EncodedLayer got =
                cache.encoded_layer(layers[i / configs.size()], 8, configs[i % configs.size()]);
            const EncodedLayer& want = reference[i];
            bool same = got.structures.size() == want.structures.size();
            for (std::size_t s = 0; same && s < got.structures.size(); ++s) {
              same = got.structures[s].bytes == want.structures[s].bytes &&
                     got.structures[s].kind == want.structures[s].kind;
            }
            if (!same) ok = false;
          }
        };
        std::thread other(work, 1);
        work(0);
        other.join();
        if (cache.stats().rejected != 0 || cache.stats().write_failures != 0) ok = false;
      } catch (...) {
        ok = false;
      }
      ::_exit(ok ? 0 : 1);
    }
    children.push_back(pid);
  }
  for (pid_t pid : children) {
    int status = 0;
    ASSERT_EQ(::waitpid(pid, &status, 0), pid);
    EXPECT_TRUE(WIFEXITED(status) && WEXITSTATUS(status) == 0) << "child " << pid;
  }
  const auto files = files_in(dir);
  EXPECT_EQ(files.size(), layers.size() * (1 + configs.size()));
  for (const fs::path& f : files) EXPECT_NE(f.filename().string()[0], '.') << f;
  WeightCache warm(dir.string());
  for (std::size_t i = 0; i < reference.size(); ++i) {
    expect_same(warm.encoded_layer(layers[i / configs.size()], 8, configs[i % configs.size()]),
                reference[i]);
  }
  EXPECT_EQ(warm.stats().encoded_hits, reference.size());
}

// The platform builder with a cache: every layer's stored layout, and the bytes programmed into
// the memories, equal those of a platform built without one, cold and warm. (summary.json cannot
// show a wrong weight value: timing, energy and fault counts depend on sizes and cell levels.)
TEST(workloadWeightCache, AcceleratorProgramsTheSameBytesColdAndWarm) {
  const fs::path dir = fresh_dir("accelerator");
  hmasim::ConfigDocument::set_preset_directory(HMASIM_SOURCE_DIR "/platforms/presets");
  const hmasim::PlatformConfig platform =
      hmasim::load_platform(HMASIM_SOURCE_DIR "/platforms/maxnvm/nvdla64-mlc-rram.yaml", {});
  const hmasim::Network net = hmasim::load_network(hmasim::test::network_file("lenet5"));
  WeightCache cache(dir.string());
  hmasim::RunOptions cached;
  cached.weight_cache = &cache;
  std::vector<std::unique_ptr<hmasim::EnergyLedger>> ledgers;
  std::vector<std::unique_ptr<hmasim::Accelerator>> accs;
  for (const char* name : {"plain", "cold", "warm"}) {
    ledgers.push_back(std::make_unique<hmasim::EnergyLedger>());
    accs.push_back(std::make_unique<hmasim::Accelerator>(
        name, platform.memories, *platform.accelerator, net,
        std::string(name) == "plain" ? hmasim::RunOptions{} : cached, *ledgers.back()));
    if (std::string(name) == "cold") {
      EXPECT_EQ(cache.stats().encoded_hits, 0u);
    }
  }
  EXPECT_GT(cache.stats().encoded_hits, 0u);
  EXPECT_EQ(cache.stats().encoded_hits, cache.stats().generated);
  const auto programmed = [](const hmasim::Accelerator& a, std::size_t layer) {
    const hmasim::Region& r = a.placement().weights[layer];
    std::vector<std::uint8_t> bytes(r.bytes);
    EXPECT_TRUE(a.memories()[r.memory]->debug_read(r.offset, bytes.data(), bytes.size()));
    return bytes;
  };
  const auto& plain = accs[0]->stored_weights();
  for (std::size_t k = 1; k < accs.size(); ++k) {
    const auto& other = accs[k]->stored_weights();
    ASSERT_EQ(other.size(), plain.size());
    for (std::size_t i = 0; i < plain.size(); ++i) {
      expect_same(other[i].layout, plain[i].layout);
      EXPECT_EQ(other[i].offsets, plain[i].offsets);
      EXPECT_EQ(other[i].bytes, plain[i].bytes);
      EXPECT_EQ(other[i].checked, plain[i].checked);
      if (plain[i].bytes > 0) {
        EXPECT_EQ(programmed(*accs[k], i), programmed(*accs[0], i)) << i;
      }
    }
  }
}

}  // namespace
