using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace ScratchNet.Kernels.Cpu;

/// <summary>
/// Per-thread, grow-only, pinned scratch arrays (im2col matrices, packing buffers), so a steady-state training step
/// allocates nothing: after the first step every worker thread already holds a buffer big enough.
/// </summary>
internal static unsafe class Scratch<T> where T : unmanaged
{
    [ThreadStatic] private static T[]? t_col;
    [ThreadStatic] private static T[]? t_aux;

    /// <summary>This thread's im2col buffer, at least <paramref name="length"/> elements.</summary>
    public static T* Col(long length) => Get(ref t_col, length);

    /// <summary>A second per-thread buffer, at least <paramref name="length"/> elements.</summary>
    public static T* Aux(long length) => Get(ref t_aux, length);

    private static T* Get(ref T[]? slot, long length)
    {
        if (slot is null || slot.Length < length)
        {
            if (length > Array.MaxLength) throw new OutOfMemoryException($"cpu: scratch of {length} elements is too large");
            slot = GC.AllocateUninitializedArray<T>((int)Math.Max(length, 256), pinned: true);
        }
        return (T*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(slot));
    }
}

/// <summary>
/// A grow-only pinned array owned by one backend and lent to one call at a time (per-thread partial sums that the
/// calling thread combines afterwards, so they cannot live in thread-static storage).
/// </summary>
internal sealed unsafe class SharedScratch<T> where T : unmanaged
{
    private T[]? _array;

    /// <summary>Takes the array (or a new one if another call holds it / it is too small); give it back with <see cref="Return"/>.</summary>
    public T[] Rent(long length)
    {
        var a = Interlocked.Exchange(ref _array, null);
        if (a is null || a.Length < length) a = GC.AllocateUninitializedArray<T>((int)Math.Max(length, 256), pinned: true);
        return a;
    }

    public void Return(T[] a) => Volatile.Write(ref _array, a);

    public static T* Ptr(T[] a) => (T*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(a));
}
