// Transformer layers simulated on the NVDLA datapath with ideal memories (issue 10): shared
// weights stored once and fetched at every use, nonlinear layers at the SDP's configured rate,
// embedding gathers, and attention's second operand read from its producer's output region.
#include <gtest/gtest.h>

#include "core/integer_math.hpp"
#include "hw/ideal_sim.hpp"

namespace hmasim {
namespace {

using test::IdealSim;

// Linked memories of platforms/nvdla-ideal.yaml, in interconnect order.
constexpr std::size_t kDram = 0;
constexpr std::size_t kSram = 1;

const char* kSharedNet = R"(name: shared
input: {h: 64, w: 1, c: 256}
layers:
  - {name: a, type: linear, k: 256, bias: true}
  - {name: b, type: linear, k: 256, shares: a}
  - {name: c, type: linear, k: 256, shares: b}
)";

TEST(TransformerSim, SharedWeightsAreStoredOnceAndFetchedAtEveryUse) {
  IdealSim s(kSharedNet, {});
  const Placement& p = s.acc->placement();
  // One stored copy: the three layers read one region; the DRAM holds one layer's weights.
  ASSERT_GT(p.weights[0].bytes, 0u);
  for (std::size_t i = 1; i < 3; ++i) {
    EXPECT_EQ(p.weights[i].memory, p.weights[0].memory);
    EXPECT_EQ(p.weights[i].offset, p.weights[0].offset);
    EXPECT_EQ(p.weights[i].bytes, p.weights[0].bytes);
  }
  EXPECT_EQ(p.weight_bytes_per_memory[kDram], (p.weights[0].bytes + 255) / 256 * 256);
  // Fetched at every use: each layer reads the whole copy from the DRAM (activations are in
  // SRAM, so the DRAM's bytes are weight reads only).
  ASSERT_EQ(s.acc->records().size(), 3u);
  const std::uint64_t dense = 256u * 256;
  for (const LayerRecord& r : s.acc->records()) {
    EXPECT_GE(r.bytes_per_memory[kDram], dense) << r.layer;
    EXPECT_EQ(r.bytes_per_memory[kDram], s.acc->records()[0].bytes_per_memory[kDram]);
  }
  EXPECT_EQ(s.acc->memories()[kDram]->stats().bytes_read,
            3 * s.acc->records()[0].bytes_per_memory[kDram]);
  EXPECT_EQ(s.acc->memories()[kDram]->stats().bytes_written, 0u);
}

const char* kNonlinearNet = R"(name: nonlinear
input: {h: 64, w: 1, c: 512}
layers:
  - {name: sm, type: softmax}
  - {name: ln, type: layernorm}
  - {name: act, type: gelu}
  - {name: add, type: eltwise, inputs: [act, sm]}
)";

// A nonlinear layer's SDP cycles are its elements over the configured elements per cycle; its
// post-processing energy is its outputs at the energy per output; its bytes are its input read
// and its output written.
void expect_nonlinear_rate(std::uint32_t per_cycle, const std::vector<std::string>& overrides) {
  IdealSim s(kNonlinearNet, overrides);
  const PostConfig& post = s.platform.accelerator->post;
  ASSERT_EQ(post.nonlinear_elements_per_cycle, per_cycle);
  const std::uint64_t elements = 64u * 512;
  ASSERT_EQ(s.acc->records().size(), 4u);
  for (std::size_t i = 0; i < 3; ++i) {
    const LayerRecord& r = s.acc->records()[i];
    std::uint64_t expected = 0;
    for (const Tile& t : s.acc->programs()[i].plan.tiles) {
      expected += std::max<std::uint64_t>(1, ceil_div(t.out_rows.size() * 512, per_cycle));
    }
    EXPECT_EQ(r.busy_cycles.value(), expected) << i;
    EXPECT_GE(r.busy_cycles.value(), elements / per_cycle) << i;
    EXPECT_EQ(r.bytes_per_memory[kSram], 2 * elements) << i;
    EXPECT_GE(r.cycles.value(), r.busy_cycles.value());
  }
  // The element-wise add is not a nonlinear function: it runs at the output rate.
  EXPECT_EQ(s.acc->records()[3].busy_cycles.value(), elements / post.outputs_per_cycle);
}

TEST(TransformerSim, NonlinearCyclesAreElementsOverTheDefaultRate) {
  // Default: the output rate (16 on this platform).
  expect_nonlinear_rate(16, {});
}

TEST(TransformerSim, NonlinearCyclesScaleWithTheConfiguredRate) {
  expect_nonlinear_rate(4, {"accelerator.post.nonlinear_elements_per_cycle=4"});
}

TEST(TransformerSim, NonlinearEnergyIsPerOutputFromTheSimulation) {
  IdealSim s(kNonlinearNet, {"accelerator.post.energy_per_output=1pJ"});
  const std::uint64_t elements = 64u * 512;
  std::size_t post = 0;
  for (EnergyLedger::ComponentId c = 0; c < s.ledger.component_count(); ++c) {
    if (s.ledger.name(c) == "post") post = c;
  }
  for (std::size_t i = 0; i < 3; ++i) {
    EXPECT_NEAR(s.acc->records()[i].energy_per_component[post].value(),
                static_cast<double>(elements) * 1e-12, 1e-15)
        << i;
  }
}

TEST(TransformerSim, EmbeddingReadsOnlyTheGatheredRows) {
  IdealSim s(R"(name: emb
input: {h: 32, w: 1, c: 1}
layers:
  - {name: emb, type: embedding, vocab: 4096, k: 64}
)",
             {});
  const Placement& p = s.acc->placement();
  ASSERT_GE(p.weights[0].bytes, 4096u * 64);  // the whole table is stored
  ASSERT_EQ(p.weights[0].memory, kDram);
  const LayerRecord& r = s.acc->records()[0];
  // 32 tokens x one 64-byte row each from the table; 32 x 64 bytes of output into SRAM.
  EXPECT_EQ(r.bytes_per_memory[kDram], 32u * 64);
  EXPECT_EQ(s.acc->memories()[kDram]->stats().bytes_read, 32u * 64);
  EXPECT_EQ(r.bytes_per_memory[kSram], 32u * 64);
  // The rows are spread over the table, one tile each.
  const auto& tiles = s.acc->programs()[0].plan.tiles;
  ASSERT_EQ(tiles.size(), 32u);
  std::uint64_t highest = 0;
  for (const Tile& t : tiles) {
    EXPECT_EQ(t.feature_rows.size(), 1u);
    EXPECT_LT(t.feature_rows.begin, 4096u);
    highest = std::max(highest, t.feature_rows.begin);
  }
  EXPECT_GT(highest, 64u);  // not simply the table's first rows
}

// A table the storage encoding compressed (bitmask, half the weights zero) has no addressable
// rows: each gathered row costs the table's stored bytes per row, read within its region.
TEST(TransformerSim, EmbeddingOfACompressedTableReadsItsStoredBytesPerRow) {
  IdealSim s(R"(name: emb
input: {h: 32, w: 1, c: 1}
layers:
  - {name: emb, type: embedding, vocab: 4096, k: 64, sparsity: 0.5}
)",
             {"storage.encoding=bitmask"});
  const Region& table = s.acc->placement().weights[0];
  ASSERT_LT(table.bytes, 4096u * 64);  // compressed
  const std::uint64_t per_row = table.bytes / 4096;
  EXPECT_EQ(s.acc->programs()[0].work.in_row_bytes(), per_row);
  const std::uint64_t read = s.acc->records()[0].bytes_per_memory[kDram];
  // 32 rows of per_row bytes, each rounded out to the DMA's 32-byte requests.
  EXPECT_GE(read, 32 * per_row);
  EXPECT_LE(read, 32 * (per_row + 2 * 32));
  EXPECT_LT(read, 32u * 64 + 32 * 32);
}

TEST(TransformerSim, AttentionReadsItsSecondOperandWhereItsProducerWroteIt) {
  IdealSim s(R"(name: attention
input: {h: 64, w: 1, c: 64}
layers:
  - {name: q, type: linear, k: 64}
  - {name: k, type: linear, input: input, k: 64}
  - {name: scores, type: matmul, rhs: activations, inputs: [q, k], transpose: true, heads: 2}
)",
             {});
  const Placement& p = s.acc->placement();
  const LayerProgram& scores = s.acc->programs()[2];
  // a (q) is read as features, b (k) through the weight path, from the regions they were
  // written to.
  ASSERT_EQ(scores.input_regions.size(), 1u);
  EXPECT_EQ(scores.input_regions[0].offset, p.outputs[0].offset);
  EXPECT_EQ(scores.input_regions[0].memory, p.outputs[0].memory);
  EXPECT_EQ(scores.weights.memory, p.outputs[1].memory);
  EXPECT_EQ(scores.weights.offset, p.outputs[1].offset);
  EXPECT_EQ(scores.weights.bytes, 64u * 64);
  ASSERT_NE(scores.stored, nullptr);
  EXPECT_FALSE(scores.stored->checked);
  // Its bytes: both operands read from SRAM, the 64 x (2 x 64) scores written; nothing from the
  // DRAM (no stored weights).
  const LayerRecord& r = s.acc->records()[2];
  EXPECT_EQ(r.bytes_per_memory[kSram], 64u * 64 + 64u * 64 + 64u * 128);
  EXPECT_EQ(r.bytes_per_memory[kDram], 0u);
  EXPECT_EQ(s.acc->records()[2].atomic_ops > 0, true);
}

}  // namespace
}  // namespace hmasim
