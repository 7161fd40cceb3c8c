# target_sources(hmasim_mem PRIVATE ...) for the envm model
