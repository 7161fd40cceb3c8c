// `hmasim run --functional`: the images it infers (--inputs, a .npy of int8 images, int16 for a
// network whose first layer has 9..16 bits; without it
// synthetic ones from the seed), their labels (--labels), and what it reports: predictions.csv
// and summary.json's accuracy block, with the same network computed fault-free by the independent
// reference inference (workloads/reference_inference.hpp) for comparison.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "hw/accelerator.hpp"
#include "traces/run_report.hpp"

namespace hmasim {

// Reads `path` (N x h x w x c, or N x h x w for one channel; int8, or int16 '<i2' when the
// network's first layer has 9..16 bits) for `network`, or without a path makes `synthetic` images
// from `seed` (values 0..127, int16: 0..32767). Throws std::runtime_error with the file and what
// is wrong.
FunctionalInputs load_functional_inputs(const std::string& path, const Network& network,
                                        std::uint64_t seed, std::uint64_t synthetic = 1);
// Reads `path` (N int8 or uint8 class labels, N = `images`). Throws std::runtime_error.
std::vector<std::int64_t> load_labels(const std::string& path, std::uint64_t images);

struct FunctionalOutcome {
  AccuracyReport accuracy;
  std::string predictions_csv;
};

// After the run: every inference's predicted class and top-5 scores, and the accuracies.
FunctionalOutcome functional_outcome(Accelerator& acc, const std::vector<std::int64_t>& labels);

}  // namespace hmasim
