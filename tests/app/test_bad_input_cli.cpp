// Bad input through the real hmasim binary (issue 7, "trust what it says"): each case here used to
// crash, hang or exit 0 with a wrong result. Traces whose cycles overflow simulated time, NUL
// bytes, directories and binary files as traces, imported names our loader refuses, and output
// paths that are not ours to replace; run directories are replaced whole.
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <filesystem>
#include <fstream>
#include <iterator>
#include <set>
#include <string>

#include "core/file_output.hpp"
#include "support/cli.hpp"

namespace {

using hmasim::test::CliRun;
using hmasim::test::hmasim;
namespace fs = std::filesystem;

const std::string kRoot = HMASIM_SOURCE_DIR;
const std::string kIdeal = kRoot + "/tests/data/ideal-memory.yaml";  // 1 GHz, 1 MiB

std::string slurp(const fs::path& p) {
  std::ifstream in(p, std::ios::binary);
  return std::string((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
}

void spit(const fs::path& p, const std::string& text) {
  std::ofstream(p, std::ios::binary) << text;
}

// A fresh, empty directory for one test.
fs::path scratch(const std::string& name) {
  const fs::path d =
      fs::path(::testing::TempDir()) / ("hmasim_bad_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(d);
  fs::create_directories(d);
  return d;
}

std::set<std::string> entries(const fs::path& dir) {
  std::set<std::string> names;
  for (const auto& e : fs::directory_iterator(dir)) names.insert(e.path().filename().string());
  return names;
}

// A string literal with its embedded NUL bytes.
template <std::size_t N>
std::string bytes(const char (&s)[N]) {
  return std::string(s, N - 1);
}

CliRun replay_stdin(const std::string& trace, const std::string& platform = kIdeal,
                    const std::string& memory = "ideal") {
  return hmasim("replay --platform " + platform + " --memory " + memory + " --trace -", trace);
}

// ---------------------------------------------------------------------------------------------
// replay: simulated time and 64-bit overflows

TEST(BadInputCli, ReplayCycleBeyondSimulatedTimeIsAnErrorWithFileAndLine) {
  const fs::path dir = scratch("cycle");
  spit(dir / "huge.stl",
       "0: read 0x0\n# the largest 64-bit cycle\n18446744073709551615: read 0x40\n");
  const CliRun huge = hmasim("replay --platform " + kIdeal + " --memory ideal --trace " +
                             (dir / "huge.stl").string());
  EXPECT_EQ(huge.status, 2) << huge.out;
  EXPECT_EQ(huge.out, "") << "no wrapped result";
  EXPECT_CONTAINS(huge.err, "huge.stl:3: cycle 18446744073709551615 starts at");
  EXPECT_CONTAINS(huge.err, "the latest a request may start is 2^63 - 1 ps");

  // The bound is exact at the memory's clock: at 1 GHz, cycle floor((2^63 - 1) / 1000) is the
  // last that may start.
  const CliRun last = replay_stdin("0: read 0x0\n9223372036854775: read 0x40\n");
  ASSERT_EQ(last.status, 0) << last.err;
  EXPECT_CONTAINS(last.out, "\"end_time_s\": 9223372.03");
  const CliRun past = replay_stdin("0: read 0x0\n9223372036854776: read 0x40\n");
  EXPECT_EQ(past.status, 2);
  EXPECT_CONTAINS(past.err, "<stdin>:2: cycle 9223372036854776");

  // Another clock, another bound: LPDDR4-3200's 1.6 GHz command clock.
  const CliRun dram = replay_stdin("18446744073709551615: read 0x0\n",
                                   kRoot + "/platforms/lpddr4-3200-x16.yaml", "dram");
  EXPECT_EQ(dram.status, 2);
  EXPECT_CONTAINS(dram.err, "<stdin>:1: cycle 18446744073709551615");
}

TEST(BadInputCli, ReplayNumbersThatOverflowAreErrorsNamingTheLine) {
  const CliRun cycle = replay_stdin("0: read 0x0\n18446744073709551616: read 0x0\n");
  EXPECT_EQ(cycle.status, 2);
  EXPECT_CONTAINS(cycle.err, "<stdin>:2: the cycle does not fit 64 bits");
  const CliRun address = replay_stdin("0: read 0x10000000000000000\n");
  EXPECT_EQ(address.status, 2);
  EXPECT_CONTAINS(address.err, "<stdin>:1: the address does not fit 64 bits");
  const CliRun wraps = replay_stdin("0: read 0x0\n1: (128) read 0xffffffffffffffc0\n");
  EXPECT_EQ(wraps.status, 2);
  EXPECT_CONTAINS(wraps.err,
                  "<stdin>:2: a request of 128 B at 0xffffffffffffffc0 runs past the end of the "
                  "64-bit address space");
  // Inside the 64-bit space but outside the memory: the memory's answer, as before.
  const CliRun outside = replay_stdin("0: read 0xffffffffffffffc0\n");
  EXPECT_EQ(outside.status, 2);
  EXPECT_CONTAINS(outside.err, "TLM_ADDRESS_ERROR_RESPONSE");
  const CliRun length = replay_stdin("0: (18446744073709551617) read 0x0\n");
  EXPECT_EQ(length.status, 2);
  EXPECT_CONTAINS(length.err, "<stdin>:1: length must be between 1 and 1048576 bytes");
  const CliRun prefix = replay_stdin("0: read 0x0x40\n");  // strtoull took a second 0x
  EXPECT_EQ(prefix.status, 2);
  EXPECT_EQ(prefix.out, "");
}

// ---------------------------------------------------------------------------------------------
// replay: input that is not a text trace

TEST(BadInputCli, ReplayNulByteIsAnErrorNamingTheLine) {
  const CliRun r = replay_stdin(bytes("0: read 0x0\n1: read 0x40\0junk\n2: read 0x80\n"));
  EXPECT_EQ(r.status, 2) << r.out;
  EXPECT_EQ(r.out, "");
  EXPECT_CONTAINS(r.err, "<stdin>:2: NUL byte at column 13");
  // In a comment too: a NUL never silently ends the trace.
  const CliRun comment = replay_stdin(bytes("0: read 0x0 # x\0y\n"));
  EXPECT_EQ(comment.status, 2);
  EXPECT_CONTAINS(comment.err, "<stdin>:1: NUL byte");
}

TEST(BadInputCli, ReplayRefusesDirectoriesAndBinaryFilesFast) {
  const fs::path dir = scratch("notext");
  const std::string args = "replay --platform " + kIdeal + " --memory ideal --trace ";
  const CliRun directory = hmasim(args + dir.string());
  EXPECT_EQ(directory.status, 2) << directory.out;
  EXPECT_EQ(directory.out, "");
  EXPECT_CONTAINS(directory.err, "cannot read trace '" + dir.string() + "': it is a directory");

  const auto start = std::chrono::steady_clock::now();
  const CliRun zero = hmasim(args + "/dev/zero");
  EXPECT_EQ(zero.status, 2);
  EXPECT_CONTAINS(zero.err, "/dev/zero:1: NUL byte at column 1");
  EXPECT_LT(std::chrono::steady_clock::now() - start, std::chrono::seconds(20));

  // No NUL, no newline: the line bound stops it.
  spit(dir / "blob.bin", std::string(3 << 20, 'x'));
  const CliRun blob = hmasim(args + (dir / "blob.bin").string());
  EXPECT_EQ(blob.status, 2);
  EXPECT_CONTAINS(blob.err, "blob.bin:1: line 1 is longer than 2101248 bytes");

  // The longest legal line still passes: a 1 MiB write with its data.
  const CliRun longest =
      replay_stdin("0: (1048576) write 0x0 0x" + std::string(2 << 20, 'a') + "\n");
  EXPECT_EQ(longest.status, 0) << longest.err.substr(0, 300);

  const CliRun missing = hmasim(args + (dir / "missing.stl").string());
  EXPECT_EQ(missing.status, 2);
  EXPECT_CONTAINS(missing.err, "cannot open trace");
}

// ---------------------------------------------------------------------------------------------
// import: never a file our own loader refuses

TEST(BadInputCli, ImportRenamesNamesOurLoaderWouldRefuse) {
  const fs::path dir = scratch("names");
  const std::string header =
      "Layer name, IFMAP Height, IFMAP Width, Filter Height, Filter Width, Channels, Num Filter, "
      "Strides,\n";
  const std::string row = ", 8, 8, 3, 3, 4, 8, 1,\n";
  spit(dir / "odd.csv", header + "input" + row + "input_2" + row + std::string("a\0b", 3) + row +
                            std::string("a\0c", 3) + row + "x\xffy" + row + "q\rz" + row + "conv1" +
                            row + "conv1" + row);
  const std::string yaml = (dir / "odd.yaml").string();
  const CliRun import = hmasim("import scalesim " + (dir / "odd.csv").string() + " --out " + yaml);
  ASSERT_EQ(import.status, 0) << import.err;
  const std::string text = slurp(yaml);
  EXPECT_CONTAINS(text, "# 'input' is reserved for the network input: renamed 'input_2'");
  EXPECT_CONTAINS(text, "# 'input_2' is taken by a renamed layer: renamed 'input_2_2'");
  EXPECT_CONTAINS(text, "# 'a\\x00b' has bytes a layer name cannot hold");
  EXPECT_CONTAINS(text, "renamed 'a_b'");
  EXPECT_CONTAINS(text, "renamed 'x_y'");
  EXPECT_CONTAINS(text, "# 'q\\x0dz' has bytes");
  EXPECT_CONTAINS(text, "# 'conv1' occurs more than once: renamed 'conv1_2'");
  EXPECT_EQ(text.find('\0'), std::string::npos);
  EXPECT_EQ(text.find('\r'), std::string::npos);

  // Our own loader takes what our importer wrote.
  const CliRun check = hmasim("check " + yaml);
  EXPECT_EQ(check.status, 0) << check.err;
  EXPECT_CONTAINS(check.out, "8 layers");
}

// ---------------------------------------------------------------------------------------------
// outputs: only regular files are replaced, always through an exclusive temporary

TEST(BadInputCli, ImportRefusesToReplaceAnythingButARegularFile) {
  const fs::path dir = scratch("outputs");
  spit(dir / "t.csv", "Layer, M, N, K,\ng, 4, 4, 4,\n");
  const std::string import = "import scalesim " + (dir / "t.csv").string() + " --out ";

  spit(dir / "precious.txt", "keep me\n");
  fs::create_symlink(dir / "precious.txt", dir / "link.yaml");
  const CliRun link = hmasim(import + (dir / "link.yaml").string());
  EXPECT_EQ(link.status, 2);
  EXPECT_CONTAINS(link.err, "link.yaml': it is a symbolic link");
  EXPECT_TRUE(fs::is_symlink(dir / "link.yaml"));
  EXPECT_EQ(slurp(dir / "precious.txt"), "keep me\n");

  ASSERT_EQ(::mkfifo((dir / "fifo.yaml").c_str(), 0644), 0);
  const CliRun fifo = hmasim(import + (dir / "fifo.yaml").string());
  EXPECT_EQ(fifo.status, 2);
  EXPECT_CONTAINS(fifo.err, "fifo.yaml': it is a FIFO");
  EXPECT_EQ(fs::status(dir / "fifo.yaml").type(), fs::file_type::fifo);

  fs::create_directory(dir / "sub.yaml");
  const CliRun directory = hmasim(import + (dir / "sub.yaml").string());
  EXPECT_EQ(directory.status, 2);
  EXPECT_CONTAINS(directory.err, "sub.yaml': it is a directory");

  // A fixed temporary name could be a planted symlink: ours are created exclusively.
  fs::create_symlink(dir / "precious.txt", dir / "net.yaml.tmp");
  const CliRun ok = hmasim(import + (dir / "net.yaml").string());
  ASSERT_EQ(ok.status, 0) << ok.err;
  EXPECT_EQ(slurp(dir / "precious.txt"), "keep me\n");
  EXPECT_CONTAINS(slurp(dir / "net.yaml"), "type: matmul");
  struct stat st {};
  ASSERT_EQ(::stat((dir / "net.yaml").c_str(), &st), 0);
  EXPECT_NE(st.st_mode & 0044, 0u) << "not left at mkstemp's 0600";
  // Replacing a regular file works, and leaves no temporary behind.
  ASSERT_EQ(hmasim(import + (dir / "net.yaml").string()).status, 0);
  EXPECT_EQ(entries(dir), (std::set<std::string>{"t.csv", "precious.txt", "link.yaml", "fifo.yaml",
                                                 "sub.yaml", "net.yaml.tmp", "net.yaml"}));
}

// ---------------------------------------------------------------------------------------------
// run: a run directory is complete or untouched

CliRun run_lenet(const fs::path& out) {
  return hmasim("run --platform " + kRoot + "/platforms/nvdla-ideal.yaml --workload " + kRoot +
                "/workloads/networks/lenet5.yaml --out " + out.string());
}

TEST(BadInputCli, RunDirectoryIsReplacedWholeWithAManifest) {
  const fs::path parent = scratch("rundir");
  const fs::path out = parent / "run";
  ASSERT_EQ(run_lenet(out).status, 0);
  EXPECT_EQ(entries(out), (std::set<std::string>{"summary.json", "layers.csv", "manifest.json"}));
  const std::string manifest = slurp(out / "manifest.json");
  EXPECT_CONTAINS(manifest, "\"format\": \"hmasim run directory\"");
  EXPECT_CONTAINS(manifest, "\"hmasim_version\": \"");
  EXPECT_CONTAINS(manifest, "\"name\": \"summary.json\",\n      \"bytes\": " +
                                std::to_string(fs::file_size(out / "summary.json")));
  EXPECT_CONTAINS(manifest, "\"name\": \"layers.csv\",\n      \"bytes\": " +
                                std::to_string(fs::file_size(out / "layers.csv")));

  // A second run swaps in a new directory: the old tree (here with a stale marker in its
  // summary) is gone whole, and nothing temporary is left beside it.
  struct stat before {};
  ASSERT_EQ(::stat(out.c_str(), &before), 0);
  spit(out / "summary.json", "stale");
  ASSERT_EQ(run_lenet(out).status, 0);
  EXPECT_NE(slurp(out / "summary.json"), "stale");
  EXPECT_EQ(entries(out), (std::set<std::string>{"summary.json", "layers.csv", "manifest.json"}));
  struct stat after {};
  ASSERT_EQ(::stat(out.c_str(), &after), 0);
  EXPECT_NE(before.st_ino, after.st_ino) << "the directory itself was replaced";
  EXPECT_EQ(entries(parent), std::set<std::string>{"run"});

  // An empty directory is taken too.
  fs::create_directory(parent / "empty");
  ASSERT_EQ(run_lenet(parent / "empty").status, 0);
  EXPECT_TRUE(fs::exists(parent / "empty" / "manifest.json"));
}

TEST(BadInputCli, RunNeverReplacesWhatHmasimDidNotWrite) {
  const fs::path parent = scratch("refuse");
  // A user's directory: no manifest.
  fs::create_directory(parent / "thesis");
  spit(parent / "thesis" / "chapter1.tex", "precious");
  const CliRun user = run_lenet(parent / "thesis");
  EXPECT_EQ(user.status, 2);
  EXPECT_CONTAINS(user.err,
                  "thesis' with a run directory: it is not empty and has no "
                  "manifest.json");
  EXPECT_EQ(entries(parent / "thesis"), std::set<std::string>{"chapter1.tex"});
  EXPECT_EQ(slurp(parent / "thesis" / "chapter1.tex"), "precious");

  // A run directory the user added a file to.
  ASSERT_EQ(run_lenet(parent / "run").status, 0);
  spit(parent / "run" / "notes.txt", "mine");
  const CliRun extra = run_lenet(parent / "run");
  EXPECT_EQ(extra.status, 2);
  EXPECT_CONTAINS(extra.err, "it holds 'notes.txt', which its hmasim manifest does not list");
  EXPECT_EQ(slurp(parent / "run" / "notes.txt"), "mine");

  // A symlink to a run directory, and a regular file.
  fs::remove(parent / "run" / "notes.txt");
  fs::create_directory_symlink(parent / "run", parent / "link");
  const CliRun link = run_lenet(parent / "link");
  EXPECT_EQ(link.status, 2);
  EXPECT_CONTAINS(link.err, "link' with a run directory: it is a symbolic link");
  EXPECT_TRUE(fs::is_symlink(parent / "link"));
  spit(parent / "file", "data");
  const CliRun file = run_lenet(parent / "file");
  EXPECT_EQ(file.status, 2);
  EXPECT_CONTAINS(file.err, "it is a regular file, not a directory");
  EXPECT_EQ(slurp(parent / "file"), "data");

  // A forged manifest does not make a directory ours.
  fs::create_directory(parent / "forged");
  spit(parent / "forged" / "manifest.json", "{\"format\": \"something else\", \"files\": []}");
  spit(parent / "forged" / "data.bin", "x");
  const CliRun forged = run_lenet(parent / "forged");
  EXPECT_EQ(forged.status, 2);
  EXPECT_CONTAINS(forged.err, "its manifest.json is not an hmasim manifest");
  EXPECT_EQ(entries(parent), (std::set<std::string>{"thesis", "run", "link", "file", "forged"}));
}

// The fallback where the file system cannot exchange two directories: the old tree is moved
// aside, the new one renamed in, the old one removed.
TEST(BadInputCli, RunDirectoryFallbackWithoutExchangeReplacesWhole) {
  const fs::path parent = scratch("fallback");
  const std::string dir = (parent / "run").string();
  hmasim::DirectoryWriteOptions no_exchange;
  no_exchange.exchange = false;
  hmasim::write_directory_atomically(dir, {{"a.txt", "old a"}, {"b.txt", "old b"}}, no_exchange);
  hmasim::write_directory_atomically(dir, {{"a.txt", "new a"}}, no_exchange);
  EXPECT_EQ(entries(dir), (std::set<std::string>{"a.txt", "manifest.json"}));
  EXPECT_EQ(slurp(parent / "run" / "a.txt"), "new a");
  EXPECT_EQ(entries(parent), std::set<std::string>{"run"});
  // The default path (exchange) over the fallback's result.
  hmasim::write_directory_atomically(dir, {{"c.txt", "c"}});
  EXPECT_EQ(entries(dir), (std::set<std::string>{"c.txt", "manifest.json"}));
  EXPECT_EQ(entries(parent), std::set<std::string>{"run"});
  EXPECT_THROW(hmasim::write_directory_atomically(dir, {{"../escape", "x"}}),
               std::invalid_argument);
  EXPECT_THROW(hmasim::write_directory_atomically(dir, {{"manifest.json", "x"}}),
               std::invalid_argument);
  EXPECT_EQ(entries(dir), (std::set<std::string>{"c.txt", "manifest.json"}));
}

}  // namespace
