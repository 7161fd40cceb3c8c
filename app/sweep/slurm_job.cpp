#include "app/sweep/slurm_job.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <stdexcept>

#include "core/file_output.hpp"

extern char** environ;

namespace hmasim {

namespace {

// Runs `argv` (found on PATH), returns its exit status and standard output; its standard error
// goes to `err`.
int run_capture(std::vector<std::string> argv, std::string& out, std::string& err) {
  int out_pipe[2], err_pipe[2];
  if (pipe(out_pipe) != 0) throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  if (pipe(err_pipe) != 0) {
    close(out_pipe[0]);
    close(out_pipe[1]);
    throw std::runtime_error(std::string("pipe: ") + std::strerror(errno));
  }
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&actions, out_pipe[1], 1);
  posix_spawn_file_actions_adddup2(&actions, err_pipe[1], 2);
  posix_spawn_file_actions_addclose(&actions, out_pipe[0]);
  posix_spawn_file_actions_addclose(&actions, err_pipe[0]);
  std::vector<char*> args;
  for (std::string& a : argv) args.push_back(a.data());
  args.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawnp(&pid, argv[0].c_str(), &actions, nullptr, args.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  close(out_pipe[1]);
  close(err_pipe[1]);
  // sbatch writes a line or two: reading one pipe to its end, then the other, cannot block.
  const auto drain = [](int fd, std::string& to) {
    char buf[4096];
    ssize_t n;
    while ((n = read(fd, buf, sizeof buf)) > 0) to.append(buf, static_cast<std::size_t>(n));
    close(fd);
  };
  drain(out_pipe[0], out);
  drain(err_pipe[0], err);
  if (rc != 0) {
    err = "cannot run " + argv[0] + ": " + std::strerror(rc);
    return 127;
  }
  int status = 0;
  while (waitpid(pid, &status, 0) < 0 && errno == EINTR) {
  }
  return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

std::string trimmed(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ')) s.pop_back();
  return s;
}

std::string sbatch(const std::vector<std::string>& args) {
  std::vector<std::string> argv = {"sbatch", "--parsable"};
  argv.insert(argv.end(), args.begin(), args.end());
  std::string out, err;
  const int status = run_capture(argv, out, err);
  if (status != 0) {
    throw std::runtime_error("sbatch " + args.back() + " failed (exit status " +
                             std::to_string(status) + "): " + trimmed(err));
  }
  // --parsable prints "jobid" or "jobid;cluster".
  const std::string id = trimmed(out).substr(0, trimmed(out).find(';'));
  if (id.empty() || id.find_first_not_of("0123456789") != std::string::npos) {
    throw std::runtime_error("sbatch " + args.back() + " printed no job id: '" + trimmed(out) +
                             "'");
  }
  return id;
}

void write_script(const std::string& path, const std::string& text) {
  write_file_atomically(path, text);
  ::chmod(path.c_str(), 0755);
}

}  // namespace

std::string shell_quote(const std::string& text) {
  std::string out = "'";
  for (char c : text) {
    if (c == '\'') {
      out += "'\\''";
    } else {
      out += c;
    }
  }
  return out + "'";
}

SlurmJob write_slurm_job(const SweepLayout& layout, const std::string& sweep_name,
                         std::size_t points, const ShardCommand& command,
                         const SlurmOptions& options) {
  if (layout.dir.find_first_of(" \t\n'\"\\%") != std::string::npos) {
    throw std::invalid_argument("--out '" + layout.dir +
                                "': Slurm's #SBATCH --output lines cannot name a path with "
                                "blanks, quotes, backslashes or '%'; choose another directory");
  }
  SlurmJob job;
  job.shards = options.shards == 0 ? std::min<std::uint64_t>(points, kMaxSlurmShards)
                                   : std::min<std::uint64_t>(options.shards, points);
  const std::string dir = layout.slurm();
  job.array_script = dir + "/array.sbatch";
  job.collect_script = dir + "/collect.sbatch";
  job.submit_script = dir + "/submit.sh";
  std::string name;
  for (char c : sweep_name)
    name += std::isalnum(static_cast<unsigned char>(c)) || c == '-' ? c : '_';
  std::string common;
  if (!options.partition.empty()) common += "#SBATCH --partition=" + options.partition + "\n";
  if (!options.time.empty()) common += "#SBATCH --time=" + options.time + "\n";
  const std::string n = std::to_string(job.shards);
  std::string array =
      "#!/bin/bash\n"
      "# hmasim sweep '" +
      sweep_name + "': array task i runs shard i of " + n + " (every " + n +
      "th point from the i-th), written by hmasim sweep --slurm.\n"
      "#SBATCH --job-name=hmasim-" +
      name +
      "\n"
      "#SBATCH --array=0-" +
      std::to_string(job.shards - 1) +
      (options.array_max ? "%" + std::to_string(options.array_max) : "") +
      "\n"
      "#SBATCH --cpus-per-task=" +
      std::to_string(options.cpus_per_task) +
      "\n"
      "#SBATCH --output=" +
      dir + "/shard-%a.out\n" + common + "exec " + shell_quote(command.exe) + " sweep " +
      shell_quote(command.sweep_file) + " --out " + shell_quote(layout.dir) +
      " --shard \"${SLURM_ARRAY_TASK_ID}/" + n + "\" -j \"${SLURM_CPUS_PER_TASK:-" +
      std::to_string(options.cpus_per_task) + "}\"" + command.extra + "\n";
  std::string collect =
      "#!/bin/bash\n"
      "# hmasim sweep '" +
      sweep_name + "': merges the shards' results into " +
      "results.csv once the array has ended (submitted with afterany).\n"
      "#SBATCH --job-name=hmasim-" +
      name +
      "-collect\n"
      "#SBATCH --cpus-per-task=1\n"
      "#SBATCH --output=" +
      dir + "/collect.out\n" + common + "exec " + shell_quote(command.exe) + " sweep --collect " +
      shell_quote(layout.dir) + "\n";
  std::string submit =
      "#!/bin/bash\n"
      "# Submits the sweep's job array, then its collect step after it.\n"
      "set -euo pipefail\n"
      "array=$(sbatch --parsable " +
      shell_quote(job.array_script) +
      ")\n"
      "collect=$(sbatch --parsable --dependency=afterany:\"${array%%;*}\" " +
      shell_quote(job.collect_script) +
      ")\n"
      "echo \"array job ${array%%;*}, collect job ${collect%%;*}\"\n";
  std::filesystem::create_directories(dir);
  write_script(job.array_script, array);
  write_script(job.collect_script, collect);
  write_script(job.submit_script, submit);
  return job;
}

std::string submit_slurm_job(const SlurmJob& job) {
  const std::string array = sbatch({job.array_script});
  const std::string collect = sbatch({"--dependency=afterany:" + array, job.collect_script});
  return "array job " + array + ", collect job " + collect;
}

}  // namespace hmasim
