# hmasim_add_test(test_sram ...) for the sram model
