// Where a network's bytes live. Weights: each layer's encoded weights in the memory the layer
// names, else the platform's `placement.weights`, one after another; when that memory is full,
// in `placement.weight_overflow` if configured, else a PlacementError naming the memory and the
// shortfall. Activations: every layer's output map (and the network input) gets a region in
// `placement.activations`, reused as soon as its last consumer has run (first-fit with liveness);
// a map that does not fit goes to `placement.activation_overflow`, or is an error.
#pragma once

#include <stdexcept>
#include <string>
#include <vector>

#include "hw/accelerator_config.hpp"
#include "workloads/network.hpp"

namespace hmasim {

struct MemoryInfo {
  std::string name;
  std::uint64_t capacity = 0;
};

struct Region {
  std::size_t memory = 0;  // index into the platform's linked memories
  std::uint64_t offset = 0;
  std::uint64_t bytes = 0;
};

struct Placement {
  std::vector<Region> weights;              // per layer (bytes 0 for layers without weights)
  Region input;                             // the network input map
  std::vector<Region> outputs;              // per layer output map
  std::vector<std::vector<Region>> inputs;  // per layer, where each of its inputs is read
  std::vector<std::uint64_t> weight_bytes_per_memory;
  std::vector<std::uint64_t> activation_peak_per_memory;  // high-water mark of the allocator
};

class PlacementError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

struct PlaceOptions {
  // The sizes are the least the encoding can take (a check before the weights are generated),
  // and a shortfall says "need at least".
  bool lower_bounds = false;
  // A multi-task frame: each task reads the network input again, in the schedule's order, so the
  // input stays allocated for the whole frame.
  bool multi_task = false;
  // Per layer (or empty): its output map is never written, because the layer after it is
  // computed on its output path (SDP fusion, hw/sdp_fusion.hpp). It gets no region, and its own
  // inputs stay allocated until that next layer has run (whose output it writes while reading
  // them).
  std::vector<bool> fused_output;
};

// `weight_bytes[i]`: encoded size of layer i's weights. `memories` in link order.
Placement place_network(const Network& net, const std::vector<std::uint64_t>& weight_bytes,
                        const PlacementConfig& config, const std::vector<MemoryInfo>& memories,
                        PlaceOptions options = {});

// Bytes of a feature map at the layer's precision.
std::uint64_t map_bytes(const Shape& s, std::uint32_t precision);

}  // namespace hmasim
