// What every sub-command shares: option parsing with --help, and printing config diagnostics.
#pragma once

#include <boost/program_options.hpp>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "core/config_error.hpp"

namespace hmasim {

// Parses `args` against `options`. Returns an exit code if the command is done already: 0 after
// printing --help, 2 after a usage error (printed as "hmasim COMMAND: ..."); nullopt to go on.
// `given`, if set, receives the parsed options (to ask which were given).
std::optional<int> parse_command_line(const std::string& command,
                                      const boost::program_options::options_description& options,
                                      const std::vector<std::string>& args,
                                      boost::program_options::variables_map* given = nullptr);

// A non-negative integer option: decimal digits only (no sign, fraction or unit), within
// [min, max]. Otherwise prints "hmasim COMMAND: --OPTION: ..." and returns nullopt.
std::optional<std::uint64_t> integer_option(const std::string& command, const std::string& option,
                                            const std::string& text, std::uint64_t min,
                                            std::uint64_t max);

// Prints every diagnostic, one per line, to standard error; returns 2 (bad input).
int report(const ConfigError& error);

}  // namespace hmasim
