// Strong types for the quantities a simulator mixes up most easily: clock cycles, simulated time,
// bytes, energy, power, frequency and bandwidth. Each is a distinct type; conversions are explicit
// functions, so a cycle count can never be passed where picoseconds are expected.
#pragma once

#include <cstdint>
#include <limits>
#include <string>

namespace hmasim {

// A value of one dimension. Same-dimension arithmetic and comparison only; scaling by a plain
// number keeps the dimension.
template <class Tag, class Rep>
class Quantity {
 public:
  using rep = Rep;
  constexpr Quantity() = default;
  constexpr explicit Quantity(Rep v) : v_(v) {}
  constexpr Rep value() const { return v_; }

  constexpr Quantity& operator+=(Quantity o) {
    v_ += o.v_;
    return *this;
  }
  constexpr Quantity& operator-=(Quantity o) {
    v_ -= o.v_;
    return *this;
  }
  friend constexpr Quantity operator+(Quantity a, Quantity b) { return Quantity(a.v_ + b.v_); }
  friend constexpr Quantity operator-(Quantity a, Quantity b) { return Quantity(a.v_ - b.v_); }
  friend constexpr Quantity operator*(Quantity a, Rep k) { return Quantity(a.v_ * k); }
  friend constexpr Quantity operator*(Rep k, Quantity a) { return Quantity(a.v_ * k); }
  friend constexpr Quantity operator/(Quantity a, Rep k) { return Quantity(a.v_ / k); }
  // The ratio of two values of one dimension is a plain number.
  friend constexpr Rep operator/(Quantity a, Quantity b) { return a.v_ / b.v_; }
  friend constexpr bool operator==(Quantity a, Quantity b) { return a.v_ == b.v_; }
  friend constexpr bool operator!=(Quantity a, Quantity b) { return a.v_ != b.v_; }
  friend constexpr bool operator<(Quantity a, Quantity b) { return a.v_ < b.v_; }
  friend constexpr bool operator<=(Quantity a, Quantity b) { return a.v_ <= b.v_; }
  friend constexpr bool operator>(Quantity a, Quantity b) { return a.v_ > b.v_; }
  friend constexpr bool operator>=(Quantity a, Quantity b) { return a.v_ >= b.v_; }

 private:
  Rep v_{};
};

template <class Tag, class Rep>
constexpr Quantity<Tag, Rep> max(Quantity<Tag, Rep> a, Quantity<Tag, Rep> b) {
  return a < b ? b : a;
}
template <class Tag, class Rep>
constexpr Quantity<Tag, Rep> min(Quantity<Tag, Rep> a, Quantity<Tag, Rep> b) {
  return b < a ? b : a;
}

struct CyclesTag {};
struct TimeTag {};
struct BytesTag {};
struct EnergyTag {};
struct PowerTag {};
struct FrequencyTag {};
struct BandwidthTag {};
struct CurrentTag {};
struct VoltageTag {};

// Clock cycles of one clock domain (which domain is the owner's business).
using Cycles = Quantity<CyclesTag, std::uint64_t>;
// Simulated time in integer picoseconds (SystemC's default resolution): no floating-point drift.
using Time = Quantity<TimeTag, std::uint64_t>;
using Bytes = Quantity<BytesTag, std::uint64_t>;
// Joules.
using Energy = Quantity<EnergyTag, double>;
// Watts.
using Power = Quantity<PowerTag, double>;
// Hertz, integral so that cycle <-> time conversion is exact integer arithmetic.
using Frequency = Quantity<FrequencyTag, std::uint64_t>;
// Bytes per second.
using Bandwidth = Quantity<BandwidthTag, double>;
// Amperes and volts: supply currents of the IDD method (DRAM) and similar characterisations.
using Current = Quantity<CurrentTag, double>;
using Voltage = Quantity<VoltageTag, double>;

// Bytes in a MiB, for per-MiB figures (area, leakage) of memory arrays.
constexpr double kBytesPerMiB = 1024.0 * 1024.0;

// Sane bounds for configured clocks and latencies: a clock above 1 THz has no whole-picosecond
// period, and one below 1 kHz or a latency above a second is a unit mistake, which would also
// bring simulated time (64-bit picoseconds: 213 days) within reach of overflow.
constexpr Frequency kMinClock{1'000};
constexpr Frequency kMaxClock{1'000'000'000'000};
constexpr Time kMaxLatency{1'000'000'000'000};

constexpr Time picoseconds(std::uint64_t ps) {
  return Time(ps);
}
constexpr Time nanoseconds(std::uint64_t ns) {
  return Time(ns * 1000);
}
constexpr double to_seconds(Time t) {
  return static_cast<double>(t.value()) * 1e-12;
}
constexpr double to_nanoseconds(Time t) {
  return static_cast<double>(t.value()) * 1e-3;
}

constexpr Energy joules(double j) {
  return Energy(j);
}
constexpr Energy picojoules(double pj) {
  return Energy(pj * 1e-12);
}
constexpr Power watts(double w) {
  return Power(w);
}
constexpr Power milliwatts(double mw) {
  return Power(mw * 1e-3);
}

// Power integrated over a time span.
constexpr Energy operator*(Power p, Time t) {
  return Energy(p.value() * to_seconds(t));
}
constexpr Energy operator*(Time t, Power p) {
  return p * t;
}
// Power drawn by a current from a supply.
constexpr Power operator*(Voltage v, Current i) {
  return Power(v.value() * i.value());
}
// Average power of an energy spent over a span; zero span gives zero power.
constexpr Power average_power(Energy e, Time t) {
  return t.value() == 0 ? Power(0.0) : Power(e.value() / to_seconds(t));
}
// Achieved bandwidth of a byte count over a span; zero span gives zero.
constexpr Bandwidth bandwidth_of(Bytes b, Time t) {
  return t.value() == 0 ? Bandwidth(0.0)
                        : Bandwidth(static_cast<double>(b.value()) / to_seconds(t));
}

std::string to_string(Time t);
std::string to_string(Bytes b);
std::string to_string(Energy e);
std::string to_string(Power p);
std::string to_string(Frequency f);
std::string to_string(Bandwidth b);
std::string to_string(Current i);
std::string to_string(Voltage v);

}  // namespace hmasim
