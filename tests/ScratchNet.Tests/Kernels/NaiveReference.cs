using ScratchNet.Kernels;

namespace ScratchNet.Tests.Kernels;

/// <summary>
/// An independent float64 reference for every <see cref="IBackend"/> op: plain nested loops written straight
/// from the math in REFERENCE.md and the IBackend doc comments, with no tiling, no SIMD and no code shared with
/// the backends (its erf is its own series, not <c>ScalarMath.Erf</c>). Slow on purpose; only for small tests.
/// </summary>
public static class NaiveReference
{
    // ------------------------------------------------------------------ special functions

    /// <summary>
    /// erf(x) by the series <c>erf(x) = (2/√π)·e^(−x²)·Σₙ 2ⁿx^(2n+1)/(1·3·5···(2n+1))</c> (A&amp;S 7.1.6):
    /// every term is positive, so the sum has no cancellation and stays accurate to ~1e-15 relative for all
    /// |x| ≤ 6.5; beyond that erfc(x) &lt; 1e-19 and erf is ±1 in double.
    /// </summary>
    public static double Erf(double x)
    {
        if (double.IsNaN(x)) return x;
        double ax = Math.Abs(x);
        if (ax > 6.5) return x > 0 ? 1.0 : -1.0;
        double x2 = ax * ax;
        double term = ax, sum = ax;
        for (int n = 1; n < 2000; n++)
        {
            term *= 2.0 * x2 / (2 * n + 1);
            sum += term;
            if (term < sum * 1e-18) break;
        }
        double r = 2.0 / Math.Sqrt(Math.PI) * Math.Exp(-x2) * sum;
        return x < 0 ? -r : r;
    }

    /// <summary>Standard normal CDF Φ(x) = (1 + erf(x/√2))/2.</summary>
    public static double Phi(double x) => 0.5 * (1.0 + Erf(x / Math.Sqrt(2.0)));

    /// <summary>Standard normal density φ(x) = e^(−x²/2)/√(2π).</summary>
    public static double PhiDensity(double x) => Math.Exp(-0.5 * x * x) / Math.Sqrt(2.0 * Math.PI);

    /// <summary>Logistic sigmoid, evaluated on the side where e^(...) cannot overflow.</summary>
    public static double Sigmoid(double x)
    {
        if (x >= 0) return 1.0 / (1.0 + Math.Exp(-x));
        double e = Math.Exp(x);
        return e / (1.0 + e);
    }

    // ------------------------------------------------------------------ memory / elementwise

    public static double[] Fill(double[] y, long n, double value)
    {
        var r = (double[])y.Clone();
        for (long i = 0; i < n; i++) r[i] = value;
        return r;
    }

    public static double[] Scale(double[] x, double alpha) => x.Select(v => alpha * v).ToArray();

    public static double[] Axpy(double[] x, double[] y, double alpha)
    {
        var r = (double[])y.Clone();
        for (int i = 0; i < x.Length; i++) r[i] += alpha * x[i];
        return r;
    }

    public static double[] ClampMin(double[] x, double min) => x.Select(v => v < min ? min : v).ToArray();

    public static double[] Copy(double[] src, long srcOffset, double[] dst, long dstOffset, long count)
    {
        var r = (double[])dst.Clone();
        for (long i = 0; i < count; i++) r[dstOffset + i] = src[srcOffset + i];
        return r;
    }

    public static double[] ReluForward(double[] x) => x.Select(v => v > 0 ? v : 0.0).ToArray();

    public static double[] ReluBackward(double[] x, double[] dy)
    {
        var r = new double[x.Length];
        for (int i = 0; i < x.Length; i++) r[i] = x[i] > 0 ? dy[i] : 0.0;
        return r;
    }

    public static double Gelu(double x) => 0.5 * x * (1.0 + Erf(x / Math.Sqrt(2.0)));

    public static double GeluGrad(double x) => Phi(x) + x * PhiDensity(x);

    public static double[] GeluForward(double[] x) => x.Select(Gelu).ToArray();

    public static double[] GeluBackward(double[] x, double[] dy)
    {
        var r = new double[x.Length];
        for (int i = 0; i < x.Length; i++) r[i] = dy[i] * GeluGrad(x[i]);
        return r;
    }

    public static double[] SigmoidForward(double[] x) => x.Select(Sigmoid).ToArray();

    public static double[] SigmoidBackward(double[] y, double[] dy)
    {
        var r = new double[y.Length];
        for (int i = 0; i < y.Length; i++) r[i] = dy[i] * y[i] * (1.0 - y[i]);
        return r;
    }

    // ------------------------------------------------------------------ broadcasting

    public static double Apply(BinaryOp op, double a, double b) => op switch
    {
        BinaryOp.Add => a + b,
        BinaryOp.Sub => a - b,
        BinaryOp.Mul => a * b,
        BinaryOp.Div => a / b,
        _ => throw new ArgumentOutOfRangeException(nameof(op)),
    };

    /// <summary>
    /// NumPy broadcasting of any rank, written from the rule (align trailing dims; a size-1 dim repeats):
    /// walks every output multi-index and reads each operand at that index with size-1 dims pinned to 0.
    /// </summary>
    public static (double[] Out, int[] Shape) Binary(BinaryOp op, double[] a, int[] shapeA, double[] b, int[] shapeB)
    {
        int rank = Math.Max(shapeA.Length, shapeB.Length);
        int[] pa = PadShape(shapeA, rank), pb = PadShape(shapeB, rank), po = new int[rank];
        for (int d = 0; d < rank; d++)
        {
            if (pa[d] != pb[d] && pa[d] != 1 && pb[d] != 1) throw new ArgumentException("shapes do not broadcast");
            po[d] = Math.Max(pa[d], pb[d]);
        }
        long count = po.Aggregate(1L, (p, v) => p * v);
        var result = new double[count];
        var idx = new int[rank];
        for (long flat = 0; flat < count; flat++)
        {
            long rem = flat;
            for (int d = rank - 1; d >= 0; d--) { idx[d] = (int)(rem % po[d]); rem /= po[d]; }
            long ia = 0, ib = 0;
            for (int d = 0; d < rank; d++)
            {
                ia = ia * pa[d] + (pa[d] == 1 ? 0 : idx[d]);
                ib = ib * pb[d] + (pb[d] == 1 ? 0 : idx[d]);
            }
            result[flat] = Apply(op, a[ia], b[ib]);
        }
        return (result, po);
    }

    public static int[] PadShape(int[] s, int rank)
    {
        var p = Enumerable.Repeat(1, rank).ToArray();
        Array.Copy(s, 0, p, rank - s.Length, s.Length);
        return p;
    }

    /// <summary>Sum of x [x0,x1,x2,x3] into y [y0,y1,y2,y3], each y dim equal to the x dim or 1.</summary>
    public static double[] SumTo(double[] x, int[] xd, int[] yd)
    {
        var y = new double[yd[0] * yd[1] * yd[2] * yd[3]];
        for (int i0 = 0; i0 < xd[0]; i0++)
        for (int i1 = 0; i1 < xd[1]; i1++)
        for (int i2 = 0; i2 < xd[2]; i2++)
        for (int i3 = 0; i3 < xd[3]; i3++)
        {
            int j0 = yd[0] == 1 ? 0 : i0, j1 = yd[1] == 1 ? 0 : i1, j2 = yd[2] == 1 ? 0 : i2, j3 = yd[3] == 1 ? 0 : i3;
            y[((j0 * yd[1] + j1) * yd[2] + j2) * yd[3] + j3] += x[((i0 * xd[1] + i1) * xd[2] + i2) * xd[3] + i3];
        }
        return y;
    }

    // ------------------------------------------------------------------ GEMM

    /// <summary>C = alpha·op(A)·op(B) + beta·C; with beta = 0 the old C is not read at all (so NaN vanishes).</summary>
    public static double[] Gemm(bool transA, bool transB, int m, int n, int k, double alpha, double[] a, double[] b, double beta, double[] c)
    {
        var r = new double[m * n];
        for (int i = 0; i < m; i++)
        for (int j = 0; j < n; j++)
        {
            double s = 0;
            for (int p = 0; p < k; p++)
            {
                double av = transA ? a[p * m + i] : a[i * k + p];
                double bv = transB ? b[j * k + p] : b[p * n + j];
                s += av * bv;
            }
            r[i * n + j] = alpha * s + (beta == 0 ? 0.0 : beta * c[i * n + j]);
        }
        return r;
    }

    // ------------------------------------------------------------------ convolution

    public static double[] Conv2dForward(double[] x, double[] w, double[]? bias, Conv2dShape s)
    {
        int oh = s.OH, ow = s.OW;
        var y = new double[s.OutputSize];
        for (int n = 0; n < s.N; n++)
        for (int o = 0; o < s.OutC; o++)
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        {
            double acc = bias is null ? 0.0 : bias[o];
            for (int c = 0; c < s.C; c++)
            for (int p = 0; p < s.KH; p++)
            for (int q = 0; q < s.KW; q++)
            {
                int h = i * s.Stride + p - s.Pad.Top, ww = j * s.Stride + q - s.Pad.Left;
                if (h < 0 || h >= s.H || ww < 0 || ww >= s.W) continue; // zero padding
                acc += w[((o * s.C + c) * s.KH + p) * s.KW + q] * x[((n * s.C + c) * s.H + h) * s.W + ww];
            }
            y[((n * s.OutC + o) * oh + i) * ow + j] = acc;
        }
        return y;
    }

    /// <summary>dx by scattering every dy·w product back to the input pixel it came from.</summary>
    public static double[] Conv2dBackwardInput(double[] dy, double[] w, Conv2dShape s)
    {
        int oh = s.OH, ow = s.OW;
        var dx = new double[s.InputSize];
        for (int n = 0; n < s.N; n++)
        for (int o = 0; o < s.OutC; o++)
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        {
            double g = dy[((n * s.OutC + o) * oh + i) * ow + j];
            for (int c = 0; c < s.C; c++)
            for (int p = 0; p < s.KH; p++)
            for (int q = 0; q < s.KW; q++)
            {
                int h = i * s.Stride + p - s.Pad.Top, ww = j * s.Stride + q - s.Pad.Left;
                if (h < 0 || h >= s.H || ww < 0 || ww >= s.W) continue;
                dx[((n * s.C + c) * s.H + h) * s.W + ww] += w[((o * s.C + c) * s.KH + p) * s.KW + q] * g;
            }
        }
        return dx;
    }

    public static double[] Conv2dBackwardWeight(double[] x, double[] dy, Conv2dShape s)
    {
        int oh = s.OH, ow = s.OW;
        var dw = new double[s.WeightSize];
        for (int o = 0; o < s.OutC; o++)
        for (int c = 0; c < s.C; c++)
        for (int p = 0; p < s.KH; p++)
        for (int q = 0; q < s.KW; q++)
        {
            double acc = 0;
            for (int n = 0; n < s.N; n++)
            for (int i = 0; i < oh; i++)
            for (int j = 0; j < ow; j++)
            {
                int h = i * s.Stride + p - s.Pad.Top, ww = j * s.Stride + q - s.Pad.Left;
                if (h < 0 || h >= s.H || ww < 0 || ww >= s.W) continue;
                acc += dy[((n * s.OutC + o) * oh + i) * ow + j] * x[((n * s.C + c) * s.H + h) * s.W + ww];
            }
            dw[((o * s.C + c) * s.KH + p) * s.KW + q] = acc;
        }
        return dw;
    }

    // ------------------------------------------------------------------ batch norm

    public sealed record BatchNormTrainResult(double[] Y, double[] SaveMean, double[] SaveInvStd, double[] RunningMean, double[] RunningVar);

    public static BatchNormTrainResult BatchNormForwardTrain(double[] x, double[] gamma, double[] beta,
        double[] runningMean, double[] runningVar, int n, int c, int hw, double momentum, double eps)
    {
        var y = new double[x.Length];
        var mean = new double[c];
        var invstd = new double[c];
        var rm = new double[c];
        var rv = new double[c];
        int count = n * hw;
        for (int ch = 0; ch < c; ch++)
        {
            double sum = 0;
            for (int b = 0; b < n; b++)
                for (int p = 0; p < hw; p++) sum += x[(b * c + ch) * hw + p];
            double mu = sum / count;
            double sq = 0;
            for (int b = 0; b < n; b++)
                for (int p = 0; p < hw; p++) { double d = x[(b * c + ch) * hw + p] - mu; sq += d * d; }
            double varBiased = sq / count;
            double istd = 1.0 / Math.Sqrt(varBiased + eps);
            mean[ch] = mu;
            invstd[ch] = istd;
            rm[ch] = (1 - momentum) * runningMean[ch] + momentum * mu;
            rv[ch] = (1 - momentum) * runningVar[ch] + momentum * (sq / (count - 1)); // unbiased
            for (int b = 0; b < n; b++)
                for (int p = 0; p < hw; p++)
                {
                    int i = (b * c + ch) * hw + p;
                    y[i] = gamma[ch] * (x[i] - mu) * istd + beta[ch];
                }
        }
        return new BatchNormTrainResult(y, mean, invstd, rm, rv);
    }

    public static double[] BatchNormForwardEval(double[] x, double[] gamma, double[] beta, double[] runningMean,
        double[] runningVar, int n, int c, int hw, double eps)
    {
        var y = new double[x.Length];
        for (int b = 0; b < n; b++)
            for (int ch = 0; ch < c; ch++)
                for (int p = 0; p < hw; p++)
                {
                    int i = (b * c + ch) * hw + p;
                    y[i] = gamma[ch] * (x[i] - runningMean[ch]) / Math.Sqrt(runningVar[ch] + eps) + beta[ch];
                }
        return y;
    }

    public sealed record BatchNormBackwardResult(double[] Dx, double[] DGamma, double[] DBeta);

    public static BatchNormBackwardResult BatchNormBackward(double[] x, double[] dy, double[] gamma, double[] saveMean,
        double[] saveInvStd, int n, int c, int hw)
    {
        var dx = new double[x.Length];
        var dgamma = new double[c];
        var dbeta = new double[c];
        int m = n * hw;
        for (int ch = 0; ch < c; ch++)
        {
            double sumDy = 0, sumDyXhat = 0;
            for (int b = 0; b < n; b++)
                for (int p = 0; p < hw; p++)
                {
                    int i = (b * c + ch) * hw + p;
                    double xhat = (x[i] - saveMean[ch]) * saveInvStd[ch];
                    sumDy += dy[i];
                    sumDyXhat += dy[i] * xhat;
                }
            dgamma[ch] = sumDyXhat;
            dbeta[ch] = sumDy;
            for (int b = 0; b < n; b++)
                for (int p = 0; p < hw; p++)
                {
                    int i = (b * c + ch) * hw + p;
                    double xhat = (x[i] - saveMean[ch]) * saveInvStd[ch];
                    dx[i] = gamma[ch] * saveInvStd[ch] / m * (m * dy[i] - sumDy - xhat * sumDyXhat);
                }
        }
        return new BatchNormBackwardResult(dx, dgamma, dbeta);
    }

    // ------------------------------------------------------------------ pooling

    /// <summary>Max pooling, padding = −∞, argmax as h·W + w in its plane, first maximum (row-major) wins.</summary>
    public static (double[] Y, int[] Indices) MaxPool2dForward(double[] x, Pool2dShape s)
    {
        int oh = s.OH, ow = s.OW;
        var y = new double[s.OutputSize];
        var idx = new int[s.OutputSize];
        for (int plane = 0; plane < s.N * s.C; plane++)
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        {
            double best = double.NegativeInfinity;
            int arg = -1;
            for (int p = 0; p < s.K; p++)
            for (int q = 0; q < s.K; q++)
            {
                int h = i * s.Stride + p - s.Pad.Top, w = j * s.Stride + q - s.Pad.Left;
                if (h < 0 || h >= s.H || w < 0 || w >= s.W) continue;
                double v = x[(plane * s.H + h) * s.W + w];
                if (arg < 0 || v > best) { best = v; arg = h * s.W + w; }
            }
            y[(plane * oh + i) * ow + j] = best;
            idx[(plane * oh + i) * ow + j] = arg;
        }
        return (y, idx);
    }

    public static double[] MaxPool2dBackward(double[] dy, int[] indices, Pool2dShape s)
    {
        int ohw = s.OH * s.OW, hw = s.H * s.W;
        var dx = new double[s.InputSize];
        for (int plane = 0; plane < s.N * s.C; plane++)
            for (int o = 0; o < ohw; o++)
                dx[plane * hw + indices[plane * ohw + o]] += dy[plane * ohw + o];
        return dx;
    }

    /// <summary>Average pooling with count_include_pad: every window divides by K².</summary>
    public static double[] AvgPool2dForward(double[] x, Pool2dShape s)
    {
        int oh = s.OH, ow = s.OW;
        var y = new double[s.OutputSize];
        for (int plane = 0; plane < s.N * s.C; plane++)
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        {
            double acc = 0;
            for (int p = 0; p < s.K; p++)
            for (int q = 0; q < s.K; q++)
            {
                int h = i * s.Stride + p - s.Pad.Top, w = j * s.Stride + q - s.Pad.Left;
                if (h < 0 || h >= s.H || w < 0 || w >= s.W) continue;
                acc += x[(plane * s.H + h) * s.W + w];
            }
            y[(plane * oh + i) * ow + j] = acc / (s.K * s.K);
        }
        return y;
    }

    public static double[] AvgPool2dBackward(double[] dy, Pool2dShape s)
    {
        int oh = s.OH, ow = s.OW;
        var dx = new double[s.InputSize];
        for (int plane = 0; plane < s.N * s.C; plane++)
        for (int i = 0; i < oh; i++)
        for (int j = 0; j < ow; j++)
        for (int p = 0; p < s.K; p++)
        for (int q = 0; q < s.K; q++)
        {
            int h = i * s.Stride + p - s.Pad.Top, w = j * s.Stride + q - s.Pad.Left;
            if (h < 0 || h >= s.H || w < 0 || w >= s.W) continue;
            dx[(plane * s.H + h) * s.W + w] += dy[(plane * oh + i) * ow + j] / (s.K * s.K);
        }
        return dx;
    }

    public static double[] GlobalAvgPoolForward(double[] x, int rows, int hw)
    {
        var y = new double[rows];
        for (int r = 0; r < rows; r++)
        {
            double acc = 0;
            for (int k = 0; k < hw; k++) acc += x[r * hw + k];
            y[r] = acc / hw;
        }
        return y;
    }

    public static double[] GlobalAvgPoolBackward(double[] dy, int rows, int hw)
    {
        var dx = new double[rows * hw];
        for (int r = 0; r < rows; r++)
            for (int k = 0; k < hw; k++) dx[r * hw + k] = dy[r] / hw;
        return dx;
    }

    // ------------------------------------------------------------------ fused batch norm → activation → max pool

    /// <summary>g = act(z) for the fused block's <see cref="Activation"/>: ReLU or exact (erf) GELU.</summary>
    public static double[] ActivationForward(double[] z, Activation act) => act switch
    {
        Activation.Relu => ReluForward(z),
        Activation.Gelu => GeluForward(z),
        _ => throw new ArgumentOutOfRangeException(nameof(act)),
    };

    /// <summary>dz = dg·act′(z) (ReLU′(0) = 0).</summary>
    public static double[] ActivationBackward(double[] z, double[] dg, Activation act) => act switch
    {
        Activation.Relu => ReluBackward(z, dg),
        Activation.Gelu => GeluBackward(z, dg),
        _ => throw new ArgumentOutOfRangeException(nameof(act)),
    };

    public sealed record BatchNormActPoolTrainResult(double[] Y, int[] Indices, double[] SaveMean, double[] SaveInvStd,
        double[] RunningMean, double[] RunningVar);

    /// <summary>
    /// The unfused chain BatchNorm2d(train) → act → MaxPool2d(Pool, stride Pool): every step is this class's own
    /// op. Pool = 1 pools 1×1 windows, so y = g and the indices are each element's own h·W + w.
    /// </summary>
    public static BatchNormActPoolTrainResult BatchNormActPoolForwardTrain(double[] x, double[] gamma, double[] beta,
        double[] runningMean, double[] runningVar, BatchNormActPoolShape s, double momentum, double eps)
    {
        var bn = BatchNormForwardTrain(x, gamma, beta, runningMean, runningVar, s.N, s.C, s.H * s.W, momentum, eps);
        var (y, idx) = MaxPool2dForward(ActivationForward(bn.Y, s.Act), s.PoolShape);
        return new BatchNormActPoolTrainResult(y, idx, bn.SaveMean, bn.SaveInvStd, bn.RunningMean, bn.RunningVar);
    }

    /// <summary>The unfused chain BatchNorm2d(eval) → act → MaxPool2d(Pool).</summary>
    public static double[] BatchNormActPoolForwardEval(double[] x, double[] gamma, double[] beta, double[] runningMean,
        double[] runningVar, BatchNormActPoolShape s, double eps)
    {
        var z = BatchNormForwardEval(x, gamma, beta, runningMean, runningVar, s.N, s.C, s.H * s.W, eps);
        return MaxPool2dForward(ActivationForward(z, s.Act), s.PoolShape).Y;
    }

    /// <summary>
    /// The unfused backward: z = γ·(x − μ)·invstd + β recomputed from x and the saved statistics,
    /// dg = MaxPool2dBackward(dy, indices) (Pool = 1: dg = dy, indices unused), dz = dg·act′(z), then
    /// <see cref="BatchNormBackward"/> on dz.
    /// </summary>
    public static BatchNormBackwardResult BatchNormActPoolBackward(double[] x, double[] dy, int[]? indices, double[] gamma, double[] beta,
        double[] saveMean, double[] saveInvStd, BatchNormActPoolShape s)
    {
        int hw = s.H * s.W;
        var z = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            int ch = i / hw % s.C;
            z[i] = gamma[ch] * (x[i] - saveMean[ch]) * saveInvStd[ch] + beta[ch];
        }
        var dg = s.Pool == 1 ? dy : MaxPool2dBackward(dy, indices ?? throw new ArgumentNullException(nameof(indices)), s.PoolShape);
        return BatchNormBackward(x, ActivationBackward(z, dg, s.Act), gamma, saveMean, saveInvStd, s.N, s.C, hw);
    }

    // ------------------------------------------------------------------ channels, dropout

    public static double[] CopyChannels(double[] src, int srcChannels, int srcC0, double[] dst, int dstChannels, int dstC0, int n, int c, int hw)
    {
        var r = (double[])dst.Clone();
        for (int b = 0; b < n; b++)
            for (int k = 0; k < c; k++)
                for (int p = 0; p < hw; p++)
                    r[(b * dstChannels + dstC0 + k) * hw + p] = src[(b * srcChannels + srcC0 + k) * hw + p];
        return r;
    }

    public static (double[] Mask, double[] Y) DropoutForward(double[] x, double p, ulong seed)
    {
        var mask = new double[x.Length];
        var y = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            mask[i] = DropoutRng.Keep(seed, i, p) ? 1.0 / (1.0 - p) : 0.0;
            y[i] = x[i] * mask[i];
        }
        return (mask, y);
    }

    // ------------------------------------------------------------------ losses

    public sealed record CrossEntropyResult(double[] Loss, double[] SampleWeight, double[] Probs);

    public static CrossEntropyResult CrossEntropyForward(double[] logits, int[] targets, double[]? classWeights, int n, int c)
    {
        var loss = new double[n];
        var sw = new double[n];
        var probs = new double[n * c];
        for (int i = 0; i < n; i++)
        {
            double max = double.NegativeInfinity;
            for (int k = 0; k < c; k++) max = Math.Max(max, logits[i * c + k]);
            double sum = 0;
            for (int k = 0; k < c; k++) sum += Math.Exp(logits[i * c + k] - max);
            for (int k = 0; k < c; k++) probs[i * c + k] = Math.Exp(logits[i * c + k] - max) / sum;
            int t = targets[i];
            if (t < 0) continue; // ignored: loss and weight stay 0
            double w = classWeights is null ? 1.0 : classWeights[t];
            double lse = max + Math.Log(sum);
            loss[i] = w * (lse - logits[i * c + t]);
            sw[i] = w;
        }
        return new CrossEntropyResult(loss, sw, probs);
    }

    public static double[] CrossEntropyBackward(double[] probs, int[] targets, double[]? classWeights, double[] dloss, int n, int c)
    {
        var d = new double[n * c];
        for (int i = 0; i < n; i++)
        {
            int t = targets[i];
            if (t < 0) continue;
            double w = classWeights is null ? 1.0 : classWeights[t];
            for (int k = 0; k < c; k++)
                d[i * c + k] = dloss[i] * w * (probs[i * c + k] - (k == t ? 1.0 : 0.0));
        }
        return d;
    }

    public static double[] BceWithLogitsForward(double[] z, double[] y)
    {
        var r = new double[z.Length];
        for (int i = 0; i < z.Length; i++)
            r[i] = Math.Max(z[i], 0) - z[i] * y[i] + Math.Log(1.0 + Math.Exp(-Math.Abs(z[i])));
        return r;
    }

    public static double[] BceWithLogitsBackward(double[] z, double[] y, double[] dloss)
    {
        var r = new double[z.Length];
        for (int i = 0; i < z.Length; i++) r[i] = dloss[i] * (Sigmoid(z[i]) - y[i]);
        return r;
    }

    public static int[] ArgMax(double[] x, int rows, int cols)
    {
        var r = new int[rows];
        for (int i = 0; i < rows; i++)
        {
            int best = 0;
            for (int k = 1; k < cols; k++)
                if (x[i * cols + k] > x[i * cols + best]) best = k; // strict: first maximum wins
            r[i] = best;
        }
        return r;
    }

    public static double[] EqualMask(int[] a, int[] b)
    {
        var r = new double[a.Length];
        for (int i = 0; i < a.Length; i++) r[i] = a[i] == b[i] ? 1.0 : 0.0;
        return r;
    }

    // ------------------------------------------------------------------ optimizers

    public sealed record AdamResult(double[] Param, double[] M, double[] V);

    public static AdamResult AdamStep(double[] param, double[] grad, double[] m, double[] v, double lr, double beta1,
        double beta2, double eps, double weightDecay, double bc1, double bc2, bool decoupled)
    {
        int len = param.Length;
        var p2 = new double[len];
        var m2 = new double[len];
        var v2 = new double[len];
        for (int i = 0; i < len; i++)
        {
            double theta = param[i];
            double g = grad[i];
            if (decoupled) theta *= 1 - lr * weightDecay;
            else g += weightDecay * theta;
            m2[i] = beta1 * m[i] + (1 - beta1) * g;
            v2[i] = beta2 * v[i] + (1 - beta2) * g * g;
            p2[i] = theta - lr * (m2[i] / bc1) / (Math.Sqrt(v2[i] / bc2) + eps);
        }
        return new AdamResult(p2, m2, v2);
    }

    public sealed record SgdResult(double[] Param, double[]? MomentumBuffer);

    public static SgdResult SgdStep(double[] param, double[] grad, double[]? buf, double lr, double momentum,
        double dampening, double weightDecay, bool nesterov, bool firstStep)
    {
        int len = param.Length;
        var p2 = new double[len];
        double[]? b2 = momentum != 0 ? new double[len] : null;
        for (int i = 0; i < len; i++)
        {
            double g = grad[i] + weightDecay * param[i];
            if (b2 is not null)
            {
                b2[i] = firstStep ? g : momentum * buf![i] + (1 - dampening) * g;
                g = nesterov ? g + momentum * b2[i] : b2[i];
            }
            p2[i] = param[i] - lr * g;
        }
        return new SgdResult(p2, b2);
    }
}
