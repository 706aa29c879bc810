# Makes 3D ShapeNets-style .mat chairs (30^3 uint8 variable `instance`: the object in 24^3, padded by 3, as
# volumetric_data/chair/30/train/*.mat holds them) from the ShapeNet .binvox chairs, for
# `npx tsx bench/quality-3dgan-chairs.ts --set data.dir=<out> --set data.format=mat`. Run with Debian's python3:
#   python3 bench/make_mat_chairs.py ../shared/datasets/shapenet-chairs-binvox .ganflow/bench/mat-chairs
# Not a dataset in the repo: the output goes where you point it (under .ganflow/, which git ignores).
import os
import sys

import numpy as np
import scipy.io
import scipy.ndimage


def read_binvox(path):
    """binvox_rw.read_as_3d_array(fix_coords=True): run-length (value, count) bytes, x slowest then z then y -> xyz."""
    with open(path, "rb") as f:
        assert f.readline().strip().startswith(b"#binvox")
        dims = None
        while True:
            line = f.readline().strip()
            if line.startswith(b"dim"):
                dims = [int(v) for v in line.split()[1:]]
            if line == b"data":
                break
        raw = np.frombuffer(f.read(), dtype=np.uint8)
    values, counts = raw[::2], raw[1::2]
    data = np.repeat(values, counts).astype(np.uint8).reshape(dims)
    return np.transpose(data, (0, 2, 1))


src, out = sys.argv[1], sys.argv[2]
os.makedirs(out, exist_ok=True)
for name in sorted(os.listdir(src)):
    if not name.endswith(".binvox"):
        continue
    grid = read_binvox(os.path.join(src, name))
    small = scipy.ndimage.zoom(grid, 24 / grid.shape[0], order=0)
    instance = np.pad(small, 3).astype(np.uint8)
    scipy.io.savemat(os.path.join(out, name.replace(".binvox", ".mat")), {"instance": instance}, do_compression=True)
    print(name, grid.shape, "->", instance.shape, "occupancy", round(float(instance.mean()), 4))
