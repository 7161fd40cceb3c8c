# Workloads: network format and validation, statistics against published figures, SCALE-Sim import,
# weight generation and dense encoding, and the `import` / `check` command lines.
# Suite names are lowerCamel (networkFormat, importScalesim, workloadWeights, ...) so that
# `ctest -R 'workload|import|network'` selects every test of this area.
hmasim_add_test(test_workloads
  workloads/test_network.cpp
  workloads/test_network_stats.cpp
  workloads/test_scalesim_import.cpp
  workloads/test_weight_generator.cpp
  workloads/test_dense_encoding.cpp
  workloads/test_import_cli.cpp
)
# The weight cache (issue 9): keys, damaged files, concurrent writers (workloadWeightCache), and
# `hmasim run --weight-cache` byte-identical to uncached runs (WeightCacheCli, the real binary).
target_sources(test_workloads PRIVATE
  ${PROJECT_SOURCE_DIR}/tests/workloads/test_weight_cache.cpp
  ${PROJECT_SOURCE_DIR}/tests/app/test_weight_cache_cli.cpp
)
