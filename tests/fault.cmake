# The MLC fault model (mem/mlc_fault_model, level_coding, fault_injector), its envm integration
# and `hmasim fault-rates`.
hmasim_add_test(test_fault
  mem/test_mlc_fault_model.cpp
  mem/test_fault_injector.cpp
  app/test_fault_rates_cli.cpp
)
# The shipped presets' MLC calibration against MaxNVM's ranges (docs/fault-calibration.md).
hmasim_add_test(test_mlc_calibration
  test_mlc_calibration.cpp
)
