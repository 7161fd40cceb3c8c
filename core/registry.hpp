// A name -> factory registry for pluggable models (the VCML pattern). A model registers itself with
// a static Registrar in its own .cpp; the library is linked whole-archive so registrations survive.
// Duplicate names are refused.
#pragma once

#include <functional>
#include <map>
#include <memory>
#include <stdexcept>
#include <string>
#include <vector>

namespace hmasim {

template <class Entry>
class Registry {
 public:
  struct Item {
    std::string name;
    std::string kind;
    std::string description;
    Entry entry;
  };

  Registry() = default;
  // One registry per Entry type, created on first use (safe during static initialisation).
  static Registry& instance() {
    static Registry r;
    return r;
  }

  void add(Item item) {
    if (items_.count(item.name)) {
      throw std::logic_error("model '" + item.name + "' is registered twice");
    }
    std::string key = item.name;
    items_.emplace(std::move(key), std::move(item));
  }
  const Item* find(const std::string& name) const {
    auto it = items_.find(name);
    return it == items_.end() ? nullptr : &it->second;
  }
  // Sorted by name.
  std::vector<const Item*> list() const {
    std::vector<const Item*> out;
    for (const auto& kv : items_) out.push_back(&kv.second);
    return out;
  }
  std::string names() const {
    std::string s;
    for (const auto& kv : items_) s += (s.empty() ? "" : ", ") + kv.first;
    return s;
  }

 private:
  std::map<std::string, Item> items_;
};

}  // namespace hmasim
