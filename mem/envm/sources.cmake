# The generic eNVM model: technology block (with MLC level distributions), wear counting, model.
target_sources(hmasim_mem PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/envm.cpp
  ${CMAKE_CURRENT_LIST_DIR}/envm_endurance.cpp
  ${CMAKE_CURRENT_LIST_DIR}/envm_levels.cpp
  ${CMAKE_CURRENT_LIST_DIR}/envm_technology.cpp
)
