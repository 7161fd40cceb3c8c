# LPDDR4 model: timing, refresh, power-down, energy and config diagnostics.
hmasim_add_test(test_lpddr4 mem/test_lpddr4.cpp)
