// The convolution core (CSC + CMAC + CACC): one atomic operation per cycle, i.e. 1x1xAtomicC
// input features times AtomicK kernels. Direct convolution proceeds in stripes: up to
// stripe_max_ops atomic operations (output positions) share one set of weights, and a stripe
// costs at least stripe_min_cycles (the time to load its weights into the MAC array). For each
// kernel group of AtomicK kernels, each channel operation of AtomicC channels and each (r, s) of
// the kernel, the tile's output positions are cut into stripes. So:
//   - fully-connected layers (one output position) run at 1/stripe_min_cycles of the array, as
//     NVDLA does without batching;
//   - depthwise convolution (one channel per kernel) maps min(AtomicC, AtomicK) channels to one
//     atomic operation with a diagonal weight block: utilisation about 1/AtomicK;
//   - zero weights are multiplied like any other (NVDLA does not skip them);
//   - with image_input (MacArrayConfig), a convolution of the network's input with fewer
//     channels than AtomicC takes a kernel row's S x C weights (and with post-extension 2 or 4
//     rows) as its channels: one pass per kernel group, channel op and row (group);
//   - with winograd, a 3x3 stride-1 convolution computes 2x2 output blocks from 4x4 input blocks:
//     16 passes per (kernel group, channel op) over the tile's blocks instead of 9 over its
//     positions, 2.25x fewer cycles; its weights are the 4x4 transformed kernels (16/9 bytes).
//     A tile's 2x2 blocks cover its rows x columns (a W split's block of columns is cut into
//     blocks of its own).
#pragma once

#include "core/units.hpp"
#include "hw/accelerator_config.hpp"
#include "hw/conv_work.hpp"

namespace hmasim {

// How the core runs a layer: direct convolution, NVDLA's image input mode or Winograd. The image
// mode, where it applies, comes first (NVDLA runs the image's layer in it).
enum class ConvMode { direct, image, winograd };
ConvMode conv_mode(const ConvWork& work, const MacArrayConfig& config);

class ConvCore {
 public:
  struct Timing {
    Cycles cycles{0};
    std::uint64_t atomic_ops = 0;
    std::uint64_t stripes = 0;
    std::uint64_t feature_read_bytes = 0;  // from the CBUF into the array
    std::uint64_t weight_read_bytes = 0;
  };

  explicit ConvCore(const MacArrayConfig& config) : config_(config) {}

  // Computing `positions` output positions of `kernels` of the layer's kernels over `channels`
  // of each kernel's input channels (fewer than all for a channel slice). The positions are
  // whole rows of `columns` output columns (0: all of the layer's; fewer for a W split's block).
  Timing compute(const ConvWork& work, std::uint64_t positions, std::uint64_t kernels,
                 std::uint64_t channels, std::uint64_t columns = 0) const;
  Timing compute(const ConvWork& work, std::uint64_t positions, std::uint64_t kernels) const {
    return compute(work, positions, kernels, work.channels);
  }
  // Cycles of one (kernel group, channel operation, r, s) pass over `positions` positions.
  Cycles stripe_cycles(std::uint64_t positions) const;
  const MacArrayConfig& config() const { return config_; }

 private:
  MacArrayConfig config_;
};

}  // namespace hmasim
