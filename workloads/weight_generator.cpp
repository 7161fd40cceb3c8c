#include "workloads/weight_generator.hpp"

#include <algorithm>
#include <cmath>
#include <set>
#include <stdexcept>
#include <string>

namespace hmasim {

namespace {

// Unbiased integer in [0, n), n > 0, from the generator's raw output (Lemire 2019).
std::uint64_t below(std::mt19937_64& rng, std::uint64_t n) {
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
// from a guide table indexed by the top bits of the draw, so a draw costs about one comparison.
class DiscreteSampler {
 public:
  DiscreteSampler(std::vector<std::int8_t> values, const std::vector<std::uint64_t>& weights)
      : values_(std::move(values)) {
    for (std::uint64_t w : weights) {
      total_ += w;
      cumulative_.push_back(total_);
    }
    if (total_ == 0) throw std::invalid_argument("weight distribution has no mass");
    while ((total_ >> shift_) > 256) ++shift_;
    for (std::uint64_t j = 0, i = 0; j <= ((total_ - 1) >> shift_); ++j) {
      while (cumulative_[i] <= (j << shift_)) ++i;
      guide_.push_back(i);
    }
  }

  std::size_t draw_index(std::mt19937_64& rng) const {
    const std::uint64_t u = below(rng, total_);
    std::size_t i = guide_[u >> shift_];
    while (cumulative_[i] <= u) ++i;
    return i;
  }
  std::int8_t draw(std::mt19937_64& rng) const { return values_[draw_index(rng)]; }

 private:
  std::vector<std::int8_t> values_;
  std::vector<std::uint64_t> cumulative_;
  std::vector<std::size_t> guide_;  // first value whose cumulative weight exceeds j << shift_
  std::uint64_t total_ = 0;
  unsigned shift_ = 0;
};

// Integer weights (2^40 scale) of the non-zero values -q..-1, 1..q. Rounding the probabilities to
// integers once keeps the draws independent of the last bits of the platform's erfc.
struct ValueTable {
  std::vector<std::int8_t> values;
  std::vector<std::uint64_t> weights;
};

ValueTable value_table(std::uint32_t precision, const WeightDistribution& d) {
  const int q = (1 << (precision - 1)) - 1;
  const double sigma = d.sigma_of_max * q;
  auto cdf = [&](double x) { return 0.5 * std::erfc(-x / (sigma * std::sqrt(2.0))); };
  ValueTable t;
  for (int v = -q; v <= q; ++v) {
    if (v == 0) continue;
    const double lo = v == -q ? 0.0 : cdf(v - 0.5);
    const double hi = v == q ? 1.0 : cdf(v + 0.5);
    t.values.push_back(static_cast<std::int8_t>(v));
    t.weights.push_back(std::max<std::uint64_t>(1, std::llround((hi - lo) * 0x1p40)));
  }
  return t;
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
  return layer.weights;
}

std::vector<std::int8_t> generate_weights(const Layer& layer, std::uint64_t seed,
                                          const WeightDistribution& distribution) {
  if (layer.weights == 0) return {};
  if (layer.precision < 2 || layer.precision > 8) {
    throw std::invalid_argument("layer '" + layer.name + "': weights of " +
                                std::to_string(layer.precision) +
                                " bits cannot be generated (2 to 8 bits, stored as int8)");
  }
  if (!(distribution.sigma_of_max > 0.0)) {
    throw std::invalid_argument("weight distribution: sigma_of_max must be positive");
  }
  std::mt19937_64 rng = layer_generator(seed, layer.index);
  ValueTable table = value_table(layer.precision, distribution);
  const std::uint64_t n = layer.weights;
  const std::uint64_t zeros = zero_weight_count(layer);

  if (layer.cluster_bits) {
    // The codebook: as many distinct non-zero values as the index bits leave room for, drawn one
    // by one from the values not yet chosen (so even far tails cannot stall the draw).
    const std::uint64_t wanted = (std::uint64_t{1} << *layer.cluster_bits) - (zeros > 0 ? 1 : 0);
    if (wanted < table.values.size()) {
      ValueTable rest = std::move(table);
      std::set<std::int8_t> codebook;
      while (codebook.size() < wanted) {
        const std::size_t i = DiscreteSampler(rest.values, rest.weights).draw_index(rng);
        codebook.insert(rest.values[i]);
        rest.values.erase(rest.values.begin() + static_cast<std::ptrdiff_t>(i));
        rest.weights.erase(rest.weights.begin() + static_cast<std::ptrdiff_t>(i));
      }
      table = value_table(layer.precision, distribution);
      ValueTable clustered;
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
    if (!(word & bit)) {
      word |= bit;
      ++chosen;
    }
  }
  // Then the non-zero values, in weight order.
  const DiscreteSampler values(table.values, table.weights);
  std::vector<std::int8_t> out(n, 0);
  for (std::uint64_t i = 0; i < n; ++i) {
    const bool is_marked = (marked[i / 64] >> (i % 64)) & 1;
    if (is_marked != mark_zeros) out[i] = values.draw(rng);
  }
  return out;
}

}  // namespace hmasim
