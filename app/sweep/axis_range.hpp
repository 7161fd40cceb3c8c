// Numbers written in a sweep file: whole numbers as the command line takes them, and the values
// of an axis given as a range.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace hmasim {

// Decimal digits only (no sign, fraction or unit) within [min, max], as hmasim's integer options.
std::optional<std::uint64_t> parse_decimal(const std::string& text, std::uint64_t min,
                                           std::uint64_t max);

// The values from `from` to `to` (inclusive, if a whole number of steps reaches it) in steps of
// `step`, as text. Whole numbers (optionally negative) when all three are; otherwise decimals,
// each computed as from + i * step (no accumulated rounding) and printed with 12 significant
// digits. nullopt with `why` set for text that is not a number, a zero step, a step that leads
// away from `to`, or more than `max_values` values.
std::optional<std::vector<std::string>> expand_range(const std::string& from, const std::string& to,
                                                     const std::string& step,
                                                     std::size_t max_values, std::string& why);

}  // namespace hmasim
