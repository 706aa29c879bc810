"""Parameter counts of SRGAN's networks (Ledig et al. 2017, Fig. 4) built in PyTorch, the reference for
packages/models/test/srgan.test.ts. Run with Debian's python3-torch: /usr/bin/python3 srgan_reference_counts.py

SRResNet: 9x9 conv(3->64) + PReLU; 16 residual blocks of conv3x3-BN-PReLU-conv3x3-BN with identity skip;
conv3x3-BN and the long skip from the first layer; two upsampling blocks conv3x3(64->256) + PixelShuffle(2) + PReLU;
9x9 conv(64->3). PReLU has one slope per channel (nn.PReLU(64)). Convolutions have biases (the paper's Torch code).
Discriminator at 96x96: conv3x3 64 s1 + LeakyReLU(0.2); seven conv3x3-BN-LeakyReLU blocks
(64 s2, 128 s1, 128 s2, 256 s1, 256 s2, 512 s1, 512 s2) -> 6x6x512; dense 1024 + LeakyReLU; dense 1.
"""
import json
import torch
from torch import nn


class ResidualBlock(nn.Module):
    def __init__(self, c):
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(c, c, 3, padding=1), nn.BatchNorm2d(c), nn.PReLU(c), nn.Conv2d(c, c, 3, padding=1), nn.BatchNorm2d(c))

    def forward(self, x):
        return x + self.body(x)


class SRResNet(nn.Module):
    def __init__(self, blocks=16, c=64, scale=4):
        super().__init__()
        self.head = nn.Sequential(nn.Conv2d(3, c, 9, padding=4), nn.PReLU(c))
        self.trunk = nn.Sequential(*[ResidualBlock(c) for _ in range(blocks)], nn.Conv2d(c, c, 3, padding=1), nn.BatchNorm2d(c))
        ups = []
        for _ in range({2: 1, 4: 2, 8: 3}[scale]):
            ups += [nn.Conv2d(c, c * 4, 3, padding=1), nn.PixelShuffle(2), nn.PReLU(c)]
        self.up = nn.Sequential(*ups)
        self.tail = nn.Conv2d(c, 3, 9, padding=4)

    def forward(self, x):
        h = self.head(x)
        return self.tail(self.up(h + self.trunk(h)))


def discriminator(size=96, c=64):
    layers = [nn.Conv2d(3, c, 3, padding=1), nn.LeakyReLU(0.2)]
    cin = c
    for cout, stride in [(c, 2), (2 * c, 1), (2 * c, 2), (4 * c, 1), (4 * c, 2), (8 * c, 1), (8 * c, 2)]:
        layers += [nn.Conv2d(cin, cout, 3, stride=stride, padding=1), nn.BatchNorm2d(cout), nn.LeakyReLU(0.2)]
        cin = cout
    side = size // 16
    layers += [nn.Flatten(), nn.Linear(8 * c * side * side, 1024), nn.LeakyReLU(0.2), nn.Linear(1024, 1)]
    return nn.Sequential(*layers)


count = lambda m: sum(p.numel() for p in m.parameters())
g, d = SRResNet(), discriminator(96)
with torch.no_grad():
    assert g(torch.zeros(1, 3, 24, 24)).shape == (1, 3, 96, 96)
    assert d(torch.zeros(2, 3, 96, 96)).shape == (2, 1)
small_g, small_d = SRResNet(blocks=4, c=16), discriminator(64, c=16)
print(json.dumps({"torch": torch.__version__, "srresnet": count(g), "discriminator96": count(d),
                  "srresnet_blocks4_c16": count(small_g), "discriminator64_c16": count(small_d)}, indent=1))
