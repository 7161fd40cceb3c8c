// docs/model-guide.md quotes the example model (examples/custom_memory/) instead of sketching it:
// a block after `<!-- include: FILE -->` is a piece of FILE, and a file's pieces, in the guide's
// order and with one blank line between them, must make up the whole file. So the guide's code is
// code that builds and is tested, and a change to either side without the other fails here.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <iterator>
#include <map>
#include <regex>
#include <sstream>
#include <string>
#include <vector>

namespace {

namespace fs = std::filesystem;

const fs::path kRoot = HMASIM_SOURCE_DIR;
const fs::path kGuide = kRoot / "docs" / "model-guide.md";

std::string slurp(const fs::path& p) {
  std::ifstream in(p);
  return std::string(std::istreambuf_iterator<char>(in), std::istreambuf_iterator<char>());
}

struct Guide {
  std::map<std::string, std::string> quoted;  // file -> its pieces joined in order
  std::vector<std::string> problems;          // "line N: ..."
};

// Reads the guide's include markers and fenced blocks.
Guide read_guide() {
  Guide g;
  std::istringstream in(slurp(kGuide));
  std::vector<std::string> lines;
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  const std::regex marker(R"(^<!-- include: (\S+) -->$)");
  std::string pending;  // the file named by the marker just above, if any
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::smatch m;
    if (std::regex_match(lines[i], m, marker)) {
      if (!pending.empty()) {
        g.problems.push_back("line " + std::to_string(i + 1) + ": marker without a block");
      }
      pending = m[1];
      continue;
    }
    if (lines[i].rfind("```", 0) != 0) {
      if (!pending.empty() && !lines[i].empty()) {
        g.problems.push_back("line " + std::to_string(i + 1) + ": text between '" + pending +
                             "' marker and its block");
        pending.clear();
      }
      continue;
    }
    const std::string language = lines[i].substr(3);
    std::string block;
    std::size_t j = i + 1;
    for (; j < lines.size() && lines[j] != "```"; ++j) block += lines[j] + "\n";
    if (j == lines.size()) {
      g.problems.push_back("line " + std::to_string(i + 1) + ": unclosed block");
      break;
    }
    if (!pending.empty()) {
      std::string& whole = g.quoted[pending];
      whole += (whole.empty() ? "" : "\n") + block;
    } else if (language == "cpp" || language == "cmake") {
      // Code a user would copy must be the example's, never a sketch that drifts.
      g.problems.push_back("line " + std::to_string(i + 1) + ": ```" + language +
                           " block without an include marker");
    }
    pending.clear();
    i = j;
  }
  return g;
}

// The first line where `want` and `got` differ, for a readable failure.
std::string first_difference(const std::string& want, const std::string& got) {
  std::istringstream a(want), b(got);
  std::string la, lb;
  for (int n = 1;; ++n) {
    const bool more_a = static_cast<bool>(std::getline(a, la));
    const bool more_b = static_cast<bool>(std::getline(b, lb));
    if (!more_a && !more_b) return "identical lines (trailing newline differs)";
    if (!more_a || !more_b || la != lb) {
      return "line " + std::to_string(n) + ": file has '" + (more_a ? la : "<end>") +
             "', guide has '" + (more_b ? lb : "<end>") + "'";
    }
  }
}

TEST(ModelGuide, BlocksAreWellFormedAndEveryCodeBlockIsQuoted) {
  const Guide g = read_guide();
  for (const std::string& p : g.problems) ADD_FAILURE() << kGuide.string() << ": " << p;
  EXPECT_FALSE(g.quoted.empty()) << "the guide quotes no file";
}

TEST(ModelGuide, QuotesEveryFileOfTheExampleWhole) {
  const Guide g = read_guide();
  // Every file of the example is quoted, so the guide shows all a user has to write.
  std::vector<std::string> files;
  for (const auto& e : fs::directory_iterator(kRoot / "examples" / "custom_memory")) {
    files.push_back(fs::relative(e.path(), kRoot).generic_string());
  }
  ASSERT_GE(files.size(), 4u);  // header, source, CMakeLists.txt, platform
  for (const std::string& f : files) {
    EXPECT_EQ(g.quoted.count(f), 1u) << "docs/model-guide.md does not quote " << f;
  }
  for (const auto& [file, text] : g.quoted) {
    const fs::path path = kRoot / file;
    ASSERT_TRUE(fs::exists(path)) << "the guide quotes " << file << ", which does not exist";
    const std::string actual = slurp(path);
    EXPECT_TRUE(actual == text) << "docs/model-guide.md's quote of " << file
                                << " differs from the file: " << first_difference(actual, text);
  }
}

}  // namespace
