using System.CommandLine;
using ScratchNet.Kernels;
using ScratchNet.Kernels.Cpu.Simd;
using ScratchNet.Tensors;

namespace ScratchNet.Apps.Commands;

/// <summary><c>scratchnet devices</c>: which devices this machine has and what <c>auto</c> picks.</summary>
internal static class DevicesCommand
{
    public static Command Create()
    {
        var command = new Command("devices", "List the devices ScratchNet can use here");
        command.SetAction(_ =>
        {
            foreach (var name in Backends.Names.Where(n => n != "auto"))
            {
                try
                {
                    var d = Device.Get(name);
                    Console.WriteLine($"{name,-10} available   {d.Backend.Description}");
                }
                catch (Exception e) when (e is DeviceNotAvailableException or NotImplementedException)
                {
                    Console.WriteLine($"{name,-10} missing     {e.Message}");
                }
            }
            Console.WriteLine($"auto       -> {Device.Get("auto").Name}");
            // The CPU kernels' SIMD tiers: the one in use and every lower one --simd can pick on this machine.
            var tier = SimdTiers.Default;
            Console.WriteLine($"simd       {SimdTiers.Describe(tier)}" + (tier < SimdTiers.Hardware ? $", lowered from {SimdTiers.Name(SimdTiers.Hardware)}" : "") +
                $"; this machine runs: {string.Join(", ", SimdTiers.Available.Select(SimdTiers.Name))} (--simd or {SimdTiers.EnvironmentVariable} picks one)");
            return 0;
        });
        return command;
    }
}
