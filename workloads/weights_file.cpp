#include "workloads/weights_file.hpp"

#include <cstring>
#include <fstream>
#include <iterator>
#include <set>
#include <sstream>

#include "core/file_output.hpp"

namespace hmasim {

namespace {

constexpr char kWeightsMagic[8] = {'H', 'M', 'A', 'S', 'I', 'M', 'W', '1'};
constexpr std::uint32_t kReluFlag = 1;
constexpr std::uint32_t kInt16Flag = 2;
constexpr std::int32_t kMaxRequantShift = 62;

// Little-endian fields from a byte buffer; a read past the end sets `short_` and returns 0, so a
// truncated file is one error, found once, without reading out of bounds.
class WeightsFileCursor {
 public:
  explicit WeightsFileCursor(const std::string& bytes) : bytes_(bytes) {}

  std::uint64_t unsigned_field(std::size_t width) {
    if (!have(width)) return 0;
    std::uint64_t v = 0;
    for (std::size_t i = 0; i < width; ++i) {
      v |= std::uint64_t{static_cast<unsigned char>(bytes_[at_ + i])} << (8 * i);
    }
    at_ += width;
    return v;
  }
  std::uint32_t u32() { return static_cast<std::uint32_t>(unsigned_field(4)); }
  std::uint64_t u64() { return unsigned_field(8); }
  std::int32_t i32() { return static_cast<std::int32_t>(u32()); }
  // `n` raw bytes (empty if fewer remain).
  const char* take(std::uint64_t n) {
    if (!have(n)) return nullptr;
    const char* p = bytes_.data() + at_;
    at_ += static_cast<std::size_t>(n);
    return p;
  }
  bool have(std::uint64_t n) {
    if (short_ || n > bytes_.size() - at_) short_ = true;
    return !short_;
  }
  bool truncated() const { return short_; }
  std::size_t offset() const { return at_; }
  std::size_t remaining() const { return bytes_.size() - at_; }

 private:
  const std::string& bytes_;
  std::size_t at_ = 0;
  bool short_ = false;
};

void put_le(std::string& out, std::uint64_t v, std::size_t width) {
  for (std::size_t i = 0; i < width; ++i) out += static_cast<char>((v >> (8 * i)) & 0xff);
}

std::uint64_t fnv1a64(const std::string& bytes) {
  std::uint64_t h = 0xcbf29ce484222325ULL;
  for (unsigned char c : bytes) {
    h ^= c;
    h *= 0x100000001b3ULL;
  }
  return h;
}

// What a layer's record must hold.
std::uint64_t output_channels(const Layer& l) {
  return l.out.c;
}

std::string geometry_text(const Layer& l) {
  const KernelGeometry g = kernel_geometry(l);
  std::ostringstream s;
  if (g.groups > 1) s << g.groups << " groups x ";
  s << g.kernels_per_group << " kernels x " << g.channels << " channels x " << g.r << " x " << g.s;
  return s.str();
}

}  // namespace

WeightsFileError::WeightsFileError(std::vector<std::string> problems)
    : std::runtime_error([&] {
        std::string all;
        for (const std::string& p : problems) all += (all.empty() ? "" : "\n") + p;
        return all;
      }()),
      problems_(std::move(problems)) {}

Requantisation default_softmax_scale(std::uint32_t precision) {
  Requantisation q;
  q.multiplier = 1;
  q.shift = precision > 8 ? 12 : 4;
  return q;
}

const LayerWeights* WeightsFile::find(const std::string& name) const {
  for (const LayerWeights& l : layers) {
    if (l.name == name) return &l;
  }
  return nullptr;
}

WeightsFile read_weights_file(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw WeightsFileError({path + ": cannot open the weights file"});
  const std::string bytes((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  if (in.bad()) throw WeightsFileError({path + ": cannot read the weights file"});
  const auto fail = [&](const std::string& why) { return WeightsFileError({path + ": " + why}); };

  WeightsFileCursor c(bytes);
  const char* magic = c.take(sizeof kWeightsMagic);
  if (!magic || std::memcmp(magic, kWeightsMagic, sizeof kWeightsMagic) != 0) {
    throw fail("not an hmasim weights file (it does not start with HMASIMW1; docs/weights.md)");
  }
  WeightsFile out;
  out.file = path;
  out.checksum = fnv1a64(bytes);
  const std::uint32_t records = c.u32();
  if (records > kMaxWeightsRecords) {
    throw fail("record count " + std::to_string(records) + " is more than " +
               std::to_string(kMaxWeightsRecords));
  }
  std::set<std::string> names;
  for (std::uint32_t i = 0; i < records && !c.truncated(); ++i) {
    const std::string where = "record " + std::to_string(i);
    const std::uint32_t name_bytes = c.u32();
    if (name_bytes == 0 || name_bytes > kMaxWeightsNameBytes) {
      if (c.truncated()) break;
      throw fail(where + ": a layer name of " + std::to_string(name_bytes) +
                 " bytes (expected 1 to " + std::to_string(kMaxWeightsNameBytes) + ")");
    }
    const char* name = c.take(name_bytes);
    if (!name) break;
    LayerWeights l;
    l.name.assign(name, name_bytes);
    const std::string at = "layer '" + l.name + "'";
    if (!names.insert(l.name).second) throw fail(at + ": a second record for this layer");
    const std::uint64_t weights = c.u64();
    const std::uint64_t biases = c.u64();
    const std::uint32_t flags = c.u32();
    const std::uint32_t scales = c.u32();
    if (c.truncated()) break;
    if (flags & ~(kReluFlag | kInt16Flag)) {
      throw fail(at + ": unknown flags " + std::to_string(flags) +
                 " (only bit 0, ReLU, and bit 1, int16 weights, are defined)");
    }
    l.relu = (flags & kReluFlag) != 0;
    const bool wide = (flags & kInt16Flag) != 0;
    const std::uint64_t element_bytes = wide ? 2 : 1;
    // Counts are checked against what is left before anything is allocated for them.
    if (weights > kMaxLayerWeights || weights > c.remaining() / element_bytes ||
        biases > c.remaining() / 4 || scales > c.remaining() / 8) {
      throw fail(at + ": " + std::to_string(weights) + " weights, " + std::to_string(biases) +
                 " biases and " + std::to_string(scales) + " scales do not fit in the " +
                 std::to_string(c.remaining()) + " bytes left of the file");
    }
    for (std::uint32_t k = 0; k < scales; ++k) {
      Requantisation q;
      q.multiplier = c.i32();
      q.shift = c.i32();
      if (q.multiplier < 1 || q.shift < 0 || q.shift > kMaxRequantShift) {
        if (c.truncated()) break;
        throw fail(at + ": scale " + std::to_string(k) + " has multiplier " +
                   std::to_string(q.multiplier) + " and shift " + std::to_string(q.shift) +
                   " (expected a multiplier of at least 1 and a shift of 0 to 62)");
      }
      l.scales.push_back(q);
    }
    const char* w = c.take(weights * element_bytes);
    if (!w) break;
    if (wide) {
      l.weights16.resize(static_cast<std::size_t>(weights));
      for (std::size_t k = 0; k < l.weights16.size(); ++k) {
        const auto lo = static_cast<unsigned char>(w[2 * k]);
        const auto hi = static_cast<unsigned char>(w[2 * k + 1]);
        l.weights16[k] = static_cast<std::int16_t>(static_cast<std::uint16_t>(lo | (hi << 8)));
      }
    } else {
      l.weights.resize(static_cast<std::size_t>(weights));
      // A record without weights (softmax) takes no bytes: no copy from a null pointer.
      if (!l.weights.empty()) std::memcpy(l.weights.data(), w, l.weights.size());
    }
    l.bias.reserve(static_cast<std::size_t>(biases));
    for (std::uint64_t k = 0; k < biases; ++k) l.bias.push_back(c.i32());
    out.layers.push_back(std::move(l));
  }
  if (c.truncated()) {
    throw fail("truncated: the file ends inside record " + std::to_string(out.layers.size()) +
               " (at byte " + std::to_string(bytes.size()) + ")");
  }
  if (c.remaining() != 0) {
    throw fail(std::to_string(c.remaining()) + " bytes after the last of " +
               std::to_string(records) + " records (at byte " + std::to_string(c.offset()) + ")");
  }
  return out;
}

std::string weights_file_bytes(const WeightsFile& weights) {
  std::string out(kWeightsMagic, sizeof kWeightsMagic);
  put_le(out, weights.layers.size(), 4);
  for (const LayerWeights& l : weights.layers) {
    put_le(out, l.name.size(), 4);
    out += l.name;
    const bool wide = !l.weights16.empty();
    put_le(out, l.weight_count(), 8);
    put_le(out, l.bias.size(), 8);
    put_le(out, (l.relu ? kReluFlag : 0) | (wide ? kInt16Flag : 0), 4);
    put_le(out, l.scales.size(), 4);
    for (const Requantisation& q : l.scales) {
      put_le(out, static_cast<std::uint32_t>(q.multiplier), 4);
      put_le(out, static_cast<std::uint32_t>(q.shift), 4);
    }
    out.append(reinterpret_cast<const char*>(l.weights.data()), l.weights.size());
    for (std::int16_t v : l.weights16) put_le(out, static_cast<std::uint16_t>(v), 2);
    for (std::int32_t b : l.bias) put_le(out, static_cast<std::uint32_t>(b), 4);
  }
  return out;
}

void write_weights_file(const std::string& path, const WeightsFile& weights) {
  try {
    write_file_atomically(path, weights_file_bytes(weights));
  } catch (const OutputError& e) {
    throw WeightsFileError({e.what()});
  }
}

void check_weights_file(const WeightsFile& weights, const Network& network) {
  std::vector<std::string> problems;
  const auto problem = [&](const std::string& layer, const std::string& why) {
    problems.push_back(weights.file + ": layer '" + layer + "': " + why);
  };
  for (const Layer& l : network.layers) {
    const LayerWeights* w = weights.find(l.name);
    if (l.type == LayerType::softmax) {
      // Only its input's scale.
      if (w && (w->weight_count() != 0 || !w->bias.empty() || w->scales.size() > 1 || w->relu)) {
        problem(l.name,
                "a softmax layer's record holds no weights, no biases, no ReLU and 0 or 1 scale "
                "(its input's real scale), got " +
                    std::to_string(w->weight_count()) + " weights, " +
                    std::to_string(w->bias.size()) + " biases and " +
                    std::to_string(w->scales.size()) + " scales");
      }
      continue;
    }
    if (!l.has_weights()) {
      if (w) problem(l.name, "has weights in the file, but the network's layer has none");
      continue;
    }
    if (!w) {
      problem(l.name, "no record in the file (expected " + std::to_string(l.weights) +
                          " weights: " + geometry_text(l) + ")");
      continue;
    }
    if (w->weight_count() != l.weights) {
      problem(l.name, "expected " + std::to_string(l.weights) + " weights (" + geometry_text(l) +
                          "), got " + std::to_string(w->weight_count()));
    }
    const std::uint64_t bias = l.bias ? output_channels(l) : 0;
    if (w->bias.size() != bias) {
      problem(l.name, "expected " + std::to_string(bias) + " biases (" +
                          (l.bias ? "one per output channel" : "the layer has bias: false") +
                          "), got " + std::to_string(w->bias.size()));
    }
    if (w->scales.size() > 1 && w->scales.size() != output_channels(l)) {
      problem(l.name, "expected 0, 1 or " + std::to_string(output_channels(l)) +
                          " scales (one per output channel), got " +
                          std::to_string(w->scales.size()));
    }
    if (l.precision < 2 || l.precision > 16) {
      problem(l.name, "real weights are int8 or int16: precision " + std::to_string(l.precision) +
                          " is not 2 to 16 bits");
      continue;
    }
    const bool wide = l.precision > 8;
    if (wide != !w->weights16.empty() && w->weight_count() > 0) {
      problem(l.name, std::string("the record holds ") + (wide ? "int8" : "int16") +
                          " weights; a " + std::to_string(l.precision) + "-bit layer takes " +
                          (wide ? "int16 (flag bit 1)" : "int8") + " weights");
      continue;
    }
    if (l.precision != 8 && l.precision != 16) {
      const int hi = (1 << (l.precision - 1)) - 1, lo = -(1 << (l.precision - 1));
      for (std::size_t i = 0; i < w->weight_count(); ++i) {
        const int v = wide ? w->weights16[i] : w->weights[i];
        if (v >= lo && v <= hi) continue;
        problem(l.name, "weight " + std::to_string(i) + " is " + std::to_string(v) +
                            ", outside the " + std::to_string(l.precision) + "-bit range " +
                            std::to_string(lo) + ".." + std::to_string(hi));
        break;
      }
    }
  }
  for (const LayerWeights& w : weights.layers) {
    if (!network.find(w.name)) {
      problem(w.name, "network '" + network.name + "' has no layer of this name");
    }
  }
  if (!problems.empty()) throw WeightsFileError(std::move(problems));
}

std::optional<WeightsFile> load_network_weights(const Network& network, const std::string& path) {
  const std::string& file = path.empty() ? network.weights : path;
  if (file.empty()) return std::nullopt;
  WeightsFile weights = read_weights_file(file);
  check_weights_file(weights, network);
  return weights;
}

}  // namespace hmasim
