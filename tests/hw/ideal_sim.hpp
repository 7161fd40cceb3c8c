// Test support: one simulation of a network on the NVDLA datapath with ideal memories
// (platforms/nvdla-ideal.yaml), with `--set`-style overrides. SystemC elaborates once per
// process: one IdealSim per test.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>
#include <vector>

#include "app/platform_file.hpp"
#include "hw/accelerator.hpp"

namespace hmasim::test {

inline const std::string kIdealPlatform = HMASIM_SOURCE_DIR "/platforms/nvdla-ideal.yaml";

struct IdealSim {
  PlatformConfig platform;
  Network net;
  EnergyLedger ledger;
  std::unique_ptr<Accelerator> acc;
  IdealSim(const std::string& network, const std::vector<std::string>& overrides) {
    ConfigDocument::set_preset_directory(HMASIM_SOURCE_DIR "/platforms/presets");
    platform = load_platform(kIdealPlatform, overrides);
    net = load_network_text(network, "net.yaml");
    acc = std::make_unique<Accelerator>("acc", platform.memories, *platform.accelerator, net,
                                        RunOptions{}, ledger);
    sc_core::sc_start();
    EXPECT_TRUE(acc->finished()) << acc->error();
  }
};

}  // namespace hmasim::test
