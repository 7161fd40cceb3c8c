// `hmasim run` of the shipped transformers on NVDLA-1024 with LPDDR4 (issue 10): the real binary,
// every layer once (all task heads included), figures from the simulation.
#include <gtest/gtest.h>

#include <filesystem>

#include "support/cli.hpp"

namespace {

namespace fs = std::filesystem;
using hmasim::test::json_number;
using hmasim::test::slurp;

// Runs `network` and returns its summary.json ("" on failure, reported).
std::string run_transformer(const std::string& network) {
  const fs::path out = fs::path(::testing::TempDir()) /
                       ("hmasim_transformer_" + network + "_" + std::to_string(::getpid()));
  fs::remove_all(out);
  const auto r = hmasim::test::hmasim("run --platform " HMASIM_SOURCE_DIR
                                      "/platforms/nvdla1024-lpddr4.yaml --workload " +
                                      std::string(HMASIM_SOURCE_DIR) + "/workloads/networks/" +
                                      network + ".yaml --out " + out.string());
  EXPECT_EQ(r.status, 0) << r.err;
  const std::string summary = slurp((out / "summary.json").string());
  const std::string layers = slurp((out / "layers.csv").string());
  // Every layer ran once: one row each (and a header), the three heads included.
  std::size_t rows = 0;
  for (char c : layers) rows += c == '\n';
  const auto check =
      hmasim::test::hmasim("check " HMASIM_SOURCE_DIR "/workloads/networks/" + network + ".yaml");
  EXPECT_CONTAINS(check.out, std::to_string(rows - 1) + " layers");
  for (const char* head : {"classifier.mnli", "classifier.mrpc", "classifier.qnli"}) {
    EXPECT_CONTAINS(layers, head);
  }
  fs::remove_all(out);
  return summary;
}

TEST(TransformerCli, AlbertBaseRunsOnNvdla1024) {
  const std::string s = run_transformer("albert-base");
  EXPECT_GT(json_number(s, "fps_max"), 0.0);
  EXPECT_GT(json_number(s, "energy_per_frame_j"), 0.0);
  // 11.19 GMAC of attention, projections and FFN per frame at 128 tokens.
  EXPECT_NEAR(json_number(s, "macs"), 11.187e9, 0.01e9);
}

TEST(TransformerCli, AdapterAlbertRunsOnNvdla1024) {
  const std::string s = run_transformer("adapter-albert");
  EXPECT_GT(json_number(s, "fps_max"), 0.0);
  EXPECT_GT(json_number(s, "energy_per_frame_j"), 0.0);
}

}  // namespace
