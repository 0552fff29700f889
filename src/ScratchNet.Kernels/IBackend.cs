namespace ScratchNet.Kernels;

/// <summary>
/// The backend contract: every kernel ScratchNet runs, on raw buffers and sizes. It knows nothing of tensors
/// or autograd (as llm.c's <c>gelu_forward(out, inp, N)</c>). Two implementations: <c>Cpu.CpuBackend</c>
/// (SIMD C#) and <c>Ilgpu.IlgpuBackend</c> (CUDA, OpenCL, ILGPU's CPU simulator).
/// </summary>
/// <remarks>
/// Rules every implementation follows, so the two are interchangeable:
/// <list type="bullet">
/// <item>All buffers are contiguous, row-major (NCHW for images). Sizes come from the arguments, never from
/// <see cref="DeviceBuffer.Length"/> (buffers may be over-allocated by the caching allocator).</item>
/// <item>Floating kernels work for Float32 and Float64: the dtype of the first floating argument decides and
/// all floating arguments share it. Integer buffers (targets, indices) are Int32.</item>
/// <item>Outputs are overwritten, never accumulated into, unless the method says "accumulates".</item>
/// <item>Scalar arguments are passed as <c>double</c> and converted to the buffer's dtype.</item>
/// <item>Kernels may run asynchronously; <see cref="Download{T}"/> and <see cref="Synchronize"/> wait.</item>
/// <item>Callers (the Tensors layer) validate shapes before a launch: an out-of-range index inside an ILGPU
/// CPU kernel kills the process, so kernels themselves do not check.</item>
/// </list>
/// </remarks>
public interface IBackend : IDisposable
{
    /// <summary>Short name: <c>cpu</c>, <c>cuda</c>, <c>opencl</c>, <c>ilgpu-cpu</c>.</summary>
    string Name { get; }

    /// <summary>Human-readable device description (e.g. the GPU's name and memory).</summary>
    string Description { get; }

    // ---------------------------------------------------------------- memory

    /// <summary>Allocates <paramref name="length"/> elements; contents are unspecified.</summary>
    DeviceBuffer Allocate(DType dtype, long length);

    /// <summary>Copies host data into the first <c>src.Length</c> elements of <paramref name="dst"/>.</summary>
    void Upload<T>(ReadOnlySpan<T> src, DeviceBuffer dst) where T : unmanaged;

    /// <summary>Copies the first <c>dst.Length</c> elements of <paramref name="src"/> to the host (waits for pending kernels).</summary>
    void Download<T>(DeviceBuffer src, Span<T> dst) where T : unmanaged;

    /// <summary><c>dst[dstOffset + i] = src[srcOffset + i]</c> for i &lt; count; same dtype.</summary>
    void Copy(DeviceBuffer src, long srcOffset, DeviceBuffer dst, long dstOffset, long count);

    /// <summary>Waits until every launched kernel has finished.</summary>
    void Synchronize();

    // ---------------------------------------------------------------- elementwise

    /// <summary><c>y[i] = value</c> for i &lt; n (any dtype; Int32 takes the value truncated).</summary>
    void Fill(DeviceBuffer y, long n, double value);

    /// <summary><c>y[i] = alpha·x[i]</c>; y may be x.</summary>
    void Scale(DeviceBuffer x, DeviceBuffer y, long n, double alpha);

    /// <summary><c>y[i] += alpha·x[i]</c> (accumulates): gradient accumulation.</summary>
    void Axpy(DeviceBuffer x, DeviceBuffer y, long n, double alpha);

    /// <summary><c>y[i] = max(x[i], min)</c>; y may be x.</summary>
    void ClampMin(DeviceBuffer x, DeviceBuffer y, long n, double min);

    /// <summary>
    /// <c>out[i] = a[ia] op b[ib]</c> over the broadcast index space <paramref name="shape"/> (see
    /// <see cref="Broadcast4"/>); out has <c>shape.Count</c> elements. <paramref name="output"/> may be the same
    /// buffer as <paramref name="a"/> when a has the output's shape (in-place <c>a op= b</c>).
    /// </summary>
    void Binary(BinaryOp op, DeviceBuffer a, DeviceBuffer b, DeviceBuffer output, Broadcast4 shape);

    /// <summary>
    /// Sum-reduces <paramref name="x"/> of padded shape <paramref name="xDims"/> (4 dims) into <paramref name="y"/>
    /// of padded shape <paramref name="yDims"/>, where each y dim equals the x dim or is 1 (summed over):
    /// the backward of broadcasting, and every sum/mean reduction (a full sum has yDims = [1,1,1,1]).
    /// </summary>
    void SumTo(DeviceBuffer x, ReadOnlySpan<int> xDims, DeviceBuffer y, ReadOnlySpan<int> yDims);

    // ---------------------------------------------------------------- activations

    /// <summary>ReLU: <c>y = max(x, 0)</c>.</summary>
    void ReluForward(DeviceBuffer x, DeviceBuffer y, long n);

    /// <summary><c>dx = x &gt; 0 ? dy : 0</c> (gradient 0 at x = 0, as PyTorch).</summary>
    void ReluBackward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx, long n);

    /// <summary>Exact GELU: <c>y = x·Φ(x) = 0.5·x·(1 + erf(x/√2))</c>.</summary>
    void GeluForward(DeviceBuffer x, DeviceBuffer y, long n);

    /// <summary><c>dx = dy·(Φ(x) + x·φ(x))</c>, φ(x) = e^(−x²/2)/√(2π).</summary>
    void GeluBackward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dx, long n);

    /// <summary><c>y = 1/(1 + e^(−x))</c>, computed without overflow for large |x|.</summary>
    void SigmoidForward(DeviceBuffer x, DeviceBuffer y, long n);

    /// <summary><c>dx = dy·y·(1 − y)</c> from the forward output y.</summary>
    void SigmoidBackward(DeviceBuffer y, DeviceBuffer dy, DeviceBuffer dx, long n);

    // ---------------------------------------------------------------- matmul

    /// <summary>
    /// Row-major GEMM: <c>C = alpha·op(A)·op(B) + beta·C</c>, C is [M, N], op(A) is [M, K], op(B) is [K, N];
    /// A is stored [M, K] (or [K, M] when <paramref name="transA"/>), B is stored [K, N] (or [N, K] when
    /// <paramref name="transB"/>). beta = 0 means C is overwritten (its old contents, even NaN, are ignored).
    /// </summary>
    void Gemm(bool transA, bool transB, int m, int n, int k, double alpha, DeviceBuffer a, DeviceBuffer b, double beta, DeviceBuffer c);

    // ---------------------------------------------------------------- convolution

    /// <summary>
    /// <c>y[n,o,i,j] = bias[o] + Σ_c Σ_p Σ_q w[o,c,p,q]·x[n,c,i·s+p−pad, j·s+q−pad]</c> (zero padding);
    /// <paramref name="bias"/> may be null.
    /// </summary>
    void Conv2dForward(DeviceBuffer x, DeviceBuffer w, DeviceBuffer? bias, DeviceBuffer y, Conv2dShape s);

    /// <summary>Input gradient: <c>dx[n,c,h,w] = Σ_o Σ_p Σ_q w[o,c,p,q]·dy[n,o,i,j]</c> over (i,j) with i·s+p−pad = h, j·s+q−pad = w.</summary>
    void Conv2dBackwardInput(DeviceBuffer dy, DeviceBuffer w, DeviceBuffer dx, Conv2dShape s);

    /// <summary>Weight gradient: <c>dw[o,c,p,q] = Σ_n Σ_i Σ_j dy[n,o,i,j]·x[n,c,i·s+p−pad, j·s+q−pad]</c>.</summary>
    void Conv2dBackwardWeight(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer dw, Conv2dShape s);

    // ---------------------------------------------------------------- batch norm (x viewed as [N, C, HW])

    /// <summary>
    /// Training-mode batch norm: per channel c, <c>μ = mean(x)</c>, <c>σ² = biased var(x)</c> over N·HW;
    /// <c>y = γ·(x − μ)/√(σ² + eps) + β</c>. Saves μ in <paramref name="saveMean"/> and 1/√(σ²+eps) in
    /// <paramref name="saveInvStd"/> (both [C]). Updates <c>runningMean ← (1−m)·runningMean + m·μ</c> and
    /// <c>runningVar ← (1−m)·runningVar + m·σ²·n/(n−1)</c> (unbiased), n = N·HW.
    /// </summary>
    void BatchNormForwardTrain(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta, DeviceBuffer y,
        DeviceBuffer saveMean, DeviceBuffer saveInvStd, DeviceBuffer runningMean, DeviceBuffer runningVar,
        int n, int c, int hw, double momentum, double eps);

    /// <summary>Eval-mode batch norm: <c>y = γ·(x − runningMean)/√(runningVar + eps) + β</c>.</summary>
    void BatchNormForwardEval(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta, DeviceBuffer runningMean,
        DeviceBuffer runningVar, DeviceBuffer y, int n, int c, int hw, double eps);

    /// <summary>
    /// Training-mode batch-norm backward, x̂ = (x − μ)·invstd:
    /// <c>dx = (γ·invstd/m)·(m·dy − Σdy − x̂·Σ(dy·x̂))</c>, <c>dγ = Σ dy·x̂</c>, <c>dβ = Σ dy</c>, sums over N·HW, m = N·HW.
    /// </summary>
    void BatchNormBackward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer gamma, DeviceBuffer saveMean,
        DeviceBuffer saveInvStd, DeviceBuffer dx, DeviceBuffer dgamma, DeviceBuffer dbeta, int n, int c, int hw);

    // ---------------------------------------------------------------- pooling

    /// <summary>
    /// Max pooling with padding as −∞. <paramref name="indices"/> (Int32, one per output) receives the argmax as a
    /// flat index h·W + w within its (n, c) plane; the first maximum in row-major window order wins ties.
    /// </summary>
    void MaxPool2dForward(DeviceBuffer x, DeviceBuffer y, DeviceBuffer indices, Pool2dShape s);

    /// <summary>
    /// <c>dx[n,c,h,w] = Σ dy[n,c,i,j]</c> over windows whose argmax is (h,w); every dx element is written
    /// (zeros elsewhere). Overlapping windows (stride &lt; kernel) are summed deterministically.
    /// </summary>
    void MaxPool2dBackward(DeviceBuffer dy, DeviceBuffer indices, DeviceBuffer dx, Pool2dShape s);

    /// <summary>Average pooling, zero padding counted in the divisor K² (PyTorch's count_include_pad = true).</summary>
    void AvgPool2dForward(DeviceBuffer x, DeviceBuffer y, Pool2dShape s);

    /// <summary><c>dx[n,c,h,w] = Σ dy[n,c,i,j]/K²</c> over windows covering (h,w); every dx element is written.</summary>
    void AvgPool2dBackward(DeviceBuffer dy, DeviceBuffer dx, Pool2dShape s);

    /// <summary>Adaptive average pooling to 1×1: <c>y[r] = mean(x[r, 0..hw))</c> for r &lt; rows (rows = N·C).</summary>
    void GlobalAvgPoolForward(DeviceBuffer x, DeviceBuffer y, int rows, int hw);

    /// <summary><c>dx[r, k] = dy[r]/hw</c>.</summary>
    void GlobalAvgPoolBackward(DeviceBuffer dy, DeviceBuffer dx, int rows, int hw);

    // ---------------------------------------------------------------- fused batch norm → activation → max pool

    /// <summary>
    /// The block <c>y = maxpool(act(BN(x)))</c> in one launch (<see cref="BatchNormActPoolShape"/>), training mode:
    /// the statistics, <paramref name="saveMean"/>/<paramref name="saveInvStd"/> and the running-stat update exactly as
    /// <see cref="BatchNormForwardTrain"/>; then <c>z = γ·invstd·(x − μ) + β</c>, <c>g = act(z)</c> and, for
    /// Pool &gt; 1, <c>y = max of g over each Pool×Pool window</c> with <paramref name="indices"/> (Int32, one per output)
    /// receiving the argmax as the flat h·W + w within its plane (first maximum in row-major order wins, as
    /// <see cref="MaxPool2dForward"/>). For Pool = 1, <c>y = g</c> and <paramref name="indices"/> may be null.
    /// Neither z nor g is stored: the backward recomputes z from x.
    /// </summary>
    void BatchNormActPoolForwardTrain(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta, DeviceBuffer y, DeviceBuffer? indices,
        DeviceBuffer saveMean, DeviceBuffer saveInvStd, DeviceBuffer runningMean, DeviceBuffer runningVar,
        BatchNormActPoolShape s, double momentum, double eps);

    /// <summary>
    /// Eval mode of the same block, no argmax kept: <c>z = γ·(x − runningMean)/√(runningVar + eps) + β</c>,
    /// <c>y = maxpool(act(z))</c> (Pool = 1: <c>y = act(z)</c>).
    /// </summary>
    void BatchNormActPoolForwardEval(DeviceBuffer x, DeviceBuffer gamma, DeviceBuffer beta, DeviceBuffer runningMean,
        DeviceBuffer runningVar, DeviceBuffer y, BatchNormActPoolShape s, double eps);

    /// <summary>
    /// Backward of the training-mode block, m = N·H·W, x̂ = (x − μ)·invstd, z = γ·x̂ + β recomputed from x:
    /// <c>dg = dy</c> routed to each window's argmax (zero elsewhere; Pool = 1: <c>dg = dy</c>),
    /// <c>dz = dg·act′(z)</c>, then batch norm's backward on dz:
    /// <c>dγ = Σ dz·x̂</c>, <c>dβ = Σ dz</c>, <c>dx = (γ·invstd/m)·(m·dz − Σdz − x̂·Σ(dz·x̂))</c>.
    /// Every dx element is written (rows/columns the floor-mode pooling drops get only the batch-norm terms).
    /// </summary>
    void BatchNormActPoolBackward(DeviceBuffer x, DeviceBuffer dy, DeviceBuffer? indices, DeviceBuffer gamma, DeviceBuffer beta,
        DeviceBuffer saveMean, DeviceBuffer saveInvStd, DeviceBuffer dx, DeviceBuffer dgamma, DeviceBuffer dbeta, BatchNormActPoolShape s);

    // ---------------------------------------------------------------- concat / split along channels

    /// <summary>
    /// Copies <paramref name="c"/> channels of <paramref name="n"/> images of <paramref name="hw"/> pixels:
    /// <c>dst[b, dstC0 + k, p] = src[b, srcC0 + k, p]</c>, where src has <paramref name="srcChannels"/> channels and
    /// dst has <paramref name="dstChannels"/>. Concat's forward (into an offset) and backward (out of one).
    /// </summary>
    void CopyChannels(DeviceBuffer src, int srcChannels, int srcC0, DeviceBuffer dst, int dstChannels, int dstC0, int n, int c, int hw);

    // ---------------------------------------------------------------- dropout

    /// <summary>
    /// Inverted dropout with a counter-based RNG, identical on every backend:
    /// <c>mask[i] = DropoutRng.Keep(seed, i, p) ? 1/(1−p) : 0</c>, <c>y[i] = x[i]·mask[i]</c>.
    /// The backward is <c>dx = dy·mask</c> (a <see cref="Binary"/> Mul).
    /// </summary>
    void DropoutForward(DeviceBuffer x, DeviceBuffer mask, DeviceBuffer y, long n, double p, ulong seed);

    // ---------------------------------------------------------------- losses

    /// <summary>
    /// Per-sample softmax cross-entropy on logits [N, C] with Int32 targets [N]:
    /// <c>loss[i] = w[t_i]·(logsumexp(z_i) − z_i[t_i])</c> (max subtracted), <c>sampleWeight[i] = w[t_i]</c>
    /// (w = 1 when <paramref name="classWeights"/> is null); a target &lt; 0 is ignored: loss and weight 0.
    /// <paramref name="probs"/> [N, C] receives softmax(z_i) for the backward.
    /// </summary>
    void CrossEntropyForward(DeviceBuffer logits, DeviceBuffer targets, DeviceBuffer? classWeights,
        DeviceBuffer loss, DeviceBuffer sampleWeight, DeviceBuffer probs, int n, int c);

    /// <summary>
    /// <c>dlogits[i,k] = dloss[i]·w[t_i]·(probs[i,k] − [k = t_i])</c>; rows with target &lt; 0 get 0.
    /// </summary>
    void CrossEntropyBackward(DeviceBuffer probs, DeviceBuffer targets, DeviceBuffer? classWeights,
        DeviceBuffer dloss, DeviceBuffer dlogits, int n, int c);

    /// <summary>Elementwise BCE with logits: <c>loss = max(z,0) − z·y + log(1 + e^(−|z|))</c>.</summary>
    void BceWithLogitsForward(DeviceBuffer z, DeviceBuffer target, DeviceBuffer loss, long n);

    /// <summary><c>dz = dloss·(σ(z) − y)</c>.</summary>
    void BceWithLogitsBackward(DeviceBuffer z, DeviceBuffer target, DeviceBuffer dloss, DeviceBuffer dz, long n);

    /// <summary>Row-wise argmax of x [rows, cols] into Int32 <paramref name="indices"/> [rows]; first max wins ties.</summary>
    void ArgMax(DeviceBuffer x, DeviceBuffer indices, int rows, int cols);

    /// <summary><c>y[i] = a[i] == b[i] ? 1 : 0</c> for Int32 a, b and floating y (the seed loss's "correct" mask).</summary>
    void EqualMask(DeviceBuffer a, DeviceBuffer b, DeviceBuffer y, long n);

    // ---------------------------------------------------------------- optimizers (in place on the parameter)

    /// <summary>
    /// One Adam step. If not <paramref name="decoupled"/> (Adam): <c>g ← g + λ·θ</c>. If decoupled (AdamW):
    /// <c>θ ← θ·(1 − lr·λ)</c>. Then <c>m ← β1·m + (1−β1)·g</c>, <c>v ← β2·v + (1−β2)·g²</c>,
    /// <c>θ ← θ − lr·(m/bc1)/(√(v/bc2) + ε)</c> with bias corrections bc1 = 1 − β1ᵗ, bc2 = 1 − β2ᵗ.
    /// </summary>
    void AdamStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer m, DeviceBuffer v, long n,
        double lr, double beta1, double beta2, double eps, double weightDecay, double bc1, double bc2, bool decoupled);

    /// <summary>
    /// One SGD step (PyTorch): <c>g ← g + λ·θ</c>; with momentum μ: <c>b ← firstStep ? g : μ·b + (1−dampening)·g</c>,
    /// <c>g ← nesterov ? g + μ·b : b</c>; <c>θ ← θ − lr·g</c>. With μ = 0 the momentum buffer is unused (may be null).
    /// </summary>
    void SgdStep(DeviceBuffer param, DeviceBuffer grad, DeviceBuffer? momentumBuffer, long n,
        double lr, double momentum, double dampening, double weightDecay, bool nesterov, bool firstStep);
}
