# hmasim_add_test(test_lpddr4 ...) for the lpddr4 model
