// Conversion of ONNX models into a network YAML and an HMASIMW1 weights file (docs/onnx.md).
//
// The conversion itself is scripts/onnx_import.py, run with Python and Debian's python3-onnx and
// python3-numpy: ONNX is protobuf, and a Python helper over the onnx package is far smaller than
// linking protobuf and ONNX's C++ libraries. This side runs the helper in a private temporary
// directory, collects its two outputs and reports what went wrong; it writes nothing where the
// user looks (the caller checks the results and writes them atomically).
#pragma once

#include <stdexcept>
#include <string>

namespace hmasim {

// A failed import. `status` is the exit status it calls for: 2 for a bad model or an unsupported
// operator (the helper has already printed one line per problem, naming the node and its op
// type), 1 for a missing helper, interpreter or Python package (the message says which package
// to install) or another failure of the helper.
class OnnxImportError : public std::runtime_error {
 public:
  OnnxImportError(const std::string& message, int status)
      : std::runtime_error(message), status_(status) {}
  int status() const { return status_; }

 private:
  int status_;
};

struct OnnxImportRequest {
  std::string model;        // the .onnx file
  std::string name;         // network name (empty: the model file's stem)
  std::string weights_ref;  // the YAML's `weights:` value (empty: no key)
  std::string helper;       // scripts/onnx_import.py
  std::string python;       // the interpreter, /usr/bin/python3
};

struct OnnxImport {
  std::string yaml;     // the network
  std::string weights;  // the HMASIMW1 file's bytes
};

// Runs the helper on `request.model`. Throws OnnxImportError.
OnnxImport import_onnx_file(const OnnxImportRequest& request);

}  // namespace hmasim
