#include "workloads/cluster_encoding.hpp"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdlib>
#include <stdexcept>
#include <string>

#include "workloads/bit_stream.hpp"

namespace hmasim {

namespace {

struct Bin {
  int value = 0;
  std::uint64_t count = 0;
};

// Index of the centroid nearest to v (the lower one on a tie); centroids ascending, non-empty.
std::size_t nearest(const std::vector<int>& centroids, int v) {
  std::size_t best = 0;
  for (std::size_t i = 1; i < centroids.size(); ++i) {
    if (std::abs(centroids[i] - v) < std::abs(centroids[best] - v)) best = i;
  }
  return best;
}

// Quantiles of the sorted values the bins describe: centroid j at rank (2j + 1) n / 2k.
std::vector<int> quantile_centroids(const std::vector<Bin>& bins, std::uint64_t n, std::size_t k) {
  std::vector<int> c;
  std::size_t bin = 0;
  std::uint64_t below = 0;  // values in bins before `bin`
  for (std::size_t j = 0; j < k; ++j) {
    const std::uint64_t rank = (2 * j + 1) * n / (2 * k);
    while (below + bins[bin].count <= rank) below += bins[bin++].count;
    if (c.empty() || c.back() != bins[bin].value) c.push_back(bins[bin].value);
  }
  return c;
}

// One Lloyd step: every centroid to the rounded mean of the bins nearest to it.
std::vector<int> lloyd_step(const std::vector<Bin>& bins, const std::vector<int>& centroids) {
  std::vector<std::int64_t> sum(centroids.size(), 0);
  std::vector<std::uint64_t> count(centroids.size(), 0);
  for (const Bin& b : bins) {
    const std::size_t i = nearest(centroids, b.value);
    sum[i] += static_cast<std::int64_t>(b.count) * b.value;
    count[i] += b.count;
  }
  std::vector<int> next;
  for (std::size_t i = 0; i < centroids.size(); ++i) {
    if (count[i] == 0) {
      next.push_back(centroids[i]);  // an empty cluster keeps its centroid
      continue;
    }
    int c =
        static_cast<int>(std::lround(static_cast<double>(sum[i]) / static_cast<double>(count[i])));
    // A cluster straddling zero (e.g. {-1, 1}) must not become the zero centroid: zeros are exact.
    if (c == 0) c = sum[i] >= 0 ? 1 : -1;
    next.push_back(c);
  }
  std::sort(next.begin(), next.end());
  next.erase(std::unique(next.begin(), next.end()), next.end());
  return next;
}

}  // namespace

Clustering cluster_weights(const std::vector<std::int8_t>& weights, unsigned bits,
                           const KMeansOptions& options) {
  if (bits < 1 || bits > 8) {
    throw std::invalid_argument("cluster indices take 1 to 8 bits (int8 weights), not " +
                                std::to_string(bits));
  }
  std::array<std::uint64_t, 256> histogram{};
  for (std::int8_t w : weights) ++histogram[static_cast<std::size_t>(w + 128)];
  const bool has_zero = histogram[128] > 0;
  std::vector<Bin> bins;  // the non-zero values, ascending
  std::uint64_t n = 0;
  for (int v = -128; v < 128; ++v) {
    const std::uint64_t count = histogram[static_cast<std::size_t>(v + 128)];
    if (v != 0 && count > 0) {
      bins.push_back({v, count});
      n += count;
    }
  }
  const std::size_t k = (std::size_t{1} << bits) - (has_zero ? 1 : 0);

  Clustering out;
  out.bits = bits;
  std::vector<int> centroids;
  if (bins.size() <= k) {
    for (const Bin& b : bins) centroids.push_back(b.value);
  } else {
    centroids = quantile_centroids(bins, n, k);
    out.converged = false;
    while (out.iterations < options.max_iterations) {
      std::vector<int> next = lloyd_step(bins, centroids);
      ++out.iterations;
      const bool moved = next != centroids;
      centroids = std::move(next);
      if (!moved) {
        out.converged = true;
        break;
      }
    }
  }
  if (has_zero) centroids.insert(std::upper_bound(centroids.begin(), centroids.end(), 0), 0);
  if (centroids.empty()) centroids.push_back(0);  // a layer without weights
  out.centroids.assign(centroids.begin(), centroids.end());
  return out;
}

ValueCoder cluster_coder(const Clustering& clustering) {
  return ValueCoder::lookup(clustering.bits, clustering.centroids);
}

EncodedStructure lut_structure(const ValueCoder& coder) {
  std::vector<std::uint8_t> bytes(coder.table().begin(), coder.table().end());
  bytes.resize(round_up(bytes.size(), kDataAlignment), 0);
  return make_structure(StructureKind::lut, 8, coder.table().size(), std::move(bytes));
}

ValueCoder coder_from_lut(const EncodedStructure& lut, unsigned bits) {
  // Entries the structure lacks decode as zero, so that any stored structure decodes.
  std::vector<std::int8_t> table(std::size_t{1} << std::min(bits, 8u), 0);
  std::copy_n(lut.bytes.begin(), std::min(table.size(), lut.bytes.size()), table.begin());
  return ValueCoder::lookup(bits, table);
}

}  // namespace hmasim
