"""Expected values of the text-to-image loss terms (packages/trainers/src/loss-terms/), computed with PyTorch in
float64 the way the reference implementations write them, for packages/trainers/test/text-to-image-loss-terms.test.ts.

- GAN-CLS D loss: reedscot/icml2016 main_cls_int.lua (BCECriterion on sigmoid scores, cls_weight w):
  errD = BCE(s_r, 1) + w*BCE(s_w, 0) + (1-w)*BCE(s_f, 0)
- GAN-INT G term: BCE(D(G(z, t_b), t_b), 1), t_b = b*t1 + (1-b)*t2
- CA KL: hanzhanggit/StackGAN-Pytorch KL_loss(mu, logvar) with logvar = 2*log_sigma
- Stage-II D loss: compute_discriminator_loss with get_uncond_logits
- feature matching: ||mean f(x) - mean f(G(z))||^2

Run: /usr/bin/python3 packages/trainers/test/reference/text_to_image_losses.py
"""
import torch
import torch.nn.functional as F

torch.set_default_dtype(torch.float64)
real = torch.tensor([2.0, -0.5, 1.25, 0.3])
wrong = torch.tensor([0.7, -1.5, 0.1, 2.2])
fake = torch.tensor([-1.0, 0.4, -2.5, 0.9])
real_u = torch.tensor([1.1, 0.2, -0.3, 0.8])
fake_u = torch.tensor([-0.6, 1.4, -1.2, 0.05])
bce = lambda x, y: F.binary_cross_entropy(torch.sigmoid(x), torch.full_like(x, y))

for w in (0.5, 0.0, 0.25):
    print(f"gan-cls D w={w}:", repr((bce(real, 1) + w * bce(wrong, 0) + (1 - w) * bce(fake, 0)).item()))

t1 = torch.tensor([[1.0, -2.0, 0.5], [0.0, 3.0, -1.0]])
t2 = torch.tensor([[-1.0, 0.0, 2.5], [4.0, 1.0, 1.0]])
print("interpolate b=0.5:", (0.5 * t1 + 0.5 * t2).tolist(), "b=0.25:", (0.25 * t1 + 0.75 * t2).tolist())
print("gan-int G:", repr(bce(fake, 1).item()))

mu = torch.tensor([[0.5, -1.0, 0.0], [2.0, 0.25, -0.75]])
log_sigma = torch.tensor([[0.0, -0.5, 0.3], [0.1, -1.2, 0.7]])
logvar = 2 * log_sigma
kld = torch.mean(mu.pow(2).add(logvar.exp()).mul(-1).add(1).add(logvar)).mul(-0.5)
print("ca kl:", repr(kld.item()))
kl_closed = torch.distributions.kl_divergence(torch.distributions.Normal(mu, log_sigma.exp()), torch.distributions.Normal(0.0, 1.0)).mean()
print("ca kl (torch.distributions):", repr(kl_closed.item()))

err_d = (bce(real, 1) + bce(real_u, 1)) / 2.0 + (bce(fake, 0) + bce(wrong, 0) + bce(fake_u, 0)) / 3.0
print("stage-ii D:", repr(err_d.item()))

fr = torch.tensor([[1.0, 2.0], [3.0, -1.0], [0.5, 0.0]])
ff = torch.tensor([[0.0, 1.0], [2.0, 2.0], [-1.0, 0.5]])
print("feature matching:", repr(((fr.mean(0) - ff.mean(0)) ** 2).sum().item()))
