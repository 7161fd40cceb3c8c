# The MLC fault model: thresholds and misread rates, level coding and packing, seeded injection.
target_sources(hmasim_mem PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/fault_injector.cpp
  ${CMAKE_CURRENT_LIST_DIR}/level_coding.cpp
  ${CMAKE_CURRENT_LIST_DIR}/mlc_fault_model.cpp
)
