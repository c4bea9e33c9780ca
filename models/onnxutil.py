"""Small, deterministic ONNX graph builder shared by the model scripts in models/.

Used by models/use_lite/convert.py and models/tiny_bert/generate.py. Needs only Debian's
python3-onnx (1.12, opset <= 17) and python3-numpy.

Determinism matters: bundles are fingerprinted by the sha256 of the ONNX bytes, so the same
inputs must always serialise to the same bytes. Node and initializer names come from the
caller's prefixes and a counter, and the model carries no timestamps.
"""

import hashlib
import json
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

OPSET = 17
PRODUCER = "localrec-models"


class GraphBuilder:
    """Accumulates nodes and initializers; `matmul()` emits fp32 or Optimum-style int8."""

    def __init__(self, quantize=False):
        self.nodes = []
        self.initializers = []
        self.quantize = quantize
        self._names = set()
        self._counter = 0
        # Activation name -> (q, scale, zero point): one DynamicQuantizeLinear per activation.
        self._quantized_inputs = {}

    def _unique(self, base):
        name = base
        while name in self._names:
            self._counter += 1
            name = f"{base}_{self._counter}"
        self._names.add(name)
        return name

    def const(self, name, array):
        """Adds an initializer; returns its name."""
        name = self._unique(name)
        self.initializers.append(numpy_helper.from_array(np.ascontiguousarray(array), name))
        return name

    def op(self, op_type, inputs, name, outputs=1, **attrs):
        """Adds one node; returns its output name, or a list of names when outputs > 1."""
        node_name = self._unique(name)
        if outputs == 1:
            outs = [node_name]
        else:
            outs = [self._unique(f"{node_name}:{i}") for i in range(outputs)]
        self.nodes.append(helper.make_node(op_type, inputs, outs, name=node_name, **attrs))
        return outs[0] if outputs == 1 else outs

    def matmul(self, x, weight, bias, name):
        """x @ weight (+ bias), weight a float [K, N] matrix.

        The int8 form is the op set of Hugging Face Optimum's dynamic quantisation, which ORT Web
        and onnxruntime-node both run: DynamicQuantizeLinear (uint8 activations, one scale per
        tensor, computed on the fly) -> MatMulInteger with int8 weights (symmetric, one scale per
        output channel) -> Cast to float -> Mul by activation scale x weight scales -> Add bias.
        """
        if not self.quantize:
            w = self.const(f"{name}.weight", weight.astype(np.float32))
            y = self.op("MatMul", [x, w], f"{name}/MatMul")
        else:
            q_weight, w_scale = quantize_per_channel(weight)
            if x not in self._quantized_inputs:
                self._quantized_inputs[x] = self.op("DynamicQuantizeLinear", [x],
                                                    f"{name}/QuantizeInput", outputs=3)
            x_q, x_scale, x_zero = self._quantized_inputs[x]
            w_q = self.const(f"{name}.weight_quantized", q_weight)
            acc = self.op("MatMulInteger", [x_q, w_q, x_zero], f"{name}/MatMulInteger")
            acc_f = self.op("Cast", [acc], f"{name}/Cast", to=TensorProto.FLOAT)
            scale = self.op("Mul", [x_scale, self.const(f"{name}.weight_scale", w_scale)],
                            f"{name}/Scale")
            y = self.op("Mul", [acc_f, scale], f"{name}/Dequantize")
        if bias is not None:
            b = self.const(f"{name}.bias", bias.astype(np.float32))
            y = self.op("Add", [y, b], f"{name}/Add")
        return y

    def model(self, name, inputs, outputs, doc):
        graph = helper.make_graph(self.nodes, name, inputs, outputs, self.initializers)
        model = helper.make_model(graph, producer_name=PRODUCER, producer_version="1",
                                  opset_imports=[helper.make_opsetid("", OPSET)], doc_string=doc)
        model.ir_version = 8  # the IR version of opset 17; onnx 1.12 and ORT 1.30 both read it
        onnx.checker.check_model(model, full_check=True)
        return model


def quantize_per_channel(weight):
    """Symmetric int8 per output channel (column) of a [K, N] matrix: w ~= q * scale[n]."""
    weight = weight.astype(np.float32)
    max_abs = np.abs(weight).max(axis=0)
    scale = np.where(max_abs > 0, max_abs / np.float32(127.0), np.float32(1.0)).astype(np.float32)
    q = np.clip(np.rint(weight / scale), -127, 127).astype(np.int8)
    return q, scale


def quantize_rows(table):
    """Symmetric int8 with one scale per row (embedding tables): row ~= q[row] * scale[row]."""
    q, scale = quantize_per_channel(table.T)
    return np.ascontiguousarray(q.T), scale


def sha256_bytes(data):
    return hashlib.sha256(data).hexdigest()


def sha256_file(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def write_bytes_atomic(path, data):
    """Writes through a temporary file and a rename, so no reader sees half a file."""
    os.makedirs(os.path.dirname(path) or ".", exist_ok=True)
    tmp = f"{path}.tmp-{os.getpid()}"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)


def write_json_atomic(path, obj):
    write_bytes_atomic(path, (json.dumps(obj, indent=2, ensure_ascii=False) + "\n").encode())
