"""How many steps does the AC-GAN recipe (reference-models.md §2, Keras initialisation) need before a classifier
recognises its digits as the requested class? Trains the Keras MNIST classifier (3 epochs, ~99% test accuracy),
then each variant:batch:steps run, printing the class accuracy of 1,000 generated digits every 100 steps.
Variants: plain (the reference's wording) and keras (real label 0.95, class head on real images only).
Findings: docs/acgan-recipe.md.

    python3 acgan_study.py --mnist ../../../shared/data/mnist --device cuda --runs plain:100:3000,keras:64:3000
"""
import argparse, gzip, os, time, torch
from torch import nn
import torch.nn.functional as F
arguments = argparse.ArgumentParser()
arguments.add_argument("--mnist", required=True)
arguments.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
arguments.add_argument("--runs", default="plain:100:3000,plain:32:5000,plain:64:3000,keras:100:3000,keras:64:3000")
args = arguments.parse_args()
dev, here = args.device, args.mnist
def idx(name, offset, shape):
    return torch.frombuffer(bytearray(gzip.open(os.path.join(here, name)).read()[offset:]), dtype=torch.uint8).reshape(shape)
xtr = idx('train-images-idx3-ubyte.gz', 16, (-1, 1, 28, 28)).float().div(255).to(dev); ytr = idx('train-labels-idx1-ubyte.gz', 8, (-1,)).long().to(dev)
xte = idx('t10k-images-idx3-ubyte.gz', 16, (-1, 1, 28, 28)).float().div(255).to(dev); yte = idx('t10k-labels-idx1-ubyte.gz', 8, (-1,)).long().to(dev)
def same(x, k, s):  # Keras "same": pad total = max(k - s, 0) for even sizes, extra at bottom/right
    h = x.shape[-1]; out = -(-h // s); total = max((out - 1) * s + k - h, 0); a = total // 2
    return F.pad(x, (a, total - a, a, total - a))
class Clf(nn.Module):
    def __init__(s):
        super().__init__(); s.c1 = nn.Conv2d(1, 32, 3); s.c2 = nn.Conv2d(32, 64, 3); s.d1 = nn.Linear(9216, 128); s.d2 = nn.Linear(128, 10)
    def forward(s, x):
        x = F.max_pool2d(F.relu(s.c2(F.relu(s.c1(x)))), 2); x = F.dropout(x, 0.25, s.training)
        return s.d2(F.dropout(F.relu(s.d1(x.flatten(1))), 0.5, s.training))
torch.manual_seed(0); clf = Clf().to(dev); opt = torch.optim.Adam(clf.parameters(), 1e-3)
for epoch in range(3):
    perm = torch.randperm(60000, device=dev)
    for i in range(0, 60000, 128):
        b = perm[i:i + 128]; loss = F.cross_entropy(clf(xtr[b]), ytr[b]); opt.zero_grad(); loss.backward(); opt.step()
clf.eval()
with torch.no_grad(): acc = (clf(xte).argmax(1) == yte).float().mean().item()
print(f"classifier test accuracy {acc:.4f}", flush=True)
class G(nn.Module):
    def __init__(s):
        super().__init__(); s.emb = nn.Embedding(10, 100); s.d1 = nn.Linear(100, 1024); s.d2 = nn.Linear(1024, 6272)
        s.c1 = nn.Conv2d(128, 256, 5); s.c2 = nn.Conv2d(256, 128, 5); s.c3 = nn.Conv2d(128, 1, 2)
        for m in (s.emb, s.c1, s.c2, s.c3): nn.init.xavier_normal_(m.weight)
        for m in (s.d1, s.d2): nn.init.xavier_uniform_(m.weight)
        for m in (s.d1, s.d2, s.c1, s.c2, s.c3): nn.init.zeros_(m.bias)
    def forward(s, z, c):
        x = F.relu(s.d2(F.relu(s.d1(z * s.emb(c))))).reshape(-1, 128, 7, 7)
        x = F.relu(s.c1(same(F.interpolate(x, scale_factor=2), 5, 1)))
        x = F.relu(s.c2(same(F.interpolate(x, scale_factor=2), 5, 1)))
        return torch.tanh(s.c3(same(x, 2, 1)))
class D(nn.Module):
    def __init__(s):
        super().__init__(); s.cs = nn.ModuleList([nn.Conv2d(1, 32, 3, 2), nn.Conv2d(32, 64, 3), nn.Conv2d(64, 128, 3, 2), nn.Conv2d(128, 256, 3)])
        s.v = nn.Linear(12544, 1); s.a = nn.Linear(12544, 10)
        for m in list(s.cs) + [s.v, s.a]: nn.init.xavier_uniform_(m.weight); nn.init.zeros_(m.bias)
    def forward(s, x):
        for conv in s.cs: x = F.dropout(F.leaky_relu(conv(same(x, 3, conv.stride[0])), 0.2), 0.3, s.training)
        x = x.flatten(1); return torch.sigmoid(s.v(x)), s.a(x)
def class_accuracy(g, n=100):
    g.eval()
    with torch.no_grad():
        c = torch.arange(10, device=dev).repeat_interleave(n); img = g(torch.rand(10 * n, 100, device=dev) * 2 - 1, c)
        pred = clf((img + 1) / 2).argmax(1); per = [(pred[c == k] == k).float().mean().item() for k in range(10)]
    g.train(); return sum(per) / 10, min(per)
def run(batch, steps, keras, seed=1):
    torch.manual_seed(seed); g, d = G().to(dev), D().to(dev)
    go = torch.optim.Adam(g.parameters(), 2e-4, betas=(0.5, 0.999)); do = torch.optim.Adam(d.parameters(), 2e-4, betas=(0.5, 0.999))
    x2 = xtr * 2 - 1; t = time.time()
    for step in range(1, steps + 1):
        b = torch.randint(0, 60000, (batch,), device=dev); sc = torch.randint(0, 10, (batch,), device=dev)
        with torch.no_grad(): fake = g(torch.rand(batch, 100, device=dev) * 2 - 1, sc)
        v, a = d(torch.cat([x2[b], fake]))
        if keras:  # Keras mnist_acgan: real label 0.95; the class head learns from real images only (weight 2)
            dl = F.binary_cross_entropy(v, torch.cat([torch.full((batch, 1), 0.95, device=dev), torch.zeros(batch, 1, device=dev)])) + 2 * F.cross_entropy(a[:batch], ytr[b]) / 2
        else:
            dl = F.binary_cross_entropy(v, torch.cat([torch.ones(batch, 1, device=dev), torch.zeros(batch, 1, device=dev)])) + F.cross_entropy(a, torch.cat([ytr[b], sc]))
        do.zero_grad(); dl.backward(); do.step()
        for p in d.parameters(): p.requires_grad_(False)
        c2 = torch.randint(0, 10, (2 * batch,), device=dev); v, a = d(g(torch.rand(2 * batch, 100, device=dev) * 2 - 1, c2))
        gl = F.binary_cross_entropy(v, torch.ones(2 * batch, 1, device=dev)) + F.cross_entropy(a, c2)
        go.zero_grad(); gl.backward(); go.step()
        for p in d.parameters(): p.requires_grad_(True)
        if step % 100 == 0:
            overall, worst = class_accuracy(g)
            print(f"{'keras' if keras else 'plain'} batch {batch} step {step} images_G {step * 2 * batch} d {dl.item():.3f} g {gl.item():.3f} class_acc {overall:.3f} worst {worst:.2f} t {time.time() - t:.0f}s", flush=True)
for variant, batch, steps in (x.split(':') for x in args.runs.split(',')):
    run(int(batch), int(steps), variant == 'keras')
