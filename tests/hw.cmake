# The accelerator: unit tests of its parts and simulations of small networks.
hmasim_add_test(test_hw
  hw/test_conv_core.cpp
  hw/test_layer_tiling.cpp
  hw/test_w_split.cpp
  hw/test_dma.cpp
  hw/test_placement.cpp
  hw/test_sdp_fusion.cpp
  hw/test_accelerator.cpp
  hw/test_units.cpp
  hw/test_power.cpp
  hw/test_tasks.cpp
)
# `hmasim run` end to end on the shipped platforms and networks.
hmasim_add_test(test_run_cli app/test_run_cli.cpp app/test_storage_cli.cpp app/test_schedule_cli.cpp
  app/test_task_networks_cli.cpp)
