// Transformer layers in the workload format (issue 10): linear, attention matmuls of two
// activations, softmax / layernorm / gelu, embedding, cross-layer parameter sharing (`shares`) and
// task heads (`task`), with their shapes, counts and file:line diagnostics; the shipped ALBERT
// networks and the task heads of resnet26-adapters.
#include <gtest/gtest.h>

#include <cmath>
#include <string>

#include "core/config_error.hpp"
#include "support/cli.hpp"
#include "workloads/network.hpp"
#include "workloads/network_stats.hpp"
#include "workloads/paths.hpp"

namespace {

using hmasim::ConfigError;
using hmasim::load_network_text;
using hmasim::Network;
using hmasim::network_stats;
using hmasim::Shape;
using hmasim::test::network_file;

// Every diagnostic of `text` (loaded as "net.yaml"); empty if it loads.
std::string transformer_errors(const std::string& text) {
  try {
    load_network_text(text, "net.yaml");
  } catch (const ConfigError& e) {
    return e.what();
  }
  return "";
}

const char* kTokens = "name: t\ninput: {h: 16, w: 1, c: 64}\nlayers:\n";

// Lan et al. 2019 (ALBERT) Table 1: ALBERT-base has 12 M parameters. An input check of the
// topology (hidden 768, 12 layers sharing one set, embedding 128, vocabulary 30,000), not a
// simulation result.
TEST(transformerFormat, AlbertBaseHasAboutTwelveMillionParameters) {
  const Network net = hmasim::load_network(network_file("albert-base"));
  const auto s = network_stats(net);
  EXPECT_LT(std::fabs(static_cast<double>(s.params) - 12e6) / 12e6, 0.03) << s.params;
  // The backbone without the three GLUE heads: Hugging Face albert-base-v2's 11,683,584.
  EXPECT_EQ(s.params - s.task_specific_params, 11'683'584u);
  EXPECT_EQ(net.find("layer0.attention.q")->out, (Shape{128, 1, 768}));
  EXPECT_EQ(net.find("layer5.attention.scores")->out, (Shape{128, 1, 12 * 128}));
  EXPECT_EQ(net.find("layer5.attention.context")->out, (Shape{128, 1, 768}));
  EXPECT_EQ(net.find("layer11.ffn.up")->out, (Shape{128, 1, 3072}));
  EXPECT_EQ(net.find("embeddings.projection")->out, (Shape{128, 1, 768}));
}

TEST(transformerFormat, SharedParametersAreCountedOnce) {
  const Network net = hmasim::load_network(network_file("albert-base"));
  const hmasim::Layer* owner = net.find("layer0.ffn.up");
  const hmasim::Layer* user = net.find("layer7.ffn.up");
  ASSERT_TRUE(owner && user);
  EXPECT_FALSE(owner->owner.has_value());
  ASSERT_TRUE(user->owner.has_value());
  EXPECT_EQ(*user->owner, owner->index);
  EXPECT_EQ(user->weights, owner->weights);  // it computes with them...
  EXPECT_EQ(user->params, 0u);               // ...but stores none
  EXPECT_TRUE(owner->has_weights());
  EXPECT_FALSE(user->has_weights());
  EXPECT_TRUE(user->uses_weights());
  EXPECT_EQ(user->macs, owner->macs);
  // Shared layer norms too: one scale and shift of 768.
  EXPECT_EQ(net.find("layer0.ffn.norm")->params, 2u * 768);
  EXPECT_EQ(net.find("layer3.ffn.norm")->params, 0u);

  // Sharing changes the count by exactly the copies it saves.
  const std::string base = std::string(kTokens) +
                           "  - {name: a, type: linear, k: 64, bias: true}\n"
                           "  - {name: b, type: linear, k: 64";
  const Network own = load_network_text(base + ", bias: true}\n", "net.yaml");
  const Network shared = load_network_text(base + ", shares: a}\n", "net.yaml");
  EXPECT_EQ(network_stats(own).params, 2u * (64 * 64 + 64));
  EXPECT_EQ(network_stats(shared).params, 64u * 64 + 64);
  EXPECT_EQ(network_stats(shared).weights, 64u * 64);
  EXPECT_EQ(network_stats(shared).macs, network_stats(own).macs);
  EXPECT_TRUE(shared.layers[1].bias);  // the owner's properties
}

TEST(transformerFormat, LinearNonlinearAndEmbeddingShapes) {
  const Network n = load_network_text(
      "name: t\ninput: {h: 16, w: 1, c: 1}\nlayers:\n"
      "  - {name: emb, type: embedding, vocab: 1000, k: 64}\n"
      "  - {name: ln, type: layernorm}\n"
      "  - {name: up, type: linear, k: 256, bias: true}\n"
      "  - {name: act, type: gelu}\n"
      "  - {name: down, type: linear, k: 64}\n"
      "  - {name: sm, type: softmax}\n"
      "  - {name: res, type: eltwise, inputs: [sm, ln]}\n",
      "net.yaml");
  const auto& emb = n.layers[0];
  EXPECT_EQ(emb.out, (Shape{16, 1, 64}));
  EXPECT_EQ(emb.weights, 1000u * 64);
  EXPECT_EQ(emb.macs, 0u);
  EXPECT_EQ(n.layers[1].params, 2u * 64);  // gamma and beta
  EXPECT_EQ(n.layers[1].out, (Shape{16, 1, 64}));
  const auto& up = n.layers[2];
  EXPECT_EQ(up.out, (Shape{16, 1, 256}));
  EXPECT_EQ(up.weights, 64u * 256);
  EXPECT_EQ(up.params, 64u * 256 + 256);
  EXPECT_EQ(up.macs, 16u * 64 * 256);
  EXPECT_EQ(n.layers[3].out, (Shape{16, 1, 256}));
  EXPECT_EQ(n.layers[3].params, 0u);
  EXPECT_EQ(n.layers[5].out, (Shape{16, 1, 64}));
  EXPECT_EQ(n.layers[6].out, (Shape{16, 1, 64}));
}

TEST(transformerFormat, AttentionMatmulsReadBothProducers) {
  const Network n = load_network_text(std::string(kTokens) +
                                          "  - {name: q, type: linear, k: 64}\n"
                                          "  - {name: k, type: linear, input: input, k: 64}\n"
                                          "  - {name: v, type: linear, input: input, k: 64}\n"
                                          "  - {name: s, type: matmul, rhs: activations, inputs: "
                                          "[q, k], transpose: true, heads: 4}\n"
                                          "  - {name: p, type: softmax}\n"
                                          "  - {name: c, type: matmul, rhs: activations, inputs: "
                                          "[p, v], heads: 4}\n",
                                      "net.yaml");
  const auto& s = n.layers[3];
  EXPECT_EQ(s.sources, (std::vector<int>{0, 1}));
  EXPECT_TRUE(s.two_operand_matmul());
  // 4 heads of [16 x 16] . [16 x 16]^T: per head 16 x 16 scores.
  EXPECT_EQ(s.out, (Shape{16, 1, 4 * 16}));
  EXPECT_EQ(s.macs, 4u * 16 * 16 * 16);
  EXPECT_EQ(s.weights, 0u);
  const auto& c = n.layers[5];
  EXPECT_EQ(c.sources, (std::vector<int>{4, 2}));
  EXPECT_EQ(c.out, (Shape{16, 1, 64}));
  EXPECT_EQ(c.macs, 4u * 16 * 16 * 16);
}

TEST(transformerFormat, BadTransformerKeysAreReportedAtTheirLine) {
  const std::string e = transformer_errors(
      std::string(kTokens) +
      "  - {name: a, type: linear, k: 64}\n"                                              // 4
      "  - {name: b, type: linear, k: 32, shares: nowhere}\n"                             // 5
      "  - {name: c, type: linear, input: a, k: 32, shares: a}\n"                         // 6
      "  - {name: d, type: linear, input: a, k: 64, shares: later}\n"                     // 7
      "  - {name: e, type: conv, input: input, k: 64, r: 1, shares: a}\n"                 // 8
      "  - {name: f, type: linear, input: a, k: 64, task: \"\"}\n"                        // 9
      "  - {name: g, type: linear, input: a, k: 64, task: mnli}\n"                        // 10
      "  - {name: h, type: linear, input: g, k: 64}\n"                                    // 11
      "  - {name: i, type: linear, input: g, k: 64, task: qnli}\n"                        // 12
      "  - {name: j, type: linear, input: a, k: 64, shares: a, sparsity: 0.5}\n"          // 13
      "  - {name: k, type: matmul, input: a, n: 4, rhs: activations, transpose: true}\n"  // 14
      "  - {name: l, type: matmul, rhs: activations, inputs: [a, a], heads: 5}\n"         // 15
      "  - {name: m, type: matmul, rhs: activations, inputs: [a, a]}\n"                   // 16
      "  - {name: later, type: linear, k: 64}\n");
  EXPECT_CONTAINS(e, "net.yaml:5:");
  EXPECT_CONTAINS(e, "layers[1].shares: no layer named 'nowhere' to share weights with");
  EXPECT_CONTAINS(e, "net.yaml:6:");
  EXPECT_CONTAINS(e,
                  "layers[2].shares: shape mismatch: this layer's weights are 32 kernels of "
                  "64x1x1, 'a' has 64 kernels of 64x1x1");
  EXPECT_CONTAINS(e, "net.yaml:7:");
  EXPECT_CONTAINS(e, "layers[3].shares: layer 'later' comes later in the file");
  EXPECT_CONTAINS(e, "layers[4].shares: layer 'a' is a linear layer; a conv layer shares only");
  EXPECT_CONTAINS(e, "net.yaml:9:");
  EXPECT_CONTAINS(e, "layers[5].task: expected the name of a task head");
  EXPECT_CONTAINS(e, "net.yaml:11:");
  EXPECT_CONTAINS(e,
                  "layers[7].input: reads 'g', which runs only for task 'mnli'; a layer every "
                  "task runs cannot read a task head");
  EXPECT_CONTAINS(e,
                  "layers[8].input: reads 'g', which runs only for task 'mnli'; a layer of "
                  "task 'qnli' cannot read another task's");
  EXPECT_CONTAINS(e, "net.yaml:13:");
  EXPECT_CONTAINS(e,
                  "layers[9].sparsity: a layer that shares another's weights takes 'sparsity' "
                  "from it");
  EXPECT_CONTAINS(e, "layers[10].transpose: 'transpose' applies to a matmul of two activations");
  EXPECT_CONTAINS(e, "layers[11].heads: heads=5 must divide both operands' channels");
  EXPECT_CONTAINS(e,
                  "layers[12].inputs: b must have as many rows (h*w = 16) as a has channels "
                  "per head (64)");
  EXPECT_CONTAINS(e, "(for a times b^T give transpose: true)");
}

TEST(transformerFormat, EmbeddingNeedsOneTokenIdPerPosition) {
  const std::string e = transformer_errors(
      "name: t\ninput: {h: 16, w: 1, c: 3}\nlayers:\n"
      "  - {name: emb, type: embedding, vocab: 100, k: 8}\n"
      "  - {name: emb2, type: embedding, input: input, k: 8}\n");
  EXPECT_CONTAINS(e, "net.yaml:4:");
  EXPECT_CONTAINS(e, "an embedding reads one token id per position: its input must have c = 1");
  EXPECT_CONTAINS(e, "layers[1]: missing required key 'vocab'");
}

TEST(transformerFormat, TaskHeadsAreListedInOrder) {
  const Network albert = hmasim::load_network(network_file("adapter-albert"));
  EXPECT_EQ(hmasim::network_tasks(albert), (std::vector<std::string>{"mnli", "mrpc", "qnli"}));
  EXPECT_EQ(albert.find("classifier.mnli")->out, (Shape{1, 1, 3}));
  EXPECT_EQ(albert.find("classifier.mrpc")->out, (Shape{1, 1, 2}));
  EXPECT_EQ(albert.find("classifier.qnli")->out, (Shape{1, 1, 2}));
  const Network resnet = hmasim::load_network(network_file("resnet26-adapters"));
  EXPECT_EQ(hmasim::network_tasks(resnet),
            (std::vector<std::string>{"cifar100", "gtsrb", "ucf101"}));
  EXPECT_EQ(resnet.find("classifier.gtsrb")->out, (Shape{1, 1, 43}));
  EXPECT_EQ(resnet.find("classifier.ucf101")->out, (Shape{1, 1, 101}));
  EXPECT_TRUE(hmasim::network_tasks(hmasim::load_network(network_file("resnet50"))).empty());
  // A task's statistics: the backbone plus its own head only.
  const auto all = network_stats(albert);
  const auto mnli = network_stats(albert, "mnli");
  const auto mrpc = network_stats(albert, "mrpc");
  EXPECT_EQ(all.layers, mnli.layers + 2);
  EXPECT_EQ(mnli.params - mrpc.params, (768u * 3 + 3) - (768u * 2 + 2));
}

// Adapter-ALBERT: the adapters and layer norms are task-specific, stored once (shared across
// the 12 layers like ALBERT's own parameters); the embeddings and the rest are the backbone.
TEST(transformerFormat, AdapterAlbertSeparatesBackboneFromTaskParameters) {
  const Network net = hmasim::load_network(network_file("adapter-albert"));
  const auto s = network_stats(net, "mnli");
  const Network vanilla = hmasim::load_network(network_file("albert-base"));
  const auto v = network_stats(vanilla, "mnli");
  // Same backbone as albert-base except the layer norms, which became task-specific.
  EXPECT_EQ(s.params - s.task_specific_params, v.params - v.task_specific_params - 2 * 2 * 768);
  // Two adapters of 768 -> 48 -> 768 with biases, two layer norms and the MNLI classifier.
  const std::uint64_t adapters = 2 * ((768 * 48 + 48) + (48 * 768 + 768));
  EXPECT_EQ(s.task_specific_params, adapters + 2 * 2 * 768 + (768 * 3 + 3));
  EXPECT_FALSE(net.find("layer4.ffn.adapter.up")->shared);
  EXPECT_TRUE(net.find("layer4.ffn.adapter.up")->owner.has_value());
}

TEST(transformerFormat, CheckAcceptsTheShippedTransformers) {
  for (const char* name : {"albert-base", "adapter-albert", "resnet26-adapters"}) {
    const auto r = hmasim::test::hmasim("check " + network_file(name));
    EXPECT_EQ(r.status, 0) << name << "\n" << r.err;
    EXPECT_CONTAINS(r.out, "ok (workload");
  }
}

}  // namespace
