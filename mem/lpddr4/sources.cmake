# The lpddr4 model: generic address mapping, validated config, command bus, background meter,
# DRAMPower energy per rail, the in-order per-channel back end, the buffered controller
# (request buffers, schedulers, page and refresh policies), the independent timing checker, and
# the TLM model with its registration. `memspec: FILE.json` reads a DRAMSys LPDDR4 memspec
# (memspec_json.cpp) with nlohmann/json (Debian nlohmann-json3-dev), private to this library.
find_package(nlohmann_json 3 REQUIRED)
target_link_libraries(hmasim_mem PRIVATE nlohmann_json::nlohmann_json)
target_sources(hmasim_mem PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/address_mapping.cpp
  ${CMAKE_CURRENT_LIST_DIR}/lpddr4_config.cpp
  ${CMAKE_CURRENT_LIST_DIR}/memspec_json.cpp
  ${CMAKE_CURRENT_LIST_DIR}/lpddr4_command_bus.cpp
  ${CMAKE_CURRENT_LIST_DIR}/lpddr4_background.cpp
  ${CMAKE_CURRENT_LIST_DIR}/lpddr4_energy.cpp
  ${CMAKE_CURRENT_LIST_DIR}/lpddr4_channel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/controller/scheduler.cpp
  ${CMAKE_CURRENT_LIST_DIR}/controller/page_policy.cpp
  ${CMAKE_CURRENT_LIST_DIR}/controller/refresh_policy.cpp
  ${CMAKE_CURRENT_LIST_DIR}/controller/power_down_policy.cpp
  ${CMAKE_CURRENT_LIST_DIR}/controller/channel_controller.cpp
  ${CMAKE_CURRENT_LIST_DIR}/controller/channel_power_down.cpp
  ${CMAKE_CURRENT_LIST_DIR}/checker/timing_checker.cpp
  ${CMAKE_CURRENT_LIST_DIR}/lpddr4.cpp
  ${CMAKE_CURRENT_LIST_DIR}/lpddr4_buffered.cpp
)
