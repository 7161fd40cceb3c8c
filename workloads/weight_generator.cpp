#include "workloads/weight_generator.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <set>
#include <sstream>
#include <stdexcept>
#include <string>

namespace hmasim {

namespace {

// std::mt19937_64's output sequence (the standard specifies it exactly), produced a state block
// at a time: the twist and the tempering of all 312 words run as two branch-free loops the
// compiler vectorises, and a draw is a load. libstdc++ tempers one output per call. Started from
// the state of a std::mt19937_64 through its textual representation, which the standard defines
// as the state words X(i-n) .. X(i-1) in order, so both engines continue with the same outputs.
// The engine given must not have been drawn from yet: libstdc++ then prints exactly those words
// (and its position, which is the start of a new block, as this engine's).
class BlockMt64 {
 public:
  explicit BlockMt64(const std::mt19937_64& fresh) {
    std::stringstream text;
    text << fresh;
    for (std::uint64_t& x : state_) text >> x;
  }

  std::uint64_t operator()() {
    if (next_ == kN) refill();
    return out_[next_++];
  }

 private:
  static constexpr std::size_t kN = 312, kM = 156;
  static constexpr std::uint64_t kA = 0xb5026f5aa96619e9ull, kUpper = ~std::uint64_t{0} << 31;

  static std::uint64_t twist(std::uint64_t x, std::uint64_t next, std::uint64_t far) {
    const std::uint64_t y = (x & kUpper) | (next & ~kUpper);
    return far ^ (y >> 1) ^ (kA & (0 - (y & 1)));
  }
  void refill() {
    // Words k and k + m of one pass never overlap within each of the three runs below.
    for (std::size_t k = 0; k < kN - kM; ++k)
      state_[k] = twist(state_[k], state_[k + 1], state_[k + kM]);
    for (std::size_t k = kN - kM; k < kN - 1; ++k) {
      state_[k] = twist(state_[k], state_[k + 1], state_[k + kM - kN]);
    }
    state_[kN - 1] = twist(state_[kN - 1], state_[0], state_[kM - 1]);
    for (std::size_t k = 0; k < kN; ++k) {
      std::uint64_t z = state_[k];
      z ^= (z >> 29) & 0x5555555555555555ull;
      z ^= (z << 17) & 0x71d67fffeda60000ull;
      z ^= (z << 37) & 0xfff7eee000000000ull;
      z ^= z >> 43;
      out_[k] = z;
    }
    next_ = 0;
  }

  std::array<std::uint64_t, kN> state_{};
  std::array<std::uint64_t, kN> out_{};
  std::size_t next_ = kN;
};

// Unbiased integer in [0, n), n > 0, from the generator's raw output (Lemire 2019).
template <class Engine>
std::uint64_t below(Engine& rng, std::uint64_t n) {
  unsigned __int128 m = static_cast<unsigned __int128>(rng()) * n;
  auto low = static_cast<std::uint64_t>(m);
  if (low < n) {
    const std::uint64_t threshold = (0 - n) % n;
    while (low < threshold) {
      m = static_cast<unsigned __int128>(rng()) * n;
      low = static_cast<std::uint64_t>(m);
    }
  }
  return static_cast<std::uint64_t>(m >> 64);
}

// Draws from a finite set of values with integer weights: inverse of the cumulative table, started
// from a guide table indexed by the top bits of the draw (at most `guide_size` entries). Any guide
// gives the same index for the same draw; a larger one lets almost every draw land in a bucket
// without a value boundary, so the search loop is rarely entered and its branch predicted.
template <class V>
class DiscreteSampler {
 public:
  DiscreteSampler(std::vector<V> values, const std::vector<std::uint64_t>& weights,
                  std::uint64_t guide_size = 256)
      : values_(std::move(values)) {
    for (std::uint64_t w : weights) {
      total_ += w;
      cumulative_.push_back(total_);
    }
    if (total_ == 0) throw std::invalid_argument("weight distribution has no mass");
    while ((total_ >> shift_) > guide_size) ++shift_;
    for (std::uint64_t j = 0, i = 0; j <= ((total_ - 1) >> shift_); ++j) {
      while (cumulative_[i] <= (j << shift_)) ++i;
      guide_.push_back(static_cast<std::uint16_t>(i));
    }
  }

  template <class Engine>
  std::size_t draw_index(Engine& rng) const {
    const std::uint64_t u = below(rng, total_);
    std::size_t i = guide_[u >> shift_];
    while (cumulative_[i] <= u) ++i;
    return i;
  }
  template <class Engine>
  V draw(Engine& rng) const {
    return values_[draw_index(rng)];
  }

 private:
  std::vector<V> values_;  // at most 65534 (int16 without zero), so indices fit 16 bits
  std::vector<std::uint64_t> cumulative_;
  std::vector<std::uint16_t> guide_;  // first value whose cumulative weight exceeds j << shift_
  std::uint64_t total_ = 0;
  unsigned shift_ = 0;
};

// Integer weights (2^40 scale) of the non-zero values -q..-1, 1..q. Rounding the probabilities to
// integers once keeps the draws independent of the last bits of the platform's erfc.
template <class V>
struct ValueTable {
  std::vector<V> values;
  std::vector<std::uint64_t> weights;
};

template <class V>
ValueTable<V> value_table(std::uint32_t precision, const WeightDistribution& d) {
  const int q = (1 << (precision - 1)) - 1;
  const double sigma = d.sigma_of_max * q;
  auto cdf = [&](double x) { return 0.5 * std::erfc(-x / (sigma * std::sqrt(2.0))); };
  ValueTable<V> t;
  for (int v = -q; v <= q; ++v) {
    if (v == 0) continue;
    const double lo = v == -q ? 0.0 : cdf(v - 0.5);
    const double hi = v == q ? 1.0 : cdf(v + 0.5);
    t.values.push_back(static_cast<V>(v));
    t.weights.push_back(std::max<std::uint64_t>(1, std::llround((hi - lo) * 0x1p40)));
  }
  return t;
}

// `wanted` (< the table's size) distinct values of `table`, drawn one by one from the values not
// yet chosen, each with probability proportional to its weight among them. A draw is one
// below(rng, remaining weight) and the first value whose cumulative remaining weight exceeds it:
// a Fenwick tree over the table's weights, a chosen value's weight set to zero, gives the draws
// (and the values) of a sampler rebuilt over the remaining values each time, in O(log n).
template <class V, class Engine>
std::set<V> draw_codebook(const ValueTable<V>& table, std::uint64_t wanted, Engine& rng) {
  const std::size_t n = table.values.size();
  std::vector<std::uint64_t> tree(n + 1, 0);  // tree[i]: weights of (i - lowbit(i), i]
  std::uint64_t total = 0;
  for (std::size_t i = 1; i <= n; ++i) {
    tree[i] += table.weights[i - 1];
    total += table.weights[i - 1];
    const std::size_t parent = i + (i & (0 - i));
    if (parent <= n) tree[parent] += tree[i];
  }
  std::size_t top = 1;
  while (2 * top <= n) top *= 2;
  std::set<V> codebook;
  while (codebook.size() < wanted) {
    std::uint64_t rest = below(rng, total);
    // The most leading values whose weights sum to at most the draw: the next one is drawn.
    std::size_t chosen = 0;
    for (std::size_t step = top; step > 0; step /= 2) {
      if (chosen + step <= n && tree[chosen + step] <= rest) {
        chosen += step;
        rest -= tree[chosen];
      }
    }
    codebook.insert(table.values[chosen]);
    const std::uint64_t w = table.weights[chosen];
    for (std::size_t i = chosen + 1; i <= n; i += i & (0 - i)) tree[i] -= w;
    total -= w;
  }
  return codebook;
}

// The generator for values of type V (int8 or int16): the same draws whatever the type, so the
// int8 weights are those of the generator's first release.
template <class V>
std::vector<V> generate_values(const Layer& layer, std::uint64_t seed,
                               const WeightDistribution& distribution, std::uint64_t guide_size) {
  if (!(distribution.sigma_of_max > 0.0)) {
    throw std::invalid_argument("weight distribution: sigma_of_max must be positive");
  }
  // Every draw comes from the block engine, started from the freshly seeded std::mt19937_64
  // (whose text form then is exactly its state words, in order).
  BlockMt64 rng(layer_generator(seed, layer.index));
  ValueTable<V> table = value_table<V>(layer.precision, distribution);
  const std::uint64_t n = layer.weights;
  const std::uint64_t zeros = zero_weight_count(layer);

  if (layer.cluster_bits) {
    // The codebook: as many distinct non-zero values as the index bits leave room for, drawn one
    // by one from the values not yet chosen (so even far tails cannot stall the draw).
    const std::uint64_t wanted = (std::uint64_t{1} << *layer.cluster_bits) - (zeros > 0 ? 1 : 0);
    if (wanted < table.values.size()) {
      const std::set<V> codebook = draw_codebook(table, wanted, rng);
      ValueTable<V> clustered;
      for (std::size_t i = 0; i < table.values.size(); ++i) {
        if (codebook.count(table.values[i])) {
          clustered.values.push_back(table.values[i]);
          clustered.weights.push_back(table.weights[i]);
        }
      }
      table = std::move(clustered);
    }
  }
  // Zero positions: the minority of zeros and non-zeros is drawn as distinct uniform positions
  // (rejection of repeats), which gives every subset of that size the same probability and costs
  // -n ln(1 - minority / n) < 0.7 n draws, against n for a draw per weight.
  const bool mark_zeros = zeros <= n - zeros;
  const std::uint64_t marks = mark_zeros ? zeros : n - zeros;
  std::vector<std::uint64_t> marked((n + 63) / 64, 0);
  for (std::uint64_t chosen = 0; chosen < marks;) {
    const std::uint64_t p = below(rng, n);
    std::uint64_t& word = marked[p / 64];
    const std::uint64_t bit = std::uint64_t{1} << (p % 64);
    chosen += (word & bit) == 0;
    word |= bit;
  }
  // Then the non-zero values, in weight order: the set bits of each word of non-zeros in turn,
  // so no branch depends on whether a weight is zero.
  const DiscreteSampler<V> values(table.values, table.weights, guide_size);
  std::vector<V> out(n, 0);
  for (std::uint64_t w = 0; w < marked.size(); ++w) {
    std::uint64_t nonzero = mark_zeros ? ~marked[w] : marked[w];
    if (w == marked.size() - 1 && n % 64 != 0) nonzero &= (std::uint64_t{1} << (n % 64)) - 1;
    for (; nonzero != 0; nonzero &= nonzero - 1) {
      out[64 * w + static_cast<std::uint64_t>(__builtin_ctzll(nonzero))] = values.draw(rng);
    }
  }
  return out;
}

}  // namespace

std::mt19937_64 layer_generator(std::uint64_t seed, std::size_t layer_index) {
  const auto index = static_cast<std::uint64_t>(layer_index);
  std::seed_seq seq{static_cast<std::uint32_t>(seed), static_cast<std::uint32_t>(seed >> 32),
                    static_cast<std::uint32_t>(index), static_cast<std::uint32_t>(index >> 32)};
  return std::mt19937_64(seq);
}

std::uint64_t zero_weight_count(const Layer& layer) {
  const double zeros = std::round(layer.sparsity * static_cast<double>(layer.weights));
  return std::min<std::uint64_t>(layer.weights, static_cast<std::uint64_t>(std::max(0.0, zeros)));
}

std::uint64_t generated_weight_bytes(const Layer& layer) {
  return layer.weights * (layer.precision > 8 ? 2 : 1);
}

std::vector<std::int8_t> generate_weights(const Layer& layer, std::uint64_t seed,
                                          const WeightDistribution& distribution) {
  if (layer.weights == 0) return {};
  if (layer.precision < 2 || layer.precision > 8) {
    throw std::invalid_argument("layer '" + layer.name + "': weights of " +
                                std::to_string(layer.precision) +
                                " bits cannot be generated as int8 (2 to 8 bits; 9 to 16 bits are "
                                "generated as int16)");
  }
  return generate_values<std::int8_t>(layer, seed, distribution, 4096);
}

std::vector<std::int16_t> generate_weights16(const Layer& layer, std::uint64_t seed,
                                             const WeightDistribution& distribution) {
  if (layer.weights == 0) return {};
  if (layer.precision < 9 || layer.precision > 16) {
    throw std::invalid_argument("layer '" + layer.name + "': weights of " +
                                std::to_string(layer.precision) +
                                " bits cannot be generated as int16 (9 to 16 bits; 2 to 8 bits are "
                                "generated as int8)");
  }
  // A guide entry per 16-bit value keeps the draw's search about as short as int8's.
  return generate_values<std::int16_t>(layer, seed, distribution, std::uint64_t{1} << 16);
}

}  // namespace hmasim
