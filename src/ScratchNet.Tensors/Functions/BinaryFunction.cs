using ScratchNet.Kernels;
using ScratchNet.Tensors.Autograd;

namespace ScratchNet.Tensors.Functions;

/// <summary>
/// Broadcasting elementwise add, subtract, multiply, divide (NumPy rules, rank ≤ 4).
/// Forward <c>out = a op b</c>. Backward, before summing each gradient back to its operand's shape
/// (<c>SumTo</c>, the adjoint of broadcasting):
/// add: (g, g); sub: (g, −g); mul: (g·b, g·a); div: (g/b, −g·a/b²).
/// </summary>
public sealed class BinaryFunction : Function
{
    private readonly BinaryOp op;
    private readonly int[] aShape, bShape;
    private Tensor? a, b;

    private BinaryFunction(BinaryOp op, int[] aShape, int[] bShape)
    {
        this.op = op;
        this.aShape = aShape;
        this.bShape = bShape;
    }

    /// <inheritdoc/>
    public override string Name => op.ToString();

    /// <summary>Computes <c>a op b</c> with broadcasting.</summary>
    public static Tensor Apply(BinaryOp op, Tensor a, Tensor b)
    {
        string name = op.ToString();
        Guard.Compatible(name, a, b);
        Guard.Floating(name, a, "a");
        Guard.Floating(name, b, "b");
        var output = Elementwise.Binary(op, a, b);
        if (!NeedsGrad(a, b)) return output;
        var fn = new BinaryFunction(op, a.ShapeArray, b.ShapeArray);
        // Only mul and div read the operands in their backward.
        if (op is BinaryOp.Mul or BinaryOp.Div)
        {
            fn.a = fn.Save(a);
            fn.b = fn.Save(b);
        }
        return fn.Record(output, a, b);
    }

    /// <inheritdoc/>
    protected internal override Tensor?[] Backward(Tensor g)
    {
        bool needA = Inputs[0] is not null, needB = Inputs[1] is not null;
        Tensor? ga = null, gb = null;
        switch (op)
        {
            case BinaryOp.Add:
                if (needA) ga = Reduce.SumTo(g, aShape);
                if (needB) gb = Reduce.SumTo(g, bShape);
                break;
            case BinaryOp.Sub:
                if (needA) ga = Reduce.SumTo(g, aShape);
                if (needB)
                {
                    using var neg = Elementwise.Scale(g, -1);
                    gb = Reduce.SumTo(neg, bShape);
                }
                break;
            case BinaryOp.Mul:
                if (needA) { using var t = Elementwise.Binary(BinaryOp.Mul, g, b!); ga = Reduce.SumTo(t, aShape); }
                if (needB) { using var t = Elementwise.Binary(BinaryOp.Mul, g, a!); gb = Reduce.SumTo(t, bShape); }
                break;
            case BinaryOp.Div:
                if (needA) { using var t = Elementwise.Binary(BinaryOp.Div, g, b!); ga = Reduce.SumTo(t, aShape); }
                if (needB)
                {
                    // −g·a/b² = −(g·a/b)/b
                    using var ga_ = Elementwise.Binary(BinaryOp.Mul, g, a!);
                    using var q = Elementwise.Binary(BinaryOp.Div, ga_, b!);
                    using var q2 = Elementwise.Binary(BinaryOp.Div, q, b!);
                    using var neg = Elementwise.Scale(q2, -1);
                    gb = Reduce.SumTo(neg, bShape);
                }
                break;
        }
        return [ga, gb];
    }
}
