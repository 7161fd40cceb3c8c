#include <gtest/gtest.h>

#include "core/registry.hpp"
#include "mem/memory_registry.hpp"

namespace hmasim {
namespace {

struct Dummy {
  int id = 0;
};

TEST(Registry, RefusesDuplicateNamesAndListsSorted) {
  Registry<Dummy> r;
  r.add({"zeta", "memory", "last", Dummy{1}});
  r.add({"alpha", "memory", "first", Dummy{2}});
  EXPECT_THROW(r.add({"zeta", "memory", "again", Dummy{3}}), std::logic_error);
  ASSERT_NE(r.find("zeta"), nullptr);
  EXPECT_EQ(r.find("zeta")->entry.id, 1);  // the first registration stands
  EXPECT_EQ(r.find("nope"), nullptr);
  ASSERT_EQ(r.list().size(), 2u);
  EXPECT_EQ(r.list()[0]->name, "alpha");
  EXPECT_EQ(r.names(), "alpha, zeta");
}

// The memory library is linked whole, so every built-in model's static registration survives.
TEST(Registry, BuiltInMemoryModelsAreRegistered) {
  for (const char* name : {"simple", "sram", "lpddr4", "envm"}) {
    EXPECT_NE(MemoryRegistry::instance().find(name), nullptr) << name;
  }
}

}  // namespace
}  // namespace hmasim
