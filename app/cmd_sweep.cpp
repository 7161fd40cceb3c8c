// hmasim sweep: many runs from one sweep file (docs/sweeps.md), on this machine's cores or as a
// Slurm job array, into one results table.
#include <sched.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <chrono>
#include <csignal>
#include <filesystem>
#include <iostream>

#include "app/command_line.hpp"
#include "app/commands.hpp"
#include "app/sweep/axis_range.hpp"
#include "app/sweep/effective_config.hpp"
#include "app/sweep/override_check.hpp"
#include "app/sweep/plan_file.hpp"
#include "app/sweep/point_runner.hpp"
#include "app/sweep/results_table.hpp"
#include "app/sweep/slurm_job.hpp"
#include "app/sweep/sweep_collect.hpp"
#include "app/sweep/sweep_progress.hpp"
#include "app/sweep/sweep_spec.hpp"
#include "core/file_output.hpp"

namespace hmasim {

namespace po = boost::program_options;
namespace fs = std::filesystem;

namespace {

// How often results.csv is rewritten while points finish: often enough to follow a sweep, rarely
// enough that rewriting a large table never costs a short point's run time (at least this long
// apart, and at least kResultsWriteShare^-1 times the last rewrite's own time).
constexpr double kResultsInterval_s = 1.0;
constexpr double kResultsWriteShare = 0.02;
constexpr std::uint64_t kMaxJobs = 4096;
volatile std::sig_atomic_t g_stop = 0;
void on_stop_signal(int) {
  g_stop = 1;
}

void on_timer(int) {}

// While alive, SIGINT and SIGTERM stop new points from starting (the running ones end, their
// results are kept) instead of killing the sweep; with `ticks`, a timer interrupts the wait for
// points once a second, so the progress line's clock moves on.
class StopSignals {
 public:
  explicit StopSignals(bool ticks) : ticks_(ticks) {
    struct sigaction sa = {};
    sa.sa_handler = on_stop_signal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = 0;  // no SA_RESTART: waitpid returns EINTR, the runner looks at the flag
    sigaction(SIGINT, &sa, &old_int_);
    sigaction(SIGTERM, &sa, &old_term_);
    if (ticks_) {
      sa.sa_handler = on_timer;
      sigaction(SIGALRM, &sa, &old_alarm_);
      const itimerval second = {{1, 0}, {1, 0}};
      setitimer(ITIMER_REAL, &second, nullptr);
    }
  }
  ~StopSignals() {
    if (ticks_) {
      const itimerval off = {};
      setitimer(ITIMER_REAL, &off, nullptr);
      sigaction(SIGALRM, &old_alarm_, nullptr);
    }
    sigaction(SIGINT, &old_int_, nullptr);
    sigaction(SIGTERM, &old_term_, nullptr);
  }
  StopSignals(const StopSignals&) = delete;
  StopSignals& operator=(const StopSignals&) = delete;

 private:
  bool ticks_;
  struct sigaction old_int_ = {}, old_term_ = {}, old_alarm_ = {};
};

unsigned available_cores() {
  cpu_set_t set;
  if (sched_getaffinity(0, sizeof set, &set) == 0) return static_cast<unsigned>(CPU_COUNT(&set));
  const long n = sysconf(_SC_NPROCESSORS_ONLN);
  return n > 0 ? static_cast<unsigned>(n) : 1;
}

std::string self_executable() {
  std::error_code ec;
  const fs::path p = fs::read_symlink("/proc/self/exe", ec);
  return ec ? std::string("/proc/self/exe") : p.string();
}

// User and system CPU time of this process or of its waited-for children, to 0.01 s.
std::string cpu_seconds(int who) {
  struct rusage u = {};
  getrusage(who, &u);
  const double s = static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
                   static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) * 1e-6;
  char text[32];
  std::snprintf(text, sizeof text, "%.2f", s);
  return text;
}

struct Shard {
  std::uint64_t index = 0, count = 1;
};

std::optional<Shard> parse_shard(const std::string& text) {
  const auto slash = text.find('/');
  const auto fail = [&]() -> std::optional<Shard> {
    std::cerr << "hmasim sweep: --shard: '" << text
              << "' must be i/n with 0 <= i < n (see hmasim sweep --help)\n";
    return std::nullopt;
  };
  if (slash == std::string::npos) return fail();
  Shard s;
  const auto i = parse_decimal(text.substr(0, slash), 0, kMaxSweepPoints);
  const auto n = parse_decimal(text.substr(slash + 1), 0, kMaxSweepPoints);
  if (!i || !n || *n == 0 || *i >= *n) return fail();
  s.index = *i;
  s.count = *n;
  return s;
}

// An output directory a sweep may write into: missing, empty, or a sweep's own (plan.json).
bool usable_out(const SweepLayout& layout) {
  std::error_code ec;
  const fs::path dir = layout.dir;
  if (!fs::exists(fs::symlink_status(dir, ec))) return true;
  if (!fs::is_directory(dir, ec)) {
    std::cerr << "hmasim sweep: --out: '" << layout.dir << "' exists and is not a directory\n";
    return false;
  }
  if (fs::is_empty(dir, ec) || fs::is_regular_file(layout.plan(), ec)) return true;
  std::cerr << "hmasim sweep: --out: '" << layout.dir
            << "' is not empty and holds no sweep (no plan.json): choose another directory\n";
  return false;
}

struct Loaded {
  SweepSpec spec;
  SweepPlan plan;
};

// The sweep file, checked and expanded, every point hashed; nullopt after printing diagnostics.
std::optional<Loaded> load(const std::string& file) {
  Loaded l;
  try {
    l.spec = load_sweep(file);
    l.plan = expand_sweep(l.spec);
    check_sweep_overrides(l.spec, l.plan);
  } catch (const ConfigError& e) {
    report(e);
    return std::nullopt;
  }
  hash_points(l.plan);
  return l;
}

int print_list(const Loaded& l, const RunnerOptions& runner) {
  for (const SweepPoint& p : l.plan.points) {
    std::cout << p.name << ": hmasim";
    for (const std::string& a : run_arguments(p, runner)) std::cout << " " << shell_quote(a);
    std::cout << "\n";
  }
  return 0;
}

struct RunRequest {
  Shard shard;
  bool sharded = false;
  bool rerun = false;
  unsigned jobs = 1;
};

// Runs the sweep's points (of one shard, if sharded) that have no result for their config yet.
int run_local(const Loaded& l, const std::string& sweep_file, const RunnerOptions& runner,
              const RunRequest& req) {
  const SweepLayout& layout = runner.layout;
  const SweepPlan& plan = l.plan;
  if (req.sharded && fs::exists(layout.plan())) {
    // The shards of a Slurm job must all run the plan that was submitted.
    if (!same_points(read_plan(layout), plan)) {
      std::cerr << "hmasim sweep: " << sweep_file << " no longer gives the points of "
                << layout.plan()
                << " (the sweep file or a base file changed after the job was submitted); "
                   "resubmit the sweep\n";
      return 2;
    }
  } else {
    write_plan(layout, plan, fs::absolute(sweep_file).string());
  }
  std::vector<std::optional<PointResult>> results(plan.points.size());
  std::vector<std::size_t> todo;
  std::size_t skipped = 0;
  for (const SweepPoint& p : plan.points) {
    if (req.sharded && p.index % req.shard.count != req.shard.index) continue;
    if (!req.rerun) {
      auto r = load_result(layout, p);
      if (r && r->ok) {
        results[p.index] = std::move(r);
        ++skipped;
        continue;
      }
    }
    todo.push_back(p.index);
  }
  if (!req.sharded) write_results(layout.dir, plan, results);
  const auto start = std::chrono::steady_clock::now();
  auto next_write = start;
  SweepProgress progress(todo.size(), skipped);
  std::size_t ran = 0;
  {
    StopSignals signals(progress.on_terminal());
    ran = run_points(
        plan, todo, runner,
        [&](std::size_t index, const PointStatus& s) {
          PointResult r;
          r.ok = s.ok;
          r.error = s.error;
          r.wall_time_s = s.wall_time_s;
          if (r.ok) {
            const std::string why = read_summary(layout.summary(plan.points[index].name), r);
            if (!why.empty()) {
              r.ok = false;
              r.error = "summary.json: " + why;
            }
          }
          progress.point_done(plan.points[index].name, r.ok, r.error, r.wall_time_s);
          results[index] = std::move(r);
          const auto now = std::chrono::steady_clock::now();
          if (!req.sharded && now >= next_write) {
            write_results(layout.dir, plan, results);
            const auto took = std::chrono::steady_clock::now() - now;
            next_write = now + std::max<std::chrono::steady_clock::duration>(
                                   std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                       std::chrono::duration<double>(kResultsInterval_s)),
                                   std::chrono::duration_cast<std::chrono::steady_clock::duration>(
                                       took / kResultsWriteShare));
          }
        },
        &g_stop, [&] { progress.tick(); });
  }
  progress.finish();
  if (!req.sharded) write_results(layout.dir, plan, results);
  const double wall =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  std::size_t failed = 0;
  for (std::size_t i : todo) failed += results[i] && !results[i]->ok ? 1 : 0;
  std::cout << "sweep " << plan.name
            << (req.sharded ? " shard " + std::to_string(req.shard.index) + "/" +
                                  std::to_string(req.shard.count)
                            : "")
            << ": " << ran << " of " << todo.size() << " points run (" << failed << " failed), "
            << skipped << " unchanged, in " << SweepProgress::duration(wall)
            << " (CPU: " << cpu_seconds(RUSAGE_CHILDREN) << " s in the points, "
            << cpu_seconds(RUSAGE_SELF) << " s in the sweep itself)\n";
  if (!req.sharded) std::cout << "results: " << layout.dir << "/results.csv\n";
  if (g_stop) {
    std::cerr << "hmasim sweep: stopped by a signal; run the same command again to go on\n";
    return 130;
  }
  return failed > 0 ? 1 : 0;
}

int collect(const std::string& dir) {
  const SweepLayout layout{dir};
  SweepPlan plan;
  try {
    plan = read_plan(layout);
  } catch (const OutputError& e) {
    std::cerr << "hmasim sweep --collect: " << e.what() << "\n";
    return 2;
  }
  const auto results = load_results(layout, plan);
  write_results(dir, plan, results);
  std::size_t ok = 0, failed = 0;
  std::string missing;
  for (std::size_t i = 0; i < results.size(); ++i) {
    if (!results[i]) {
      missing += (missing.empty() ? "" : ", ") + plan.points[i].name;
    } else {
      (results[i]->ok ? ok : failed) += 1;
    }
  }
  const std::size_t absent = plan.points.size() - ok - failed;
  std::cout << "sweep " << plan.name << ": collected " << ok + failed << " of "
            << plan.points.size() << " points (" << ok << " ok, " << failed << " failed, " << absent
            << " without a result)\nresults: " << dir << "/results.csv\n";
  if (absent > 0) std::cerr << "hmasim sweep --collect: no result for: " << missing << "\n";
  return ok == plan.points.size() ? 0 : 1;
}

int submit(const Loaded& l, const std::string& sweep_file, const RunnerOptions& runner,
           const SlurmOptions& slurm, const std::string& extra, bool emit_only) {
  const SweepLayout& layout = runner.layout;
  SlurmJob job;
  try {
    write_plan(layout, l.plan, fs::absolute(sweep_file).string());
    job = write_slurm_job(layout, l.plan.name, l.plan.points.size(),
                          {self_executable(), fs::absolute(sweep_file).string(), extra}, slurm);
  } catch (const std::invalid_argument& e) {
    std::cerr << "hmasim sweep: " << e.what() << "\n";
    return 2;
  }
  std::cout << "sweep " << l.plan.name << ": " << l.plan.points.size() << " points in "
            << job.shards << " array tasks\n  " << job.array_script << "\n  " << job.collect_script
            << "\n  " << job.submit_script << "\n";
  if (emit_only) {
    std::cout << "not submitted (--emit-only): run " << job.submit_script << " to submit\n";
    return 0;
  }
  std::cout << "submitted: " << submit_slurm_job(job)
            << "\nresults (once collected): " << layout.dir << "/results.csv\n";
  return 0;
}

const char* kSweepUsage =
    "usage: hmasim sweep SWEEP.yaml --out DIR [-j N] [options]\n"
    "       hmasim sweep SWEEP.yaml --out DIR --slurm [--partition P] [--time T] [--array-max M]\n"
    "       hmasim sweep --collect DIR\n\n"
    "Runs every point of a sweep file (docs/sweeps.md), each as its own hmasim run into\n"
    "DIR/points/NAME/, N at a time (default: every core), and writes DIR/results.csv and\n"
    "DIR/results.jsonl as points finish. Points whose config is unchanged since a previous run\n"
    "into DIR are not run again. Exit status 0 if every point ran ok, 1 if any failed, 2 for a\n"
    "bad sweep file or option.\n\n"
    "options";

}  // namespace

int cmd_sweep(const std::vector<std::string>& args) {
  po::options_description opts(kSweepUsage);
  std::string sweep_file, out_dir, jobs_text, shard_text, collect_dir, cache_dir;
  std::string partition, time_limit, array_max_text, shards_text, cpus_text = "1";
  opts.add_options()("help,h", "show this help")("out", po::value(&out_dir),
                                                 "output directory of the sweep")(
      "jobs,j", po::value(&jobs_text), "points run at a time (default: the cores available)")(
      "rerun", "run every point again, even those with results for an unchanged config")(
      "list", "print each point's name and hmasim run command, run nothing")(
      "cache", po::value(&cache_dir),
      "weight cache the points share (hmasim run --weight-cache; default DIR/weight-cache)")(
      "no-weight-cache", "run the points without a weight cache")(
      "shard", po::value(&shard_text), "run only shard i of n (points i, i+n, ...): i/n")(
      "collect", po::value(&collect_dir),
      "merge the results of a sweep's shards in DIR into DIR/results.csv")(
      "slurm", "write a Slurm job array for the sweep and submit it with sbatch")(
      "emit-only", "with --slurm: write the job scripts, do not submit")(
      "partition", po::value(&partition), "with --slurm: the partition (#SBATCH --partition)")(
      "time", po::value(&time_limit), "with --slurm: each task's time limit (#SBATCH --time)")(
      "array-max", po::value(&array_max_text), "with --slurm: at most M array tasks at once")(
      "shards", po::value(&shards_text),
      "with --slurm: array tasks (default: one per point, at most 1000)")(
      "cpus-per-task", po::value(&cpus_text),
      "with --slurm: cores per array task (default 1); points run that many at a time");
  po::options_description hidden;
  hidden.add_options()("sweep-file", po::value(&sweep_file));
  po::options_description all;
  all.add(opts).add(hidden);
  po::positional_options_description positional;
  positional.add("sweep-file", 1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(args).options(all).positional(positional).run(), vm);
    if (vm.count("help")) {
      std::cout << opts << "\n";
      return 0;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "hmasim sweep: " << e.what() << " (see hmasim sweep --help)\n";
    return 2;
  }
  const auto usage_error = [](const std::string& why) {
    std::cerr << "hmasim sweep: " << why << " (see hmasim sweep --help)\n";
    return 2;
  };
  const bool slurm = vm.count("slurm") > 0;
  if (vm.count("collect")) {
    if (!sweep_file.empty() || !out_dir.empty() || slurm || !shard_text.empty()) {
      return usage_error("--collect DIR takes no sweep file, --out, --shard or --slurm");
    }
    return collect(collect_dir);
  }
  if (sweep_file.empty()) return usage_error("no sweep file given");
  if (out_dir.empty() && !vm.count("list")) return usage_error("--out DIR is required");
  for (const char* o : {"emit-only", "partition", "time", "array-max", "shards", "cpus-per-task"}) {
    if (vm.count(o) && !slurm) return usage_error(std::string("--") + o + " needs --slurm");
  }
  if (slurm && !shard_text.empty()) return usage_error("--shard and --slurm exclude each other");
  RunRequest req;
  req.rerun = vm.count("rerun") > 0;
  req.jobs = available_cores();
  if (!jobs_text.empty()) {
    const auto j = integer_option("sweep", "jobs", jobs_text, 1, kMaxJobs);
    if (!j) return 2;
    req.jobs = static_cast<unsigned>(*j);
  }
  if (!shard_text.empty()) {
    const auto s = parse_shard(shard_text);
    if (!s) return 2;
    req.shard = *s;
    req.sharded = true;
  }
  // They become #SBATCH lines: one word each, or they could add lines of their own.
  for (const auto& [name, value] :
       {std::pair<const char*, const std::string&>{"partition", partition}, {"time", time_limit}}) {
    if (vm.count(name) &&
        (value.empty() || value.find_first_of(" \t\r\n'\"\\") != std::string::npos)) {
      return usage_error(std::string("--") + name + ": '" + value +
                         "' must be one word (no blanks or quotes)");
    }
  }
  SlurmOptions so;
  so.partition = partition;
  so.time = time_limit;
  if (!array_max_text.empty()) {
    const auto m = integer_option("sweep", "array-max", array_max_text, 1, 1'000'000);
    if (!m) return 2;
    so.array_max = *m;
  }
  if (!shards_text.empty()) {
    const auto n = integer_option("sweep", "shards", shards_text, 1, kMaxSweepPoints);
    if (!n) return 2;
    so.shards = *n;
  }
  const auto cpus = integer_option("sweep", "cpus-per-task", cpus_text, 1, kMaxJobs);
  if (!cpus) return 2;
  so.cpus_per_task = *cpus;

  RunnerOptions runner;
  // Points run this very binary: a rebuild while the sweep runs cannot mix two versions.
  runner.exe = "/proc/self/exe";
  runner.jobs = req.jobs;
  runner.layout.dir = out_dir.empty() ? "." : fs::absolute(out_dir).lexically_normal().string();
  if (runner.layout.dir.size() > 1 && runner.layout.dir.back() == '/') runner.layout.dir.pop_back();
  const std::string cache =
      cache_dir.empty() ? runner.layout.weight_cache() : fs::absolute(cache_dir).string();
  // Cached runs are byte-identical to uncached ones: the cache is not part of a point's hash.
  const bool no_cache = vm.count("no-weight-cache") > 0;
  if (no_cache && !cache_dir.empty())
    return usage_error("--cache and --no-weight-cache exclude each other");
  if (!no_cache) runner.weight_cache = cache;

  const auto loaded = load(sweep_file);
  if (!loaded) return 2;
  if (vm.count("list")) return print_list(*loaded, runner);
  if (!usable_out(runner.layout)) return 2;
  try {
    fs::create_directories(runner.layout.dir);
    if (slurm) {
      // The shards share the sweep's cache (DIR/weight-cache unless --cache names another).
      const std::string extra = no_cache            ? " --no-weight-cache"
                                : cache_dir.empty() ? ""
                                                    : " --cache " + shell_quote(cache);
      return submit(*loaded, sweep_file, runner, so, extra, vm.count("emit-only") > 0);
    }
    return run_local(*loaded, sweep_file, runner, req);
  } catch (const OutputError& e) {
    std::cerr << "hmasim sweep: " << e.what() << "\n";
    return 1;
  } catch (const fs::filesystem_error& e) {
    std::cerr << "hmasim sweep: " << e.what() << "\n";
    return 1;
  }
}

}  // namespace hmasim
