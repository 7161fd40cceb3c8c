// A sweep as a Slurm job array: DIR/slurm/array.sbatch runs one array task per shard of the
// points (each `hmasim sweep SWEEP --out DIR --shard i/n`, into the shared DIR), and
// DIR/slurm/collect.sbatch, submitted to run after the array (afterany), merges the shards'
// results with `hmasim sweep --collect DIR`. DIR/slurm/submit.sh submits both, as --slurm does.
#pragma once

#include <cstdint>
#include <string>

#include "app/sweep/sweep_layout.hpp"

namespace hmasim {

struct SlurmOptions {
  std::string partition;        // #SBATCH --partition, if set
  std::string time;             // #SBATCH --time, if set
  std::uint64_t array_max = 0;  // at most this many array tasks at once (%M), if set
  std::uint64_t shards = 0;     // array tasks; 0: one per point, at most kMaxSlurmShards
  std::uint64_t cpus_per_task = 1;
};

// Array tasks by default at most: Slurm's default MaxArraySize is 1001.
inline constexpr std::uint64_t kMaxSlurmShards = 1000;

struct SlurmJob {
  std::string array_script;
  std::string collect_script;
  std::string submit_script;
  std::uint64_t shards = 0;
};

// What goes after `hmasim sweep SWEEP --out DIR --shard i/n -j C` in each task (e.g. --cache).
struct ShardCommand {
  std::string exe;         // absolute path of hmasim
  std::string sweep_file;  // absolute
  std::string extra;       // further options, already shell-quoted
};

// Writes the three scripts into layout.slurm(). `points` is the sweep's size. Throws OutputError,
// or std::invalid_argument for an output directory Slurm's #SBATCH lines cannot name (blanks or
// quotes in its path).
SlurmJob write_slurm_job(const SweepLayout& layout, const std::string& sweep_name,
                         std::size_t points, const ShardCommand& command,
                         const SlurmOptions& options);

// Submits the array, then the collect step depending on it, with `sbatch --parsable`. Returns
// "array job J, collect job K"; throws std::runtime_error with sbatch's message if either fails.
std::string submit_slurm_job(const SlurmJob& job);

// `text` in single quotes for the shell.
std::string shell_quote(const std::string& text);

}  // namespace hmasim
