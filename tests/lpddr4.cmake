# LPDDR4 model: timing, refresh, power-down, energy and config diagnostics.
hmasim_add_test(test_lpddr4 mem/test_lpddr4.cpp)
# What every memory model reports to the traces (base, LPDDR4 bank states, eNVM/SRAM busy wires,
# the accounted_until watermark); here because LPDDR4 is most of it.
hmasim_add_test(test_memory_traces mem/test_memory_traces.cpp)
