# ONNX import (issue 12): `hmasim import onnx` through the real binary on the digits CNN exported
# by scripts/export_digits_onnx.py (onnxImportCli). Needs /usr/bin/python3 with python3-onnx and
# python3-numpy (scripts/common.sh installs them). `ctest -R onnx` selects them.
hmasim_add_test(test_onnx
  app/test_onnx_import_cli.cpp
)
