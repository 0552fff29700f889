using System.Diagnostics.CodeAnalysis;

namespace ScratchNet.Nn.Checkpoints;

/// <summary>
/// Helpers on <see cref="SafeTensorDType"/>: element sizes (needed to check that a header's shape agrees with
/// its byte range) and the mapping to and from the header's dtype strings. The mapping is explicit rather than
/// <c>Enum.Parse</c>, so a header cannot smuggle in <c>"1"</c>, <c>"f32"</c> or <c>"F32, I64"</c>.
/// </summary>
public static class SafeTensorDTypes
{
    /// <summary>Bytes per element.</summary>
    public static int ElementSize(this SafeTensorDType dtype) => dtype switch
    {
        SafeTensorDType.F64 or SafeTensorDType.I64 or SafeTensorDType.U64 => 8,
        SafeTensorDType.F32 or SafeTensorDType.I32 or SafeTensorDType.U32 => 4,
        SafeTensorDType.F16 or SafeTensorDType.BF16 or SafeTensorDType.I16 or SafeTensorDType.U16 => 2,
        SafeTensorDType.I8 or SafeTensorDType.U8 or SafeTensorDType.BOOL
            or SafeTensorDType.F8_E5M2 or SafeTensorDType.F8_E4M3 => 1,
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown safetensors dtype"),
    };

    /// <summary>The string written in the JSON header (<c>"F32"</c>, <c>"I64"</c>, …).</summary>
    public static string ToHeaderString(this SafeTensorDType dtype) => dtype switch
    {
        SafeTensorDType.F64 => "F64",
        SafeTensorDType.F32 => "F32",
        SafeTensorDType.F16 => "F16",
        SafeTensorDType.BF16 => "BF16",
        SafeTensorDType.I64 => "I64",
        SafeTensorDType.I32 => "I32",
        SafeTensorDType.I16 => "I16",
        SafeTensorDType.I8 => "I8",
        SafeTensorDType.U64 => "U64",
        SafeTensorDType.U32 => "U32",
        SafeTensorDType.U16 => "U16",
        SafeTensorDType.U8 => "U8",
        SafeTensorDType.BOOL => "BOOL",
        SafeTensorDType.F8_E5M2 => "F8_E5M2",
        SafeTensorDType.F8_E4M3 => "F8_E4M3",
        _ => throw new ArgumentOutOfRangeException(nameof(dtype), dtype, "unknown safetensors dtype"),
    };

    /// <summary>Parses a header dtype string (exact, case-sensitive, as the format specifies).</summary>
    public static bool TryParse(string? text, [NotNullWhen(true)] out SafeTensorDType? dtype)
    {
        dtype = text switch
        {
            "F64" => SafeTensorDType.F64,
            "F32" => SafeTensorDType.F32,
            "F16" => SafeTensorDType.F16,
            "BF16" => SafeTensorDType.BF16,
            "I64" => SafeTensorDType.I64,
            "I32" => SafeTensorDType.I32,
            "I16" => SafeTensorDType.I16,
            "I8" => SafeTensorDType.I8,
            "U64" => SafeTensorDType.U64,
            "U32" => SafeTensorDType.U32,
            "U16" => SafeTensorDType.U16,
            "U8" => SafeTensorDType.U8,
            "BOOL" => SafeTensorDType.BOOL,
            "F8_E5M2" => SafeTensorDType.F8_E5M2,
            "F8_E4M3" => SafeTensorDType.F8_E4M3,
            _ => null,
        };
        return dtype is not null;
    }

    /// <summary>The header strings this reader understands, for error messages.</summary>
    public static string KnownHeaderStrings =>
        string.Join(", ", Enum.GetValues<SafeTensorDType>().Select(d => d.ToHeaderString()));
}
