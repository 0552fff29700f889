using ScratchNet.Tensors;

namespace ScratchNet.Nn.Losses;

/// <summary>PyTorch's <c>nn.MSELoss</c>: <c>mean((ŷ − y)²)</c>, or per element with reduction "none".</summary>
public sealed class MseLoss(string reduction = "mean")
{
    /// <summary>"mean", "sum" or "none".</summary>
    public string Reduction { get; } = reduction;

    /// <summary>The loss.</summary>
    public Tensor Forward(Tensor prediction, Tensor target) => Functional.MseLoss(prediction, target, Reduction);
}
