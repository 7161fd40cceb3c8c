// GoogleTest entry for every test executable. Each test runs in its own process
// (gtest_discover_tests), because SystemC elaborates once per process. SystemC warnings and errors
// become test failures instead of passing silently.
#include <gtest/gtest.h>

#include <cstdlib>
#include <systemc>

namespace {
void fail_on_report(const sc_core::sc_report& report, const sc_core::sc_actions& actions) {
  if (report.get_severity() >= sc_core::SC_WARNING) {
    ADD_FAILURE() << "SystemC "
                  << (report.get_severity() == sc_core::SC_WARNING ? "warning" : "error") << ": "
                  << report.get_msg_type() << ": " << report.get_msg();
  }
  // Keep the default handling for info messages and for stopping on fatal errors.
  if (report.get_severity() == sc_core::SC_FATAL) {
    sc_core::sc_report_handler::default_handler(report, actions);
  }
}
}  // namespace

// SystemC prints its banner before sc_main runs; the variable must be set during static
// initialisation to silence it (it would pollute the JSON that commands print).
static const int kQuietSystemC = setenv("SYSTEMC_DISABLE_COPYRIGHT_MESSAGE", "1", 0);

int sc_main(int argc, char* argv[]) {
  sc_core::sc_report_handler::set_handler(fail_on_report);
  ::testing::InitGoogleTest(&argc, argv);
  return RUN_ALL_TESTS();
}
