# Functional mode (issue 12): the datapath's arithmetic and layouts (functionalKernels), the units
# computing the digits networks on the bytes their memories return, bit for bit against the
# independent reference (functionalDatapath), 16-bit layers and softmax (functionalInt16,
# functionalSoftmax), and `hmasim run --functional` through the real
# binary (functionalCli). `ctest -R functional` selects them.
hmasim_add_test(test_functional
  hw/test_functional_kernels.cpp
  hw/test_functional_datapath.cpp
  hw/test_functional_int16_softmax.cpp
  app/test_functional_cli.cpp
)
