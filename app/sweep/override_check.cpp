#include "app/sweep/override_check.hpp"

#include <functional>
#include <map>
#include <optional>
#include <set>

#include "app/overrides.hpp"
#include "app/platform_file.hpp"
#include "core/config_error.hpp"
#include "workloads/network.hpp"
#include "workloads/schedule.hpp"
#include "workloads/task_networks.hpp"

namespace hmasim {

namespace {

// One override as the user wrote it, and where.
struct Given {
  std::string text;  // key=value
  SweepLocation at;
};

std::string key_of(const std::string& text) {
  return text.substr(0, text.find('='));
}

// The override whose key is closest to a `--set` diagnostic's key (the diagnostic names the key
// given, or a key inside or above it); nullptr if none matches.
const Given* blame(const std::vector<Given>& given, const std::string& diagnostic_key) {
  const Given* best = nullptr;
  std::size_t best_length = 0;
  for (const Given& g : given) {
    std::string k = key_of(g.text);
    if (k.compare(0, 9, "platform.") == 0) k = k.substr(9);
    const bool related = diagnostic_key == k || diagnostic_key.rfind(k + ".", 0) == 0 ||
                         k.rfind(diagnostic_key + ".", 0) == 0;
    if (related && k.size() >= best_length) {
      best = &g;
      best_length = k.size();
    }
  }
  return best;
}

// What a base file is, and so which overrides it takes and how it is loaded.
enum class Kind { kPlatform, kWorkload, kSchedule };

Kind kind_of(const std::string& key) {
  if (key.rfind(kWorkloadPrefix, 0) == 0) return Kind::kWorkload;
  if (key.rfind(kSchedulePrefix, 0) == 0) return Kind::kSchedule;
  return Kind::kPlatform;
}

class Checker {
 public:
  explicit Checker(const SweepSpec& spec) : spec_(spec) {}

  // Loads `file` with `given` (overrides of its `kind`); the last of `given` is what is being
  // tried, and takes the blame for a `--set` problem no override names. The first `fixed` of
  // `given` are the sweep's fixed overrides: a problem of the file itself that only shows with
  // the later ones (an axis value makes it inconsistent) is reported at the last of them, naming
  // them all. A schedule's tasks' networks are loaded too (each once), as hmasim run loads them.
  void load(const SweepFile& file, Kind kind, const std::vector<Given>& given, std::size_t fixed) {
    std::vector<std::string> texts;
    for (const Given& g : given) texts.push_back(g.text);
    const Overrides o = split_overrides(texts);
    try {
      if (kind == Kind::kPlatform) {
        const PlatformConfig p = load_platform(file.path, o.platform);
        if (!p.accelerator) {
          add({spec_.file, file.at.line, file.at.column, file.at.key,
               "'" + file.given + "' has no accelerator section (a memory-only platform)"});
        }
      } else if (kind == Kind::kWorkload) {
        load_network(file.path, o.workload);
      } else {
        const Schedule s = load_schedule(file.path, o.schedule);
        if (!probing_) task_networks(file, s);
      }
    } catch (const ConfigError& e) {
      blame_all(e, file, given, fixed);
    }
  }

  // While set, loads only learn what the files give with the fixed overrides alone (those may
  // be fine only together with an axis, so they are not errors by themselves).
  void probe(bool on) { probing_ = on; }

  void add(const Diagnostic& d) {
    if (seen_.insert(d.str()).second) errors_.push_back(d);
  }
  const std::vector<Diagnostic>& errors() const { return errors_; }

 private:
  // Reports the diagnostics of loading `file` with `given` where they come from (see load()).
  void blame_all(const ConfigError& e, const SweepFile& file, const std::vector<Given>& given,
                 std::size_t fixed) {
    for (const Diagnostic& d : e.diagnostics()) {
      if (probing_) {
        base_.insert(d.str());
        continue;
      }
      if (d.file != "--set" && (given.size() == fixed || base_.count(d.str()))) {
        add(d);  // the base file's own problem (or a missing file)
        continue;
      }
      if (d.file != "--set") {
        std::string with;
        for (std::size_t i = fixed; i < given.size(); ++i) with += " --set " + given[i].text;
        const Given& g = given.back();
        add({spec_.file, g.at.line, g.at.column, g.at.key, "with" + with + ": " + d.str()});
        continue;
      }
      const Given* g = blame(given, d.key);
      if (!g && given.empty()) {
        add(d);
        continue;
      }
      if (!g) g = &given.back();
      add({spec_.file, g->at.line, g->at.column, g->at.key,
           "--set " + g->text + " on " + file.given + ": " + d.key + ": " + d.message});
    }
  }

  // The networks schedule `s` names for its tasks, loaded (each file once: its problems are its
  // own) and joined as hmasim run joins them (a problem of the join is the schedule's).
  void task_networks(const SweepFile& file, const Schedule& s) {
    std::vector<NamedTaskNetwork> tasks;
    for (const Schedule::TaskNetwork& t : s.networks) {
      auto it = networks_.find(t.file);
      if (it == networks_.end()) {
        std::optional<Network> n;
        try {
          n = load_network(t.file);
        } catch (const ConfigError& e) {
          for (const Diagnostic& d : e.diagnostics()) add(d);
        }
        it = networks_.emplace(t.file, std::move(n)).first;
      }
      if (!it->second) return;  // reported
      tasks.push_back({t.task, *it->second});
    }
    if (tasks.empty()) return;
    try {
      join_task_networks(tasks);
    } catch (const TaskNetworkError& e) {
      add({spec_.file, file.at.line, file.at.column, file.at.key,
           "the tasks' networks of " + file.given + ": " + e.what()});
    }
  }

  const SweepSpec& spec_;
  std::set<std::string> seen_;
  std::set<std::string> base_;  // what the files give with the fixed overrides alone
  std::map<std::string, std::optional<Network>> networks_;  // task networks; nullopt: bad
  bool probing_ = false;

  std::vector<Diagnostic> errors_;
};

const SweepFile& file_of(const std::vector<SweepFile>& files, const std::string& path) {
  for (const SweepFile& f : files) {
    if (f.path == path) return f;
  }
  return files.front();
}

}  // namespace

void check_sweep_overrides(const SweepSpec& spec, const SweepPlan& plan) {
  Checker c(spec);
  std::vector<Given> fixed;
  for (const SweepValue& s : spec.set) fixed.push_back({s.text, s.at});
  std::set<std::string> covered, loaded;
  // Each base file with the fixed overrides alone first: a problem that shows there too is the
  // file's own (reported as such, if a point shows it), not an axis value's.
  const auto files = [&](Kind kind) -> const std::vector<SweepFile>& {
    return kind == Kind::kPlatform   ? spec.platforms
           : kind == Kind::kWorkload ? spec.workloads
                                     : spec.schedules;
  };
  const Kind kinds[] = {Kind::kPlatform, Kind::kWorkload, Kind::kSchedule};
  c.probe(true);
  for (const Kind kind : kinds) {
    std::vector<Given> given;
    for (const Given& g : fixed) {
      if (kind_of(key_of(g.text)) == kind) given.push_back(g);
    }
    for (const SweepFile& f : files(kind)) c.load(f, kind, given, given.size());
  }
  c.probe(false);
  for (const SweepPoint& p : plan.points) {
    // A point is loaded if it is the first with some value of some group on its base files.
    bool first = false;
    for (std::size_t g = 0; g < spec.groups.size(); ++g) {
      const std::string key = std::to_string(g) + "/" + std::to_string(p.picks[g]) + "/" +
                              p.platform + "/" + p.workload + "/" + p.schedule;
      first = covered.insert(key).second || first;
    }
    if (!first && !covered.insert(p.platform + "/" + p.workload + "/" + p.schedule).second) {
      continue;
    }
    std::vector<Given> given[3];  // by Kind
    for (const Given& g : fixed) given[static_cast<int>(kind_of(key_of(g.text)))].push_back(g);
    const std::size_t fixed_count[3] = {given[0].size(), given[1].size(), given[2].size()};
    for (std::size_t g = 0; g < spec.groups.size(); ++g) {
      for (const SweepAxis& a : spec.groups[g].axes) {
        if (a.key == kPlatformAxis || a.key == kWorkloadAxis || a.key == kScheduleAxis ||
            a.key == kSeedAxis || a.key == kFramesAxis) {
          continue;
        }
        const SweepValue& v = a.values[p.picks[g]];
        given[static_cast<int>(kind_of(a.key))].push_back({a.key + "=" + v.text, v.at});
      }
    }
    // Points share most loads (one axis changes at a time): each distinct one is done once.
    for (const Kind kind : kinds) {
      const std::string& path = kind == Kind::kPlatform   ? p.platform
                                : kind == Kind::kWorkload ? p.workload
                                                          : p.schedule;
      if (path.empty()) continue;  // no schedule, or no workload (the tasks' networks)
      const int k = static_cast<int>(kind);
      std::string key = std::to_string(k) + path;
      for (const Given& g : given[k]) key += "\n" + g.text;
      if (!loaded.insert(key).second) continue;
      c.load(file_of(files(kind), path), kind, given[k], fixed_count[k]);
    }
  }
  if (!c.errors().empty()) throw ConfigError(c.errors());
}

}  // namespace hmasim
