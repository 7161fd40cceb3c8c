# The generic eNVM model (mem/envm*.cpp) and its technology presets.
hmasim_add_test(test_envm mem/test_envm.cpp)
hmasim_add_test(test_envm_sensing test_envm_sensing.cpp)
