# docs/reproductions.md's generator (experiments/reproduce.py): its table logic on a tiny fixture
# (a fake paper.csv and cells.csv, no hmasim run): ratios, units, the within-20% marks and counts,
# a differing cell without a reason flagged, orderings. The suite itself is not run here.
add_test(NAME reproductions_generator
  COMMAND /usr/bin/python3 ${CMAKE_CURRENT_SOURCE_DIR}/scripts/test_reproductions.py
          ${PROJECT_SOURCE_DIR})
set_tests_properties(reproductions_generator PROPERTIES TIMEOUT 60)
