#include "workloads/weight_cache.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <array>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <optional>
#include <type_traits>
#include <utility>

namespace hmasim {

namespace {

// Tripwires: every field of these structs is in a cache key or a cache file. A new field changes
// the size (usually) and stops the build here: key or store it, and bump kWeightEncoderVersion
// (or kWeightCacheFormat). Sizes of the x86-64 Linux ABI the project is built for.
#if defined(__x86_64__) && defined(__GLIBCXX__)
static_assert(sizeof(EncodingConfig) == 96, "EncodingConfig changed: key its new fields");
static_assert(sizeof(NvdlaAtoms) == 16 && sizeof(KMeansOptions) == 4 && sizeof(CsrOptions) == 8 &&
                  sizeof(SecdedConfig) == 16,
              "an encoding option struct changed: key its new fields");
static_assert(sizeof(KernelGeometry) == 40, "KernelGeometry changed: key its new fields");
static_assert(sizeof(WeightDistribution) == 8, "WeightDistribution changed: key its new fields");
static_assert(sizeof(EncodedStructure) == 56 && sizeof(EncodedLayer) == 48,
              "EncodedLayer changed: store its new fields and bump kWeightCacheFormat");
#endif

// ---- checksum ----------------------------------------------------------------------------------

constexpr std::uint64_t kMulA = 0x9e3779b97f4a7c15ull;
constexpr std::uint64_t kMulB = 0xd6e8feb86659fd93ull;

constexpr std::uint64_t rotl(std::uint64_t x, int r) {
  return (x << r) | (x >> (64 - r));
}
// A bijection of `acc` for every word, and of the word for every `acc`: a change of one word
// always changes the lane it enters, and nothing after it can undo that.
constexpr std::uint64_t mix_word(std::uint64_t acc, std::uint64_t word) {
  return rotl(acc ^ (word * kMulA), 31) * kMulB;
}

// Streams bytes through four independent lanes of 8-byte words (the multiplications of the lanes
// overlap in the CPU, so this runs at several bytes per cycle).
class Hasher {
 public:
  explicit Hasher(std::uint64_t seed)
      : lanes_{seed ^ kMulA, seed + kMulB, seed, seed - kMulA}, pending_{} {}

  void update(const void* data, std::size_t size) {
    const auto* p = static_cast<const std::uint8_t*>(data);
    total_ += size;
    if (buffered_ > 0) {
      const std::size_t take = std::min(size, kBlock - buffered_);
      std::memcpy(pending_.data() + buffered_, p, take);
      buffered_ += take;
      p += take;
      size -= take;
      if (buffered_ < kBlock) return;
      block(pending_.data());
      buffered_ = 0;
    }
    for (; size >= kBlock; p += kBlock, size -= kBlock) block(p);
    std::memcpy(pending_.data(), p, size);
    buffered_ = size;
  }

  std::uint64_t finish() const {
    std::uint64_t h = total_;
    for (std::uint64_t lane : lanes_) h = mix_word(h, lane);
    std::array<std::uint8_t, kBlock> tail{};
    std::memcpy(tail.data(), pending_.data(), buffered_);
    for (std::size_t i = 0; i < buffered_; i += 8) h = mix_word(h, word(tail.data() + i));
    h ^= h >> 33;
    h *= kMulB;
    h ^= h >> 29;
    h *= kMulA;
    return h ^ (h >> 32);
  }

 private:
  static constexpr std::size_t kBlock = 32;
  static std::uint64_t word(const std::uint8_t* p) {
    std::uint64_t w;
    std::memcpy(&w, p, 8);
    return w;
  }
  void block(const std::uint8_t* p) {
    for (std::size_t i = 0; i < 4; ++i) lanes_[i] = mix_word(lanes_[i], word(p + 8 * i));
  }

  std::array<std::uint64_t, 4> lanes_;
  std::array<std::uint8_t, kBlock> pending_;
  std::size_t buffered_ = 0;
  std::uint64_t total_ = 0;
};

// ---- keys -------------------------------------------------------------------------------------

// Doubles by their bits: exact, and independent of the locale.
std::string bits_of(double v) {
  std::uint64_t b;
  std::memcpy(&b, &v, sizeof b);
  char text[19];
  std::snprintf(text, sizeof text, "0x%016llx", static_cast<unsigned long long>(b));
  return text;
}

class KeyText {
 public:
  KeyText& add(const char* field, const std::string& value) {
    text_ += field;
    text_ += '=';
    text_ += value;
    text_ += '\n';
    return *this;
  }
  KeyText& add(const char* field, std::uint64_t value) { return add(field, std::to_string(value)); }
  template <class T>
  KeyText& add_optional(const char* field, const std::optional<T>& value) {
    return add(field, value ? std::to_string(*value) : std::string("none"));
  }

  WeightCacheKey key() const {
    char hex[33];
    std::snprintf(
        hex, sizeof hex, "%016llx%016llx",
        static_cast<unsigned long long>(weight_cache_checksum(text_.data(), text_.size(), 1)),
        static_cast<unsigned long long>(weight_cache_checksum(text_.data(), text_.size(), 2)));
    return {text_, hex};
  }

 private:
  std::string text_;
};

void add_weight_fields(KeyText& k, const Layer& layer, std::uint64_t seed,
                       const WeightDistribution& d) {
  k.add("format", kWeightCacheFormat)
      .add("generator", kWeightGeneratorVersion)
      .add("seed", seed)
      .add("layer.index", static_cast<std::uint64_t>(layer.index))
      .add("layer.weights", layer.weights)
      .add("layer.precision", layer.precision)
      .add("layer.sparsity", bits_of(layer.sparsity))
      .add_optional("layer.cluster_bits", layer.cluster_bits)
      .add("distribution.sigma_of_max", bits_of(d.sigma_of_max));
}

// ---- files ------------------------------------------------------------------------------------

constexpr char kMagic[8] = {'H', 'M', 'A', 'S', 'W', 'C', 'A', 'C'};
constexpr std::uint32_t kByteOrder = 0x01020304;

// The start of every file; then the key text, then the payload.
struct FileHeader {
  char magic[8];
  std::uint32_t format;
  std::uint32_t byte_order;  // as written: another byte order reads it differently
  std::uint64_t key_bytes;
  std::uint64_t payload_bytes;
  std::uint64_t checksum;  // of this header (with checksum 0), the key and the payload
};
static_assert(sizeof(FileHeader) == 40 && std::is_trivially_copyable_v<FileHeader>);

// Pieces of a payload, in file order (the writer's structures lie in separate vectors).
using Pieces = std::vector<std::pair<const void*, std::size_t>>;

std::uint64_t file_checksum(FileHeader h, const std::string& key, const Pieces& payload) {
  h.checksum = 0;
  Hasher s(0x77656967687473ull);
  s.update(&h, sizeof h);
  s.update(key.data(), key.size());
  for (const auto& piece : payload) s.update(piece.first, piece.second);
  return s.finish();
}

// A file mapped read-only for the mapping's lifetime (the descriptor is closed at once: the
// mapping keeps the file's pages, even if the file is replaced by a rename meanwhile).
class MappedFile {
 public:
  // nullopt if the file cannot be opened or mapped, or is not a regular file; `missing` says
  // whether it does not exist.
  static std::optional<MappedFile> open(const std::string& path, bool& missing) {
    // O_NONBLOCK: a FIFO planted under an entry's name must not block the run.
    const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC | O_NONBLOCK);
    missing = fd < 0 && errno == ENOENT;
    if (fd < 0) return std::nullopt;
    struct stat st {};
    std::optional<MappedFile> out;
    if (::fstat(fd, &st) == 0 && S_ISREG(st.st_mode)) {
      MappedFile m;
      m.size_ = static_cast<std::size_t>(st.st_size);
      if (m.size_ == 0) {
        out = std::move(m);
      } else {
        // MAP_POPULATE: every entry is read whole (checksum, then copy), so its pages are mapped in
        // one call rather than one page fault at a time.
        void* at = ::mmap(nullptr, m.size_, PROT_READ, MAP_PRIVATE | MAP_POPULATE, fd, 0);
        if (at != MAP_FAILED) {
          m.data_ = static_cast<const std::uint8_t*>(at);
          out = std::move(m);
        }
      }
    }
    ::close(fd);
    return out;
  }

  MappedFile(MappedFile&& o) noexcept
      : data_(std::exchange(o.data_, nullptr)), size_(std::exchange(o.size_, 0)) {}
  MappedFile& operator=(MappedFile&& o) noexcept {
    if (this != &o) {
      unmap();
      data_ = std::exchange(o.data_, nullptr);
      size_ = std::exchange(o.size_, 0);
    }
    return *this;
  }
  MappedFile(const MappedFile&) = delete;
  MappedFile& operator=(const MappedFile&) = delete;
  ~MappedFile() { unmap(); }

  const std::uint8_t* data() const { return data_; }
  std::size_t size() const { return size_; }

 private:
  MappedFile() = default;
  void unmap() {
    if (data_) ::munmap(const_cast<std::uint8_t*>(data_), size_);
    data_ = nullptr;
  }

  const std::uint8_t* data_ = nullptr;
  std::size_t size_ = 0;
};

// A mapped entry whose header, key and checksum were verified.
struct VerifiedEntry {
  MappedFile file;
  const std::uint8_t* payload = nullptr;
  std::size_t payload_bytes = 0;
};

enum class Lookup { missing, damaged, found };

Lookup read_entry(const std::string& path, const WeightCacheKey& key,
                  std::optional<VerifiedEntry>& out) {
  bool missing = false;
  std::optional<MappedFile> file = MappedFile::open(path, missing);
  if (!file) return missing ? Lookup::missing : Lookup::damaged;
  if (file->size() < sizeof(FileHeader)) return Lookup::damaged;
  FileHeader h;
  std::memcpy(&h, file->data(), sizeof h);
  const std::size_t rest = file->size() - sizeof h;
  if (std::memcmp(h.magic, kMagic, sizeof kMagic) != 0 || h.format != kWeightCacheFormat ||
      h.byte_order != kByteOrder || h.key_bytes != key.text.size() || h.key_bytes > rest ||
      h.payload_bytes != rest - h.key_bytes) {
    return Lookup::damaged;
  }
  const std::uint8_t* key_at = file->data() + sizeof h;
  if (std::memcmp(key_at, key.text.data(), key.text.size()) != 0) return Lookup::damaged;
  const std::uint8_t* payload = key_at + h.key_bytes;
  const auto payload_bytes = static_cast<std::size_t>(h.payload_bytes);
  if (file_checksum(h, key.text, {{payload, payload_bytes}}) != h.checksum) return Lookup::damaged;
  out = VerifiedEntry{std::move(*file), payload, payload_bytes};
  return Lookup::found;
}

bool write_all(int fd, const void* data, std::size_t size) {
  const auto* p = static_cast<const std::uint8_t*>(data);
  while (size > 0) {
    const ssize_t n = ::write(fd, p, size);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return false;
    p += n;
    size -= static_cast<std::size_t>(n);
  }
  return true;
}

// ---- the encoded layout -----------------------------------------------------------------------

// Payload of an .encoded file: a LayoutHead, one StructureHead per structure, then the structures'
// bytes in order.
struct LayoutHead {
  std::uint32_t encoding;
  std::uint32_t structures;
  std::uint64_t atomic_c;
  std::uint64_t atomic_k;
};
struct StructureHead {
  std::uint32_t kind;
  std::uint32_t protects;
  std::uint32_t element_bits;
  std::uint32_t reserved;
  std::uint64_t elements;
  std::uint64_t word_bits;
  std::uint64_t bytes;
};
static_assert(sizeof(LayoutHead) == 24 && sizeof(StructureHead) == 40);

constexpr std::uint32_t kEncodings = 4;       // Encoding::dense .. csr
constexpr std::uint32_t kStructureKinds = 7;  // StructureKind::values .. lut

std::optional<EncodedLayer> parse_layout(const std::uint8_t* p, std::size_t size) {
  LayoutHead head;
  if (size < sizeof head) return std::nullopt;
  std::memcpy(&head, p, sizeof head);
  size -= sizeof head;
  p += sizeof head;
  if (head.encoding >= kEncodings || head.structures > size / sizeof(StructureHead)) {
    return std::nullopt;
  }
  EncodedLayer out;
  out.encoding = static_cast<Encoding>(head.encoding);
  out.atoms = NvdlaAtoms{head.atomic_c, head.atomic_k};
  std::vector<StructureHead> heads(head.structures);
  std::memcpy(heads.data(), p, heads.size() * sizeof(StructureHead));
  p += heads.size() * sizeof(StructureHead);
  size -= heads.size() * sizeof(StructureHead);
  for (const StructureHead& h : heads) {
    if (h.kind >= kStructureKinds || h.protects >= kStructureKinds || h.bytes > size) {
      return std::nullopt;
    }
    EncodedStructure s;
    s.kind = static_cast<StructureKind>(h.kind);
    s.protects = static_cast<StructureKind>(h.protects);
    s.element_bits = h.element_bits;
    s.elements = h.elements;
    s.word_bits = h.word_bits;
    s.bytes.assign(p, p + h.bytes);
    p += h.bytes;
    size -= static_cast<std::size_t>(h.bytes);
    out.structures.push_back(std::move(s));
  }
  if (size != 0) return std::nullopt;
  return out;
}

}  // namespace

std::uint64_t weight_cache_checksum(const void* data, std::size_t size, std::uint64_t seed) {
  Hasher h(seed);
  h.update(data, size);
  return h.finish();
}

WeightCacheKey generated_weights_key(const Layer& layer, std::uint64_t seed,
                                     const WeightDistribution& distribution) {
  KeyText k;
  k.add("entry", "weights");
  add_weight_fields(k, layer, seed, distribution);
  return k.key();
}

WeightCacheKey encoded_layer_key(const Layer& layer, std::uint64_t seed, const EncodingConfig& c,
                                 const WeightDistribution& distribution) {
  KeyText k;
  k.add("entry", "encoded");
  add_weight_fields(k, layer, seed, distribution);
  const KernelGeometry g = kernel_geometry(layer);
  std::string ecc;
  for (StructureKind s : c.ecc) ecc += std::string(ecc.empty() ? "" : ",") + to_string(s);
  k.add("encoder", kWeightEncoderVersion)
      .add("geometry.groups", g.groups)
      .add("geometry.kernels_per_group", g.kernels_per_group)
      .add("geometry.channels", g.channels)
      .add("geometry.r", g.r)
      .add("geometry.s", g.s)
      .add("encoding", to_string(c.encoding))
      .add("atoms.c", c.atoms.atomic_c)
      .add("atoms.k", c.atoms.atomic_k)
      .add("values", c.values == ValueCoding::fixed ? "fixed" : "cluster")
      .add("value_bits", c.value_bits)
      .add_optional("cluster_bits", c.cluster_bits)
      .add("kmeans.max_iterations", c.kmeans.max_iterations)
      .add("csr.index_bits", c.csr.index_bits)
      .add("csr.counter_bits", c.csr.counter_bits)
      .add("idxsync", c.idxsync ? 1 : 0)
      .add("ecc", ecc.empty() ? "none" : ecc)
      .add("ecc.word_bits", c.ecc_code.word_bits)
      .add("ecc.parity_bits", c.ecc_code.parity_bits);
  // Only when on, so that the keys of every cache written before Winograd stay valid.
  if (c.winograd) k.add("winograd", 1);
  return k.key();
}

WeightCache::WeightCache(std::string directory) : directory_(std::move(directory)) {
  namespace fs = std::filesystem;
  std::error_code ec;
  if (directory_.empty()) throw WeightCacheError("the weight cache directory is empty");
  fs::create_directories(directory_, ec);
  if (!fs::is_directory(directory_)) {
    throw WeightCacheError("weight cache '" + directory_ +
                           "': " + (ec ? ec.message() : std::string("not a directory")));
  }
}

std::string WeightCache::path_of(const WeightCacheKey& key, const char* kind) const {
  return directory_ + "/" + key.hash + "." + kind;
}

WeightCacheStats WeightCache::stats() const {
  return {encoded_hits_.load(), weights_hits_.load(), generated_.load(),
          stored_.load(),       rejected_.load(),     write_failures_.load()};
}

std::string WeightCache::report() const {
  const WeightCacheStats s = stats();
  std::string out = "weight cache '" + directory_ + "': " + std::to_string(s.encoded_hits) +
                    " layers read encoded, " + std::to_string(s.weights_hits) +
                    " encoded from cached weights, " + std::to_string(s.generated) +
                    " generated; " + std::to_string(s.stored) + " files written";
  if (s.rejected > 0) out += ", " + std::to_string(s.rejected) + " damaged or stale files replaced";
  if (s.write_failures > 0) {
    out += ", " + std::to_string(s.write_failures) + " not written (" + first_write_failure() + ")";
  }
  return out + "\n";
}

std::string WeightCache::first_write_failure() const {
  std::lock_guard<std::mutex> guard(failure_lock_);
  return first_failure_;
}

void WeightCache::store(const std::string& path, const WeightCacheKey& key,
                        const std::vector<std::pair<const void*, std::size_t>>& payload) {
  FileHeader h{};
  std::memcpy(h.magic, kMagic, sizeof kMagic);
  h.format = kWeightCacheFormat;
  h.byte_order = kByteOrder;
  h.key_bytes = key.text.size();
  for (const auto& piece : payload) h.payload_bytes += piece.second;
  h.checksum = file_checksum(h, key.text, payload);

  // A name no other writer uses (pid and a per-process counter), in the same directory so the
  // rename is atomic; a killed writer leaves at most a ".tmp-" file behind.
  const std::string temp = directory_ + "/.tmp-" + key.hash + "." + std::to_string(::getpid()) +
                           "." + std::to_string(temp_counter_++);
  const int fd = ::open(temp.c_str(), O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0666);
  bool ok = fd >= 0;
  int error = ok ? 0 : errno;
  if (ok) {
    ok = write_all(fd, &h, sizeof h) && write_all(fd, key.text.data(), key.text.size());
    for (const auto& piece : payload) ok = ok && write_all(fd, piece.first, piece.second);
    if (!ok) error = errno;
    if (::close(fd) != 0 && ok) {
      ok = false;
      error = errno;
    }
    if (ok && ::rename(temp.c_str(), path.c_str()) != 0) {
      ok = false;
      error = errno;
    }
    if (!ok) ::unlink(temp.c_str());
  }
  if (ok) {
    ++stored_;
    return;
  }
  ++write_failures_;
  std::lock_guard<std::mutex> guard(failure_lock_);
  if (first_failure_.empty()) {
    first_failure_ = "cannot write '" + path + "': " + std::strerror(error ? error : EIO);
  }
}

std::vector<std::int8_t> WeightCache::weights_through_cache(const Layer& layer, std::uint64_t seed,
                                                            const WeightDistribution& distribution,
                                                            bool count_hit) {
  const WeightCacheKey key = generated_weights_key(layer, seed, distribution);
  const std::string path = path_of(key, "weights");
  std::optional<VerifiedEntry> entry;
  const Lookup found = read_entry(path, key, entry);
  if (found == Lookup::found && entry->payload_bytes == layer.weights) {
    if (count_hit) ++weights_hits_;
    const auto* p = reinterpret_cast<const std::int8_t*>(entry->payload);
    return std::vector<std::int8_t>(p, p + entry->payload_bytes);
  }
  if (found != Lookup::missing) ++rejected_;
  std::vector<std::int8_t> weights = generate_weights(layer, seed, distribution);
  ++generated_;
  store(path, key, {{weights.data(), weights.size()}});
  return weights;
}

std::vector<std::int8_t> WeightCache::generated_weights(const Layer& layer, std::uint64_t seed,
                                                        const WeightDistribution& distribution) {
  return weights_through_cache(layer, seed, distribution, true);
}

EncodedLayer WeightCache::encoded_layer(const Layer& layer, std::uint64_t seed,
                                        const EncodingConfig& config,
                                        const WeightDistribution& distribution) {
  const WeightCacheKey key = encoded_layer_key(layer, seed, config, distribution);
  const std::string path = path_of(key, "encoded");
  std::optional<VerifiedEntry> entry;
  const Lookup found = read_entry(path, key, entry);
  if (found == Lookup::found) {
    if (std::optional<EncodedLayer> layout = parse_layout(entry->payload, entry->payload_bytes)) {
      ++encoded_hits_;
      layout->winograd = config.winograd;  // keyed: the file holds the transformed kernels
      return std::move(*layout);
    }
  }
  if (found != Lookup::missing) ++rejected_;
  entry.reset();
  // The generated weights may be cached for another encoding of the same layer. 16-bit weights
  // are generated anew (only their encoded layout is cached: dense is their one encoding).
  EncodedLayer out =
      layer.precision > 8
          ? encode_layer(layer, generate_weights16(layer, seed, distribution), config)
          : encode_layer(layer, weights_through_cache(layer, seed, distribution, true), config);
  if (layer.precision > 8) ++generated_;

  LayoutHead head{static_cast<std::uint32_t>(out.encoding),
                  static_cast<std::uint32_t>(out.structures.size()), out.atoms.atomic_c,
                  out.atoms.atomic_k};
  std::vector<StructureHead> heads;
  for (const EncodedStructure& s : out.structures) {
    heads.push_back({static_cast<std::uint32_t>(s.kind), static_cast<std::uint32_t>(s.protects),
                     s.element_bits, 0, s.elements, s.word_bits, s.bytes.size()});
  }
  Pieces payload{{&head, sizeof head}, {heads.data(), heads.size() * sizeof(StructureHead)}};
  for (const EncodedStructure& s : out.structures)
    payload.push_back({s.bytes.data(), s.bytes.size()});
  store(path, key, payload);
  return out;
}

}  // namespace hmasim
