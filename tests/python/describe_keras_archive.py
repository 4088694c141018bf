"""An independent reader for .keras files: Python's zipfile, json and h5py, no keras-ts code.

Usage: python3 describe_keras_archive.py FILE.keras

Checks what these libraries check on their own (zip CRCs, JSON syntax, HDF5 structure) and prints
one JSON object describing the archive entry by entry, for the test to compare with what keras-ts
meant to write:

  zip:      per entry: name, compress_type, date_time, external_attr, create_system, file_size
  metadata: metadata.json parsed
  config:   config.json parsed
  floats:   the key paths in config.json whose values Python reads as floats (Keras checks some
            arguments with isinstance(x, float))
  h5:       per HDF5 object (visit order): path, kind, attrs (with the string type's charset and
            whether it is variable-length), and for datasets shape, dtype, layout, chunks,
            compression and the values as a flat list
Exit status 1 with a message on stderr when a check fails.
"""

import io
import json
import sys
import zipfile

import h5py
import numpy as np


def attr_description(obj, name):
    attr_id = obj.attrs.get_id(name)
    tid = attr_id.get_type()
    value = obj.attrs[name]
    if isinstance(value, bytes):
        value = value.decode("utf-8")
    elif isinstance(value, np.ndarray):
        value = value.tolist()
    elif isinstance(value, np.generic):
        value = value.item()
    out = {"value": value}
    if isinstance(tid, h5py.h5t.TypeStringID):
        out["charset"] = "utf-8" if tid.get_cset() == h5py.h5t.CSET_UTF8 else "ascii"
        out["variable_length"] = bool(tid.is_variable_str())
    return out


def describe_h5(data):
    f = h5py.File(io.BytesIO(data), "r")
    objects = []

    def visit(path, obj):
        link = f.get(path, getlink=True)
        if not isinstance(link, h5py.HardLink):
            raise SystemExit(f"model.weights.h5:/{path} is a {type(link).__name__}")
        entry = {
            "path": path,
            "kind": "group" if isinstance(obj, h5py.Group) else "dataset",
            "attrs": {name: attr_description(obj, name) for name in obj.attrs},
        }
        if isinstance(obj, h5py.Dataset):
            plist = obj.id.get_create_plist()
            entry.update(
                shape=list(obj.shape),
                dtype=obj.dtype.str,
                layout={h5py.h5d.CONTIGUOUS: "contiguous", h5py.h5d.CHUNKED: "chunked", h5py.h5d.COMPACT: "compact"}.get(
                    plist.get_layout(), "other"
                ),
                chunks=obj.chunks,
                compression=obj.compression,
                values=np.asarray(obj[()]).reshape(-1).tolist(),
            )
        objects.append(entry)

    f.visititems(visit)
    return {"libver": list(f.libver), "userblock_size": f.userblock_size, "objects": objects}


def float_paths(value, path=""):
    if isinstance(value, float):
        return [path]
    if isinstance(value, dict):
        return [p for k, v in value.items() for p in float_paths(v, f"{path}.{k}" if path else k)]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in float_paths(v, f"{path}[{i}]")]
    return []


def main():
    path = sys.argv[1]
    with zipfile.ZipFile(path, "r") as zf:
        bad = zf.testzip()
        if bad is not None:
            raise SystemExit(f"CRC check failed for {bad}")
        infos = [
            {
                "name": info.filename,
                "compress_type": info.compress_type,
                "date_time": list(info.date_time),
                "external_attr": info.external_attr,
                "create_system": info.create_system,
                "file_size": info.file_size,
            }
            for info in zf.infolist()
        ]
        metadata = json.loads(zf.read("metadata.json").decode("utf-8"))
        config = json.loads(zf.read("config.json").decode("utf-8"))
        h5 = describe_h5(zf.read("model.weights.h5"))
    json.dump({"zip": infos, "metadata": metadata, "config": config, "floats": float_paths(config), "h5": h5}, sys.stdout)


if __name__ == "__main__":
    main()
