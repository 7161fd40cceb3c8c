// Cluster-index weights (MaxNVM Sec. 3.1.2, after Han et al.'s deep compression): the weights of a
// layer are clustered by k-means into at most 2^b centroids; each weight is stored as the b-bit
// index of its centroid and a per-layer look-up table (LUT) maps indices back to values.
//
// Clustering, deterministic (no random restarts, so the same weights always give the same table):
// - zero stays exact: if the layer has zeros, one centroid is 0 and only zeros take it, so pruning
//   survives clustering and the sparse encodings see the same zero pattern; the other 2^b - 1
//   centroids (2^b without zeros) cluster the non-zero values;
// - if the non-zeros take no more distinct values than there are centroids, each value is its own
//   centroid: the clustering is exact (the generator's cluster_bits layers are such layers);
// - otherwise Lloyd's algorithm on the 1-D value histogram, started from the quantiles of the
//   sorted non-zero values (centroid j at rank (2j + 1) n / 2k, duplicates merged), each centroid
//   moved to the rounded mean of its values (rounded away from zero, and never onto zero) until the
//   centroids stop moving or max_iterations;
// - the LUT is sorted ascending, so a misread that moves an index by one (a level slip under Gray
//   coding) lands on a neighbouring value. Unused entries repeat the largest centroid.
// The LUT is int8: the datapath computes on int8 weights, whatever the clustering.
#pragma once

#include <cstdint>
#include <vector>

#include "workloads/encoded_layer.hpp"
#include "workloads/value_coder.hpp"

namespace hmasim {

struct KMeansOptions {
  unsigned max_iterations = 100;
};

struct Clustering {
  unsigned bits = 0;
  std::vector<std::int8_t> centroids;  // ascending, at most 2^bits (zero among them iff zeros)
  unsigned iterations = 0;             // Lloyd iterations run (0: exact)
  bool converged = true;               // false: stopped at max_iterations
};

// Clusters `weights` to at most 2^bits values (1 <= bits <= 8; throws std::invalid_argument).
Clustering cluster_weights(const std::vector<std::int8_t>& weights, unsigned bits,
                           const KMeansOptions& options = {});

// The coder storing each weight as the index of its nearest centroid.
ValueCoder cluster_coder(const Clustering& clustering);

// The `lut` structure of a look-up coder: its 2^bits int8 entries, padded to 128 bytes.
EncodedStructure lut_structure(const ValueCoder& coder);
// The look-up coder a stored `lut` (possibly corrupted) and `bits`-bit indices decode with.
ValueCoder coder_from_lut(const EncodedStructure& lut, unsigned bits);

}  // namespace hmasim
