// Functional mode (`hmasim run --functional`): the units compute the values they move. The
// frame's input image is put in the network input's region (by the host, untimed); the DMA's
// feature reads land in the datapath's copy of each input region, so every byte a layer computes
// with is one its memory returned, misreads included (a byte the timing model's row reads do not
// cover holds what the memory stores); the convolution core, PDP and SDP compute each tile's
// output block (hw/functional/int8_kernels.hpp, int16_kernels.hpp for 9..16-bit layers, the SDP's
// softmax in softmax.hpp) from them and the weights the weight fetch unit
// read (decoded anew from the bytes read where they differ from the stored ones); the DMA writes
// the block's bytes to the output region. After each inference the host reads the logits back.
// None of this changes a request, a time or an energy: functional runs time exactly as others.
#pragma once

#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

#include "hw/functional/feature_layout.hpp"
#include "hw/functional/functional_weights.hpp"
#include "hw/functional/softmax.hpp"
#include "hw/layer_program.hpp"
#include "hw/placement.hpp"
#include "hw/units/dma.hpp"
#include "hw/units/weight_fetch.hpp"
#include "mem/memory_target.hpp"
#include "workloads/network.hpp"
#include "workloads/weights_file.hpp"

namespace hmasim {

class FunctionalError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

// The images a functional run infers, one per frame (frame f takes image f mod count).
struct FunctionalInputs {
  Shape shape;
  std::uint64_t count = 0;
  // 1: int8 images (a network whose first layer has 2..8 bits); 2: int16 (9..16 bits).
  std::uint32_t element_bytes = 1;
  std::vector<std::int16_t> values;  // count x shape.elements(), each image HWC
};

// One inference: the logits the host read back after the frame's last layer (of a task).
struct InferenceResult {
  std::uint32_t frame = 0;
  std::uint64_t image = 0;
  std::size_t task = 0;
  std::vector<std::int32_t> logits;  // int8 or int16 values
};

// Bytes of one element of a layer's maps: 1 (int8) for 2..8 bits, 2 (int16) for 9..16.
inline std::uint32_t functional_element_bytes(const Layer& l) {
  return l.precision > 8 ? 2 : 1;
}

// Throws FunctionalError naming the first layer functional mode cannot compute (types other
// than conv, dwconv, fc, matmul with stored weights, pool, eltwise and softmax; more than 16
// bits; a layer stating its own input shape) or the first pair of a layer and its producer of
// different widths (int8 and int16: the datapath converts no map).
void check_functional_network(const Network& network);

class FunctionalDatapath : public DmaClient {
 public:
  // `programs`: the network's layer programs (their tile plans give the layouts of the maps they
  // write); `weights`: the weights file (null: generated weights, synthetic arithmetic).
  FunctionalDatapath(const Network& network, const std::vector<LayerProgram>& programs,
                     const Placement& placement, const WeightsFile* weights,
                     std::vector<MemoryTarget*> memories, WeightFetchUnit& weight_fetch,
                     FunctionalInputs inputs);

  // The host puts frame `f`'s image into the network input's region.
  void begin_frame(std::uint32_t f);
  // After the weight fetch unit's begin_layer.
  void begin_layer(const LayerProgram& p);
  std::uint8_t* destination(const DmaRequest& r) override;
  // After the tile's data has arrived: computes its output block (every tile, in order).
  void compute_tile(const Tile& t);
  // The bytes of the output writes `writes` (a block's requests, in address order): the output
  // region as computed so far, valid until end_layer.
  std::uint8_t* write_data(const std::vector<DmaRequest>& writes);
  void end_layer();
  // After the inference's last layer `last`: the host reads its output (the logits).
  void finish_inference(const LayerProgram& last, std::uint32_t frame, std::size_t task);

  const std::vector<InferenceResult>& results() const { return results_; }
  const FunctionalInputs& inputs() const { return inputs_; }
  // The network's weights as stored (the fault-free decode of `stored`, per layer; null: none)
  // with the arithmetic the datapath uses: what a fault-free reference computes with. The sets
  // must outlive the datapath (it caches their decode by address): the accelerator's own.
  WeightsFile stored_network(const std::vector<const StoredWeights*>& stored);

 private:
  struct Staged {
    std::uint64_t base = 0;  // global address of the region
    std::vector<std::uint8_t> bytes;
    const FeatureLayout* layout = nullptr;
    // Gathered HWC rows of the current tile: int16 elements, or int8 ones in its first bytes.
    std::vector<std::int16_t> rows;
  };
  const PreparedWeights& prepared(const Layer& l, const ConvWork& w, const StoredWeights& stored);
  const LayerWeights* record_of(const Layer& l) const;
  void read_region(const Region& r, std::uint8_t* out) const;
  template <class T>
  RowsOf<T> gather(Staged& s, std::uint64_t row0, std::uint64_t row1, std::uint64_t row_elements);
  // The tile's output block, int8 or int16 elements (T), into `out`.
  template <class T>
  void compute(const Tile& t, T* out);

  const Network& network_;
  Placement placement_;
  const WeightsFile* weights_;
  std::vector<MemoryTarget*> memories_;
  WeightFetchUnit& weight_fetch_;
  FunctionalInputs inputs_;
  FeatureLayout input_layout_;
  std::vector<FeatureLayout> layouts_;  // per layer, of its output map
  std::vector<bool> read_by_another_;   // per layer
  std::map<const StoredWeights*, PreparedWeights> prepared_;
  std::vector<InferenceResult> results_;

  // The current layer.
  const LayerProgram* layer_ = nullptr;
  LayerArithmetic arithmetic_;
  const std::vector<std::int8_t>* kernels_ = nullptr;
  const std::vector<std::int16_t>* kernels16_ = nullptr;
  bool kernels_valid_ = false;  // kernels_ / kernels16_ are the layer's current weights
  const SoftmaxTable* softmax_ = nullptr;
  std::map<std::size_t, SoftmaxTable> softmax_tables_;  // per softmax layer
  std::vector<std::uint8_t>* weights_read_ = nullptr;   // checked layers: the bytes read
  PreparedWeights read_weights_;                        // decoded from weights_read_
  std::vector<Staged> inputs_staged_;
  // An element-wise tile's inputs (kept: no allocation per tile).
  std::vector<const std::int8_t*> eltwise_in_;
  std::vector<const std::int16_t*> eltwise_in16_;
  std::vector<std::uint64_t> eltwise_widths_;
  std::uint64_t output_base_ = 0;
  std::vector<std::uint8_t> output_;   // the output region, as computed so far
  std::vector<std::int16_t> block16_;  // an int16 tile's output block, before it is stored
};

}  // namespace hmasim
