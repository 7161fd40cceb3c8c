#include "app/sweep/point_runner.hpp"

#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>

#include "core/file_output.hpp"

extern char** environ;

namespace hmasim {

namespace {

using WallClock = std::chrono::steady_clock;

struct Running {
  std::size_t index;
  WallClock::time_point start;
};

std::string read_text(const std::string& file) {
  std::ifstream in(file, std::ios::binary);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// Starts one point; returns its pid, or -1 with `why` set.
pid_t spawn(const std::string& exe, const std::vector<std::string>& args, const std::string& log,
            std::string& why) {
  std::vector<char*> argv;
  std::string program = exe;
  argv.push_back(program.data());
  std::vector<std::string> copy = args;
  for (std::string& a : copy) argv.push_back(a.data());
  argv.push_back(nullptr);
  posix_spawn_file_actions_t actions;
  posix_spawn_file_actions_init(&actions);
  posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_addopen(&actions, 1, log.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0666);
  posix_spawn_file_actions_adddup2(&actions, 1, 2);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, exe.c_str(), &actions, nullptr, argv.data(), environ);
  posix_spawn_file_actions_destroy(&actions);
  if (rc != 0) {
    why = "cannot start " + exe + ": " + std::strerror(rc);
    return -1;
  }
  return pid;
}

PointStatus outcome(const SweepPoint& p, const RunnerOptions& o, int wait_status, double wall) {
  PointStatus s;
  s.hash = p.hash;
  s.wall_time_s = wall;
  std::error_code ec;
  if (WIFEXITED(wait_status)) {
    s.exit_status = WEXITSTATUS(wait_status);
    s.ok = s.exit_status == 0 && std::filesystem::is_regular_file(o.layout.summary(p.name), ec);
    if (!s.ok) {
      s.error = s.exit_status == 0 ? "exit status 0 but no summary.json"
                                   : failure_line(read_text(o.layout.log(p.name)));
      if (s.error.empty()) s.error = "exit status " + std::to_string(s.exit_status);
    }
  } else if (WIFSIGNALED(wait_status)) {
    s.exit_status = 128 + WTERMSIG(wait_status);
    s.error = std::string("killed by signal ") + std::to_string(WTERMSIG(wait_status)) + " (" +
              strsignal(WTERMSIG(wait_status)) + ")";
  }
  return s;
}

}  // namespace

std::vector<std::string> run_arguments(const SweepPoint& p, const RunnerOptions& options) {
  std::vector<std::string> a = {"run", "--platform", p.platform};
  // No workload: the schedule names its tasks' networks.
  if (!p.workload.empty()) a.insert(a.end(), {"--workload", p.workload});
  if (!p.schedule.empty()) a.insert(a.end(), {"--schedule", p.schedule});
  a.insert(a.end(), {"--out", options.layout.point(p.name), "--seed", std::to_string(p.seed)});
  // Without: the schedule's own frames (or a --set schedule.frames) apply.
  if (!p.frames_from_schedule) a.insert(a.end(), {"--frames", std::to_string(p.frames)});
  for (const std::string& s : p.set) {
    a.push_back("--set");
    a.push_back(s);
  }
  a.insert(a.end(), p.run_options.begin(), p.run_options.end());
  if (!options.weight_cache.empty()) {
    a.push_back("--weight-cache");
    a.push_back(options.weight_cache);
  }
  return a;
}

std::string failure_line(const std::string& log_text) {
  std::istringstream in(log_text);
  std::string line;
  while (std::getline(in, line)) {
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty() || line.rfind("note: ", 0) == 0) continue;
    if (line.size() > 300) line = line.substr(0, 297) + "...";
    for (char& c : line) {
      if (c < 0x20 || c > 0x7e) c = '?';
    }
    return line;
  }
  return "";
}

std::size_t run_points(const SweepPlan& plan, const std::vector<std::size_t>& todo,
                       const RunnerOptions& options,
                       const std::function<void(std::size_t, const PointStatus&)>& done,
                       const volatile std::sig_atomic_t* stop, const std::function<void()>& tick) {
  std::filesystem::create_directories(options.layout.dir + "/logs");
  std::filesystem::create_directories(options.layout.dir + "/status");
  std::map<pid_t, Running> running;
  std::size_t next = 0, ran = 0;
  const unsigned jobs = options.jobs == 0 ? 1 : options.jobs;
  const auto finish = [&](std::size_t index, const PointStatus& s) {
    write_point_status(options.layout, plan.points[index].name, s);
    ++ran;
    done(index, s);
  };
  while (true) {
    while (running.size() < jobs && next < todo.size() && !(stop && *stop)) {
      const std::size_t index = todo[next++];
      const SweepPoint& p = plan.points[index];
      std::string why;
      const auto start = WallClock::now();
      const pid_t pid =
          spawn(options.exe, run_arguments(p, options), options.layout.log(p.name), why);
      if (pid < 0) {
        PointStatus s;
        s.hash = p.hash;
        s.error = why;
        s.exit_status = 127;
        finish(index, s);
        continue;
      }
      running[pid] = {index, start};
    }
    if (running.empty()) break;
    int status = 0;
    const pid_t pid = waitpid(-1, &status, 0);
    if (pid < 0) {
      if (errno == EINTR) {  // a signal: check *stop, then wait again
        if (tick) tick();
        continue;
      }
      break;  // ECHILD: nothing left to wait for
    }
    const auto it = running.find(pid);
    if (it == running.end()) continue;
    const Running r = it->second;
    running.erase(it);
    const double wall = std::chrono::duration<double>(WallClock::now() - r.start).count();
    finish(r.index, outcome(plan.points[r.index], options, status, wall));
  }
  return ran;
}

}  // namespace hmasim
