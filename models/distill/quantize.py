"""Int8 dynamic quantisation of an fp32 BERT ONNX graph, with the onnx package only.

The result uses the op set of Hugging Face Optimum's dynamic quantisation, which both
onnxruntime-node and ONNX Runtime Web run:

  * every MatMul whose second input is a constant [K, N] weight becomes
      DynamicQuantizeLinear(x) -> MatMulInteger(x_q, W_q, x_zero_point) -> Cast(float)
      -> Mul(x_scale * w_scale[N])
    with W_q int8, symmetric, one scale per output column (the bias Add that follows stays);
    an activation feeding several MatMuls (Q, K and V) is quantised once;
  * the word-embedding Gather reads an int8 table with one scale per row:
      Gather(E_q, ids) -> Cast -> Mul(Unsqueeze(Gather(row_scale, ids), -1))
    which is what keeps a 30,522-row vocabulary small (a quarter of the fp32 bytes).

Activation x activation MatMuls (attention scores and context) stay fp32, as in Optimum's
default configuration for BERT. There is no onnxruntime for Python here, so the numerical check
(int8 vs fp32 cosine) is done in Node by the eval step.
"""

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper


def quantize_columns(w):
    """Symmetric int8 per column of a [K, N] matrix: w ~= q * scale[n]."""
    w = w.astype(np.float32)
    max_abs = np.abs(w).max(axis=0)
    scale = np.where(max_abs > 0, max_abs / np.float32(127.0), np.float32(1.0)).astype(np.float32)
    q = np.clip(np.rint(w / scale), -127, 127).astype(np.int8)
    return q, scale


def quantize_model(model, embedding_name):
    """Returns a new ModelProto; `embedding_name` is the word-embedding initializer's name."""
    graph = model.graph
    inits = {i.name: i for i in graph.initializer}
    consumers = {}
    for node in graph.node:
        for name in node.input:
            consumers.setdefault(name, []).append(node)

    new_nodes, new_inits, dropped = [], [], set()
    quantized_acts = {}
    counter = {"n": 0}

    def fresh(base):
        counter["n"] += 1
        return f"{base}_q{counter['n']}"

    for node in graph.node:
        if (node.op_type == "MatMul" and node.input[1] in inits
                and len(inits[node.input[1]].dims) == 2):
            w_name = node.input[1]
            w = numpy_helper.to_array(inits[w_name])
            q, scale = quantize_columns(w)
            wq = fresh(w_name + "_int8")
            ws = fresh(w_name + "_scale")
            new_inits += [numpy_helper.from_array(q, wq), numpy_helper.from_array(scale, ws)]
            x = node.input[0]
            if x not in quantized_acts:
                outs = [fresh(x + "_quantized"), fresh(x + "_scale"), fresh(x + "_zero_point")]
                new_nodes.append(helper.make_node("DynamicQuantizeLinear", [x], outs,
                                                  name=fresh(node.name + "/QuantizeInput")))
                quantized_acts[x] = outs
            xq, xs, xz = quantized_acts[x]
            acc = fresh(node.name + "/MatMulInteger")
            accf = fresh(node.name + "/Cast")
            sc = fresh(node.name + "/Scale")
            new_nodes += [
                helper.make_node("MatMulInteger", [xq, wq, xz], [acc], name=acc),
                helper.make_node("Cast", [acc], [accf], name=accf, to=TensorProto.FLOAT),
                helper.make_node("Mul", [xs, ws], [sc], name=sc),
                helper.make_node("Mul", [accf, sc], [node.output[0]], name=fresh(node.name + "/Dequantize")),
            ]
            dropped.add(w_name)
        elif node.op_type == "Gather" and node.input[0] == embedding_name:
            table = numpy_helper.to_array(inits[embedding_name])
            q, scale = quantize_columns(table.T)
            q = np.ascontiguousarray(q.T)
            tq, ts = fresh(embedding_name + "_int8"), fresh(embedding_name + "_row_scale")
            axes = fresh("axes_last")
            new_inits += [numpy_helper.from_array(q, tq), numpy_helper.from_array(scale, ts),
                          numpy_helper.from_array(np.array([-1], np.int64), axes)]
            ids = node.input[1]
            rows, rowsf = fresh(node.name + "/GatherInt8"), fresh(node.name + "/Cast")
            s, su = fresh(node.name + "/GatherScale"), fresh(node.name + "/ScaleUnsqueeze")
            new_nodes += [
                helper.make_node("Gather", [tq, ids], [rows], name=rows),
                helper.make_node("Cast", [rows], [rowsf], name=rowsf, to=TensorProto.FLOAT),
                helper.make_node("Gather", [ts, ids], [s], name=s),
                helper.make_node("Unsqueeze", [s, axes], [su], name=su),
                helper.make_node("Mul", [rowsf, su], [node.output[0]], name=fresh(node.name + "/Dequantize")),
            ]
            dropped.add(embedding_name)
        else:
            new_nodes.append(node)

    still_used = {name for n in new_nodes for name in n.input}
    kept = [i for i in graph.initializer if not (i.name in dropped and i.name not in still_used)]
    g = helper.make_graph(new_nodes, graph.name, list(graph.input), list(graph.output),
                          kept + new_inits, doc_string=graph.doc_string)
    out = helper.make_model(g, opset_imports=list(model.opset_import),
                            producer_name=model.producer_name, producer_version=model.producer_version,
                            doc_string=model.doc_string)
    out.ir_version = model.ir_version
    for p in model.metadata_props:
        out.metadata_props.append(p)
    onnx.checker.check_model(out, full_check=True)
    n_matmul = sum(1 for n in new_nodes if n.op_type == "MatMulInteger")
    if n_matmul == 0 or embedding_name not in dropped:
        raise SystemExit("quantize: found nothing to quantise (unexpected graph)")
    return out, n_matmul
