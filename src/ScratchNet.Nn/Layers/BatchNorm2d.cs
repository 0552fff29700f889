using ScratchNet.Kernels;
using ScratchNet.Nn.Modules;
using ScratchNet.Tensors;

namespace ScratchNet.Nn.Layers;

/// <summary>
/// Batch normalisation over (N, H, W), PyTorch's <c>nn.BatchNorm2d</c>: training normalises with batch statistics
/// and updates <c>running_mean</c>/<c>running_var</c> (momentum 0.1, unbiased variance) and
/// <c>num_batches_tracked</c> (int64); eval uses the running statistics. γ = 1, β = 0 at init.
/// </summary>
public sealed class BatchNorm2d : Layer
{
    /// <summary>Creates the layer for <paramref name="numFeatures"/> channels.</summary>
    public BatchNorm2d(int numFeatures, double eps = 1e-5, double momentum = 0.1, DType dtype = DType.Float32, Device? device = null)
    {
        if (numFeatures <= 0) throw new ArgumentException($"BatchNorm2d: numFeatures must be positive, got {numFeatures}");
        device ??= Device.Cpu;
        NumFeatures = numFeatures; Eps = eps; Momentum = momentum;
        Weight = RegisterParameter("weight", Tensor.Ones([numFeatures], dtype, device));
        Bias = RegisterParameter("bias", Tensor.Zeros([numFeatures], dtype, device));
        RunningMean = RegisterBuffer("running_mean", Tensor.Zeros([numFeatures], dtype, device));
        RunningVar = RegisterBuffer("running_var", Tensor.Ones([numFeatures], dtype, device));
    }

    /// <summary>Channels.</summary>
    public int NumFeatures { get; }
    /// <summary>ε added to the variance.</summary>
    public double Eps { get; }
    /// <summary>Running-stat momentum.</summary>
    public double Momentum { get; }
    /// <summary>γ [C].</summary>
    public Tensor Weight { get; }
    /// <summary>β [C].</summary>
    public Tensor Bias { get; }
    /// <summary>Running mean [C].</summary>
    public Tensor RunningMean { get; }
    /// <summary>Running (unbiased) variance [C].</summary>
    public Tensor RunningVar { get; }
    /// <summary>Training batches seen (PyTorch's int64 <c>num_batches_tracked</c>).</summary>
    public long NumBatchesTracked { get; private set; }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x)
    {
        var y = Functional.BatchNorm2d(x, Weight, Bias, RunningMean, RunningVar, Training, Momentum, Eps);
        if (Training) NumBatchesTracked++;
        return y;
    }

    /// <summary>
    /// This layer, then <paramref name="activation"/>, then a <paramref name="pool"/>×<paramref name="pool"/> max-pool
    /// (1 = none) as one fused op (<see cref="Functional.BatchNormActPool"/>): what <see cref="Sequential"/> runs when
    /// it meets that pattern. Same outputs, running-stat updates and gradients as the layers one by one.
    /// </summary>
    public Tensor ForwardFused(Tensor x, Activation activation, int pool)
    {
        var y = Functional.BatchNormActPool(x, Weight, Bias, RunningMean, RunningVar, Training, activation, pool, Momentum, Eps);
        if (Training) NumBatchesTracked++;
        return y;
    }

    /// <inheritdoc/>
    protected override IEnumerable<(string Name, HostTensor Value)> ExtraState() =>
        [("num_batches_tracked", new HostTensor(HostDType.Int64, [], new[] { NumBatchesTracked }))];

    /// <inheritdoc/>
    protected override void LoadExtraState(string name, HostTensor value)
    {
        if (name != "num_batches_tracked") base.LoadExtraState(name, value);
        NumBatchesTracked = (long)value.ToDoubles()[0];
    }
}
