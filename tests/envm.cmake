# hmasim_add_test(test_envm ...) for the envm model
