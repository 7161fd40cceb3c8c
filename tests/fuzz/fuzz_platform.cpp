// libFuzzer harness: the platform loader (app/platform_file.hpp) on YAML text with `--set`
// overrides (input format: fuzz_input.hpp). A ConfigError is the clean refusal; any other
// exception, a crash, a hang or a sanitizer report is a finding.
#include <cstddef>
#include <cstdint>

#include "app/platform_file.hpp"
#include "core/config_error.hpp"
#include "core/config_node.hpp"
#include "fuzz_input.hpp"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  // Named presets resolve to the shipped ones, as for the hmasim binary.
  static const bool kInit = [] {
    hmasim::ConfigDocument::set_preset_directory(HMASIM_SOURCE_DIR "/platforms/presets");
    return true;
  }();
  (void)kInit;
  const hmasim::fuzz::Input in = hmasim::fuzz::split_input(data, size);
  try {
    // A name inside platforms/, so relative preset paths (`preset: presets/rram.yaml`) resolve
    // as they do for the shipped platforms.
    hmasim::load_platform_text(in.text, HMASIM_SOURCE_DIR "/platforms/fuzz.yaml", in.overrides);
  } catch (const hmasim::ConfigError&) {
  }
  return 0;
}
