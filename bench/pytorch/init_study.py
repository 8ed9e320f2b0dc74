"""Does the basic MNIST GAN recipe (docs/reference-models §1) train with PyTorch's default initialisation?

Trains the recipe's D and G (bench/pytorch/dcgan_step.py's networks: Keras "same" padding, Adam 2e-4/β1 0.5,
BCE, D on half a batch real + half generated, G through the frozen D on a full batch) once per variant and
prints D's loss and accuracies and the mean generated pixel every 250 steps; saves a grid per variant (one
row of ten samples per marked step) when torchvision is there. Findings: docs/dcgan-initialisation.md.

    python3 init_study.py --mnist ../../../shared/data/mnist --steps 8000 --device cuda --out /tmp/study
"""
import argparse
import gzip
import os
import time

import torch
from torch import nn

from dcgan_step import Discriminator, Generator

VARIANTS = {  # name: (initialisation, batch, real label, seed)
    "torch64": ("torch", 64, 1.0, 1),
    "glorot64": ("glorot", 64, 1.0, 1),
    "torch256": ("torch", 256, 1.0, 1),
    "glorot256": ("glorot", 256, 1.0, 1),
    "torch64-smooth": ("torch", 64, 0.9, 1),
    "glorot64-seed2": ("glorot", 64, 1.0, 2),
}
MARKS = (250, 500, 1000, 2000, 4000, 8000, 12000)


def keras_init(*modules):
    """Keras' defaults: Glorot-uniform kernels, zero biases."""
    for module in modules:
        for layer in module.modules():
            if isinstance(layer, (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)):
                nn.init.xavier_uniform_(layer.weight)
                nn.init.zeros_(layer.bias)


def train(name, images, steps, device, out):
    init, batch, real_label, seed = VARIANTS[name]
    torch.manual_seed(seed)
    g, d = Generator().to(device), Discriminator().to(device)
    if init == "glorot":
        keras_init(g, d)
    g_opt = torch.optim.Adam(g.parameters(), 2e-4, betas=(0.5, 0.999))
    d_opt = torch.optim.Adam(d.parameters(), 2e-4, betas=(0.5, 0.999))
    bce, half = nn.BCELoss(), batch // 2
    fixed, rows, start = torch.randn(10, 100, device=device), [], time.time()
    for step in range(1, steps + 1):
        real = images[torch.randint(0, len(images), (half,), device=device)]
        with torch.no_grad():
            fake = g(torch.randn(half, 100, device=device))
        verdict = d(torch.cat([real, fake]))
        labels = torch.cat([torch.full((half, 1), real_label, device=device), torch.zeros(half, 1, device=device)])
        d_loss = bce(verdict, labels)
        d_opt.zero_grad()
        d_loss.backward()
        d_opt.step()
        for p in d.parameters():
            p.requires_grad_(False)
        g_loss = bce(d(g(torch.randn(batch, 100, device=device))), torch.ones(batch, 1, device=device))
        g_opt.zero_grad()
        g_loss.backward()
        g_opt.step()
        for p in d.parameters():
            p.requires_grad_(True)
        if step % 250 == 0:
            print(f"{name} step {step} d_loss {d_loss.item():.3f} g_loss {g_loss.item():.3f} "
                  f"d_acc_real {(verdict[:half] > 0.5).float().mean():.2f} d_acc_fake {(verdict[half:] < 0.5).float().mean():.2f} "
                  f"fake_mean {fake.mean():.3f} ({time.time() - start:.0f} s)", flush=True)
        if step in MARKS:
            g.eval()
            with torch.no_grad():
                rows.append(g(fixed).cpu())
            g.train()
    if out and rows:
        try:
            import torchvision.utils
            torchvision.utils.save_image(torch.cat(rows), os.path.join(out, f"{name}.png"), nrow=10)
        except ImportError:
            pass


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--mnist", required=True, help="folder with train-images-idx3-ubyte.gz")
    parser.add_argument("--steps", type=int, default=8000)
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--variants", default=",".join(VARIANTS))
    parser.add_argument("--out", default="")
    args = parser.parse_args()
    with gzip.open(os.path.join(args.mnist, "train-images-idx3-ubyte.gz")) as file:
        pixels = bytearray(file.read()[16:])
    images = torch.frombuffer(pixels, dtype=torch.uint8).reshape(-1, 1, 28, 28).float().div(255).to(args.device)
    if args.out:
        os.makedirs(args.out, exist_ok=True)
    for name in args.variants.split(","):
        train(name, images, args.steps, args.device, args.out)


if __name__ == "__main__":
    main()
