# Peer benchmark on a GPU: the same PyTorch DCGAN-64 step as ../../shared/peers/dcgan_torch.py (one D step + one
# G step, BCE, Adam 2e-4/0.5), on CUDA, timed with torch.cuda.synchronize (losses read with .item() each step).
#   python3 dcgan_torch_cuda.py NGF BATCH STEPS   (prints a dict; img_per_s = batch / median step; or {'error': ...})
import sys, time
try:
    import torch, torch.nn as nn
except Exception as e:
    print({'error': f'no torch: {e}'}); sys.exit(0)
if not torch.cuda.is_available():
    print({'error': f'torch {torch.__version__} sees no CUDA device'}); sys.exit(0)
ngf = int(sys.argv[1]); B = int(sys.argv[2]); STEPS = int(sys.argv[3]); nz = 100; ndf = ngf; dev = 'cuda'
torch.manual_seed(0)
G = nn.Sequential(
    nn.ConvTranspose2d(nz, ngf*8, 4, 1, 0, bias=False), nn.BatchNorm2d(ngf*8), nn.ReLU(True),
    nn.ConvTranspose2d(ngf*8, ngf*4, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf*4), nn.ReLU(True),
    nn.ConvTranspose2d(ngf*4, ngf*2, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf*2), nn.ReLU(True),
    nn.ConvTranspose2d(ngf*2, ngf, 4, 2, 1, bias=False), nn.BatchNorm2d(ngf), nn.ReLU(True),
    nn.ConvTranspose2d(ngf, 3, 4, 2, 1, bias=False), nn.Tanh()).to(dev)
D = nn.Sequential(
    nn.Conv2d(3, ndf, 4, 2, 1, bias=False), nn.LeakyReLU(0.2, True),
    nn.Conv2d(ndf, ndf*2, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf*2), nn.LeakyReLU(0.2, True),
    nn.Conv2d(ndf*2, ndf*4, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf*4), nn.LeakyReLU(0.2, True),
    nn.Conv2d(ndf*4, ndf*8, 4, 2, 1, bias=False), nn.BatchNorm2d(ndf*8), nn.LeakyReLU(0.2, True),
    nn.Conv2d(ndf*8, 1, 4, 1, 0, bias=False)).to(dev)
bce = nn.BCEWithLogitsLoss()
optD = torch.optim.Adam(D.parameters(), 2e-4, betas=(0.5, 0.999)); optG = torch.optim.Adam(G.parameters(), 2e-4, betas=(0.5, 0.999))
real = torch.rand(B, 3, 64, 64, device=dev) * 2 - 1
ones, zeros = torch.ones(B, device=dev), torch.zeros(B, device=dev)
def step():
    with torch.no_grad(): fake = G(torch.randn(B, nz, 1, 1, device=dev))
    optD.zero_grad(set_to_none=True)
    lD = bce(D(real).view(-1), ones) + bce(D(fake).view(-1), zeros); lD.backward(); optD.step()
    optG.zero_grad(set_to_none=True)
    lG = bce(D(G(torch.randn(B, nz, 1, 1, device=dev))).view(-1), ones); lG.backward(); optG.step()
    return lD.item(), lG.item()
for _ in range(3): step()
torch.cuda.synchronize()
ts = []
for _ in range(STEPS):
    t0 = time.perf_counter(); l = step(); torch.cuda.synchronize(); ts.append(time.perf_counter() - t0)
ts.sort(); med = ts[len(ts)//2]
print({'be': f'torch {torch.__version__} cuda {torch.version.cuda}', 'device': torch.cuda.get_device_name(0), 'ngf': ngf, 'batch': B,
       'median_ms': round(med*1000, 2), 'img_per_s': round(B/med, 2)})
