namespace ScratchNet.Nn.Checkpoints;

/// <summary>
/// Element type of a tensor stored in a safetensors file. The member names are exactly the strings the
/// format writes in its JSON header (<c>"F32"</c>, <c>"I64"</c>, …), so a file written by
/// <c>safetensors.torch.save_file</c> maps one to one. PyTorch twins: F64 = float64, F32 = float32,
/// F16 = float16, BF16 = bfloat16, I64 = int64 (BatchNorm's <c>num_batches_tracked</c>), I32 = int32, etc.
/// Sizes come from <see cref="SafeTensorDTypes.ElementSize"/>.
/// </summary>
public enum SafeTensorDType
{
    /// <summary>IEEE-754 double precision, 8 bytes.</summary>
    F64,
    /// <summary>IEEE-754 single precision, 4 bytes: ScratchNet's training dtype.</summary>
    F32,
    /// <summary>IEEE-754 half precision, 2 bytes.</summary>
    F16,
    /// <summary>bfloat16 (the upper 16 bits of an F32), 2 bytes.</summary>
    BF16,
    /// <summary>Signed 64-bit integer, 8 bytes.</summary>
    I64,
    /// <summary>Signed 32-bit integer, 4 bytes.</summary>
    I32,
    /// <summary>Signed 16-bit integer, 2 bytes.</summary>
    I16,
    /// <summary>Signed 8-bit integer, 1 byte.</summary>
    I8,
    /// <summary>Unsigned 64-bit integer, 8 bytes.</summary>
    U64,
    /// <summary>Unsigned 32-bit integer, 4 bytes.</summary>
    U32,
    /// <summary>Unsigned 16-bit integer, 2 bytes.</summary>
    U16,
    /// <summary>Unsigned 8-bit integer, 1 byte.</summary>
    U8,
    /// <summary>Boolean, one byte per element (0 = false).</summary>
    BOOL,
    /// <summary>8-bit float with 5 exponent and 2 mantissa bits (stored, not converted), 1 byte.</summary>
    F8_E5M2,
    /// <summary>8-bit float with 4 exponent and 3 mantissa bits (stored, not converted), 1 byte.</summary>
    F8_E4M3,
}
