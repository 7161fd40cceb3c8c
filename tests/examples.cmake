# Tests of issue 7 ("trust what it says"): the model guide's example, the interconnect's
# link-limit report, and the scripts' --help.

# The model guide's example model (examples/custom_memory/) and the guide's quotes of its files.
# The example registers its model from a static object, so the test links it whole, as the
# shipped models are; the example's own hmasim (hmasim_custom_memory) is run too.
hmasim_add_test(test_examples examples/test_custom_memory.cpp examples/test_model_guide.cpp)
target_link_libraries(test_examples PRIVATE
  "$<LINK_LIBRARY:WHOLE_ARCHIVE,hmasim_example_custom_memory>")
target_compile_definitions(test_examples PRIVATE
  HMASIM_CUSTOM_MEMORY_BINARY="$<TARGET_FILE:hmasim_custom_memory>")
add_dependencies(test_examples hmasim_custom_memory)

# Links that cap a memory: the interconnect's per-link counts and `hmasim run`'s report of them.
hmasim_add_test(test_link_report hw/test_interconnect.cpp app/test_link_report_cli.cpp)

# Every script in scripts/ and bench/ answers --help with its usage, exit 0, and rejects unknown
# options, without building or installing anything.
add_test(NAME scripts_help
  COMMAND bash ${CMAKE_CURRENT_SOURCE_DIR}/scripts/test_help.sh ${PROJECT_SOURCE_DIR})
