"""Re-packs an ONNX file's external data into the chunk files transformers.js fetches.

transformers.js (config.json `transformers.js_config.use_external_data_format`, a chunk
count per file) loads `X.onnx` plus `X.onnx_data`, `X.onnx_data_1`, ... Browsers cannot
hold one ArrayBuffer over ~2 GB, so each chunk stays under `max_chunk_bytes`. torch.onnx
writes one file per tensor for graphs over 2 GB; the variant writers write one
`X.onnx_data`; both are replaced here.
"""
from __future__ import annotations

from pathlib import Path

import onnx
from onnx.external_data_helper import set_external_data, uses_external_data

# Tensors smaller than this stay inside the .onnx file.
MIN_EXTERNAL_BYTES = 1024
ALIGN = 64


def chunk_name(onnx_path: Path, index: int) -> str:
    return f"{onnx_path.name}_data" + ("" if index == 0 else f"_{index}")


def rechunk_external_data(path: Path, max_chunk_bytes: int, force: bool = False) -> int:
    """Returns the number of chunks written (0: the file keeps its data inside)."""
    path = Path(path)
    model = onnx.load(str(path), load_external_data=False)
    tensors = list(_all_initializers(model.graph))
    old_files = {_location(t) for t in tensors if uses_external_data(t)}
    if not old_files and not force:
        return 0
    onnx.load_external_data_for_model(model, str(path.parent))
    chunk, offset, handle = 0, 0, None
    for tensor in tensors:
        raw = tensor.raw_data
        if len(raw) < MIN_EXTERNAL_BYTES:
            continue
        if handle is None or (offset > 0 and offset + len(raw) > max_chunk_bytes):
            if handle is not None:
                handle.close()
                chunk += 1
            handle, offset = open(path.parent / chunk_name(path, chunk), "wb"), 0
        handle.write(raw)
        set_external_data(tensor, location=chunk_name(path, chunk), offset=offset, length=len(raw))
        tensor.ClearField("raw_data")
        tensor.data_location = onnx.TensorProto.EXTERNAL
        offset += len(raw)
        pad = -offset % ALIGN
        handle.write(b"\0" * pad)
        offset += pad
    if handle is None:
        return 0
    handle.close()
    written = {chunk_name(path, i) for i in range(chunk + 1)}
    for name in old_files - written:
        (path.parent / name).unlink(missing_ok=True)
    onnx.save_model(model, str(path))
    return chunk + 1


def _location(tensor: onnx.TensorProto) -> str:
    return next(e.value for e in tensor.external_data if e.key == "location")


def _all_initializers(graph: onnx.GraphProto):
    yield from graph.initializer
    for node in graph.node:
        for attr in node.attribute:
            for sub in ([attr.g] if attr.HasField("g") else []) + list(attr.graphs):
                yield from _all_initializers(sub)
