// The workload format: parsing, defaults, shape inference and the diagnostics of bad files.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <string>

#include "core/config_error.hpp"
#include "support/cli.hpp"
#include "workloads/network.hpp"
#include "workloads/paths.hpp"

namespace {

using hmasim::ConfigError;
using hmasim::LayerType;
using hmasim::load_network_text;
using hmasim::Network;
using hmasim::Shape;

// Every diagnostic of `text` (loaded as "net.yaml"), one per line; empty if it loads.
std::string errors(const std::string& text) {
  try {
    load_network_text(text, "net.yaml");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

const char* kHeader = "name: t\ninput: {h: 32, w: 32, c: 3}\nlayers:\n";

TEST(networkFormat, InfersShapesMacsAndCounts) {
  const Network n = load_network_text(
      std::string(kHeader) +
          "  - {name: c1, type: conv, k: 16, r: 3, padding: 1, bias: true}\n"
          "  - {name: p1, type: pool, r: 2}\n"
          "  - {name: dw, type: dwconv, r: 3, stride: 2, padding: 1, batchnorm: true}\n"
          "  - {name: g, type: conv, k: 32, r: 1, groups: 4}\n"
          "  - {name: gap, type: pool, mode: avg, global: true}\n"
          "  - {name: fc, type: fc, k: 10}\n",
      "net.yaml");
  ASSERT_EQ(n.layers.size(), 6u);
  const auto& c1 = n.layers[0];
  EXPECT_EQ(c1.input(), (Shape{32, 32, 3}));
  EXPECT_EQ(c1.out, (Shape{32, 32, 16}));
  EXPECT_EQ(c1.weights, 16u * 3 * 3 * 3);
  EXPECT_EQ(c1.params, c1.weights + 16);
  EXPECT_EQ(c1.macs, 32u * 32 * c1.weights);
  EXPECT_EQ(c1.sources, std::vector<int>{hmasim::kNetworkInput});
  EXPECT_EQ(n.layers[1].out, (Shape{16, 16, 16}));  // pool stride defaults to its size
  EXPECT_EQ(n.layers[1].macs, 0u);
  const auto& dw = n.layers[2];
  EXPECT_EQ(dw.k, 16u);  // one kernel per channel
  EXPECT_EQ(dw.out, (Shape{8, 8, 16}));
  EXPECT_EQ(dw.weights, 16u * 9);
  EXPECT_EQ(dw.params, dw.weights + 2 * 16);
  EXPECT_EQ(dw.macs, 8u * 8 * 16 * 9);
  EXPECT_EQ(n.layers[3].weights, 32u * (16 / 4));
  EXPECT_EQ(n.layers[4].out, (Shape{1, 1, 32}));
  EXPECT_EQ(n.layers[4].r, 8u);
  EXPECT_EQ(n.layers[5].weights, 32u * 10);
  EXPECT_EQ(n.layers[5].out, (Shape{1, 1, 10}));
  EXPECT_EQ(n.layers[5].sources, std::vector<int>{4});
  EXPECT_EQ(n.layers[5].index, 5u);
}

TEST(networkFormat, ResidualsAndExplicitInputs) {
  const Network n = load_network_text(
      std::string(kHeader) +
          "  - {name: a, type: conv, k: 8, r: 3, padding: 1}\n"
          "  - {name: b, type: conv, k: 8, r: 3, padding: 1}\n"
          "  - {name: side, type: conv, input: input, k: 8, r: 1}\n"
          "  - {name: sum, type: eltwise, inputs: [b, side, a]}\n"
          "  - {name: half, type: pool, mode: avg, input: a, r: 2}\n"
          "  - {name: wide, type: conv, input: half, k: 16, r: 1}\n"
          "  - {name: padded, type: eltwise, inputs: [wide, half], pad_channels: true}\n"
          "  - {name: own, type: conv, h: 7, w: 7, c: 5, k: 4, r: 7}\n"
          "  - {name: checked, type: conv, input: sum, h: 32, w: 32, c: 8, k: 4, r: 1}\n",
      "net.yaml");
  EXPECT_EQ(n.layers[2].sources, std::vector<int>{hmasim::kNetworkInput});
  EXPECT_EQ(n.layers[3].sources, (std::vector<int>{1, 2, 0}));
  EXPECT_EQ(n.layers[3].out, (Shape{32, 32, 8}));
  EXPECT_EQ(n.layers[6].out, (Shape{16, 16, 16}));
  EXPECT_TRUE(n.layers[7].sources.empty());  // independent: its own input shape
  EXPECT_EQ(n.layers[7].out, (Shape{1, 1, 4}));
  EXPECT_EQ(n.layers[8].sources, std::vector<int>{3});
}

TEST(networkFormat, MatmulTakesOrChecksItsOperand) {
  const Network n = load_network_text(
      "name: t\nlayers:\n"
      "  - {name: qkv, type: matmul, m: 128, n: 1536, k: 512, bias: true}\n"
      "  - {name: proj, type: matmul, n: 512}\n"
      "  - {name: scores, type: matmul, m: 128, k: 512, n: 128, rhs: activations, input: proj}\n",
      "net.yaml");
  EXPECT_EQ(n.layers[0].input(), (Shape{128, 1, 512}));
  EXPECT_EQ(n.layers[0].macs, 128u * 1536 * 512);
  EXPECT_EQ(n.layers[0].params, 512u * 1536 + 1536);
  EXPECT_EQ(n.layers[1].m, 128u);
  EXPECT_EQ(n.layers[1].k, 1536u);
  EXPECT_EQ(n.layers[1].weights, 1536u * 512);
  EXPECT_EQ(n.layers[2].weights, 0u);
  EXPECT_EQ(n.layers[2].macs, 128u * 128 * 512);
  EXPECT_CONTAINS(errors("name: t\nlayers:\n"
                         "  - {name: a, type: matmul, m: 4, n: 8, k: 16}\n"
                         "  - {name: b, type: matmul, k: 9, n: 2}\n"),
                  "net.yaml:4:32: layers[1].k: k=9 but the input 4x1x8 has 8 columns (c)");
}

TEST(networkFormat, DefaultsApplyByTypeThenNetworkWide) {
  const Network n = load_network_text(
      std::string(
          "name: t\ninput: {h: 8, w: 8, c: 4}\nprecision: 6\n"
          "defaults:\n  sparsity: 0.5\n  memory: rram\n  conv: {batchnorm: true, sparsity: 0.25}\n"
          "  fc: {bias: true}\n"
          "layers:\n"
          "  - {name: c, type: conv, k: 4, r: 1}\n"
          "  - {name: c2, type: conv, k: 4, r: 1, sparsity: 0.9, memory: sram, precision: 8}\n"
          "  - {name: f, type: fc, k: 2, shared: false, cluster_bits: 3}\n"),
      "net.yaml");
  EXPECT_DOUBLE_EQ(n.layers[0].sparsity, 0.25);
  EXPECT_TRUE(n.layers[0].batchnorm);
  EXPECT_EQ(n.layers[0].memory, "rram");
  EXPECT_EQ(n.layers[0].precision, 6u);
  EXPECT_DOUBLE_EQ(n.layers[1].sparsity, 0.9);
  EXPECT_EQ(n.layers[1].memory, "sram");
  EXPECT_EQ(n.layers[1].precision, 8u);
  EXPECT_DOUBLE_EQ(n.layers[2].sparsity, 0.5);
  EXPECT_TRUE(n.layers[2].bias);
  EXPECT_FALSE(n.layers[2].batchnorm);
  EXPECT_FALSE(n.layers[2].shared);
  EXPECT_EQ(n.layers[2].cluster_bits, 3u);
  EXPECT_FALSE(n.layers[0].cluster_bits.has_value());
}

TEST(networkFormat, ShapeErrorsNameLayerKeyAndLine) {
  const std::string e = errors(std::string(kHeader) +
                               "  - {name: c1, type: conv, k: 30, r: 3, padding: 1}\n"  // line 4
                               "  - {name: c2, type: conv, k: 64, r: 3, groups: 4}\n"   // 5
                               "  - {name: c3, type: conv, input: c1, k: 16, r: 40}\n"  // 6
                               "  - {name: p, type: pool, input: c1, r: 2}\n"           // 7
                               "  - {name: add, type: eltwise, inputs: [c1, p]}\n"      // 8
                               "  - {name: c1, type: conv, k: 8, r: 1}\n"               // 9
                               "  - {name: f, type: fc, k: 10, input: nowhere}\n"       // 10
                               "  - {name: d, type: dwconv, input: p, r: 3, k: 45}\n"   // 11
                               "  - {name: e, type: conv, input: later, k: 8, r: 1}\n"  // 12
                               "  - {name: later, type: pool, input: p, r: 2}\n"        // 13
                               "  - {name: input, type: pool, input: p, r: 2}\n"        // 14
                               "  - {name: g, type: conv, input: p, k: 6, r: 1, groups: 5}\n"  // 15
  );
  EXPECT_CONTAINS(
      e, "net.yaml:5:49: layers[1].groups: input channels c=30 are not divisible by groups=4");
  EXPECT_CONTAINS(
      e, "net.yaml:6:49: layers[2].r: kernel r=40 is larger than the padded input height 32");
  EXPECT_CONTAINS(e,
                  "net.yaml:8:40: layers[4].inputs: inputs have different shapes: 'c1' is "
                  "32x32x30, 'p' is 16x16x30");
  EXPECT_CONTAINS(e, "net.yaml:9:12: layers[5].name: duplicate layer name 'c1' (also layers[0])");
  EXPECT_CONTAINS(e, "net.yaml:10:39: layers[6].input: no layer named 'nowhere'");
  EXPECT_CONTAINS(
      e, "layers[7].k: a depthwise layer's k=45 must be a multiple of its input channels c=30");
  EXPECT_CONTAINS(e, "net.yaml:12:34: layers[8].input: layer 'later' comes later in the file");
  EXPECT_CONTAINS(e, "layers[10].name: 'input' is reserved for the network input");
  EXPECT_CONTAINS(e, "layers[11].groups: output channels k=6 are not divisible by groups=5");
  // Diagnostics come in file order.
  EXPECT_LT(e.find("layers[1]."), e.find("layers[2]."));
  EXPECT_LT(e.find("layers[8]."), e.find("layers[10]."));
}

TEST(networkFormat, ValueErrorsAndUnknownKeysAllAtOnce) {
  const std::string e = errors(
      "name: t\ninput: {h: 8, w: 8}\nprecision: 0\n"
      "defaults: {sparsity: 2, pool: {bias: true}, colour: red}\n"
      "layers:\n"
      "  - {name: a, type: conv, k: 0, r: 3, strid: 2}\n"
      "  - {name: b, type: convolution, k: 4}\n"
      "  - {name: c, type: pool, global: true, r: 2}\n"
      "  - {name: d, type: fc, k: 4, sparsity: -0.1, cluster_bits: 20}\n"
      "  - {name: e, type: matmul, n: 4, rhs: activations, sparsity: 0.5}\n"
      "  - {name: f, type: eltwise, inputs: [a]}\n"
      "  - {name: g, type: fc, k: 4, r: 3}\n"
      "  - 42\n"
      "  - {type: pool, r: 2}\n");
  EXPECT_CONTAINS(e, "net.yaml:2:8: input: missing required key 'c'");
  EXPECT_CONTAINS(e, "net.yaml:3:12: precision: must be between 1 and 32 bits");
  EXPECT_CONTAINS(e, "net.yaml:4:22: defaults.sparsity: must be between 0 and 1");
  EXPECT_CONTAINS(e, "defaults.pool.bias: 'bias' does not apply to pool layers");
  EXPECT_CONTAINS(e, "defaults.colour: unknown key 'colour'");
  EXPECT_CONTAINS(e, "net.yaml:6:30: layers[0].k: must be a positive integer");
  EXPECT_CONTAINS(e,
                  "net.yaml:6:46: layers[0].strid: unknown key 'strid' for a conv layer (expected "
                  "one of: name, type, precision, task, batchnorm, shared, bias, sparsity, "
                  "cluster_bits, memory, shares, input, h, w, c, k, r, s, stride, padding, "
                  "groups)");
  EXPECT_CONTAINS(
      e, "layers[1].type: 'convolution' is not one of: conv, dwconv, fc, pool, eltwise, matmul");
  EXPECT_CONTAINS(e, "layers[2].r: a global pool covers the whole input");
  EXPECT_CONTAINS(e, "layers[3].sparsity: must be between 0 and 1");
  EXPECT_CONTAINS(e, "layers[3].cluster_bits: must be between 1 and 16");
  EXPECT_CONTAINS(e, "layers[4].sparsity: a matmul with rhs: activations has no weights");
  EXPECT_CONTAINS(e, "layers[5].inputs: expected a list of at least two layer names");
  EXPECT_CONTAINS(e, "layers[6].r: unknown key 'r' for a fc layer");
  EXPECT_CONTAINS(e, "net.yaml:13:5: layers[7]: expected a map describing a layer");
  EXPECT_CONTAINS(e, "layers[8]: missing required key 'name'");
  // A bad network precision is reported once, not again for every layer that inherits it.
  EXPECT_EQ(e.find("layers[0].precision"), std::string::npos);
}

TEST(networkFormat, FirstLayerNeedsAnInputAndLayersAList) {
  EXPECT_CONTAINS(errors("name: t\nlayers:\n  - {name: a, type: conv, k: 4, r: 1}\n"),
                  "net.yaml:3:5: layers[0]: the first layer has no input");
  EXPECT_CONTAINS(errors("name: t\nlayers: {a: 1}\n"), "layers: expected a list of layers");
  EXPECT_CONTAINS(errors("name: t\n"), "missing required key 'layers'");
  EXPECT_CONTAINS(
      errors("name: t\ninput: {h: 2, w: 2, c: 2}\nlayers:\n  - {name: a, type: pool, r: 2}\n"
             "  - {name: b, type: pool, r: 2}\n"),
      "layers[1].r: kernel r=2 is larger than the padded input height 1");
}

TEST(networkFormat, OverridesApplyToNetworkKeys) {
  const std::string file = ::testing::TempDir() + "override-net.yaml";
  {
    std::FILE* f = std::fopen(file.c_str(), "w");
    std::fputs(
        "name: t\ninput: {h: 8, w: 8, c: 3}\nlayers:\n  - {name: a, type: conv, k: 4, r: 3}\n", f);
    std::fclose(f);
  }
  const Network n = hmasim::load_network(file, {"input.h=16", "precision=4"});
  EXPECT_EQ(n.layers[0].out, (Shape{14, 6, 4}));
  EXPECT_EQ(n.layers[0].precision, 4u);
  EXPECT_TRUE(hmasim::is_network_file(file));
  EXPECT_FALSE(
      hmasim::is_network_file(std::string(HMASIM_SOURCE_DIR) + "/tests/data/ideal-memory.yaml"));
  EXPECT_FALSE(hmasim::is_network_file("/nonexistent.yaml"));
  std::remove(file.c_str());
}

TEST(networkFormat, ResolvesStructsBuiltInCode) {
  Network n;
  n.input = Shape{10, 10, 4};
  hmasim::Layer conv;
  conv.name = "c";
  conv.type = LayerType::conv;
  conv.k = 8;
  conv.r = conv.s = 3;
  n.layers.push_back(conv);
  hmasim::Layer bad = conv;
  bad.name = "bad";
  bad.stride = 0;
  n.layers.push_back(bad);
  std::vector<std::string> reported;
  const bool ok =
      hmasim::resolve_network(n, [&](std::size_t i, const std::string& key, const std::string& m) {
        reported.push_back(std::to_string(i) + " " + key + ": " + m);
      });
  EXPECT_FALSE(ok);
  EXPECT_EQ(n.layers[0].out, (Shape{8, 8, 8}));
  ASSERT_EQ(reported.size(), 1u);
  EXPECT_EQ(reported[0], "1 r: r, s and stride must be positive");
}

TEST(networkFormat, EveryShippedNetworkLoadsAndCitesItsSource) {
  namespace fs = std::filesystem;
  int count = 0;
  for (const auto& entry :
       fs::directory_iterator(std::string(HMASIM_SOURCE_DIR) + "/workloads/networks")) {
    if (entry.path().extension() != ".yaml") continue;
    ++count;
    SCOPED_TRACE(entry.path().string());
    Network n;
    ASSERT_NO_THROW(n = hmasim::load_network(entry.path().string()));
    EXPECT_EQ(n.name, entry.path().stem().string());
    EXPECT_FALSE(n.source.empty());
    EXPECT_TRUE(n.input.has_value());
    for (const auto& l : n.layers) EXPECT_GT(l.out.elements(), 0u) << l.name;
  }
  EXPECT_GE(count, 7);  // the seven of issue 3, at least
}

}  // namespace
