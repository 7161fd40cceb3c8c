# The banked on-chip SRAM model.
target_sources(hmasim_mem PRIVATE ${CMAKE_CURRENT_SOURCE_DIR}/sram.cpp)
