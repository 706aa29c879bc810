# Peer benchmark: PyTorch 3D-GAN at 32^3 (Wu et al. 2016 with one block fewer), one D step + one G step
# (BCE with logits, Adam 2e-4/0.5), the same network as bench/native-gan-graphs.ts gan3d32. Run with Debian's torch:
#   OMP_WAIT_POLICY=PASSIVE /usr/bin/python3 gan3d_torch.py WIDTH BATCH STEPS THREADS   (prints a dict)
import sys, time, resource, torch, torch.nn as nn
w = int(sys.argv[1]); B = int(sys.argv[2]); STEPS = int(sys.argv[3]); T = int(sys.argv[4]) if len(sys.argv) > 4 else 2
torch.set_num_threads(T); torch.manual_seed(0); nz = 200
G = nn.Sequential(
    nn.ConvTranspose3d(nz, w*4, 4, 1, 0), nn.BatchNorm3d(w*4), nn.ReLU(True),     # 4^3
    nn.ConvTranspose3d(w*4, w*2, 4, 2, 1), nn.BatchNorm3d(w*2), nn.ReLU(True),    # 8^3
    nn.ConvTranspose3d(w*2, w, 4, 2, 1), nn.BatchNorm3d(w), nn.ReLU(True),        # 16^3
    nn.ConvTranspose3d(w, 1, 4, 2, 1), nn.Sigmoid())                              # 32^3
D = nn.Sequential(
    nn.Conv3d(1, w, 4, 2, 1), nn.LeakyReLU(0.2, True),                            # 16^3
    nn.Conv3d(w, w*2, 4, 2, 1), nn.BatchNorm3d(w*2), nn.LeakyReLU(0.2, True),     # 8^3
    nn.Conv3d(w*2, w*4, 4, 2, 1), nn.BatchNorm3d(w*4), nn.LeakyReLU(0.2, True),   # 4^3
    nn.Conv3d(w*4, 1, 4, 1, 0))                                                   # 1 logit
for m in list(G.modules()) + list(D.modules()):
    if isinstance(m, (nn.Conv3d, nn.ConvTranspose3d)): nn.init.normal_(m.weight, 0, 0.02); nn.init.zeros_(m.bias)
    elif isinstance(m, nn.BatchNorm3d): nn.init.normal_(m.weight, 1, 0.02); nn.init.zeros_(m.bias)
bce = nn.BCEWithLogitsLoss()
optD = torch.optim.Adam(D.parameters(), 2e-4, betas=(0.5, 0.999)); optG = torch.optim.Adam(G.parameters(), 2e-4, betas=(0.5, 0.999))
real = (torch.rand(B, 1, 32, 32, 32) > 0.5).float()
ones, zeros = torch.ones(B), torch.zeros(B)
def step():
    with torch.no_grad(): fake = G(torch.randn(B, nz, 1, 1, 1))
    optD.zero_grad(set_to_none=True)
    lD = bce(D(real).view(-1), ones) + bce(D(fake).view(-1), zeros); lD.backward(); optD.step()
    for p in D.parameters(): p.requires_grad_(False)
    optG.zero_grad(set_to_none=True)
    lG = bce(D(G(torch.randn(B, nz, 1, 1, 1))).view(-1), ones); lG.backward(); optG.step()
    for p in D.parameters(): p.requires_grad_(True)
    return lD.item(), lG.item()
step()
ts, cs = [], []  # wall and process CPU seconds per step (CPU time: what a step costs when the box is shared)
for _ in range(STEPS):
    t0 = time.perf_counter(); c0 = time.process_time(); l = step(); ts.append(time.perf_counter() - t0); cs.append(time.process_time() - c0)
ts.sort(); med = ts[len(ts)//2]; cs.sort(); cpu_med = cs[len(cs)//2]
print({'be': f'torch {torch.__version__}', 'threads': torch.get_num_threads(), 'width': w, 'batch': B, 'median_ms': round(med*1000, 1), 'cpu_median_ms': round(cpu_med*1000, 1),
       'samples_per_s': round(B/med, 2), 'loss': [round(x, 3) for x in l], 'peak_rss_MiB': resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024})
