using System.Reflection;

namespace ScratchNet.Tests.Onnx;

/// <summary>
/// The files of NuGet's Microsoft.ML.DnnImageFeaturizer.ResNet18 0.24.0 (MIT), which the test project's
/// PackageDownload puts in the NuGet cache at restore: an ImageNet ResNet exported by CNTK, and its preprocessing.
/// </summary>
internal static class ResNetPackage
{
    /// <summary>tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx.</summary>
    public static string Model => File("ResNet18Onnx/ResNet18.onnx");

    /// <summary>tools/DnnImageModels/ResNetPrepOnnx/ResNetPreprocess.onnx (BGR swap, mean image).</summary>
    public static string Preprocess => File("ResNetPrepOnnx/ResNetPreprocess.onnx");

    private static string File(string relative)
    {
        string root = typeof(ResNetPackage).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "NuGetPackageRoot").Value!;
        string path = Path.Combine(root, "microsoft.ml.dnnimagefeaturizer.resnet18", "0.24.0", "tools", "DnnImageModels", relative);
        Assert.True(System.IO.File.Exists(path), $"{path} is missing: the test project's PackageDownload of Microsoft.ML.DnnImageFeaturizer.ResNet18 0.24.0 did not run (dotnet restore)");
        return path;
    }
}
