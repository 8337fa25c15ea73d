"""Writes a model folder's manifest.json: every file with its size and sha256.

The web store checks downloads against it; the model tooling adds per-variant agreement
figures through `extra`. Deterministic: files sorted by relative path, JSON with sorted
keys, 2-space indent and a trailing newline.
"""
from __future__ import annotations

import hashlib
import json
from pathlib import Path

MANIFEST_NAME = "manifest.json"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def list_files(model_dir: Path) -> list[dict[str, object]]:
    """[{path, bytes, sha256}] for every file under model_dir except the manifest itself,
    sorted by POSIX relative path."""
    model_dir = Path(model_dir)
    entries = []
    for path in sorted(p for p in model_dir.rglob("*") if p.is_file()):
        rel = path.relative_to(model_dir).as_posix()
        if rel == MANIFEST_NAME:
            continue
        entries.append({"path": rel, "bytes": path.stat().st_size, "sha256": _sha256(path)})
    entries.sort(key=lambda e: str(e["path"]))
    return entries


def write_manifest(model_dir: Path, extra: dict | None = None) -> Path:
    """Writes model_dir/manifest.json = {"files": [...], **extra}; returns its path.
    `extra` must not use the key "files"."""
    model_dir = Path(model_dir)
    manifest: dict[str, object] = {"files": list_files(model_dir)}
    for key, value in (extra or {}).items():
        if key == "files":
            raise ValueError("manifest extra must not override 'files'")
        manifest[key] = value
    path = model_dir / MANIFEST_NAME
    path.write_text(json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False) + "\n")
    return path


if __name__ == "__main__":
    import sys

    if len(sys.argv) != 2:
        sys.exit("usage: manifest.py MODEL_DIR")
    print(write_manifest(Path(sys.argv[1])))
