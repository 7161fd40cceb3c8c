// StagedDirectory (core/file_output): a run directory filled during the run and swapped in whole
// by commit(); without commit the target is untouched and the temporary directory removed.
#include <gtest/gtest.h>
#include <sys/stat.h>

#include <fstream>

#include "core/file_output.hpp"
#include "support/trace_files.hpp"

namespace {

using hmasim::OutputError;
using hmasim::StagedDirectory;
using namespace hmasim::test;

TEST(stagedDirectory, CommitMakesTheDirectoryWithAManifest) {
  const fs::path parent = scratch("staged_commit");
  const fs::path out = parent / "deep" / "run";  // missing parents are created
  {
    StagedDirectory s(out.string());
    const fs::path staging = s.directory();
    EXPECT_EQ(staging.parent_path(), parent / "deep");
    EXPECT_EQ(staging.filename().string().rfind(".run.tmp-", 0), 0u) << staging;
    std::ofstream(s.path("waves.vcd")) << "streamed during the run";
    s.add("summary.json", "{}");
    std::ofstream(staging / "extra.txt") << "x";  // not registered: still listed
    (void)s.path("never-written.csv");            // registered, not created: left out
    EXPECT_FALSE(fs::exists(out));
    s.commit();
    EXPECT_TRUE(s.committed());
    EXPECT_FALSE(fs::exists(staging));
  }
  EXPECT_EQ(entries(out),
            (std::set<std::string>{"waves.vcd", "summary.json", "extra.txt", "manifest.json"}));
  const Json m = parse_json(slurp(out / "manifest.json"));
  EXPECT_EQ(m["format"].text, "hmasim run directory");
  const auto& files = m["files"].items;
  ASSERT_EQ(files.size(), 3u);
  EXPECT_EQ(files[0]["name"].text, "waves.vcd");
  EXPECT_EQ(files[0]["bytes"].text, "23");
  EXPECT_EQ(files[1]["name"].text, "summary.json");
  EXPECT_EQ(files[1]["bytes"].text, "2");
  EXPECT_EQ(files[2]["name"].text, "extra.txt");
  EXPECT_EQ(entries(parent / "deep"), std::set<std::string>{"run"});
  struct stat st {};
  ASSERT_EQ(::stat(out.c_str(), &st), 0);
  EXPECT_NE(st.st_mode & 0055, 0u) << "not left at mkdtemp's 0700";

  // A second staged run replaces it whole (RENAME_EXCHANGE, then the fallback).
  for (const bool exchange : {true, false}) {
    hmasim::DirectoryWriteOptions o;
    o.exchange = exchange;
    StagedDirectory again(out.string(), o);
    again.add("summary.json", exchange ? "exchanged" : "moved");
    again.commit();
    EXPECT_EQ(entries(out), (std::set<std::string>{"summary.json", "manifest.json"}));
    EXPECT_EQ(slurp(out / "summary.json"), exchange ? "exchanged" : "moved");
    EXPECT_EQ(entries(parent / "deep"), std::set<std::string>{"run"});
  }
}

TEST(stagedDirectory, WithoutCommitTheTargetIsUntouched) {
  const fs::path parent = scratch("staged_abort");
  const fs::path out = parent / "run";
  hmasim::write_directory_atomically(out.string(), {{"summary.json", "previous"}});
  {
    StagedDirectory s(out.string());
    std::ofstream(s.path("waves.vcd")) << "half a trace";
    s.add("summary.json", "new");
    std::ofstream(fs::path(s.directory()) / "stray") << "also removed";
    EXPECT_EQ(entries(parent).size(), 2u) << "the run and its staging directory";
  }  // a failed run: no commit
  EXPECT_EQ(entries(parent), std::set<std::string>{"run"});
  EXPECT_EQ(entries(out), (std::set<std::string>{"summary.json", "manifest.json"}));
  EXPECT_EQ(slurp(out / "summary.json"), "previous");
}

TEST(stagedDirectory, RefusesWhatHmasimDidNotWriteAndBadNames) {
  const fs::path parent = scratch("staged_refuse");
  fs::create_directory(parent / "thesis");
  std::ofstream(parent / "thesis" / "chapter1.tex") << "precious";
  EXPECT_THROW(StagedDirectory((parent / "thesis").string()), OutputError);
  EXPECT_EQ(entries(parent), std::set<std::string>{"thesis"}) << "refused before creating anything";

  StagedDirectory s((parent / "run").string());
  EXPECT_THROW(s.add("manifest.json", "x"), std::invalid_argument);
  EXPECT_THROW((void)s.path("../escape"), std::invalid_argument);
  EXPECT_THROW((void)s.path(""), std::invalid_argument);
  s.add("a.csv", "1");
  EXPECT_THROW(s.add("a.csv", "2"), std::invalid_argument);
  EXPECT_THROW((void)s.path("a.csv"), std::invalid_argument);
  // Something that is not a regular file in the staging directory is refused at commit.
  fs::create_directory(fs::path(s.directory()) / "sub");
  EXPECT_THROW(s.commit(), OutputError);
  EXPECT_FALSE(fs::exists(parent / "run"));
  fs::remove(fs::path(s.directory()) / "sub");
  // The target is checked again at commit: a user's directory that appeared meanwhile is kept.
  fs::create_directory(parent / "run");
  std::ofstream(parent / "run" / "mine.txt") << "mine";
  EXPECT_THROW(s.commit(), OutputError);
  EXPECT_EQ(slurp(parent / "run" / "mine.txt"), "mine");
  EXPECT_FALSE(s.committed());
}

}  // namespace
