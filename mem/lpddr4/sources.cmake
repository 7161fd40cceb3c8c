# The lpddr4 model: generic address mapping, validated config, command bus, background meter,
# DRAMPower energy, per-channel back end, and the TLM model with its registration.
target_sources(hmasim_mem PRIVATE
  ${CMAKE_CURRENT_LIST_DIR}/address_mapping.cpp
  ${CMAKE_CURRENT_LIST_DIR}/lpddr4_config.cpp
  ${CMAKE_CURRENT_LIST_DIR}/lpddr4_command_bus.cpp
  ${CMAKE_CURRENT_LIST_DIR}/lpddr4_background.cpp
  ${CMAKE_CURRENT_LIST_DIR}/lpddr4_energy.cpp
  ${CMAKE_CURRENT_LIST_DIR}/lpddr4_channel.cpp
  ${CMAKE_CURRENT_LIST_DIR}/lpddr4.cpp
)
