"""Reference values for ganflow's learning-rate schedules and RMSProp, from PyTorch (Debian's python3-torch).

Run: /usr/bin/python3 optimizer_schedules_reference.py > optimizer-schedules.json
- schedules: the learning rate PyTorch uses for update t+1 after t scheduler.step() calls (one per step), base 2e-4,
  16 steps: LambdaLR with CycleGAN's linear decay (networks.get_scheduler 'linear' with epoch_count 1:
  `1 - max(0, t + 1 - n_epochs) / (n_epochs_decay + 1)`, n_epochs 6 at the full rate, n_epochs_decay 10),
  CosineAnnealingLR (T_max 16, eta_min 1e-5), StepLR (step_size 5, gamma 0.5).
- rmsprop: torch.optim.RMSprop(lr 5e-3, alpha 0.99, eps 1e-8) (the original WGAN's optimiser) on a 2x3 weight and
  a 3-vector with fixed gradients per step, then clamped to [-0.01, 0.01] after each step (WGAN's weight clipping);
  and the same without clipping.
"""
import json
import math

import torch

torch.set_default_dtype(torch.float64)


def schedule_rates(make, steps=16, base=2e-4):
    p = torch.nn.Parameter(torch.zeros(1))
    opt = torch.optim.SGD([p], lr=base)
    sched = make(opt)
    rates = []
    for _ in range(steps):
        rates.append(opt.param_groups[0]["lr"])
        opt.step()
        sched.step()
    return rates


steps = 16
start = 6
linear = schedule_rates(lambda o: torch.optim.lr_scheduler.LambdaLR(o, lambda t: 1.0 - max(0, t + 1 - start) / float(steps - start + 1)))
cosine = schedule_rates(lambda o: torch.optim.lr_scheduler.CosineAnnealingLR(o, T_max=steps, eta_min=1e-5))
step_decay = schedule_rates(lambda o: torch.optim.lr_scheduler.StepLR(o, step_size=5, gamma=0.5))


def rmsprop(clip):
    torch.set_default_dtype(torch.float32)
    w = torch.nn.Parameter(torch.tensor([[0.004, -0.002, 0.009], [0.001, 0.0, -0.008]], dtype=torch.float32))
    b = torch.nn.Parameter(torch.tensor([0.5, -0.25, 0.125], dtype=torch.float32))
    opt = torch.optim.RMSprop([w, b], lr=5e-3, alpha=0.99, eps=1e-8)
    grads = []
    for t in range(5):
        gw = [[math.sin(t + i * 3 + j) * 0.3 for j in range(3)] for i in range(2)]
        gb = [math.cos(t * 2 + j) * 0.7 for j in range(3)]
        grads.append({"w": gw, "b": gb})
        w.grad = torch.tensor(gw, dtype=torch.float32)
        b.grad = torch.tensor(gb, dtype=torch.float32)
        opt.step()
        if clip:
            with torch.no_grad():
                w.clamp_(-0.01, 0.01)
                b.clamp_(-0.01, 0.01)
    state = [opt.state[w]["square_avg"].tolist(), opt.state[b]["square_avg"].tolist()]
    return {"grads": grads, "w": w.detach().tolist(), "b": b.detach().tolist(), "squareAverages": state}


print(json.dumps({
    "torch": torch.__version__,
    "base": 2e-4,
    "steps": steps,
    "linearDecayStart": start,
    "linear": linear,
    "cosine": cosine,
    "step": step_decay,
    "rmsprop": rmsprop(False),
    "rmspropClipped": rmsprop(True),
}, indent=1))
