# Weight encodings: dense, cluster index, NVDLA BitMask with IdxSync, CSR, and SEC-DED.
# Suite names start with `encoding` (encodingBitmask, encodingCsr, ...) so that
# `ctest -R encoding` selects every test of this area.
hmasim_add_test(test_encodings
  workloads/test_weight_encoding.cpp
  workloads/test_cluster_encoding.cpp
  workloads/test_bitmask_encoding.cpp
  workloads/test_csr_encoding.cpp
  workloads/test_secded.cpp
  workloads/test_winograd.cpp
)
