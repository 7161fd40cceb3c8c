# The fuzz harnesses of tests/fuzz without libFuzzer (docs/testing.md): each harness is linked with
# a main that feeds it files, and ctest replays the seed corpus and every saved finding through it
# (in the Release build and in the ASan/UBSan build of scripts/sanitize.sh). A harness catches
# only the clean error: any other exception fails the test, a crash or a sanitizer report kills
# it, a hang runs into the TIMEOUT.
set(HMASIM_FUZZ_DIR ${PROJECT_SOURCE_DIR}/tests/fuzz)

# Seeds beyond tests/fuzz/corpus/<harness>: the shipped files of each format.
set(HMASIM_FUZZ_SEEDS_platform ${PROJECT_SOURCE_DIR}/platforms ${PROJECT_SOURCE_DIR}/platforms/presets
  ${PROJECT_SOURCE_DIR}/platforms/maxnvm)
set(HMASIM_FUZZ_SEEDS_network ${PROJECT_SOURCE_DIR}/workloads/networks
  ${PROJECT_SOURCE_DIR}/tests/workloads/data)
set(HMASIM_FUZZ_SEEDS_stl ${PROJECT_SOURCE_DIR}/platforms/traces)
set(HMASIM_FUZZ_SEEDS_scalesim "")

foreach(h platform network stl scalesim)
  set(exe fuzz_replay_${h})
  add_executable(${exe} ${HMASIM_FUZZ_DIR}/fuzz_${h}.cpp ${HMASIM_FUZZ_DIR}/replay_main.cpp)
  target_include_directories(${exe} PRIVATE ${PROJECT_SOURCE_DIR} ${HMASIM_FUZZ_DIR})
  target_compile_definitions(${exe} PRIVATE HMASIM_SOURCE_DIR="${PROJECT_SOURCE_DIR}")
  target_link_libraries(${exe} PRIVATE hmasim_app hmasim_warnings)

  add_test(NAME fuzz_${h}.corpus
    COMMAND ${exe} ${HMASIM_FUZZ_DIR}/corpus/${h} ${HMASIM_FUZZ_SEEDS_${h}})
  set_tests_properties(fuzz_${h}.corpus PROPERTIES TIMEOUT 300
    ENVIRONMENT "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1")

  # One test per saved finding, so a known, still unfixed bug does not hide a new regression.
  # CONFIGURE_DEPENDS: a finding dropped into the folder is picked up by the next build.
  file(GLOB regressions CONFIGURE_DEPENDS ${HMASIM_FUZZ_DIR}/regressions/${h}/*)
  list(FILTER regressions EXCLUDE REGEX "/README[^/]*$")
  foreach(input ${regressions})
    get_filename_component(name ${input} NAME)
    add_test(NAME fuzz_${h}.regression.${name} COMMAND ${exe} ${input})
    set_tests_properties(fuzz_${h}.regression.${name} PROPERTIES TIMEOUT 60
      ENVIRONMENT "SYSTEMC_DISABLE_COPYRIGHT_MESSAGE=1")
  endforeach()
endforeach()
