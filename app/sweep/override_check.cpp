#include "app/sweep/override_check.hpp"

#include <functional>
#include <set>

#include "app/overrides.hpp"
#include "app/platform_file.hpp"
#include "core/config_error.hpp"
#include "workloads/network.hpp"

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

class Checker {
 public:
  explicit Checker(const SweepSpec& spec) : spec_(spec) {}

  // Loads `file` with `given` (platform or workload overrides, by `kind`); the last of `given`
  // is what is being tried, and takes the blame for a `--set` problem no override names.
  // The first `fixed` of `given` are the sweep's fixed overrides: a problem of the file itself
  // that only shows with the later ones (an axis value makes it inconsistent) is reported at
  // the last of them, naming them all.
  void load(const SweepFile& file, bool platform, const std::vector<Given>& given,
            std::size_t fixed) {
    std::vector<std::string> texts;
    for (const Given& g : given) texts.push_back(g.text);
    const Overrides o = split_overrides(texts);
    try {
      if (platform) {
        const PlatformConfig p = load_platform(file.path, o.platform);
        if (!p.accelerator) {
          add({spec_.file, file.at.line, file.at.column, file.at.key,
               "'" + file.given + "' has no accelerator section (a memory-only platform)"});
        }
      } else {
        load_network(file.path, o.workload);
      }
    } catch (const ConfigError& e) {
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
  }

  // While set, loads only learn what the files give with the fixed overrides alone (those may
  // be fine only together with an axis, so they are not errors by themselves).
  void probe(bool on) { probing_ = on; }

  void add(const Diagnostic& d) {
    if (seen_.insert(d.str()).second) errors_.push_back(d);
  }
  const std::vector<Diagnostic>& errors() const { return errors_; }

 private:
  const SweepSpec& spec_;
  std::set<std::string> seen_;
  std::set<std::string> base_;  // what the files give with the fixed overrides alone
  bool probing_ = false;

  std::vector<Diagnostic> errors_;
};

bool is_workload_override(const std::string& key) {
  return key.rfind(kWorkloadPrefix, 0) == 0;
}

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
  c.probe(true);
  for (const bool is_platform : {true, false}) {
    std::vector<Given> given;
    for (const Given& g : fixed) {
      if (is_workload_override(key_of(g.text)) != is_platform) given.push_back(g);
    }
    for (const SweepFile& f : is_platform ? spec.platforms : spec.workloads) {
      c.load(f, is_platform, given, given.size());
    }
  }
  c.probe(false);
  for (const SweepPoint& p : plan.points) {
    // A point is loaded if it is the first with some value of some group on its base files.
    bool first = false;
    for (std::size_t g = 0; g < spec.groups.size(); ++g) {
      const std::string key = std::to_string(g) + "/" + std::to_string(p.picks[g]) + "/" +
                              p.platform + "/" + p.workload;
      first = covered.insert(key).second || first;
    }
    if (!first && !covered.insert(p.platform + "/" + p.workload).second) continue;
    std::vector<Given> platform, workload;
    for (const Given& g : fixed) {
      (is_workload_override(key_of(g.text)) ? workload : platform).push_back(g);
    }
    const std::size_t fixed_platform = platform.size(), fixed_workload = workload.size();
    for (std::size_t g = 0; g < spec.groups.size(); ++g) {
      for (const SweepAxis& a : spec.groups[g].axes) {
        if (a.key == kPlatformAxis || a.key == kWorkloadAxis || a.key == kSeedAxis ||
            a.key == kFramesAxis) {
          continue;
        }
        const SweepValue& v = a.values[p.picks[g]];
        (is_workload_override(a.key) ? workload : platform).push_back({a.key + "=" + v.text, v.at});
      }
    }
    // Points share most loads (one axis changes at a time): each distinct one is done once.
    const auto load = [&](bool is_platform, const std::vector<Given>& given) {
      std::string key = (is_platform ? "P" : "W") + (is_platform ? p.platform : p.workload);
      for (const Given& g : given) key += "\n" + g.text;
      if (!loaded.insert(key).second) return;
      c.load(file_of(is_platform ? spec.platforms : spec.workloads,
                     is_platform ? p.platform : p.workload),
             is_platform, given, is_platform ? fixed_platform : fixed_workload);
    };
    load(true, platform);
    load(false, workload);
  }
  if (!c.errors().empty()) throw ConfigError(c.errors());
}

}  // namespace hmasim
