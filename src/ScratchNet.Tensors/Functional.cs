using ScratchNet.Kernels;
using ScratchNet.Tensors.Functions;

namespace ScratchNet.Tensors;

/// <summary>
/// The differentiable ops, by PyTorch's names (<c>torch.*</c> and <c>torch.nn.functional.*</c>). Each records
/// its <see cref="Autograd.Function"/> when gradients are needed; the math is on each Function's doc comment.
/// </summary>
public static class Functional
{
    // ------------------------------------------------------------------ arithmetic

    /// <summary><c>a + b</c> with broadcasting.</summary>
    public static Tensor Add(Tensor a, Tensor b) => BinaryFunction.Apply(BinaryOp.Add, a, b);
    /// <summary><c>a − b</c> with broadcasting.</summary>
    public static Tensor Sub(Tensor a, Tensor b) => BinaryFunction.Apply(BinaryOp.Sub, a, b);
    /// <summary><c>a · b</c> (elementwise) with broadcasting.</summary>
    public static Tensor Mul(Tensor a, Tensor b) => BinaryFunction.Apply(BinaryOp.Mul, a, b);
    /// <summary><c>a / b</c> (elementwise) with broadcasting.</summary>
    public static Tensor Div(Tensor a, Tensor b) => BinaryFunction.Apply(BinaryOp.Div, a, b);
    /// <summary><c>α·x</c>.</summary>
    public static Tensor Scale(Tensor x, double alpha) => ScaleFunction.Apply(x, alpha);

    /// <summary>Sum of all elements, a tensor of shape [].</summary>
    public static Tensor Sum(Tensor x) => SumFunction.Apply(x, null, keepDim: false);
    /// <summary>Sum over <paramref name="dims"/>.</summary>
    public static Tensor Sum(Tensor x, int[] dims, bool keepDim = false) => SumFunction.Apply(x, dims, keepDim);
    /// <summary>Mean of all elements, a tensor of shape [].</summary>
    public static Tensor Mean(Tensor x)
    {
        using var s = Sum(x);
        return Scale(s, 1.0 / Math.Max(1, x.Numel));
    }
    /// <summary>Mean over <paramref name="dims"/>.</summary>
    public static Tensor Mean(Tensor x, int[] dims, bool keepDim = false)
    {
        long count = 1;
        foreach (int d in dims) count *= x.Dim(d);
        using var s = Sum(x, dims, keepDim);
        return Scale(s, 1.0 / Math.Max(1, count));
    }

    // ------------------------------------------------------------------ views

    /// <summary>A view with a new shape (one dim may be −1). No copy.</summary>
    public static Tensor Reshape(Tensor x, params int[] shape) => ViewFunction.Apply(x, shape);
    /// <summary>Flattens dims from <paramref name="startDim"/> on: [N, C, H, W] → [N, C·H·W]. PyTorch: <c>torch.flatten(x, 1)</c>.</summary>
    public static Tensor Flatten(Tensor x, int startDim = 1)
    {
        int s = ShapeUtil.NormalizeDim(startDim, x.Rank, "Flatten");
        var shape = x.ShapeArray.Take(s).Append((int)ShapeUtil.Numel(x.ShapeArray.AsSpan(s))).ToArray();
        return ViewFunction.Apply(x, shape, "Flatten");
    }
    /// <summary>Removes dim <paramref name="dim"/>, which must have size 1 (PyTorch leaves other sizes alone; we refuse them to catch shape bugs).</summary>
    public static Tensor Squeeze(Tensor x, int dim)
    {
        int d = ShapeUtil.NormalizeDim(dim, x.Rank, "Squeeze");
        if (x.Dim(d) != 1) throw new ArgumentException($"Squeeze: dim {dim} of {ShapeUtil.Format(x.ShapeArray)} has size {x.Dim(d)}, expected 1");
        return ViewFunction.Apply(x, x.ShapeArray.Where((_, i) => i != d).ToArray(), "Squeeze");
    }
    /// <summary>Inserts a dim of size 1 at <paramref name="dim"/>.</summary>
    public static Tensor Unsqueeze(Tensor x, int dim)
    {
        int d = ShapeUtil.NormalizeDim(dim, x.Rank + 1, "Unsqueeze");
        var s = x.ShapeArray.ToList();
        s.Insert(d, 1);
        return ViewFunction.Apply(x, s.ToArray(), "Unsqueeze");
    }

    // ------------------------------------------------------------------ layers

    /// <summary>Matrix product of 2-D tensors.</summary>
    public static Tensor MatMul(Tensor a, Tensor b) => MatMulFunction.Apply(a, b);
    /// <summary><c>x·Wᵀ + b</c>.</summary>
    public static Tensor Linear(Tensor x, Tensor weight, Tensor? bias = null) => LinearFunction.Apply(x, weight, bias);
    /// <summary>2-D convolution.</summary>
    public static Tensor Conv2d(Tensor x, Tensor weight, Tensor? bias = null, int stride = 1, Padding2d padding = default) => Conv2dFunction.Apply(x, weight, bias, stride, padding);
    /// <summary>Batch normalisation (training updates the running stats in place).</summary>
    public static Tensor BatchNorm2d(Tensor x, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar, bool training, double momentum = 0.1, double eps = 1e-5) =>
        BatchNorm2dFunction.Apply(x, weight, bias, runningMean, runningVar, training, momentum, eps);
    /// <summary>
    /// <c>MaxPool2d(pool)(act(BatchNorm2d(x)))</c> as one fused op (pool = 1: no pooling); same results as the three
    /// ops in a row, without storing the two intermediate activations.
    /// </summary>
    public static Tensor BatchNormActPool(Tensor x, Tensor weight, Tensor bias, Tensor runningMean, Tensor runningVar, bool training,
        Activation activation, int pool, double momentum = 0.1, double eps = 1e-5) =>
        BatchNormActPoolFunction.Apply(x, weight, bias, runningMean, runningVar, training, activation, pool, momentum, eps);
    /// <summary>ReLU.</summary>
    public static Tensor Relu(Tensor x) => ReluFunction.Apply(x);
    /// <summary>Exact GELU.</summary>
    public static Tensor Gelu(Tensor x) => GeluFunction.Apply(x);
    /// <summary>Logistic sigmoid.</summary>
    public static Tensor Sigmoid(Tensor x) => SigmoidFunction.Apply(x);
    /// <summary>Max pooling.</summary>
    public static Tensor MaxPool2d(Tensor x, int kernelSize, int? stride = null, Padding2d padding = default) => MaxPool2dFunction.Apply(x, kernelSize, stride, padding);
    /// <summary>Average pooling.</summary>
    public static Tensor AvgPool2d(Tensor x, int kernelSize, int? stride = null, Padding2d padding = default) => AvgPool2dFunction.Apply(x, kernelSize, stride, padding);
    /// <summary>Adaptive average pooling to 1×1.</summary>
    public static Tensor AdaptiveAvgPool2d(Tensor x) => AdaptiveAvgPool2dFunction.Apply(x);
    /// <summary>Concatenation along dim 1.</summary>
    public static Tensor Cat(params Tensor[] xs) => CatFunction.Apply(xs);
    /// <summary>Dropout in training mode (the identity when not <paramref name="training"/> or p = 0).</summary>
    public static Tensor Dropout(Tensor x, double p, bool training, ulong seed)
    {
        if (!training || p == 0) return ViewFunction.Apply(x, x.ShapeArray, "Dropout");
        return DropoutFunction.Apply(x, p, seed);
    }

    // ------------------------------------------------------------------ losses

    /// <summary>
    /// Softmax cross-entropy of logits [N, C] against int32 targets [N], mean over samples weighted by
    /// <paramref name="classWeights"/> (PyTorch: Σ w[t_i]·l_i / Σ w[t_i]); targets &lt; 0 are ignored.
    /// <paramref name="reduction"/> "none" returns the per-sample losses.
    /// </summary>
    public static Tensor CrossEntropy(Tensor logits, Tensor targets, Tensor? classWeights = null, string reduction = "mean")
    {
        var perSample = CrossEntropyFunction.Apply(logits, targets, classWeights, out var sampleWeights);
        using (sampleWeights)
        {
            if (reduction == "none") return perSample;
            using (perSample)
            {
                if (reduction == "sum") return Sum(perSample);
                if (reduction != "mean") throw new ArgumentException($"CrossEntropy: reduction must be mean, sum or none, got '{reduction}'");
                using var total = Sum(perSample);
                using var weightSum = Sum(sampleWeights);
                // All targets ignored → 0/0 in PyTorch (NaN); we divide by max(Σw, tiny) so the loss is 0, not NaN.
                using var safe = ClampMin(weightSum, 1e-12);
                return Div(total, safe);
            }
        }
    }

    /// <summary>Mean squared error; <paramref name="reduction"/> "none" gives <c>(ŷ − y)²</c> per element.</summary>
    public static Tensor MseLoss(Tensor prediction, Tensor target, string reduction = "mean")
    {
        Guard.Shape("MSELoss", target, prediction.ShapeArray, "target");
        using var diff = Sub(prediction, target);
        var sq = Mul(diff, diff);
        if (reduction == "none") return sq;
        using (sq)
        {
            return reduction switch
            {
                "mean" => Mean(sq),
                "sum" => Sum(sq),
                _ => throw new ArgumentException($"MSELoss: reduction must be mean, sum or none, got '{reduction}'"),
            };
        }
    }

    /// <summary>Binary cross-entropy with logits, mean over all elements (or "none").</summary>
    public static Tensor BceWithLogits(Tensor logits, Tensor target, string reduction = "mean")
    {
        var l = BceWithLogitsFunction.Apply(logits, target);
        if (reduction == "none") return l;
        using (l) return reduction == "sum" ? Sum(l) : Mean(l);
    }

    // ------------------------------------------------------------------ non-differentiable helpers

    /// <summary>Row-wise argmax of [N, C] as int32 [N] (first max wins). No gradient.</summary>
    public static Tensor ArgMax(Tensor x)
    {
        Guard.Floating("ArgMax", x);
        Guard.Rank("ArgMax", x, 2, "input", "[N, C]");
        var idx = Tensor.Empty([x.Dim(0)], DType.Int32, x.Device);
        x.Device.Backend.ArgMax(x.Buffer, idx.Buffer, x.Dim(0), x.Dim(1));
        return idx;
    }

    /// <summary><c>a == b ? 1 : 0</c> for int32 tensors of one shape, as <paramref name="dtype"/>. No gradient.</summary>
    public static Tensor EqualMask(Tensor a, Tensor b, DType dtype)
    {
        Guard.Compatible("EqualMask", a, b);
        Guard.Int("EqualMask", a, "a");
        Guard.Int("EqualMask", b, "b");
        Guard.Shape("EqualMask", b, a.ShapeArray, "b");
        var y = Tensor.Empty(a.ShapeArray, dtype, a.Device);
        a.Device.Backend.EqualMask(a.Buffer, b.Buffer, y.Buffer, a.Numel);
        return y;
    }

    /// <summary><c>max(x, min)</c>. Differentiable only where it passes x through; used for safe divisors.</summary>
    public static Tensor ClampMin(Tensor x, double min)
    {
        Guard.Floating("ClampMin", x);
        var y = Tensor.Empty(x.ShapeArray, x.DType, x.Device);
        x.Device.Backend.ClampMin(x.Buffer, y.Buffer, x.Numel, min);
        if (Autograd.Function.NeedsGrad(x))
            throw new NotSupportedException("ClampMin: has no gradient; use it on values that do not require one (counts, sums of masks)");
        return y;
    }
}
