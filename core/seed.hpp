// Seeds derived from one run seed, so `--seed` alone reproduces (or varies) every random draw of
// a run: each consumer that has no seed of its own gets a distinct, fixed stream, keyed by a
// label such as "faults.<memory>". Same run seed and label, same seed, on every machine.
#pragma once

#include <cstdint>
#include <string>

namespace hmasim {

// splitmix64's finaliser: a bijection of 64-bit words with full avalanche (Steele, Lea, Flood,
// "Fast splittable pseudorandom number generators").
constexpr std::uint64_t mix64(std::uint64_t x) {
  x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
  x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
  return x ^ (x >> 31);
}
// One step of splitmix64 from state x.
constexpr std::uint64_t splitmix64(std::uint64_t x) {
  return mix64(x + 0x9e3779b97f4a7c15ULL);
}

inline std::uint64_t derive_seed(std::uint64_t run_seed, const std::string& label) {
  std::uint64_t h = 0xcbf29ce484222325ULL;  // FNV-1a over the label
  for (unsigned char c : label) h = (h ^ c) * 0x100000001b3ULL;
  return splitmix64(splitmix64(run_seed) ^ h);
}

}  // namespace hmasim
