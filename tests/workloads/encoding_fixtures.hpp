// Layers, weights and helpers shared by the weight-encoding tests.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "workloads/dense_encoding.hpp"
#include "workloads/network.hpp"
#include "workloads/weight_generator.hpp"

namespace hmasim::test {

// Small atoms so that small layers have several kernel groups and channel cubes.
inline const NvdlaAtoms kTestAtoms{8, 16};

// The last layer of a network of `layers_yaml` (YAML list items) on `input`.
inline Layer encoding_layer(const std::string& layers_yaml,
                            const std::string& input = "{h: 6, w: 6, c: 20}") {
  return load_network_text("name: t\ninput: " + input + "\nlayers:\n" + layers_yaml, "t.yaml")
      .layers.back();
}

// A layer with `props` (", sparsity: 0.5, ...") appended to one of the shapes the tests cover:
// kernels not a multiple of atomic_k (40 = 16 + 16 + 8) and channels not a multiple of atomic_c
// (20 = 8 + 8 + 4), fully connected, grouped and depthwise.
struct ShapeCase {
  const char* name;
  const char* layer;  // YAML flow mapping without the closing brace
  const char* input;
};
inline const std::vector<ShapeCase> kShapes = {
    {"conv", "{name: c, type: conv, k: 40, r: 3, padding: 1", "{h: 6, w: 6, c: 20}"},
    {"conv1x1", "{name: c, type: conv, k: 17, r: 1", "{h: 4, w: 4, c: 70}"},
    {"fc", "{name: f, type: fc, k: 33", "{h: 3, w: 3, c: 20}"},
    {"grouped", "{name: g, type: conv, k: 24, r: 3, groups: 4", "{h: 5, w: 5, c: 20}"},
    {"depthwise", "{name: d, type: dwconv, r: 3", "{h: 5, w: 5, c: 20}"},
};

inline Layer shape_layer(const ShapeCase& shape, const std::string& props) {
  return encoding_layer("  - " + std::string(shape.layer) + props + "}\n", shape.input);
}

// Generator weights of `layer` for a fixed seed.
inline std::vector<std::int8_t> weights_of(const Layer& layer, std::uint64_t seed = 5) {
  return generate_weights(layer, seed);
}

inline std::uint64_t count_non_zero(const std::vector<std::int8_t>& w) {
  std::uint64_t n = 0;
  for (std::int8_t v : w) n += v != 0;
  return n;
}

constexpr std::uint64_t round_up_to(std::uint64_t x, std::uint64_t m) {
  return (x + m - 1) / m * m;
}

}  // namespace hmasim::test
