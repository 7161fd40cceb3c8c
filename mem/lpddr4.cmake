# target_sources(hmasim_mem PRIVATE ...) for the lpddr4 model
