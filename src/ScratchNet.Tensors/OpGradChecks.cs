using ScratchNet.Kernels;
using F = ScratchNet.Tensors.Functional;

namespace ScratchNet.Tensors;

/// <summary>A named gradient check of one op, runnable on any device and dtype.</summary>
/// <param name="Op">The op's name as printed.</param>
/// <param name="Run">Runs the check.</param>
public sealed record GradCheckCase(string Op, Func<Device, DType, GradCheckResult> Run);

/// <summary>
/// The gradient check of every differentiable op, shared by the test suite and <c>scratchnet gradcheck</c>.
/// Inputs are small (the ILGPU CPU simulator is slow), odd-sized (no tile divides them), kept off ReLU's kink
/// and free of max-pool ties (distinct values spaced wider than eps).
/// </summary>
public static class OpGradChecks
{
    /// <summary>Every case, in a stable order.</summary>
    public static IReadOnlyList<GradCheckCase> All { get; } = Build();

    private static GradInput In(int seed, params int[] shape) => new(Uniform(seed, shape, -1, 1), shape);

    private static double[] Uniform(int seed, int[] shape, double lo, double hi)
    {
        var rng = new Random(seed);
        var v = new double[ShapeUtil.Numel(shape)];
        for (int i = 0; i < v.Length; i++) v[i] = lo + (hi - lo) * rng.NextDouble();
        return v;
    }

    // Values at least 0.1 away from 0, so a ±1e-3 nudge never crosses ReLU's kink.
    private static GradInput OffKink(int seed, params int[] shape)
    {
        var v = Uniform(seed, shape, 0.1, 1);
        var rng = new Random(seed + 1);
        for (int i = 0; i < v.Length; i++) if (rng.Next(2) == 0) v[i] = -v[i];
        return new GradInput(v, shape);
    }

    // A shuffled ramp: all values distinct by 0.01, so no window has a tie and the argmax is stable under ±1e-3.
    private static GradInput Distinct(int seed, params int[] shape)
    {
        int n = (int)ShapeUtil.Numel(shape);
        var v = Enumerable.Range(0, n).Select(i => (i - n / 2) * 0.01).ToArray();
        new Random(seed).Shuffle(v);
        return new GradInput(v, shape);
    }

    private static GradCheckCase Case(string op, Func<Tensor[], Tensor> f, params GradInput[] inputs) =>
        new(op, (device, dtype) => GradCheck.Check(op, device, dtype, f, inputs));

    private static IReadOnlyList<GradCheckCase> Build()
    {
        var positive = new GradInput(Uniform(7, [3, 1], 0.5, 2), [3, 1]);
        var bnMean = new GradInput(Uniform(8, [3], -0.2, 0.2), [3], RequiresGrad: false);
        var bnVar = new GradInput(Uniform(9, [3], 0.5, 1.5), [3], RequiresGrad: false);
        var targets = new GradInput([2, 0, -1, 1, 2], [5], RequiresGrad: false, DType: DType.Int32);
        var classWeights = new GradInput([0.5, 2.0, 1.5], [3], RequiresGrad: false);
        var bceTargets = new GradInput(Uniform(10, [4, 3], 0, 1).Select(v => v < 0.5 ? 0.0 : 1.0).ToArray(), [4, 3], RequiresGrad: false);

        return
        [
            Case("add (broadcast [2,3,4] + [3,1])", t => t[0] + t[1], In(1, 2, 3, 4), In(2, 3, 1)),
            Case("sub (broadcast [4] - [2,3,4])", t => t[0] - t[1], In(3, 4), In(4, 2, 3, 4)),
            Case("mul (broadcast [2,3,4] * [3,1])", t => t[0] * t[1], In(5, 2, 3, 4), In(6, 3, 1)),
            Case("div (broadcast [2,3,4] / [3,1])", t => t[0] / t[1], In(11, 2, 3, 4), positive),
            Case("scale", t => F.Scale(t[0], -2.5), In(12, 3, 5)),
            Case("sum (dims 0,2)", t => F.Sum(t[0], [0, 2]), In(13, 2, 3, 4)),
            Case("mean (all)", t => F.Mean(t[0]), In(14, 3, 5)),
            Case("reshape/flatten/squeeze", t => F.Squeeze(F.Flatten(F.Reshape(t[0], 2, 1, 3, 2), 2), 1) * t[1], In(15, 3, 4), In(16, 2, 6)),
            Case("matmul [3,5]x[5,4]", t => F.MatMul(t[0], t[1]), In(17, 3, 5), In(18, 5, 4)),
            Case("linear [4,5] -> 3", t => F.Linear(t[0], t[1], t[2]), In(19, 4, 5), In(20, 3, 5), In(21, 3)),
            Case("conv2d 3x3 pad 1 [2,3,5,6] -> 4", t => F.Conv2d(t[0], t[1], t[2], 1, 1), In(22, 2, 3, 5, 6), In(23, 4, 3, 3, 3), In(24, 4)),
            Case("conv2d 3x3 stride 2 pad 1 [1,2,7,5] -> 3", t => F.Conv2d(t[0], t[1], t[2], 2, 1), In(25, 1, 2, 7, 5), In(26, 3, 2, 3, 3), In(27, 3)),
            Case("conv2d 1x1 [2,5,3,3] -> 3, no bias", t => F.Conv2d(t[0], t[1]), In(28, 2, 5, 3, 3), In(29, 3, 5, 1, 1)),
            // CNTK's asymmetric padding (top, left, bottom, right): the strided 7x7 stem and a stride-1 3x3.
            Case("conv2d 5x5 s2 pad [2,2,1,1] [1,2,8,7]->3", t => F.Conv2d(t[0], t[1], t[2], 2, new Padding2d(2, 2, 1, 1)), In(64, 1, 2, 8, 7), In(65, 3, 2, 5, 5), In(66, 3)),
            Case("conv2d 3x3 pad [1,0,0,2] [2,2,5,6]->3", t => F.Conv2d(t[0], t[1], t[2], 1, new Padding2d(1, 0, 0, 2)), In(67, 2, 2, 5, 6), In(68, 3, 2, 3, 3), In(69, 3)),
            Case("batchnorm2d train [3,3,2,3]", t => F.BatchNorm2d(t[0], t[1], t[2], t[3].CloneDetached(), t[4].CloneDetached(), training: true),
                In(30, 3, 3, 2, 3), In(31, 3), In(32, 3), bnMean, bnVar),
            Case("batchnorm2d eval [2,3,2,2]", t => F.BatchNorm2d(t[0], t[1], t[2], t[3], t[4], training: false),
                In(33, 2, 3, 2, 2), In(34, 3), In(35, 3), bnMean, bnVar),
            Case("relu", t => F.Relu(t[0]), OffKink(36, 3, 7)),
            Case("gelu", t => F.Gelu(t[0]), new GradInput(Uniform(37, [3, 7], -4, 4), [3, 7])),
            Case("sigmoid", t => F.Sigmoid(t[0]), new GradInput(Uniform(38, [3, 7], -6, 6), [3, 7])),
            Case("maxpool2d 2x2 [2,3,5,4]", t => F.MaxPool2d(t[0], 2), Distinct(39, 2, 3, 5, 4)),
            Case("maxpool2d 3x3 stride 2 pad 1 [1,2,7,6]", t => F.MaxPool2d(t[0], 3, 2, 1), Distinct(40, 1, 2, 7, 6)),
            Case("maxpool2d 3x3 s2 pad [1,1,0,0] [1,2,8,7]", t => F.MaxPool2d(t[0], 3, 2, new Padding2d(1, 1, 0, 0)), Distinct(70, 1, 2, 8, 7)),
            Case("avgpool2d 2x2 [2,3,5,4]", t => F.AvgPool2d(t[0], 2), In(41, 2, 3, 5, 4)),
            Case("avgpool2d 3x3 stride 2 pad 1 [1,2,7,6]", t => F.AvgPool2d(t[0], 3, 2, 1), In(42, 1, 2, 7, 6)),
            Case("adaptive_avgpool2d(1) [2,3,3,5]", t => F.AdaptiveAvgPool2d(t[0]), In(43, 2, 3, 3, 5)),
            Case("cat dim 1 [2,1,3,3]+[2,3,3,3]+[2,2,3,3]", t => F.Cat(t[0], t[1], t[2]), In(44, 2, 1, 3, 3), In(45, 2, 3, 3, 3), In(46, 2, 2, 3, 3)),
            Case("dropout p=0.3 (seeded)", t => F.Dropout(t[0], 0.3, training: true, seed: 99), In(47, 4, 9)),
            Case("cross_entropy (class weights, ignored row)", t => F.CrossEntropy(t[0], t[1], t[2]), In(48, 5, 3), targets, classWeights),
            Case("mse_loss", t => F.MseLoss(t[0], t[1]), In(49, 6), In(50, 6)),
            Case("bce_with_logits", t => F.BceWithLogits(t[0], t[1]), new GradInput(Uniform(51, [4, 3], -3, 3), [4, 3]), bceTargets),
            Case("fused bn+gelu+maxpool 2x2 [2,3,5,4]", t =>
                    F.BatchNormActPool(t[0], t[1], t[2], t[3].CloneDetached(), t[4].CloneDetached(), training: true, Activation.Gelu, pool: 2),
                Distinct(57, 2, 3, 5, 4), In(58, 3), In(59, 3), bnMean, bnVar),
            Case("fused bn+relu+maxpool 3x3 [2,3,7,6]", t =>
                    F.BatchNormActPool(t[0], t[1], t[2], t[3].CloneDetached(), t[4].CloneDetached(), training: true, Activation.Relu, pool: 3),
                Distinct(60, 2, 3, 7, 6), new GradInput([0.8, -1.1, 0.6], [3]), new GradInput([0.3, 0.2, 0.5], [3]), bnMean, bnVar),
            Case("fused bn+gelu [3,3,2,3]", t =>
                    F.BatchNormActPool(t[0], t[1], t[2], t[3].CloneDetached(), t[4].CloneDetached(), training: true, Activation.Gelu, pool: 1),
                In(61, 3, 3, 2, 3), In(62, 3), In(63, 3), bnMean, bnVar),
            Case("conv-bn-gelu-maxpool chain", t =>
                    F.MaxPool2d(F.Gelu(F.BatchNorm2d(F.Conv2d(t[0], t[1], t[2], 1, 1), t[3], t[4], t[5].CloneDetached(), t[6].CloneDetached(), training: true)), 2),
                In(52, 2, 2, 4, 4), In(53, 3, 2, 3, 3), In(54, 3), In(55, 3), In(56, 3), bnMean, bnVar),
        ];
    }
}
