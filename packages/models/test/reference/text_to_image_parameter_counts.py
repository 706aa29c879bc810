"""Trainable-parameter counts of the text-to-image reference networks, rebuilt in PyTorch from their papers and
public code, for the numbers pinned in packages/models/test/text-to-image-models.test.ts.

- Reed et al. 2016 as the paper describes it (what ganflow builds): DCGAN body, 1024 -> 128 FC + LeakyReLU in G and
  D, D joins the text at 4x4, 1x1 conv + BN + LeakyReLU, 4x4 conv. Convs without bias (the Torch code zeroes them).
- aelnouby/Text-to-Image-Synthesis gan_cls.py (the birds.hdf5 port): BN1d on both projections, no 1x1 conv in D.
- hanzhanggit/StackGAN-Pytorch STAGE1_G/D and STAGE2_G/D (birds config: GF_DIM 128, DF_DIM 64, CONDITION_DIM 128,
  R_NUM 4), and ganflow's variant whose D compresses phi(t) with its own FC (the paper) instead of taking G's mu.

Run: python3 packages/models/test/reference/text_to_image_parameter_counts.py
"""
import torch.nn as nn


def count(module):
    return sum(p.numel() for p in module.parameters() if p.requires_grad)


def dcgan_g_body(nin, ngf, widths_mult):
    layers, c = [], nin
    for i, m in enumerate(widths_mult):
        layers += [nn.ConvTranspose2d(c, ngf * m, 4, 1 if i == 0 else 2, 0 if i == 0 else 1, bias=False), nn.BatchNorm2d(ngf * m), nn.ReLU()]
        c = ngf * m
    layers += [nn.ConvTranspose2d(c, 3, 4, 2, 1, bias=False), nn.Tanh()]
    return nn.Sequential(*layers)


def dcgan_d_body(ndf, widths_mult):
    layers, c = [], 3
    for i, m in enumerate(widths_mult):
        layers += [nn.Conv2d(c, ndf * m, 4, 2, 1, bias=False)] + ([] if i == 0 else [nn.BatchNorm2d(ndf * m)]) + [nn.LeakyReLU(0.2)]
        c = ndf * m
    return nn.Sequential(*layers)


def reed_paper(resolution=64, ngf=64, ndf=64, t=1024, nt=128, nz=100):
    mult = [8, 4, 2, 1] if resolution == 64 else [4, 2, 1]
    dmult = [1, 2, 4, 8] if resolution == 64 else [1, 2, 4]
    g = nn.ModuleList([nn.Linear(t, nt), dcgan_g_body(nz + nt, ngf, mult)])
    top = ndf * dmult[-1]
    d = nn.ModuleList([dcgan_d_body(ndf, dmult), nn.Linear(t, nt), nn.Conv2d(top + nt, top, 1, bias=False), nn.BatchNorm2d(top), nn.Conv2d(top, 1, 4, bias=False)])
    return count(g), count(d)


def aelnouby_gan_cls(ngf=64, ndf=64, t=1024, nt=128, nz=100):
    g = nn.ModuleList([nn.Linear(t, nt), nn.BatchNorm1d(nt), dcgan_g_body(nz + nt, ngf, [8, 4, 2, 1])])
    d = nn.ModuleList([dcgan_d_body(ndf, [1, 2, 4, 8]), nn.Linear(t, nt), nn.BatchNorm1d(nt), nn.Conv2d(ndf * 8 + nt, 1, 4, 1, 0, bias=False)])
    return count(g), count(d)


def conv3x3(i, o):
    return nn.Conv2d(i, o, 3, 1, 1, bias=False)


def up_block(i, o):
    return nn.Sequential(nn.Upsample(scale_factor=2), conv3x3(i, o), nn.BatchNorm2d(o), nn.ReLU())


def stage1_g(ngf=128, c=128, t=1024, nz=100, resolution=64):
    base = ngf * 8
    mods = [nn.Linear(t, 2 * c), nn.Linear(nz + c, base * 16, bias=False), nn.BatchNorm1d(base * 16)]
    w = base
    while 4 * 2 ** (len(mods) - 3) < resolution:
        mods.append(up_block(w, w // 2))
        w //= 2
    mods.append(conv3x3(w, 3))
    return count(nn.ModuleList(mods))


def stackgan_d(ndf=64, c=128, t=1024, resolution=64, uncond=False, own_text_fc=True):
    mods, ch, w, res = [], 3, ndf, resolution
    i = 0
    while res > 4:
        w = ndf * 2 ** i
        mods += [nn.Conv2d(ch, w, 4, 2, 1, bias=False)] + ([] if i == 0 else [nn.BatchNorm2d(w)])
        ch, res, i = w, res // 2, i + 1
    while w > ndf * 8:
        mods += [conv3x3(w, w // 2), nn.BatchNorm2d(w // 2)]
        w //= 2
    mods += [conv3x3(w + c, w), nn.BatchNorm2d(w), nn.Conv2d(w, 1, 4, 4)]
    if uncond:
        mods.append(nn.Conv2d(w, 1, 4, 4))
    if own_text_fc:
        mods.append(nn.Linear(t, c))
    return count(nn.ModuleList(mods))


def stage2_g(ngf=128, c=128, t=1024, r=4, input_resolution=64, resolution=256):
    mods = [nn.Linear(t, 2 * c), conv3x3(3, ngf), nn.Conv2d(ngf, ngf * 2, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * 2),
            nn.Conv2d(ngf * 2, ngf * 4, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf * 4), conv3x3(c + ngf * 4, ngf * 4), nn.BatchNorm2d(ngf * 4)]
    for _ in range(r):
        mods += [conv3x3(ngf * 4, ngf * 4), nn.BatchNorm2d(ngf * 4), conv3x3(ngf * 4, ngf * 4), nn.BatchNorm2d(ngf * 4)]
    w, side = ngf * 4, input_resolution // 4
    while side < resolution:
        mods.append(up_block(w, w // 2))
        w, side = w // 2, side * 2
    mods.append(conv3x3(w, 3))
    return count(nn.ModuleList(mods))


if __name__ == "__main__":
    print("reed-paper 64 ngf=ndf=64 G D", *reed_paper())
    print("reed-paper 32 ngf=ndf=32 G D", *reed_paper(resolution=32, ngf=32, ndf=32))
    print("aelnouby gan_cls G D", *aelnouby_gan_cls())
    print("stackgan stage1 G (paper 64, ngf 128)", stage1_g())
    print("stackgan stage1 D ganflow / reference", stackgan_d(), stackgan_d(own_text_fc=False))
    print("stackgan stage2 G (64->256, ngf 128, r 4)", stage2_g())
    print("stackgan stage2 D ganflow / reference", stackgan_d(resolution=256, uncond=True), stackgan_d(resolution=256, uncond=True, own_text_fc=False))
    print("cpu stage1 G D (32, ngf 16, ndf 16)", stage1_g(ngf=16, resolution=32), stackgan_d(ndf=16, resolution=32))
    print("cpu stage2 G D (32->64, ngf 16, ndf 16, r 2)", stage2_g(ngf=16, r=2, input_resolution=32, resolution=64), stackgan_d(ndf=16, resolution=64, uncond=True))
