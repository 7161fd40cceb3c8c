# Real weights and integer inference (issue 12): the weights file and its checks against a network
# (weightsFile), the .npy reader (npyFile), the plain C++ reference against the NumPy script's
# integer logits and the digits CNN's accuracy (referenceInference), and `hmasim run --weights`
# through the real binary (weightsCli). `ctest -R 'weights|npy|reference'` selects them.
hmasim_add_test(test_inference
  workloads/test_weights_file.cpp
  workloads/test_reference_inference.cpp
  app/test_weights_cli.cpp
)
