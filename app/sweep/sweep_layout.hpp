// Where a sweep keeps things in its output directory DIR:
//   DIR/plan.json              the points (names, axis values, hashes), written before any runs
//   DIR/points/NAME/           each point's run directory (as `hmasim run --out`)
//   DIR/logs/NAME.log          its standard output and error
//   DIR/status/NAME.json       its outcome and config hash, written when it ends (resume reads it)
//   DIR/results.csv, DIR/results.jsonl
//   DIR/weight-cache/          the weight cache, unless --cache names another
//   DIR/slurm/                 job scripts and Slurm's logs (--slurm)
#pragma once

#include <string>

namespace hmasim {

struct SweepLayout {
  std::string dir;

  std::string plan() const { return dir + "/plan.json"; }
  std::string point(const std::string& name) const { return dir + "/points/" + name; }
  std::string summary(const std::string& name) const { return point(name) + "/summary.json"; }
  std::string log(const std::string& name) const { return dir + "/logs/" + name + ".log"; }
  std::string status(const std::string& name) const { return dir + "/status/" + name + ".json"; }
  std::string weight_cache() const { return dir + "/weight-cache"; }
  std::string slurm() const { return dir + "/slurm"; }
};

}  // namespace hmasim
