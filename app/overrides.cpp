#include "app/overrides.hpp"

#include <iostream>

namespace hmasim {

namespace {

bool starts_with(const std::string& s, const std::string& prefix) {
  return s.compare(0, prefix.size(), prefix) == 0;
}

// Top-level keys only a workload has: a bare override naming one is a workload override
// written without its prefix.
bool is_workload_key(const std::string& key) {
  for (const char* k : {"layers", "input", "defaults", "precision"}) {
    if (key == k || starts_with(key, std::string(k) + ".")) return true;
  }
  return false;
}

}  // namespace

Overrides split_overrides(const std::vector<std::string>& all) {
  Overrides o;
  for (const std::string& s : all) {
    const std::string key = s.substr(0, s.find('='));
    if (starts_with(s, kWorkloadPrefix)) {
      o.workload.push_back(s.substr(std::string(kWorkloadPrefix).size()));
    } else if (starts_with(s, kSchedulePrefix)) {
      o.schedule.push_back(s.substr(std::string(kSchedulePrefix).size()));
    } else if (starts_with(s, kPlatformPrefix)) {
      o.platform.push_back(s.substr(std::string(kPlatformPrefix).size()));
    } else if (is_workload_key(key)) {
      o.errors.push_back("--set " + s + ": '" + key + "' is a workload key; write --set " +
                         kWorkloadPrefix + s + " (platform keys take no prefix or '" +
                         kPlatformPrefix + "')");
    } else {
      o.platform.push_back(s);
    }
  }
  return o;
}

bool overrides_usable(const std::string& command, const Overrides& o, bool reads_platform,
                      bool reads_workload, bool reads_schedule) {
  bool ok = true;
  const auto fail = [&](const std::string& message) {
    std::cerr << "hmasim " << command << ": " << message << "\n";
    ok = false;
  };
  for (const std::string& e : o.errors) fail(e);
  if (!reads_platform) {
    for (const std::string& s : o.platform) {
      fail("--set " + s + ": no platform file is read here, so this override would do nothing");
    }
  }
  if (!reads_workload) {
    for (const std::string& s : o.workload) {
      fail("--set " + std::string(kWorkloadPrefix) + s +
           ": no workload file is read here, so this override would do nothing");
    }
  }
  if (!reads_schedule) {
    for (const std::string& s : o.schedule) {
      fail("--set " + std::string(kSchedulePrefix) + s +
           ": only hmasim run reads a schedule, so this override would do nothing");
    }
  }
  return ok;
}

}  // namespace hmasim
