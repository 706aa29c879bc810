# Reference FID for fixture-metrics.test.ts at 320 features (past the native tridiagonal reduction's
# unblocked size, so its 32-column panels and threaded products run), with NumPy/SciPy only: the
# pytorch-fid formula (numpy.cov + scipy.linalg.sqrtm). The 2000 x 320 sets are exact float32 column
# blocks of the 2000 x 64 fixture features under row permutations (reversal, i -> 7i mod 2000).
# Run: /usr/bin/python3 fid_reference.py
import numpy as np, scipy.linalg as la
m = '/work/shared/fixtures/metrics/'
a = np.fromfile(m + 'feat_2000_2000_64_a_f32.raw', dtype='<f4').reshape(2000, 64)
b = np.fromfile(m + 'feat_2000_2000_64_b_f32.raw', dtype='<f4').reshape(2000, 64)
step = (np.arange(2000) * 7) % 2000
x = np.hstack([a, b, a[::-1], b[::-1], a[step]])
y = np.hstack([b, a[step], b[::-1], a, b[step]])
mu1, mu2 = x.mean(axis=0, dtype=np.float64), y.mean(axis=0, dtype=np.float64)
s1, s2 = np.cov(x, rowvar=False), np.cov(y, rowvar=False)
covmean, _ = la.sqrtm(s1.dot(s2), disp=False)
diff = mu1 - mu2
print('fid320', repr(float(diff.dot(diff) + np.trace(s1) + np.trace(s2) - 2 * np.trace(covmean.real))))
