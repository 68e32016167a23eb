"""Measure what one accepted photo costs the server in memory (issue 10: under 200 MB).

    .venv/bin/python scripts/upload_memory.py make /tmp/worst.png 7745 5164 RGBA   # 40.0 MP
    .venv/bin/python scripts/upload_memory.py measure /tmp/worst.png

`make` writes the photo in a process of its own, so that `measure` starts clean: it reports the
peak resident memory (ru_maxrss) and the peak Python allocation (tracemalloc) that
`inspections.uploads.prepare_uploads` adds, and how long it took."""

import os
import resource
import sys
import time
import tracemalloc


def make(path, width, height, mode):
    from PIL import Image

    # A smooth gradient: a real photo compresses less, but a noisy 40 MP file would pass 10 MB.
    gradient = Image.linear_gradient("L").resize((width, height))
    bands = {"RGB": 3, "RGBA": 4, "L": 1}[mode]
    image = Image.merge(mode, [gradient] * bands) if bands > 1 else gradient
    image.save(path, format="PNG" if path.endswith(".png") else "JPEG")
    print(f"{path}: {width}x{height} {mode}, {os.path.getsize(path)} bytes")


def measure(path):
    sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mobilization.settings")
    import django

    django.setup()
    from django.core.files.uploadedfile import SimpleUploadedFile

    from inspections.uploads import prepare_uploads

    with open(path, "rb") as handle:
        upload = SimpleUploadedFile(os.path.basename(path), handle.read())
    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    tracemalloc.start()
    started = time.perf_counter()
    try:
        prepared = prepare_uploads([upload])
        outcome = f"accepted, {prepared[0].size} bytes stored"
    except Exception as exc:  # noqa: BLE001 - the refusal is the figure
        outcome = f"refused: {exc}"
    elapsed = time.perf_counter() - started
    _current, peak = tracemalloc.get_traced_memory()
    after = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    print(f"{outcome}\n{elapsed:.2f} s; peak RSS +{(after - before) / 1024:.0f} MB; Python peak {peak / 2**20:.0f} MB")


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), sys.argv[5])
    else:
        measure(sys.argv[2])
