using ScratchNet.Nn.Modules;
using ScratchNet.Tensors;

namespace ScratchNet.Nn.Onnx;

/// <summary>
/// An imported ONNX graph as a trainable module: its nodes run in the file's (topological) order over named values,
/// starting from the one graph input; weights are parameters and batch-norm statistics buffers, under the ONNX
/// initializer names (a PyTorch export's <c>layer1.0.conv1.weight</c> stays that key in the state dict), so the
/// module trains, saves and loads like any other. Built by <see cref="OnnxImporter.Import(OnnxModel, string, OnnxImportOptions?)"/>.
/// </summary>
public sealed class OnnxGraphModule : Layer, OnnxGraphModule.IGroup
{
    private readonly IReadOnlyList<OnnxStep> steps;
    private readonly Dictionary<string, Tensor> weights;
    private readonly Dictionary<string, Tensor> constants;
    private ulong dropoutCalls;

    internal OnnxGraphModule(string input, int[] inputShape, string output, IReadOnlyList<OnnxStep> steps,
        IEnumerable<(string Name, Tensor Tensor, bool Learnable)> state, Dictionary<string, Tensor> constants, IReadOnlyList<string> notes)
    {
        InputName = input;
        InputShape = inputShape;
        OutputName = output;
        this.steps = steps;
        this.constants = constants;
        Notes = notes;
        weights = new Dictionary<string, Tensor>(StringComparer.Ordinal);
        foreach (var (name, tensor, learnable) in state)
        {
            // "layer1.0.conv1.weight": containers layer1 › 0 › conv1, entry "weight" (module names hold no dots).
            var parts = name.Split('.');
            Module owner = this;
            for (int i = 0; i < parts.Length - 1; i++) owner = ((IGroup)owner).Group(parts[i]);
            weights[name] = learnable ? ((IGroup)owner).Parameter(parts[^1], tensor) : ((IGroup)owner).Buffer(parts[^1], tensor);
        }
    }

    /// <summary>The graph input's name (e.g. "Input247").</summary>
    public string InputName { get; }

    /// <summary>The graph input's shape as the file declares it ([1, 3, 224, 224]; the batch dimension is free).</summary>
    public IReadOnlyList<int> InputShape { get; }

    /// <summary>The graph output's name.</summary>
    public string OutputName { get; }

    /// <summary>The nodes in order, as imported (op and name).</summary>
    public IReadOnlyList<(string Op, string Name)> Nodes => steps.Select(s => (s.Node.OpType, s.Node.Name)).ToList();

    /// <summary>What the importer changed, in words (e.g. the fixed 7×7 pool made global).</summary>
    public IReadOnlyList<string> Notes { get; }

    /// <summary>Runs the graph on <paramref name="x"/> [N, C, H, W] and returns its output.</summary>
    public override Tensor Forward(Tensor x) => Run(x, OutputName);

    /// <summary>
    /// Runs the graph up to and including the node that produces <paramref name="value"/> (a backbone split after a
    /// node) and returns that value.
    /// </summary>
    public Tensor Run(Tensor x, string value)
    {
        if (x.Rank != 4 || x.Dim(1) != InputShape[1])
            throw new ArgumentException($"ONNX graph: input {ShapeUtil.Format(x.Shape.ToArray())} does not fit the graph's {InputName} [N, {InputShape[1]}, H, W]");
        var values = new Dictionary<string, Tensor>(StringComparer.Ordinal) { [InputName] = x };
        foreach (var step in steps)
        {
            var inputs = step.Node.Inputs.Select(n => n.Length == 0 ? null : Value(values, n)).ToArray();
            values[step.Node.Outputs[0]] = step.Run(inputs, new OnnxStep.Context(Training, () => dropoutCalls++));
            if (step.Node.Outputs[0] == value) return values[value];
        }
        return values.TryGetValue(value, out var v) ? v : throw new ArgumentException($"ONNX graph: no value called '{value}'");
    }

    // A value by name: computed, a weight, a stored constant, or null for the integer constants the steps folded at
    // import (Reshape's shape), which every name the importer checked is one of.
    private Tensor? Value(Dictionary<string, Tensor> values, string name) =>
        values.TryGetValue(name, out var v) ? v : weights.TryGetValue(name, out var w) ? w : constants.GetValueOrDefault(name);

    /// <summary>Registers the entries of a dotted name on itself or on a child container.</summary>
    private interface IGroup
    {
        Module Group(string name);
        Tensor Parameter(string name, Tensor t);
        Tensor Buffer(string name, Tensor t);
    }

    private readonly Dictionary<string, Group> groups = new(StringComparer.Ordinal);

    Module IGroup.Group(string name) => Child(groups, name, n => RegisterModule(n, new Group()));
    Tensor IGroup.Parameter(string name, Tensor t) => RegisterParameter(name, t);
    Tensor IGroup.Buffer(string name, Tensor t) => RegisterBuffer(name, t);

    private static Group Child(Dictionary<string, Group> groups, string name, Func<string, Group> create) =>
        groups.TryGetValue(name, out var g) ? g : groups[name] = create(name);

    /// <summary>A container for the entries under one dotted prefix ("layer1", then "0", …).</summary>
    private sealed class Group : Module, IGroup
    {
        private readonly Dictionary<string, Group> groups = new(StringComparer.Ordinal);
        Module IGroup.Group(string name) => Child(groups, name, n => RegisterModule(n, new Group()));
        Tensor IGroup.Parameter(string name, Tensor t) => RegisterParameter(name, t);
        Tensor IGroup.Buffer(string name, Tensor t) => RegisterBuffer(name, t);
    }
}
