using System.CommandLine;
using ScratchNet.Kernels;

namespace ScratchNet.Apps.Commands;

/// <summary>Options every command shares.</summary>
internal static class CommonOptions
{
    /// <summary><c>--device auto|cpu|cuda|opencl|ilgpu-cpu</c>.</summary>
    public static Option<string> Device(string defaultValue = "auto")
    {
        var option = new Option<string>("--device")
        {
            Description = "Where to run: auto (a CUDA GPU, else an OpenCL GPU, else cpu), cpu, cuda, opencl, ilgpu-cpu (ILGPU's CPU simulator, for testing kernels)",
            DefaultValueFactory = _ => defaultValue,
        };
        option.AcceptOnlyFromAmong(Backends.Names);
        return option;
    }
}
