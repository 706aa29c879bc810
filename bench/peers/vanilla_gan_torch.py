# Peer benchmark: PyTorch vanilla (MLP) GAN as in @ganflow/models vanillaGan, one D step + one G step (BCE, Adam 2e-4/0.5).
#   OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 vanilla_gan_torch.py HIDDEN BATCH STEPS THREADS   (prints a dict; img_per_s = batch / median step)
import sys, time, resource, torch, torch.nn as nn
H = int(sys.argv[1]); B = int(sys.argv[2]); STEPS = int(sys.argv[3]); T = int(sys.argv[4]) if len(sys.argv) > 4 else 2
torch.set_num_threads(T); torch.manual_seed(0); nz = 100
G = nn.Sequential(nn.Linear(nz, H), nn.ReLU(True), nn.Linear(H, H), nn.ReLU(True), nn.Linear(H, 784), nn.Tanh(), nn.Unflatten(1, (1, 28, 28)))
D = nn.Sequential(nn.Flatten(), nn.Linear(784, H), nn.LeakyReLU(0.2, True), nn.Linear(H, H), nn.LeakyReLU(0.2, True), nn.Linear(H, 1))
bce = nn.BCEWithLogitsLoss()
optD = torch.optim.Adam(D.parameters(), 2e-4, betas=(0.5, 0.999)); optG = torch.optim.Adam(G.parameters(), 2e-4, betas=(0.5, 0.999))
real = torch.rand(B, 1, 28, 28) * 2 - 1
ones, zeros = torch.ones(B), torch.zeros(B)
def step():
    with torch.no_grad(): fake = G(torch.randn(B, nz))
    optD.zero_grad(set_to_none=True)
    lD = bce(D(real).view(-1), ones) + bce(D(fake).view(-1), zeros); lD.backward(); optD.step()
    for p in D.parameters(): p.requires_grad_(False)
    optG.zero_grad(set_to_none=True)
    lG = bce(D(G(torch.randn(B, nz))).view(-1), ones); lG.backward(); optG.step()
    for p in D.parameters(): p.requires_grad_(True)
    return lD.item(), lG.item()
step()
ts, cs = [], []  # wall and process CPU seconds per step (CPU time: what a step costs when the box is shared)
for _ in range(STEPS):
    t0 = time.perf_counter(); c0 = time.process_time(); l = step(); ts.append(time.perf_counter() - t0); cs.append(time.process_time() - c0)
ts.sort(); med = ts[len(ts)//2]; cs.sort(); cpu_med = cs[len(cs)//2]
print({'be': f'torch {torch.__version__}', 'threads': torch.get_num_threads(), 'hidden': H, 'batch': B, 'median_ms': round(med*1000, 1), 'cpu_median_ms': round(cpu_med*1000, 1),
       'img_per_s': round(B/med, 2), 'loss': [round(x, 3) for x in l], 'peak_rss_MiB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024})
