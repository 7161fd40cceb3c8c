// The accelerator section of a platform, validated into plain runtime structs: the NVDLA-style
// datapath (MAC array, convolution buffer, DMA, post-processing), the interconnect links to the
// memories, and where weights and activations are placed.
//
//   accelerator:
//     clock: 1GHz
//     area_mm2: 2.4                    # datapath incl. CBUF (reported; memories add their own)
//     mac:
//       atomic_c: 32                   # channels per atomic operation
//       atomic_k: 32                   # kernels per atomic operation
//       stripe_max_ops: 32             # atomic operations sharing one weight load
//       stripe_min_cycles: 16          # a stripe costs at least the weight-load time
//       pipeline_fill: 32              # cycles from first data to first output, once per layer
//       energy_per_mac: 0.25pJ
//       leakage: 20mW
//     cbuf: {size: 256KiB, banks: 16, read_energy_per_byte: 0.05pJ, write_energy_per_byte: 0.08pJ,
//            leakage: 10mW}
//     dma: {max_outstanding: 256, max_request: 256B, min_request: 32B,
//           transport: blocking}       # blocking | nonblocking (TLM-2.0 AT: requests in flight)
//     post: {outputs_per_cycle: 16, energy_per_output: 0.5pJ, leakage: 5mW,
//            nonlinear_elements_per_cycle: 16}  # softmax / layernorm / gelu (default: outputs_)
//   interconnect:                      # one link per memory the accelerator reaches
//     dram: {bandwidth: 25GB/s, latency: 0ns}
//     sram: {bandwidth: 25GB/s}
//   placement:
//     weights: dram                    # default memory for weights (a layer may name its own)
//     activations: sram
//     activation_overflow: dram        # optional: where activations go when they do not fit
//     weight_overflow: dram            # optional: where weights go when their memory is full
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "core/config_node.hpp"
#include "core/power_config.hpp"
#include "core/units.hpp"
#include "hw/storage_config.hpp"

namespace hmasim {

// NVDLA's image input mode for a convolution on the network's input (nvdla.org/hw/format.html,
// "Channel extension"): `pre_extension` maps a kernel row's S x C weights to the atomic channels
// (the kernel becomes R x 1 of S x C channels); `post_extension` also folds 2 or 4 kernel rows
// into them while they fit in AtomicC (NVDLA's "channel post-extension for image input mode").
enum class ImageInput { off, pre_extension, post_extension };

struct MacArrayConfig {
  std::uint32_t atomic_c = 0;
  std::uint32_t atomic_k = 0;
  ImageInput image_input = ImageInput::off;
  // NVDLA's Winograd mode for 3x3 stride-1 convolutions (conv_core.hpp, workloads/winograd.hpp).
  bool winograd = false;
  std::uint32_t stripe_max_ops = 32;
  std::uint32_t stripe_min_cycles = 16;
  Cycles pipeline_fill{0};
  Energy energy_per_mac{0.0};
  Power leakage{0.0};
};

struct CbufConfig {
  Bytes size{0};
  std::uint32_t banks = 1;
  Energy read_energy_per_byte{0.0};
  Energy write_energy_per_byte{0.0};
  Power leakage{0.0};
  Bytes bank_size() const { return Bytes(size.value() / banks); }
};

// How the DMA talks to the memories: b_transport, one request served per call (loosely timed), or
// TLM-2.0 AT nb_transport with its requests really in flight (a buffered LPDDR4 controller
// reorders them; docs/lpddr4.md).
enum class DmaTransport { blocking, nonblocking };

struct DmaConfig {
  DmaTransport transport = DmaTransport::blocking;
  std::uint32_t max_outstanding = 256;
  Bytes max_request{256};  // also the boundary a request never crosses
  Bytes min_request{32};   // requests are whole multiples of this
};

struct PostConfig {
  std::uint32_t outputs_per_cycle = 16;
  // Elements per cycle of softmax, layernorm and gelu (the SDP's function unit); default: the
  // outputs_per_cycle (NVDLA's SDP evaluates its LUT in line at its element rate).
  std::uint32_t nonlinear_elements_per_cycle = 16;
  // Input elements per cycle of the PDP (pooling); default: outputs_per_cycle. NVDLA's spec
  // files give PDP_THROUGHPUT per configuration (nv_small 1, nv_large 8).
  std::uint32_t pdp_elements_per_cycle = 16;
  // SDP fusion (hw/sdp_fusion.hpp): an element-wise layer right after a convolution runs on the
  // convolution's output path.
  bool fuse_eltwise = false;
  Energy energy_per_output{0.0};
  Power leakage{0.0};
};

struct LinkConfig {
  std::string memory;
  Bandwidth bandwidth{0.0};
  Time latency{0};
};

struct PlacementConfig {
  std::string weights;
  std::string activations;
  std::string activation_overflow;  // empty: none
  std::string weight_overflow;      // empty: none
  // Task-specific parameters of a multi-task schedule (docs/schedules.md). `task_weights`: where
  // the running task's are read from (empty: `weights`); `task_store`: where every task's copy
  // lives, copied into `task_weights` at a task switch (empty: every task's copy resident in
  // `task_weights`, no switch moves data).
  std::string task_weights;
  std::string task_store;
};

struct AcceleratorConfig {
  Frequency clock{1'000'000'000};
  double area_mm2 = 0.0;
  MacArrayConfig mac;
  CbufConfig cbuf;
  DmaConfig dma;
  PostConfig post;
  std::vector<LinkConfig> links;  // in file order
  PlacementConfig placement;
  StorageConfig storage;
  WeightFetchConfig weight_fetch;
  PowerConfig power;  // of the datapath's units (MAC array, CBUF, post-processing)

  const LinkConfig* link(const std::string& memory) const;
};

// Reads `accelerator`, `interconnect` and `placement` from the platform root. `memories` are the
// names of the platform's memories (links and placement must name them). Diagnostics go to the
// document; nothing is thrown.
AcceleratorConfig parse_accelerator(const ConfigNode& root,
                                    const std::vector<std::string>& memories);

}  // namespace hmasim
