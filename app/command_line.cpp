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

int report(const ConfigError& error) {
  for (const auto& d : error.diagnostics()) std::cerr << d.str() << "\n";
  return 2;
}

}  // namespace hmasim
