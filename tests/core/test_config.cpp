// The config loader's error paths: each bad input must produce its precise diagnostic (file, line,
// key path, what was expected), and all errors of a file are reported together.
#include <gtest/gtest.h>

#include <cstdio>
#include <filesystem>
#include <fstream>

#include "core/config_node.hpp"
#include "mem/memory_system.hpp"

namespace hmasim {
namespace {

const char* kGood = R"(name: demo
memories:
  ideal:
    model: simple
    capacity: 1MiB
    latency: 10ns
    bandwidth: 16GB/s
    leakage: {value: 2mW, source: "a note"}
)";

// Parses a platform-like text with a `memories:` section and returns the diagnostics.
std::vector<Diagnostic> diagnose(const std::string& text,
                                 const std::vector<std::string>& sets = {}) {
  auto doc = ConfigDocument::load_string(text, "test.yaml", sets);
  if (doc->parsed()) {
    ConfigNode root = doc->root();
    root.get<std::string>("name", "");
    parse_memories(root.child("memories"));
  }
  try {
    doc->finish();
  } catch (const ConfigError& e) {
    return e.diagnostics();
  }
  return {};
}

std::string one(const std::vector<Diagnostic>& d) {
  std::string all;
  for (const auto& x : d) all += x.str() + "\n";
  EXPECT_EQ(d.size(), 1u) << all;
  return all;
}

std::string replace(std::string s, const std::string& from, const std::string& to) {
  const auto at = s.find(from);
  EXPECT_NE(at, std::string::npos) << from;
  return s.replace(at, from.size(), to);
}

TEST(Config, GoodFileHasNoDiagnostics) {
  EXPECT_TRUE(diagnose(kGood).empty());
}

TEST(Config, ValueWithSourceIsRead) {
  auto doc = ConfigDocument::load_string(kGood, "test.yaml");
  auto specs = parse_memories(doc->root().child("memories"));
  doc->root().get<std::string>("name");
  doc->finish();
  ASSERT_EQ(specs.size(), 1u);
  EXPECT_EQ(specs[0].name, "ideal");
  EXPECT_EQ(specs[0].config->common.capacity.value(), 1u << 20);
}

TEST(Config, TypoKeyIsUnknownWithLineAndExpectedKeys) {
  const auto d = diagnose(replace(kGood, "latency:", "latncy:"));
  // The typo is unknown, and the real key is then missing.
  ASSERT_EQ(d.size(), 2u);
  bool unknown = false, missing = false;
  for (const auto& x : d) {
    if (x.message.find("unknown key 'latncy'") != std::string::npos) {
      unknown = true;
      EXPECT_EQ(x.file, "test.yaml");
      EXPECT_EQ(x.line, 6);
      EXPECT_EQ(x.key, "memories.ideal.latncy");
      EXPECT_NE(x.message.find("latency"), std::string::npos) << "expected keys are listed";
    }
    if (x.message.find("missing required key 'latency'") != std::string::npos) missing = true;
  }
  EXPECT_TRUE(unknown);
  EXPECT_TRUE(missing);
}

TEST(Config, WrongTypeSaysWhatWasExpected) {
  const auto s = one(diagnose(replace(kGood, "latency: 10ns", "latency: [10ns]")));
  EXPECT_NE(
      s.find("test.yaml:6:14: memories.ideal.latency: expected a time such as 10ns, got a list"),
      std::string::npos)
      << s;
}

TEST(Config, NegativeSizeIsAnError) {
  const auto s = one(diagnose(replace(kGood, "capacity: 1MiB", "capacity: -1MiB")));
  EXPECT_NE(
      s.find("test.yaml:5:15: memories.ideal.capacity: '-1MiB' is not a valid size (negative"),
      std::string::npos)
      << s;
}

TEST(Config, BadUnitNamesTheText) {
  const auto s = one(diagnose(replace(kGood, "bandwidth: 16GB/s", "bandwidth: 16Gb/s")));
  EXPECT_NE(s.find("memories.ideal.bandwidth: '16Gb/s' is not a valid bandwidth (unknown unit "
                   "'Gb/s'"),
            std::string::npos)
      << s;
  EXPECT_NE(s.find(":7:"), std::string::npos) << s;
}

TEST(Config, MissingUnitIsAnError) {
  const auto s = one(diagnose(replace(kGood, "latency: 10ns", "latency: 10")));
  EXPECT_NE(s.find("'10' is not a valid time (missing unit"), std::string::npos) << s;
}

TEST(Config, UnknownKeyInValueForm) {
  const auto s = one(diagnose(replace(kGood, "source: \"a note\"", "sorce: \"a note\"")));
  EXPECT_NE(s.find("memories.ideal.leakage.sorce: unknown key 'sorce'"), std::string::npos) << s;
}

TEST(Config, UnknownModelListsRegisteredOnes) {
  const auto s = one(diagnose(replace(kGood, "model: simple", "model: simpel")));
  EXPECT_NE(s.find("memories.ideal.model: unknown memory model 'simpel' (registered: "),
            std::string::npos)
      << s;
  EXPECT_NE(s.find("simple"), std::string::npos);
}

TEST(Config, CapacityNotMultipleOfAlignment) {
  const auto s =
      one(diagnose(replace(kGood, "capacity: 1MiB", "capacity: 1000B\n    alignment: 64B")));
  EXPECT_NE(
      s.find("memories.ideal.capacity: capacity 1000B is not a multiple of the alignment 64B"),
      std::string::npos)
      << s;
}

TEST(Config, AllErrorsOfAFileAreReportedTogether) {
  std::string text = replace(kGood, "capacity: 1MiB", "capacity: 1MiBB");
  text = replace(text, "latency: 10ns", "latency: 10 nsec");
  text = replace(text, "bandwidth: 16GB/s", "bandwidth: 0GB/s\n    colour: red");
  EXPECT_EQ(diagnose(text).size(), 4u);
}

TEST(Config, DuplicateKeyIsAnError) {
  const auto s = one(diagnose(replace(kGood, "latency: 10ns", "latency: 10ns\n    latency: 20ns")));
  EXPECT_NE(s.find("duplicate key 'latency'"), std::string::npos) << s;
}

TEST(Config, SyntaxErrorHasLine) {
  const auto s = one(diagnose("name: x\nmemories:\n  a: [1, 2\n"));
  EXPECT_NE(s.find("test.yaml:"), std::string::npos);
  EXPECT_NE(s.find("YAML syntax error"), std::string::npos) << s;
}

TEST(Config, MissingFileIsADiagnostic) {
  auto doc = ConfigDocument::load_file("/nonexistent/platform.yaml");
  EXPECT_THROW(doc->finish(), ConfigError);
  ASSERT_FALSE(doc->ok());
  EXPECT_EQ(doc->diagnostics()[0].str(),
            "/nonexistent/platform.yaml: cannot open file (no such file)");
}

TEST(Config, OverridesReplaceValuesAndAreValidated) {
  auto doc = ConfigDocument::load_string(kGood, "test.yaml", {"memories.ideal.bandwidth=8GB/s"});
  auto specs = parse_memories(doc->root().child("memories"));
  doc->root().get<std::string>("name");
  doc->finish();
  ASSERT_EQ(specs.size(), 1u);
  EXPECT_EQ(doc->root().child("memories").child("ideal").get<Bandwidth>("bandwidth").value(), 8e9);

  const auto bad_value = one(diagnose(kGood, {"memories.ideal.bandwidth=fast"}));
  EXPECT_NE(bad_value.find("--set: memories.ideal.bandwidth: 'fast' is not a valid bandwidth"),
            std::string::npos)
      << bad_value;
  const auto typo = one(diagnose(kGood, {"memories.ideal.bandwith=8GB/s"}));
  EXPECT_NE(typo.find("--set: memories.ideal.bandwith: unknown key 'bandwith'"), std::string::npos)
      << typo;
  const auto malformed = one(diagnose(kGood, {"memories.ideal.bandwidth"}));
  EXPECT_NE(malformed.find("expected key.path=value"), std::string::npos) << malformed;
}

// `--set a.b.c=v` over a file's `a.b: scalar` turns b into a map: the override shadows the
// file's value instead of clashing with it.
TEST(Config, OverrideMapShadowsAFileScalar) {
  auto doc = ConfigDocument::load_string("a:\n  b: gray\n", "test.yaml", {"a.b.values=binary"});
  const ConfigNode b = doc->root().child("a").child("b");
  EXPECT_EQ(b.get<std::string>("values"), "binary");
  EXPECT_NO_THROW(doc->finish());
}

TEST(Config, PresetSuppliesDefaultsAndReportsItsOwnUnknownKeys) {
  namespace fs = std::filesystem;
  const fs::path dir =
      fs::temp_directory_path() / ("hmasim-preset-test-" + std::to_string(::getpid()));
  fs::create_directories(dir / "presets");
  std::ofstream(dir / "presets" / "fast.yaml") << "latency: 5ns\nbandwidth: 32GB/s\n";
  std::ofstream(dir / "presets" / "typo.yaml") << "latency: 5ns\nbandwith: 32GB/s\n";
  const std::string platform = (dir / "p.yaml").string();
  std::ofstream(platform) << "memories:\n  m:\n    model: simple\n    capacity: 1KiB\n"
                             "    preset: fast\n    latency: 7ns\n";
  {
    auto doc = ConfigDocument::load_file(platform);
    auto mem = doc->root().child("memories").child("m");
    auto specs = parse_memories(doc->root().child("memories"));
    doc->finish();
    EXPECT_EQ(mem.get<Time>("latency").value(), 7000u);        // the file wins over its preset
    EXPECT_EQ(mem.get<Bandwidth>("bandwidth").value(), 32e9);  // the preset fills the gap
  }
  std::ofstream(platform) << "memories:\n  m:\n    model: simple\n    capacity: 1KiB\n"
                             "    preset: typo\n";
  {
    auto doc = ConfigDocument::load_file(platform);
    parse_memories(doc->root().child("memories"));
    try {
      doc->finish();
      ADD_FAILURE() << "expected diagnostics";
    } catch (const ConfigError& e) {
      const std::string s = e.what();
      EXPECT_NE(s.find("typo.yaml:2:1: memories.m.bandwith: unknown key 'bandwith'"),
                std::string::npos)
          << s;
    }
  }
  std::ofstream(platform) << "memories:\n  m:\n    model: simple\n    capacity: 1KiB\n"
                             "    preset: nosuch\n    latency: 1ns\n    bandwidth: 1GB/s\n";
  {
    auto doc = ConfigDocument::load_file(platform);
    parse_memories(doc->root().child("memories"));
    EXPECT_THROW(doc->finish(), ConfigError);
    EXPECT_NE(doc->diagnostics().at(0).message.find("no preset named 'nosuch'"), std::string::npos);
  }
  fs::remove_all(dir);
}

}  // namespace
}  // namespace hmasim
