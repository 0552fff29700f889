using ScratchNet.Kernels.Cpu;
using ScratchNet.Kernels.Ilgpu;

namespace ScratchNet.Kernels;

/// <summary>Thrown when a requested device is not present on this machine.</summary>
public sealed class DeviceNotAvailableException(string message) : Exception(message);

/// <summary>
/// Creates backends by device name: <c>cpu</c>, <c>cuda</c>, <c>opencl</c>, <c>ilgpu-cpu</c>, or <c>auto</c>
/// (a CUDA GPU, else an OpenCL GPU, else <c>cpu</c>).
/// </summary>
public static class Backends
{
    /// <summary>The device names <see cref="Create"/> accepts.</summary>
    public static readonly string[] Names = ["auto", "cpu", "cuda", "opencl", "ilgpu-cpu"];

    /// <summary>Creates the backend for <paramref name="device"/>, or throws <see cref="DeviceNotAvailableException"/> naming what is missing.</summary>
    public static IBackend Create(string device) => device.Trim().ToLowerInvariant() switch
    {
        "cpu" => new CpuBackend(),
        "cuda" => IlgpuBackend.Create(IlgpuDeviceKind.Cuda),
        "opencl" => IlgpuBackend.Create(IlgpuDeviceKind.OpenCL),
        "ilgpu-cpu" => IlgpuBackend.Create(IlgpuDeviceKind.CpuSimulator),
        "auto" => (IBackend?)IlgpuBackend.TryCreateGpu() ?? new CpuBackend(),
        _ => throw new ArgumentException($"unknown device '{device}'; expected one of: {string.Join(", ", Names)}"),
    };
}
