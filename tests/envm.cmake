# The generic eNVM model (mem/envm*.cpp) and its technology presets.
hmasim_add_test(test_envm mem/test_envm.cpp)
