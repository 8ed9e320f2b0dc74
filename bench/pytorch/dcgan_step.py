"""One DCGAN training step in PyTorch, the same recipe as ModelDsl's DcganStep (bench/DcganStep).

Prints one line per batch size: "batch <B> median_ms <T>". Usage:
    python3 dcgan_step.py --batches 64,256 --repeats 12 --warmup 3 --threads 2
"""
import argparse
import statistics
import time

import torch
from torch import nn


class Generator(nn.Module):
    def __init__(self):
        super().__init__()
        self.dense = nn.Linear(100, 128 * 7 * 7)
        self.up1 = nn.ConvTranspose2d(128, 128, 4, stride=2, padding=1)
        self.up2 = nn.ConvTranspose2d(128, 128, 4, stride=2, padding=1)
        self.out = nn.Conv2d(128, 1, 7, padding=3)

    def forward(self, z):
        x = nn.functional.leaky_relu(self.dense(z), 0.2).reshape(-1, 128, 7, 7)
        x = nn.functional.leaky_relu(self.up1(x), 0.2)
        x = nn.functional.leaky_relu(self.up2(x), 0.2)
        return torch.sigmoid(self.out(x))


class Discriminator(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 64, 3, stride=2)
        self.conv2 = nn.Conv2d(64, 64, 3, stride=2)
        self.dropout = nn.Dropout(0.4)
        self.dense = nn.Linear(3136, 1)

    def forward(self, image):
        # Keras "same" with stride 2 on an even size pads bottom/right only.
        x = self.dropout(nn.functional.leaky_relu(self.conv1(nn.functional.pad(image, (0, 1, 0, 1))), 0.2))
        x = self.dropout(nn.functional.leaky_relu(self.conv2(nn.functional.pad(x, (0, 1, 0, 1))), 0.2))
        return torch.sigmoid(self.dense(x.flatten(1)))


def step(generator, discriminator, g_opt, d_opt, loss, real):
    half = real.shape[0]
    with torch.no_grad():
        fake = generator(torch.randn(half, 100))
    verdict = discriminator(torch.cat([real, fake]))
    d_loss = loss(verdict, torch.cat([torch.ones(half, 1), torch.zeros(half, 1)]))
    d_opt.zero_grad()
    d_loss.backward()
    d_opt.step()
    for p in discriminator.parameters():
        p.requires_grad_(False)
    g_loss = loss(discriminator(generator(torch.randn(2 * half, 100))), torch.ones(2 * half, 1))
    g_opt.zero_grad()
    g_loss.backward()
    for p in discriminator.parameters():
        p.requires_grad_(True)
    g_opt.step()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--batches", default="64,256")
    parser.add_argument("--repeats", type=int, default=12)
    parser.add_argument("--warmup", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    blas = [line.strip() for line in torch.__config__.show().splitlines() if "BLAS_INFO" in line]
    print(f"torch {torch.__version__}, threads {torch.get_num_threads()}, {blas[0] if blas else 'BLAS_INFO unknown'}")
    for batch in map(int, args.batches.split(",")):
        torch.manual_seed(1)
        generator, discriminator = Generator(), Discriminator()
        g_opt = torch.optim.Adam(generator.parameters(), 2e-4, betas=(0.5, 0.999))
        d_opt = torch.optim.Adam(discriminator.parameters(), 2e-4, betas=(0.5, 0.999))
        loss = nn.BCELoss()
        real = torch.rand(batch // 2, 1, 28, 28)
        for _ in range(args.warmup):
            step(generator, discriminator, g_opt, d_opt, loss, real)
        times = []
        for _ in range(args.repeats):
            start = time.perf_counter()
            step(generator, discriminator, g_opt, d_opt, loss, real)
            times.append((time.perf_counter() - start) * 1000)
        print(f"batch {batch} median_ms {statistics.median(times):.1f}")


if __name__ == "__main__":
    main()
