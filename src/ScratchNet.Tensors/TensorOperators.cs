namespace ScratchNet.Tensors;

public sealed partial class Tensor
{
    /// <summary><c>a + b</c> with broadcasting.</summary>
    public static Tensor operator +(Tensor a, Tensor b) => Functional.Add(a, b);
    /// <summary><c>a − b</c> with broadcasting.</summary>
    public static Tensor operator -(Tensor a, Tensor b) => Functional.Sub(a, b);
    /// <summary>Elementwise <c>a · b</c> with broadcasting.</summary>
    public static Tensor operator *(Tensor a, Tensor b) => Functional.Mul(a, b);
    /// <summary>Elementwise <c>a / b</c> with broadcasting.</summary>
    public static Tensor operator /(Tensor a, Tensor b) => Functional.Div(a, b);
    /// <summary><c>α·x</c>.</summary>
    public static Tensor operator *(Tensor x, double alpha) => Functional.Scale(x, alpha);
    /// <summary><c>α·x</c>.</summary>
    public static Tensor operator *(double alpha, Tensor x) => Functional.Scale(x, alpha);
    /// <summary><c>−x</c>.</summary>
    public static Tensor operator -(Tensor x) => Functional.Scale(x, -1);
}
