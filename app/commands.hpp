// The hmasim sub-commands. Each takes the arguments after its name and returns the exit code:
// 0 success, 1 run-time failure, 2 bad input (config, trace or command line).
#pragma once

#include <string>
#include <vector>

namespace hmasim {

int cmd_models(const std::vector<std::string>& args);
int cmd_check(const std::vector<std::string>& args);
int cmd_replay(const std::vector<std::string>& args);
int cmd_import(const std::vector<std::string>& args);
int cmd_run(const std::vector<std::string>& args);
int cmd_fault_rates(const std::vector<std::string>& args);
int cmd_sweep(const std::vector<std::string>& args);

}  // namespace hmasim
