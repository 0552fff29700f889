using ScratchNet.Kernels;
using ScratchNet.Nn.Losses;
using ScratchNet.Nn.Optim;
using ScratchNet.Tensors;
using F = ScratchNet.Tensors.Functional;

using ScratchNet.Tests.Seed;

namespace ScratchNet.Tests.Nn;

/// <summary>The seed's masked loss, the optimizers' update rules and the schedules.</summary>
public class LossAndOptimTests
{
    private static readonly Device Cpu = Device.Cpu;

    private static Tensor T(double[] v, params int[] shape) => Tensor.FromDoubles(v, shape, DType.Float64, Cpu);

    private static double SeedLoss(double[,] logits, int[] labels, double[] pred, double[] aqi)
    {
        // The seed's MultiDomainLoss written out on the host.
        int n = labels.Length;
        double ce = 0, num = 0, count = 0;
        for (int i = 0; i < n; i++)
        {
            double m = Math.Max(logits[i, 0], logits[i, 1]);
            double lse = m + Math.Log(Math.Exp(logits[i, 0] - m) + Math.Exp(logits[i, 1] - m));
            ce += lse - logits[i, labels[i]];
            int argmax = logits[i, 1] > logits[i, 0] ? 1 : 0;
            if (argmax == labels[i]) { num += (pred[i] - aqi[i]) * (pred[i] - aqi[i]); count++; }
        }
        return 0.1 * ce / n + 0.9 * (count > 0 ? num / count : 0);
    }

    [Theory]
    [InlineData(new[] { 1, 0, 1 }, "all correct")]
    [InlineData(new[] { 0, 1, 0 }, "none correct")]
    [InlineData(new[] { 1, 1, 0 }, "mixed")]
    public void MultiDomainLossMatchesTheSeedsDefinition(int[] labels, string caseName)
    {
        double[,] logits = { { -0.5, 1.5 }, { 2.0, -1.0 }, { 0.1, 0.4 } }; // predicted classes 1, 0, 1
        double[] pred = [120, -3, 80], aqi = [100, -1, 95];
        using var l = T([-0.5, 1.5, 2.0, -1.0, 0.1, 0.4], 3, 2);
        using var p = T(pred, 3);
        using var a = T(aqi, 3);
        using var y = Tensor.FromArray(labels, [3], Cpu);
        using var loss = new MultiDomainLoss().Forward(l, p, y, a);
        double value = loss.Item();
        Assert.False(double.IsNaN(value), caseName);
        Assert.Equal(SeedLoss(logits, labels, pred, aqi), value, 10);
    }

    [Fact]
    public void NoneCorrectGivesZeroRegressionAndNoNaNGradient()
    {
        using var l = T([-0.5, 1.5, 2.0, -1.0], 2, 2);
        l.RequiresGrad = true;
        using var p = T([120, -3], 2);
        p.RequiresGrad = true;
        using var y = Tensor.FromArray(new[] { 0, 1 }, [2], Cpu);
        using var a = T([100, -1], 2);
        var (loss, ce, r) = new MultiDomainLoss().ForwardWithParts(l, p, y, a);
        using (loss)
        {
            Assert.Equal(0, r);
            loss.Backward();
        }
        Assert.All(p.Grad!.ToDoubleArray(), g => Assert.Equal(0, g));
        Assert.All(l.Grad!.ToDoubleArray(), g => Assert.False(double.IsNaN(g)));
    }

    [Fact]
    public void TheMaskCarriesNoGradientToTheLogits()
    {
        // With α = 0 only the masked regression remains: if gradient leaked through argmax, the logits would get some.
        using var l = T([-0.5, 1.5, 2.0, -1.0], 2, 2);
        l.RequiresGrad = true;
        using var p = T([120, -3], 2);
        p.RequiresGrad = true;
        using var y = Tensor.FromArray(new[] { 1, 0 }, [2], Cpu);
        using var a = T([100, -1], 2);
        using var loss = new MultiDomainLoss(alpha: 0, beta: 1).Forward(l, p, y, a);
        loss.Backward();
        Assert.All(l.Grad?.ToDoubleArray() ?? [], g => Assert.Equal(0, g)); // α·CE contributes 0·∇, the mask nothing
        // dR/dŷ_i = 2(ŷ_i − y_i)/count over correct samples.
        Assert.Equal([20.0, -2.0], p.Grad!.ToDoubleArray());
    }

    [Fact]
    public void AdamFollowsPyTorchsUpdateForThreeSteps()
    {
        double lr = 0.1, b1 = 0.9, b2 = 0.999, eps = 1e-8, wd = 0.01;
        double theta = 0.7, m = 0, v = 0;
        using var w = T([0.7], 1);
        w.RequiresGrad = true;
        using var opt = new Adam([w], lr, b1, b2, eps, wd);
        for (int t = 1; t <= 3; t++)
        {
            // loss = w³ → g = 3w²
            using (var scope = TensorScope.Begin())
            {
                opt.ZeroGrad();
                var loss = F.Sum(w * w * w);
                loss.Backward();
                opt.Step();
            }
            double g = 3 * theta * theta + wd * theta;
            m = b1 * m + (1 - b1) * g;
            v = b2 * v + (1 - b2) * g * g;
            theta -= lr * (m / (1 - Math.Pow(b1, t))) / (Math.Sqrt(v / (1 - Math.Pow(b2, t))) + eps);
            Assert.Equal(theta, w.ToDoubleArray()[0], 12);
        }
    }

    [Fact]
    public void AdamWDecaysTheWeightsDecoupled()
    {
        using var w = T([2.0], 1);
        w.RequiresGrad = true;
        using var opt = new AdamW([w], lr: 0.1, weightDecay: 0.5);
        using (var scope = TensorScope.Begin())
        {
            var loss = F.Sum(w * 0.0); // zero gradient: only the decay moves θ, and Adam's step is 0/(0+ε) = 0
            loss.Backward();
            opt.Step();
        }
        Assert.Equal(2.0 * (1 - 0.1 * 0.5), w.ToDoubleArray()[0], 12);
    }

    [Fact]
    public void SgdNesterovMatchesTheDefinition()
    {
        double lr = 0.05, mu = 0.9, theta = 1.0, buf = 0;
        using var w = T([1.0], 1);
        w.RequiresGrad = true;
        using var opt = new Sgd([w], lr, momentum: mu, nesterov: true);
        for (int t = 0; t < 3; t++)
        {
            using (var scope = TensorScope.Begin())
            {
                opt.ZeroGrad();
                var loss = F.Sum(w * w); // g = 2θ
                loss.Backward();
                opt.Step();
            }
            double g = 2 * theta;
            buf = t == 0 ? g : mu * buf + g;
            theta -= lr * (g + mu * buf);
            Assert.Equal(theta, w.ToDoubleArray()[0], 12);
        }
    }

    [Fact]
    public void OptimizerStateRoundTripsThroughItsStateDict()
    {
        using var w = T([0.3, -0.2], 2);
        w.RequiresGrad = true;
        using var opt = new Adam([w], 0.01);
        using (var scope = TensorScope.Begin()) { F.Sum(w * w).Backward(); opt.Step(); }
        var state = opt.StateDict();
        using var w2 = T([0.3, -0.2], 2);
        w2.RequiresGrad = true;
        using var opt2 = new Adam([w2], 0.5);
        opt2.LoadStateDict(state);
        Assert.Equal(1, opt2.StepCount);
        Assert.Equal(0.01, opt2.Lr);
        Assert.Equal(state["state.0.exp_avg"].ToDoubles(), opt2.StateDict()["state.0.exp_avg"].ToDoubles());
    }

    [Fact]
    public void ReduceLROnPlateauCutsAfterPatienceAndRespectsTheFloor()
    {
        using var w = T([1.0], 1);
        w.RequiresGrad = true;
        using var opt = new Adam([w], 1e-3);
        var sched = new ReduceLROnPlateau(opt, factor: 0.1, patience: 2, minLr: 5e-5);
        Assert.False(sched.Step(1.0));
        Assert.False(sched.Step(1.0)); // bad 1
        Assert.False(sched.Step(1.0)); // bad 2
        Assert.True(sched.Step(1.0));  // bad 3 > patience
        Assert.Equal(1e-4, opt.Lr, 12);
        for (int i = 0; i < 3; i++) sched.Step(1.0);
        Assert.Equal(5e-5, opt.Lr, 12); // floor
        Assert.False(sched.Step(0.5) && opt.Lr != 5e-5);
    }

    [Fact]
    public void EarlyStoppingStopsAfterPatienceAndRestoresTheBestWeights()
    {
        using var model = new ScratchNet.Nn.Layers.Linear(2, 1);
        var stop = new EarlyStopping(patience: 2, mode: "min");
        Assert.False(stop.Step(3.0, model));
        var best = model.StateDict()["weight"].ToDoubles();
        using (var noGrad = ScratchNet.Tensors.Autograd.GradMode.NoGrad())
            Tensor.Full([1, 2], 9, DType.Float32, Device.Cpu).CopyTo(model.Weight);
        Assert.False(stop.Step(3.5, model));
        Assert.True(stop.Step(4.0, model));
        stop.RestoreBest(model);
        Assert.Equal(best, model.StateDict()["weight"].ToDoubles());
        Assert.Equal(0, stop.BestEpoch);
    }
}
