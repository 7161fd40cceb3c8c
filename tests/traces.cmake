# Traces of `hmasim run --trace` (issue 8): the VCD, power and bandwidth windows, the timeline,
# endurance, the recorder composing them, and the staged run directory they stream into.
# Suite names start with `trace` or `stagedDirectory`.
hmasim_add_test(test_traces
  traces/test_vcd_writer.cpp
  traces/test_power_windows.cpp
  traces/test_timeline_writer.cpp
  traces/test_trace_recorder.cpp
  traces/test_staged_directory.cpp
)
# `hmasim run --trace` end to end (ResNet-50 with every trace on) against summary.json and
# layers.csv of the same run.
hmasim_add_test(test_traces_cli app/test_traces_cli.cpp)
