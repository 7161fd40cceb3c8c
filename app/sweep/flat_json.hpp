// JSON text as the flat list of its scalars with dotted names ({"a": {"b": 1}, "l": [2]} gives
// a.b = 1, l.0 = 2), for the sweep's results table. A small strict parser of its own: results
// are read once per point, and a general YAML parse of a summary costs more than a short run's
// share of the sweep's time allows.
#pragma once

#include <optional>
#include <string>
#include <utility>
#include <vector>

namespace hmasim {

using FlatJson = std::vector<std::pair<std::string, std::string>>;

// The scalars of `text`, which must be one JSON object, in document order: numbers, `true` and
// `false` as written, strings unescaped, `null` as "". nullopt with `why` set for anything that
// is not JSON (or is nested more than 64 deep).
std::optional<FlatJson> flatten_json(const std::string& text, std::string& why);

}  // namespace hmasim
