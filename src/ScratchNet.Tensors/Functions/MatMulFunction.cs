using ScratchNet.Tensors.Autograd;

namespace ScratchNet.Tensors.Functions;

/// <summary>
/// Matrix product of 2-D tensors: <c>C[M,N] = A[M,K]·B[K,N]</c>. Backward: <c>dA = dC·Bᵀ</c>, <c>dB = Aᵀ·dC</c>.
/// PyTorch: <c>torch.matmul</c> on matrices.
/// </summary>
public sealed class MatMulFunction : Function
{
    private Tensor? a, b;

    /// <inheritdoc/>
    public override string Name => "MatMul";

    /// <summary>Computes <c>A·B</c>.</summary>
    public static Tensor Apply(Tensor a, Tensor b)
    {
        Guard.Compatible("MatMul", a, b);
        Guard.Floating("MatMul", a, "A");
        Guard.Rank("MatMul", a, 2, "A", "[M, K]");
        Guard.Rank("MatMul", b, 2, "B", "[K, N]");
        int m = a.Dim(0), k = a.Dim(1), n = b.Dim(1);
        if (b.Dim(0) != k)
            throw new ArgumentException($"MatMul: inner dims differ: A {ShapeUtil.Format(a.ShapeArray)} · B {ShapeUtil.Format(b.ShapeArray)}");
        var c = Tensor.Empty([m, n], a.DType, a.Device);
        a.Device.Backend.Gemm(false, false, m, n, k, 1, a.Buffer, b.Buffer, 0, c.Buffer);
        if (!NeedsGrad(a, b)) return c;
        var fn = new MatMulFunction();
        fn.a = fn.Save(a);
        fn.b = fn.Save(b);
        return fn.Record(c, a, b);
    }

    /// <inheritdoc/>
    protected internal override Tensor?[] Backward(Tensor g)
    {
        int m = a!.Dim(0), k = a.Dim(1), n = b!.Dim(1);
        var be = g.Device.Backend;
        Tensor? da = null, db = null;
        if (Inputs[0] is not null)
        {
            da = Tensor.Empty([m, k], g.DType, g.Device);
            be.Gemm(false, true, m, k, n, 1, g.Buffer, b.Buffer, 0, da.Buffer);
        }
        if (Inputs[1] is not null)
        {
            db = Tensor.Empty([k, n], g.DType, g.Device);
            be.Gemm(true, false, k, n, m, 1, a.Buffer, g.Buffer, 0, db.Buffer);
        }
        return [da, db];
    }
}
