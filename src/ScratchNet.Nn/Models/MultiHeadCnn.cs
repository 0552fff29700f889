using ScratchNet.Kernels;
using ScratchNet.Nn.Layers;
using ScratchNet.Nn.Modules;
using ScratchNet.Tensors;
using ScratchNet.Tensors.Autograd;

namespace ScratchNet.Nn.Models;

/// <summary>
/// A configurable multi-task CNN: a shared trunk and any number of heads, each head = the backbone's
/// unshared tail (if split early) + global average pooling + an MLP (<see cref="HeadSpec"/>).
/// <c>forward(x) = {name: head(trunk(x))}</c>. State-dict names (<see cref="ModuleNames"/>): <c>trunk.*</c>,
/// <c>heads.{name}.tail.*</c>, <c>heads.{name}.mlp.*</c>; or seed 000's <c>encoder.*</c>, <c>classifier.*</c>,
/// <c>regressor.*</c>, so that seed's exact model is this class with two <see cref="HeadSpec"/>s.
/// </summary>
public sealed class MultiHeadCnn : Module
{
    // Tail is null under the seed's names, where pooling is the trunk's last layer.
    private readonly List<(HeadSpec Spec, Sequential? Tail, Sequential Mlp)> heads = new();

    /// <summary>Builds the model (PyTorch default initialisation; seed with <see cref="Init.ManualSeed"/>).</summary>
    public MultiHeadCnn(BackboneSpec backbone, IReadOnlyList<HeadSpec> headSpecs, int inChannels = 3, DType dtype = DType.Float32, Device? device = null,
        ModuleNames names = ModuleNames.ScratchNet)
    {
        if (headSpecs.Count == 0) throw new ArgumentException("MultiHeadCnn: needs at least one head");
        if (headSpecs.Select(h => h.Name).Distinct().Count() != headSpecs.Count)
            throw new ArgumentException($"MultiHeadCnn: head names must be unique: {string.Join(", ", headSpecs.Select(h => h.Name))}");
        if (backbone.Width <= 0) throw new ArgumentException($"MultiHeadCnn: width multiplier must be positive, got {backbone.Width}");
        Backbone = backbone;
        var (shared, tailFactory, features) = backbone.Kind switch
        {
            "seed-encoder" => SeedEncoder(backbone.Width, inChannels, dtype, device),
            "squeezenet" => SqueezeNet(backbone, inChannels, dtype, device),
            "onnx" or "resnet18-imagenet" => Imported(backbone, inChannels, dtype, device),
            _ => throw new ArgumentException($"MultiHeadCnn: unknown backbone '{backbone.Kind}' (expected seed-encoder, squeezenet, onnx or resnet18-imagenet)"),
        };
        if (backbone.Frozen)
            foreach (var p in shared.Parameters()) p.RequiresGrad = false;
        if (backbone.Kind == "squeezenet") HeInit(shared);
        Names = names;
        foreach (var spec in headSpecs)
        {
            if (spec.Outputs <= 0) throw new ArgumentException($"MultiHeadCnn: head '{spec.Name}' needs at least one output");
            if (spec.Hidden.Any(h => h <= 0)) throw new ArgumentException($"MultiHeadCnn: head '{spec.Name}' has a hidden width ≤ 0: [{string.Join(", ", spec.Hidden)}]");
        }
        if (names == ModuleNames.Seed)
        {
            SeedNamed(backbone, headSpecs, shared, features, dtype, device);
            Trunk = shared;
            return;
        }
        Trunk = RegisterModule("trunk", shared);
        var headsModule = RegisterModule("heads", new HeadContainer());
        foreach (var spec in headSpecs)
        {
            var tail = tailFactory();
            if (backbone.Kind == "squeezenet") HeInit(tail);
            tail.Append(new AdaptiveAvgPool2d()).Append(new Flatten());
            // Dropout(p) is always a layer here (p may be 0), so the Linear indices do not depend on p.
            var mlp = Mlp(new Sequential(), features, spec, alwaysDropout: true, dtype, device);
            headsModule.Add(spec.Name, tail, mlp);
            heads.Add((spec, tail, mlp));
        }
    }

    /// <summary>How this model's state-dict keys are named.</summary>
    public ModuleNames Names { get; }

    // Seed 000's layout: encoder = trunk + global pooling; each head one top-level Flatten → Linear → … Sequential.
    private void SeedNamed(BackboneSpec backbone, IReadOnlyList<HeadSpec> headSpecs, Sequential shared, int features, DType dtype, Device? device)
    {
        if (backbone.Kind != "seed-encoder")
            throw new ArgumentException($"MultiHeadCnn: seed 000's module names need the seed-encoder backbone, not {backbone.Kind}");
        var modules = headSpecs.Select(h => h.Module).ToList();
        if (modules.Any(m => string.IsNullOrEmpty(m) || m == "encoder") || modules.Distinct().Count() != modules.Count)
            throw new ArgumentException($"MultiHeadCnn: under seed 000's names every head needs its own module name other than 'encoder' (e.g. classifier, regressor); got {string.Join(", ", modules.Select(m => m ?? "(none)"))}");
        RegisterModule("encoder", shared.Append(new AdaptiveAvgPool2d()));
        foreach (var spec in headSpecs)
        {
            // The seed's heads have a Dropout layer only where it drops something (classifier.3; none in regressor).
            var mlp = RegisterModule(spec.Module!, Mlp(new Sequential(new Flatten()), features, spec, alwaysDropout: false, dtype, device));
            heads.Add((spec, null, mlp));
        }
    }

    // An imported model as the whole shared trunk: no unshared tail (a head is pooling + its MLP).
    private static (Sequential, Func<Sequential>, int) Imported(BackboneSpec backbone, int inChannels, DType dtype, Device? device)
    {
        var (trunk, features) = ImportedBackbone.Build(backbone, inChannels, dtype, device);
        return (trunk, () => new Sequential(), features);
    }

    // Appends Linear → act → Dropout per hidden width, then the output Linear.
    private static Sequential Mlp(Sequential into, int features, HeadSpec spec, bool alwaysDropout, DType dtype, Device? device)
    {
        bool dropout = alwaysDropout || spec.Dropout > 0;
        if (spec.Hidden.Count == 0 && dropout) into.Append(new Dropout(spec.Dropout));
        int width = features;
        foreach (var h in spec.Hidden)
        {
            into.Append(new Linear(width, h, dtype: dtype, device: device));
            into.Append(spec.Activation == HeadActivation.Relu ? new Relu() : new Gelu());
            if (dropout) into.Append(new Dropout(spec.Dropout));
            width = h;
        }
        return into.Append(new Linear(width, spec.Outputs, dtype: dtype, device: device));
    }

    /// <summary>The backbone configuration.</summary>
    public BackboneSpec Backbone { get; }

    /// <summary>The shared layers.</summary>
    public Sequential Trunk { get; }

    /// <summary>The heads' specs, in order.</summary>
    public IReadOnlyList<HeadSpec> Heads => heads.Select(h => h.Spec).ToList();

    /// <summary>Runs the trunk once and every head on its features: name → [N, outputs].</summary>
    public Dictionary<string, Tensor> Forward(Tensor x)
    {
        if (!Backbone.Frozen)
        {
            using var features = Trunk.Forward(x);
            return ForwardHeads(features);
        }
        // A frozen backbone runs as in inference (batch norms on their statistics, no autograd record), whatever the
        // model's mode: only the heads train.
        bool training = Training;
        Trunk.Eval();
        Tensor frozen;
        using (GradMode.NoGrad()) frozen = Trunk.Forward(x);
        Trunk.Train(training);
        using (frozen) return ForwardHeads(frozen);
    }

    /// <summary>Every head on the trunk's output <paramref name="features"/> (which stays the caller's): name → [N, outputs].</summary>
    public Dictionary<string, Tensor> ForwardHeads(Tensor features)
    {
        var result = new Dictionary<string, Tensor>();
        foreach (var (spec, tail, mlp) in heads)
        {
            if (tail is null)
            {
                result[spec.Name] = mlp.Forward(features);
                continue;
            }
            using var pooled = tail.Forward(features);
            result[spec.Name] = mlp.Forward(pooled);
        }
        return result;
    }

    private sealed class HeadContainer : Module
    {
        public void Add(string name, Sequential tail, Sequential mlp)
        {
            var head = RegisterModule(name, new HeadModule());
            head.Set(tail, mlp);
        }
    }

    private sealed class HeadModule : Module
    {
        public void Set(Sequential tail, Sequential mlp)
        {
            RegisterModule("tail", tail);
            RegisterModule("mlp", mlp);
        }
    }

    /// <summary>
    /// torchvision's SqueezeNet initialisation: He-uniform weights (<see cref="Init.KaimingUniform"/>) and zero biases
    /// for every convolution. With PyTorch's default layer init (b = 1/√fan_in) the activations of this BN-free stack
    /// of ~20 ReLU convolutions shrink by ~√6 per layer, reach ~1e-8 by the last fire, and nothing trains.
    /// </summary>
    private static void HeInit(Module stack)
    {
        foreach (var (_, m) in stack.NamedModules())
        {
            if (m is not Conv2d conv) continue;
            var shape = conv.Weight.Shape.ToArray();
            using (var w = Init.KaimingUniform(shape, shape[1] * shape[2] * shape[3], conv.Weight.DType, conv.Weight.Device)) w.CopyTo(conv.Weight);
            if (conv.Bias is { } b)
                using (var zero = Tensor.Zeros(b.Shape.ToArray(), b.DType, b.Device)) zero.CopyTo(b);
        }
    }

    private static int Scale(int channels, double width) => Math.Max(1, (int)Math.Round(channels * width));

    private static (Sequential, Func<Sequential>, int) SeedEncoder(double width, int inChannels, DType dtype, Device? device)
    {
        int c1 = Scale(16, width), c2 = Scale(32, width), c3 = Scale(32, width), c4 = Scale(64, width);
        var trunk = new Sequential(
            new Conv2d(inChannels, c1, 3, padding: 1, dtype: dtype, device: device), new BatchNorm2d(c1, dtype: dtype, device: device), new Gelu(), new MaxPool2d(2),
            new Conv2d(c1, c2, 3, padding: 1, dtype: dtype, device: device), new BatchNorm2d(c2, dtype: dtype, device: device), new Gelu(), new MaxPool2d(2),
            new Conv2d(c2, c3, 3, padding: 1, dtype: dtype, device: device), new BatchNorm2d(c3, dtype: dtype, device: device), new Gelu(),
            new Conv2d(c3, c4, 3, padding: 1, dtype: dtype, device: device), new BatchNorm2d(c4, dtype: dtype, device: device), new Gelu());
        return (trunk, () => new Sequential(), c4);
    }

    // SqueezeNet 1.1's fire configuration: (squeeze, expand1x1, expand3x3) for fire2 … fire9.
    private static readonly (string Name, int S, int E1, int E3)[] Fires =
    [
        ("fire2", 16, 64, 64), ("fire3", 16, 64, 64), ("fire4", 32, 128, 128), ("fire5", 32, 128, 128),
        ("fire6", 48, 192, 192), ("fire7", 48, 192, 192), ("fire8", 64, 256, 256), ("fire9", 64, 256, 256),
    ];

    private static (Sequential, Func<Sequential>, int) SqueezeNet(BackboneSpec spec, int inChannels, DType dtype, Device? device)
    {
        int split = spec.SplitAfter == "stem" ? -1 : Array.FindIndex(Fires, f => f.Name == spec.SplitAfter);
        if (split < -1 || (split == -1 && spec.SplitAfter != "stem"))
            throw new ArgumentException($"MultiHeadCnn: squeezenet split point '{spec.SplitAfter}' is not one of stem, {string.Join(", ", Fires.Select(f => f.Name))}");
        int stem = Scale(64, spec.Width);
        var trunk = new Sequential(new Conv2d(inChannels, stem, 3, stride: 2, dtype: dtype, device: device), new Relu(), new MaxPool2d(3, 2));
        int channels = stem;
        // Blocks after fire3 and fire5 are preceded by a 3/2 max-pool, as in SqueezeNet 1.1.
        Layer[] Block(int i, ref int c)
        {
            var (_, s, e1, e3) = Fires[i];
            var fire = new Fire(c, Scale(s, spec.Width), Scale(e1, spec.Width), Scale(e3, spec.Width), dtype, device);
            c = fire.OutChannels;
            return i is 1 or 3 ? [fire, new MaxPool2d(3, 2)] : [fire];
        }
        for (int i = 0; i <= split; i++)
            foreach (var l in Block(i, ref channels)) trunk.Append(l);
        int trunkChannels = channels;
        // The network's output width: that of the last fire (expand1x1 + expand3x3), split or not.
        int tailChannels = split == Fires.Length - 1 ? trunkChannels : Scale(Fires[^1].E1, spec.Width) + Scale(Fires[^1].E3, spec.Width);
        Sequential Tail()
        {
            var tail = new Sequential();
            int c = trunkChannels;
            for (int i = split + 1; i < Fires.Length; i++)
                foreach (var l in Block(i, ref c)) tail.Append(l);
            return tail;
        }
        return (trunk, Tail, tailChannels);
    }
}
