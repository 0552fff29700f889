using ScratchNet.Kernels;
using ScratchNet.Tensors.Autograd;

namespace ScratchNet.Tensors;

/// <summary>One input of a gradient check: host values, a shape, a dtype override, and whether to check its gradient.</summary>
/// <param name="Values">Values in row-major order.</param>
/// <param name="Shape">The tensor's shape.</param>
/// <param name="RequiresGrad">Check this input's gradient (false for targets, masks, running stats).</param>
/// <param name="DType">Fixed dtype (e.g. Int32 targets); null means the check's floating dtype.</param>
public sealed record GradInput(double[] Values, int[] Shape, bool RequiresGrad = true, DType? DType = null);

/// <summary>The outcome of one gradient check.</summary>
public sealed record GradCheckResult(string Op, string Backend, DType DType, double MaxAbsError, double MaxRelError,
    double MaxErrorVsFloat64, bool Passed, string Detail);

/// <summary>
/// Finite-difference gradient checking, as PyTorch's <c>torch.autograd.gradcheck</c>: every element of every
/// checked input is nudged by ±eps and the central difference <c>(L(x+e) − L(x−e)) / 2e</c> is compared with
/// the gradient autograd computed.
/// </summary>
/// <remarks>
/// The op's output is reduced to a scalar with a fixed random projection <c>L = Σ out ⊙ R</c>, not <c>sum()</c>:
/// an all-ones upstream gradient hides bugs such as a transposed or permuted gradient.
/// float64: eps 1e-6, pass when |analytic − numeric| ≤ 1e-5 + 1e-3·|numeric| (PyTorch's defaults).
/// float32: eps 1e-3 with tolerances 1e-2, and the float32 analytic gradient must also match the float64 one on
/// the same backend to 1e-3 absolute + 1e-3 relative (catches float32-only kernel bugs that a loose
/// finite-difference tolerance would miss).
/// </remarks>
public static class GradCheck
{
    /// <summary>Runs the check of <paramref name="op"/> on <paramref name="device"/> in <paramref name="dtype"/>.</summary>
    /// <param name="op">Name printed in the report.</param>
    /// <param name="device">Where to run.</param>
    /// <param name="dtype">Float32 or Float64.</param>
    /// <param name="f">Builds the op's output from the inputs; called many times, so it must be deterministic
    /// (fixed dropout seed; fresh running stats each call).</param>
    /// <param name="inputs">The inputs.</param>
    /// <param name="seed">Seed of the projection R.</param>
    public static GradCheckResult Check(string op, Device device, DType dtype, Func<Tensor[], Tensor> f, IReadOnlyList<GradInput> inputs, int seed = 1234)
    {
        if (!dtype.IsFloating()) throw new ArgumentException($"GradCheck: dtype must be floating, got {dtype.Name()}");
        bool f64 = dtype == DType.Float64;
        double eps = f64 ? 1e-6 : 1e-3, atol = f64 ? 1e-5 : 1e-2, rtol = f64 ? 1e-3 : 1e-2;

        var analytic = Analytic(device, dtype, f, inputs, seed, out double[] projection);
        double maxAbs = 0, maxRel = 0, vs64 = 0;
        bool passed = true;
        string detail = "";
        for (int k = 0; k < inputs.Count; k++)
        {
            if (!inputs[k].RequiresGrad) continue;
            var values = (double[])inputs[k].Values.Clone();
            for (int j = 0; j < values.Length; j++)
            {
                double x0 = values[j];
                // Round the perturbed points to the working dtype and divide by the step actually taken.
                double xp = Round(x0 + eps, dtype), xm = Round(x0 - eps, dtype);
                values[j] = xp;
                double lp = Evaluate(device, dtype, f, inputs, k, values, projection);
                values[j] = xm;
                double lm = Evaluate(device, dtype, f, inputs, k, values, projection);
                values[j] = x0;
                double numeric = (lp - lm) / (xp - xm);
                double a = analytic[k][j];
                double abs = Math.Abs(a - numeric);
                double rel = abs / Math.Max(Math.Abs(numeric), 1e-12);
                maxAbs = Math.Max(maxAbs, abs);
                if (abs > atol) maxRel = Math.Max(maxRel, rel);
                if (!(abs <= atol + rtol * Math.Abs(numeric)))
                {
                    if (passed) detail = $"input {k} element {j}: analytic {a:G6}, numeric {numeric:G6}";
                    passed = false;
                }
            }
        }

        if (!f64)
        {
            var reference = Analytic(device, DType.Float64, f, inputs, seed, out _);
            for (int k = 0; k < inputs.Count; k++)
            {
                if (!inputs[k].RequiresGrad) continue;
                for (int j = 0; j < reference[k].Length; j++)
                {
                    double abs = Math.Abs(analytic[k][j] - reference[k][j]);
                    vs64 = Math.Max(vs64, abs / (1e-3 + 1e-3 * Math.Abs(reference[k][j])));
                    if (abs > 1e-3 + 1e-3 * Math.Abs(reference[k][j]))
                    {
                        if (passed) detail = $"input {k} element {j}: float32 gradient {analytic[k][j]:G6} vs float64 {reference[k][j]:G6}";
                        passed = false;
                    }
                }
            }
        }
        return new GradCheckResult(op, device.Name, dtype, maxAbs, maxRel, vs64, passed, detail);
    }

    private static double Round(double v, DType dtype) => dtype == DType.Float32 ? (float)v : v;

    private static Tensor[] Make(Device device, DType dtype, IReadOnlyList<GradInput> inputs, int replaced, double[]? values, bool withGrad)
    {
        var ts = new Tensor[inputs.Count];
        for (int k = 0; k < inputs.Count; k++)
        {
            var input = inputs[k];
            ts[k] = Tensor.FromDoubles(k == replaced ? values! : input.Values, input.Shape, input.DType ?? dtype, device);
            if (withGrad && input.RequiresGrad) ts[k].RequiresGrad = true;
        }
        return ts;
    }

    // Autograd's gradient of L = Σ out ⊙ R for every checked input (host copies).
    private static double[][] Analytic(Device device, DType dtype, Func<Tensor[], Tensor> f, IReadOnlyList<GradInput> inputs, int seed, out double[] projection)
    {
        using var scope = TensorScope.Begin();
        var ts = Make(device, dtype, inputs, -1, null, withGrad: true);
        var output = f(ts);
        var rng = new Random(seed);
        projection = new double[output.Numel];
        for (int i = 0; i < projection.Length; i++) projection[i] = rng.NextDouble() * 2 - 1;
        var r = Tensor.FromDoubles(projection, output.ShapeArray, dtype, device);
        var loss = Functional.Sum(Functional.Mul(output, r));
        loss.Backward();
        var grads = new double[inputs.Count][];
        for (int k = 0; k < inputs.Count; k++)
        {
            if (!inputs[k].RequiresGrad) { grads[k] = []; continue; }
            grads[k] = ts[k].Grad?.ToDoubleArray() ?? new double[inputs[k].Values.Length];
        }
        return grads;
    }

    private static double Evaluate(Device device, DType dtype, Func<Tensor[], Tensor> f, IReadOnlyList<GradInput> inputs, int replaced, double[] values, double[] projection)
    {
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        var ts = Make(device, dtype, inputs, replaced, values, withGrad: false);
        var output = f(ts).ToDoubleArray();
        double sum = 0;
        for (int i = 0; i < output.Length; i++) sum += output[i] * projection[i];
        return sum;
    }
}

/// <summary>Gradient checks of whole models: parameters that live inside a module, checked in place.</summary>
public static class ParameterGradCheck
{
    /// <summary>
    /// Checks d(loss)/d(parameter) for named parameters that the model owns: the analytic gradient from one
    /// backward, against central differences obtained by nudging each sampled element in place and re-running
    /// <paramref name="loss"/> without gradients. Up to <paramref name="samplesPerParameter"/> elements per tensor
    /// (all when it has fewer), chosen with a seeded RNG; float64 tolerances as <see cref="GradCheck"/>.
    /// </summary>
    /// <returns>The worst relative error (over elements whose gradient is at least 1e-4), the worst absolute error, and every failure.</returns>
    public static (double WorstRelError, double WorstAbsError, IReadOnlyList<string> Failures) Check(
        IReadOnlyList<(string Name, Tensor Parameter)> parameters, Func<Tensor> loss, int samplesPerParameter, int seed = 7,
        double eps = 1e-6, double atol = 1e-5, double rtol = 1e-3)
    {
        foreach (var (_, p) in parameters) p.ZeroGrad();
        using (var scope = TensorScope.Begin())
        {
            var l = loss();
            l.Backward();
        }
        var failures = new List<string>();
        double worstRel = 0, worstAbs = 0;
        var rng = new Random(seed);
        foreach (var (name, p) in parameters)
        {
            var analytic = p.Grad?.ToDoubleArray() ?? new double[p.Numel];
            var values = p.ToDoubleArray();
            var indices = Enumerable.Range(0, values.Length).ToArray();
            rng.Shuffle(indices);
            foreach (int j in indices.Take(samplesPerParameter))
            {
                double x0 = values[j];
                values[j] = x0 + eps;
                double lp = Evaluate(p, values, loss);
                values[j] = x0 - eps;
                double lm = Evaluate(p, values, loss);
                values[j] = x0;
                double numeric = (lp - lm) / (2 * eps);
                double abs = Math.Abs(analytic[j] - numeric);
                worstAbs = Math.Max(worstAbs, abs);
                // Relative error only means something where the gradient is not ~0.
                if (Math.Abs(numeric) >= 1e-4) worstRel = Math.Max(worstRel, abs / Math.Abs(numeric));
                if (!(abs <= atol + rtol * Math.Abs(numeric)))
                    failures.Add($"{name}[{j}]: analytic {analytic[j]:G6}, numeric {numeric:G6}");
            }
            Upload(p, values);
        }
        return (worstRel, worstAbs, failures);
    }

    private static double Evaluate(Tensor p, double[] values, Func<Tensor> loss)
    {
        Upload(p, values);
        using var scope = TensorScope.Begin();
        using var noGrad = GradMode.NoGrad();
        return loss().Item();
    }

    private static void Upload(Tensor p, double[] values)
    {
        using var t = Tensor.FromDoubles(values, p.Shape.ToArray(), p.DType, p.Device);
        t.CopyTo(p);
    }
}
