using ScratchNet.Kernels;
using ScratchNet.Nn.Layers;
using ScratchNet.Nn.Modules;
using ScratchNet.Nn.Onnx;
using ScratchNet.Tensors;
using ScratchNet.Tensors.Autograd;

namespace ScratchNet.Nn.Models;

/// <summary>
/// A <see cref="MultiHeadCnn"/> trunk from an imported model: an <c>.onnx</c> file or the <c>model.safetensors</c> of
/// <c>scratchnet import</c> (<c>onnx</c>), or the ImageNet ResNet-18 of NuGet's Microsoft.ML.DnnImageFeaturizer.ResNet18
/// (<c>resnet18-imagenet</c>), which restore puts in the NuGet packages folder (a PackageDownload of ScratchNet.Nn).
/// The heads attach to its output, which must be a feature map [N, C, H, W] (pooled per head).
/// </summary>
public static class ImportedBackbone
{
    /// <summary>The package that holds the ImageNet ResNet-18.</summary>
    public const string ResNetPackage = "Microsoft.ML.DnnImageFeaturizer.ResNet18";

    /// <summary>Its version.</summary>
    public const string ResNetVersion = "0.24.0";

    /// <summary>The ResNet-18's file in the NuGet packages folder (NUGET_PACKAGES, else ~/.nuget/packages), or a clear error.</summary>
    public static string ResNetFile(string relative = "ResNet18Onnx/ResNet18.onnx")
    {
        string root = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } env
            ? env : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        string path = Path.Combine(root, ResNetPackage.ToLowerInvariant(), ResNetVersion, "tools", "DnnImageModels", relative);
        return File.Exists(path) ? path : throw new FileNotFoundException(
            $"the resnet18-imagenet backbone is the NuGet package {ResNetPackage} {ResNetVersion}, which is not in {root} (run `dotnet restore` in the ScratchNet folder; ScratchNet.Nn's PackageDownload fetches it)", path);
    }

    /// <summary>The trunk (layers) and the channels of its output, for images of <paramref name="spec"/>'s input size.</summary>
    public static (Sequential Trunk, int Features) Build(BackboneSpec spec, int inChannels, DType dtype, Device? device)
    {
        device ??= Device.Cpu;
        string path = spec.Kind == "resnet18-imagenet" ? ResNetFile() : spec.Path ?? throw new ArgumentException("MultiHeadCnn: the onnx backbone needs a model path");
        var options = new OnnxImportOptions { Device = device, DType = dtype, InputSize = spec.InputSize > 0 ? spec.InputSize : null };
        var graph = path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase) ? OnnxGraphFile.Load(path, options) : OnnxImporter.Import(path, options);
        if (graph.InputShape[1] != inChannels)
            throw new ArgumentException($"{path}: the model takes {graph.InputShape[1]}-channel images, the config's input has {inChannels} (input.channels)");
        var trunk = new Sequential();
        if (spec.Kind == "resnet18-imagenet") trunk.Append(new ResNetPreprocess(dtype, device));
        trunk.Append(graph);
        int size = spec.InputSize > 0 ? spec.InputSize : graph.InputShape[2];
        using (TensorScope.Begin())
        using (GradMode.NoGrad())
        {
            trunk.Eval();
            using var probe = Tensor.Zeros([1, inChannels, size, size], dtype, device);
            var y = trunk.Forward(probe);
            trunk.Train();
            if (y.Rank != 4)
                throw new ArgumentException($"{path}: its output {ShapeUtil.Format(y.Shape.ToArray())} is not a feature map [N, C, H, W]; heads attach to a backbone's features (export the model without its classifier)");
            return (trunk, y.Dim(1));
        }
    }
}

/// <summary>
/// The ImageNet ResNet-18's own preprocessing (its package's ResNetPreprocess.onnx: RGB → BGR, 0–255, minus the mean),
/// as a fixed 1×1 convolution of the engine's RGB in [0, 1]: <c>y[c] = 255·x[2 − c] − mean_c</c>, with the channel
/// means of the package's mean image (not learned; not in the state dict).
/// </summary>
public sealed class ResNetPreprocess : Layer
{
    private readonly Tensor weight, bias;

    /// <summary>Reads the mean image's channel means from the package.</summary>
    public ResNetPreprocess(DType dtype, Device device)
    {
        var mean = OnnxReader.Read(ImportedBackbone.ResNetFile("ResNetPrepOnnx/ResNetPreprocess.onnx")).Graph.Initializers.Single(t => t.Count == 3 * 224 * 224).Floats!;
        var w = new double[9];
        var b = new double[3];
        for (int c = 0; c < 3; c++)
        {
            w[c * 3 + (2 - c)] = 255;
            b[c] = -mean.Skip(c * 224 * 224).Take(224 * 224).Average(v => (double)v);
        }
        weight = TensorScope.Untrack(Tensor.FromDoubles(w, [3, 3, 1, 1], dtype, device));
        bias = TensorScope.Untrack(Tensor.FromDoubles(b, [3], dtype, device));
    }

    /// <inheritdoc/>
    public override Tensor Forward(Tensor x) => Functional.Conv2d(x, weight, bias);
}
