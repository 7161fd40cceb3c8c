# The banked SRAM model (mem/sram.cpp).
hmasim_add_test(test_sram mem/test_sram.cpp)
