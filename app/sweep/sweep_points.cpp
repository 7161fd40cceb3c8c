#include "app/sweep/sweep_points.hpp"

#include <filesystem>
#include <map>
#include <set>

#include "core/config_error.hpp"

namespace hmasim {

namespace {

// Names longer than this are cut and given a hash of the whole, so they stay usable as paths.
constexpr std::size_t kMaxNameLength = 120;

std::string short_hash(const std::string& s) {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a
  for (unsigned char c : s) h = (h ^ c) * 0x100000001b3ULL;
  char text[17];
  std::snprintf(text, sizeof text, "%016llx", static_cast<unsigned long long>(h));
  return std::string(text, 8);
}

std::size_t group_size(const SweepGroup& g) {
  return g.axes.front().values.size();
}

}  // namespace

std::string point_name_part(const SweepAxis& axis, const std::string& value) {
  std::string text = value;
  if (axis.key == kPlatformAxis || axis.key == kWorkloadAxis || axis.key == kScheduleAxis) {
    text = std::filesystem::path(value).stem().string();
  }
  std::string out;
  for (char c : axis.label + text) {
    const bool keep = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
                      c == '-' || c == '+' || (c == '.' && !out.empty());
    out += keep ? c : '_';
  }
  return out.empty() ? "_" : out;
}

SweepPlan expand_sweep(const SweepSpec& spec) {
  SweepPlan plan;
  plan.name = spec.name;
  const std::vector<const SweepAxis*> axes = all_axes(spec);
  for (const SweepAxis* a : axes) plan.columns.push_back(a->key);
  std::vector<Diagnostic> errors;
  const auto fail = [&](const SweepLocation& at, const std::string& message) {
    errors.push_back({spec.file, at.line, at.column, at.key, message});
  };

  std::size_t total = 1;
  for (const SweepGroup& g : spec.groups) {
    if (total > kMaxSweepPoints / group_size(g)) {
      fail(g.axes.front().at, "the sweep has more than " + std::to_string(kMaxSweepPoints) +
                                  " points (the product of its axes' lengths)");
      throw ConfigError(errors);
    }
    total *= group_size(g);
  }

  // Which column each axis of each group fills.
  std::vector<std::vector<std::size_t>> column_of(spec.groups.size());
  std::map<std::string, std::size_t> column_by_key;
  for (std::size_t g = 0, c = 0; g < spec.groups.size(); ++g) {
    for (std::size_t a = 0; a < spec.groups[g].axes.size(); ++a, ++c) {
      column_of[g].push_back(c);
      column_by_key[spec.groups[g].axes[a].key] = c;
    }
  }
  std::vector<std::size_t> hits(spec.exclusions.size(), 0);
  std::vector<std::size_t> pick(spec.groups.size(), 0);  // mixed-radix counter, last fastest
  std::set<std::string> taken;
  for (std::size_t n = 0; n < total; ++n) {
    SweepPoint p;
    p.values.resize(axes.size());
    p.picks = pick;
    p.platform = spec.platforms.empty() ? "" : spec.platforms.front().path;
    p.workload = spec.workloads.empty() ? "" : spec.workloads.front().path;
    p.schedule = spec.schedules.empty() ? "" : spec.schedules.front().path;
    p.seed = spec.seed;
    p.frames = spec.frames;
    p.frames_from_schedule = spec.frames_from_schedule;
    for (const SweepValue& s : spec.set) p.set.push_back(s.text);
    p.run_options = spec.run_options;
    std::string name;
    for (std::size_t g = 0; g < spec.groups.size(); ++g) {
      for (std::size_t a = 0; a < spec.groups[g].axes.size(); ++a) {
        const SweepAxis& axis = spec.groups[g].axes[a];
        const std::size_t i = pick[g];
        const std::string& v = axis.values[i].text;
        p.values[column_of[g][a]] = v;
        name += (name.empty() ? "" : "_") + point_name_part(axis, v);
        if (axis.key == kPlatformAxis) {
          p.platform = spec.platforms[i].path;
        } else if (axis.key == kWorkloadAxis) {
          p.workload = spec.workloads[i].path;
        } else if (axis.key == kScheduleAxis) {
          p.schedule = spec.schedules[i].path;
        } else if (axis.key == kSeedAxis) {
          p.seed = std::stoull(v);
        } else if (axis.key == kFramesAxis) {
          p.frames = std::stoull(v);
        } else {
          p.set.push_back(axis.key + "=" + v);
        }
      }
    }
    for (std::size_t g = spec.groups.size(); g-- > 0;) {
      if (++pick[g] < group_size(spec.groups[g])) break;
      pick[g] = 0;
    }
    bool excluded = false;
    for (std::size_t x = 0; x < spec.exclusions.size(); ++x) {
      bool all = true;
      for (const SweepExclusion::Match& m : spec.exclusions[x].match) {
        const std::string& v = p.values[column_by_key.at(m.key)];
        bool any = false;
        for (const SweepValue& mv : m.values) any = any || mv.text == v;
        all = all && any;
      }
      if (all) {
        ++hits[x];
        excluded = true;
      }
    }
    if (excluded) continue;
    if (name.empty()) name = "base";
    if (name.size() > kMaxNameLength) {
      name = name.substr(0, kMaxNameLength - 9) + "-" + short_hash(name);
    }
    // Different values can give the same name once sanitised ("a/b" and "a_b"): number them.
    std::string unique = name;
    for (std::size_t k = 2; taken.count(unique); ++k) unique = name + "-" + std::to_string(k);
    taken.insert(unique);
    p.name = unique;
    p.index = plan.points.size();
    plan.points.push_back(std::move(p));
  }
  for (std::size_t x = 0; x < spec.exclusions.size(); ++x) {
    if (hits[x] == 0) fail(spec.exclusions[x].at, "this exclusion matches no point");
  }
  if (plan.points.empty() && errors.empty()) {
    fail({0, 0, "exclude"}, "every point of the sweep is excluded");
  }
  if (!errors.empty()) throw ConfigError(errors);
  return plan;
}

}  // namespace hmasim
