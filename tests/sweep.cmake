# `hmasim sweep` (issue 9): sweep files, points, the runner, results, resume, shards and collect,
# Slurm scripts and scripts/plot_sweep.py through the real binary; the parts alone in
# test_sweep_units. Suite names start with `Sweep`.
hmasim_add_test(test_sweep app/test_sweep_cli.cpp app/test_sweep_schedule_cli.cpp
  app/test_sweep_units.cpp)

# A real one-node Slurm cluster on localhost (installs slurm-wlm and munge if missing, as root):
# an 8-point sweep submitted as a job array, collected, and compared with a local -j run. The
# daemons listen on free ports and live in a temporary directory, so several builds can run it
# at once. It fails, with the daemons' logs, if the cluster cannot start.
add_test(NAME sweep_slurm
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/slurm/test_slurm_sweep.sh $<TARGET_FILE:hmasim>
    ${PROJECT_SOURCE_DIR})
set_tests_properties(sweep_slurm PROPERTIES TIMEOUT 300
  ENVIRONMENT "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1")
