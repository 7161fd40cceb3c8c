# Bad input, end to end (issue 7, "trust what it says"): traces that overflow simulated time or are
# not text, imported names our loader would refuse, debug transport with bad payloads, output
# paths that are not ours to replace, run directories replaced whole. Suites: BadInputCli (the
# real binary; `ctest -R Cli` selects it) and DebugTransport.
hmasim_add_test(test_robustness
  app/test_bad_input_cli.cpp
  mem/test_debug_transport.cpp
)
# Overrides that never silently do nothing, bad input that is a clean error, presets, seeds.
target_sources(test_robustness PRIVATE ${PROJECT_SOURCE_DIR}/tests/app/test_trust_cli.cpp)
