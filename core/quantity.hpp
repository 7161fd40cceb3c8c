// Parsing of size, rate, time, energy and power literals as written in configs and on the command
// line: "64KiB", "2MiB", "25GB/s", "1GHz", "10ns", "5pJ", "28mW", "45mA", "1.1V". Decimal prefixes
// are powers of 1000 (KB, MB, GB), binary prefixes powers of 1024 (KiB, MiB, GiB). A number without
// a unit is an error: a silently assumed unit is the most common calibration mistake.
#pragma once

#include <stdexcept>
#include <string>

#include "core/units.hpp"

namespace hmasim {

// Thrown with a message that quotes the offending text and says what was expected.
class QuantityError : public std::runtime_error {
 public:
  using std::runtime_error::runtime_error;
};

Bytes parse_bytes(const std::string& text);
Bandwidth parse_bandwidth(const std::string& text);
Frequency parse_frequency(const std::string& text);
Time parse_time(const std::string& text);
Energy parse_energy(const std::string& text);
Power parse_power(const std::string& text);
Current parse_current(const std::string& text);
Voltage parse_voltage(const std::string& text);

}  // namespace hmasim
