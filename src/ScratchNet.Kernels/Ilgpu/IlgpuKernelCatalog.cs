using System.Reflection;
using ScratchNet.Kernels.Numerics;

namespace ScratchNet.Kernels.Ilgpu;

/// <summary>
/// Every ILGPU kernel of the backend, instantiated for float32 and float64 (and the Int32 fill), so a test can
/// compile each one to PTX on a machine without a GPU. All kernels are explicitly grouped (the grid-stride ones
/// read <c>Grid</c>/<c>Group</c> themselves; the tiled ones use shared memory and barriers).
/// </summary>
internal static class IlgpuKernelCatalog
{
    /// <summary>The classes that hold kernels: their public static methods are kernels, helpers are internal.</summary>
    internal static readonly Type[] KernelClasses =
    [
        typeof(ElementwiseKernels), typeof(ActivationKernels), typeof(GemmKernels), typeof(Conv2dKernels),
        typeof(BatchNorm2dKernels), typeof(BatchNormActPoolKernels), typeof(PoolingKernels), typeof(DropoutKernels),
        typeof(LossKernels), typeof(OptimizerKernels),
    ];

    /// <summary>(name, closed kernel method, explicitly grouped) for every kernel and dtype.</summary>
    public static IEnumerable<(string Name, MethodInfo Method, bool ExplicitlyGrouped)> All()
    {
        foreach (var type in KernelClasses)
        {
            foreach (var method in type.GetMethods(BindingFlags.Public | BindingFlags.Static | BindingFlags.DeclaredOnly).OrderBy(m => m.Name))
            {
                if (method.IsGenericMethodDefinition)
                {
                    yield return ($"{type.Name}.{method.Name}<float>", method.MakeGenericMethod(typeof(float), typeof(F32)), true);
                    yield return ($"{type.Name}.{method.Name}<double>", method.MakeGenericMethod(typeof(double), typeof(F64)), true);
                }
                else
                {
                    yield return ($"{type.Name}.{method.Name}", method, true);
                }
            }
        }
    }
}
