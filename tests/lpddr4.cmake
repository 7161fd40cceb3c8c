# LPDDR4 model: timing, refresh, power-down, energy and config diagnostics (in-order controller).
# Every executable here links the timing-check environment: each memory a test builds is audited
# by the independent JEDEC checker and a violation fails the test.
set(HMASIM_LPDDR4_CHECK mem/test_lpddr4_timing_environment.cpp)
hmasim_add_test(test_lpddr4 mem/test_lpddr4.cpp ${HMASIM_LPDDR4_CHECK})
# The buffered controller: schedulers, buffers, per-bank refresh, turnarounds, energy per rail,
# power-down and self-refresh.
hmasim_add_test(test_lpddr4_controller mem/test_lpddr4_controller.cpp ${HMASIM_LPDDR4_CHECK})
# `memspec: FILE.json`: DRAMSys LPDDR4 memspecs against the preset, overrides, every error.
hmasim_add_test(test_lpddr4_memspec mem/test_lpddr4_memspec.cpp)
# The independent timing checker on hand-built illegal sequences.
hmasim_add_test(test_lpddr4_checker mem/test_lpddr4_checker.cpp)
# What every memory model reports to the traces (base, LPDDR4 bank states, eNVM/SRAM busy wires,
# the accounted_until watermark); here because LPDDR4 is most of it.
hmasim_add_test(test_memory_traces mem/test_memory_traces.cpp ${HMASIM_LPDDR4_CHECK})
# The DMA's AT path against the buffered controller (requests in flight, FR-FCFS reordering).
hmasim_add_test(test_dma_nonblocking hw/test_dma_nonblocking.cpp ${HMASIM_LPDDR4_CHECK})
# The DMA's AT path through the interconnect, and ResNet-50 on the FR-FCFS NVDLA platform.
hmasim_add_test(test_dma_at_platform hw/test_dma_at_platform.cpp ${HMASIM_LPDDR4_CHECK})
