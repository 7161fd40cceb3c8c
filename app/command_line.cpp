#include "app/command_line.hpp"

#include <iostream>

namespace hmasim {

namespace po = boost::program_options;

std::optional<int> parse_command_line(const std::string& command,
                                      const po::options_description& options,
                                      const std::vector<std::string>& args,
                                      po::variables_map* given) {
  po::variables_map local;
  po::variables_map& vm = given ? *given : local;
  try {
    po::store(po::command_line_parser(args).options(options).run(), vm);
    if (vm.count("help")) {
      std::cout << options << "\n";
      return 0;
    }
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "hmasim " << command << ": " << e.what() << " (see hmasim " << command
              << " --help)\n";
    return 2;
  }
  return std::nullopt;
}

std::optional<std::uint64_t> integer_option(const std::string& command, const std::string& option,
                                            const std::string& text, std::uint64_t min,
                                            std::uint64_t max) {
  const auto fail = [&](const std::string& why) -> std::optional<std::uint64_t> {
    std::cerr << "hmasim " << command << ": --" << option << ": '" << text << "' " << why
              << " (see hmasim " << command << " --help)\n";
    return std::nullopt;
  };
  if (text.empty()) return fail("is not a number");
  std::uint64_t v = 0;
  for (char c : text) {
    if (c < '0' || c > '9') {
      return fail(c == '-' ? "must not be negative" : "is not a whole number");
    }
    const std::uint64_t digit = static_cast<std::uint64_t>(c - '0');
    if (digit > max || v > (max - digit) / 10)
      return fail("is too large (at most " + std::to_string(max) + ")");
    v = v * 10 + digit;
  }
  if (v < min) return fail("must be at least " + std::to_string(min));
  return v;
}

int report(const ConfigError& error) {
  for (const auto& d : error.diagnostics()) std::cerr << d.str() << "\n";
  return 2;
}

}  // namespace hmasim
