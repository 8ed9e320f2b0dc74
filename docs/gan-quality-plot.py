# Draws docs/gan-quality.png from the study's run folders: the MNIST score and FID-MNIST of the step evaluations
# (history.jsonl lines with "fid", 2,000 samples each) against the minutes of training.
# Usage: python3 docs/gan-quality-plot.py OUT.png LABEL=RUN_FOLDER ...
import json, sys
import matplotlib
matplotlib.use("Agg")
import matplotlib.pyplot as plt

fig, (score, fid) = plt.subplots(1, 2, figsize=(11, 4))
for spec in sys.argv[2:]:
    label, folder = spec.split("=", 1)
    lines = [json.loads(l) for l in open(f"{folder}/history.jsonl") if '"fid"' in l]
    minutes = [l["training_seconds"] / 60 for l in lines]
    score.plot(minutes, [l["mnist_score"] for l in lines], marker=".", label=label)
    fid.plot(minutes, [l["fid"] for l in lines], marker=".", label=label)
score.axhline(8.0, color="gray", linestyle=":", label="goal 8.0")
score.set(xlabel="minutes of training", ylabel="MNIST score (higher is better, ≤ 10)", ylim=(0, 10))
fid.set(xlabel="minutes of training", ylabel="FID-MNIST (lower is better)", yscale="log")
score.legend()
fid.legend()
fig.tight_layout()
fig.savefig(sys.argv[1], dpi=100)
