# Transformers (issue 10): the workload format's linear, attention, nonlinear and embedding layers,
# parameter sharing and task heads (transformerFormat); their simulation on the datapath
# (TransformerSim); and `hmasim run` of albert-base and adapter-albert (TransformerCli).
hmasim_add_test(test_transformer
  workloads/test_transformer_format.cpp
  hw/test_transformer_sim.cpp
  app/test_transformer_cli.cpp
)
