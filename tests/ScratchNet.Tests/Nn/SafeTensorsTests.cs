using System.Buffers.Binary;
using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using ScratchNet.Nn.Checkpoints;

namespace ScratchNet.Tests.Nn;

/// <summary>
/// The safetensors checkpoint format: exact byte layout, round trips, atomic writes, refusal of every kind of
/// malformed file with a message naming the problem, and a seeded fuzz test that only CheckpointFormatException
/// ever escapes the reader.
/// </summary>
public sealed class SafeTensorsTests : IDisposable
{
    private readonly string dir;

    public SafeTensorsTests()
    {
        dir = Path.Combine(Path.GetTempPath(), "scratchnet-st-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
    }

    public void Dispose()
    {
        try { Directory.Delete(dir, recursive: true); } catch (IOException) { }
    }

    private string P(string name) => Path.Combine(dir, name);

    // ------------------------------------------------------------------ layout

    [Fact]
    public void WrittenBytesMatchTheSpecExactly()
    {
        string path = P("one.safetensors");
        SafeTensorsFile.Write(path, [SafeTensorEntry.FromFloat32("x", [1f, 2f], [2])]);

        const string json = """{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}"""; // 54 bytes
        var expected = new List<byte>();
        expected.AddRange([56, 0, 0, 0, 0, 0, 0, 0]);                     // u64 LE header length, padded 54 → 56
        expected.AddRange(Encoding.UTF8.GetBytes(json));
        expected.AddRange([(byte)' ', (byte)' ']);                        // padding: data starts at 64, 8-aligned
        expected.AddRange([0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0x40]); // 1f, 2f little-endian

        Assert.Equal(expected.ToArray(), File.ReadAllBytes(path));
    }

    [Fact]
    public void EntriesAreSortedByNameAndDataIsAligned()
    {
        string path = P("sorted.safetensors");
        SafeTensorsFile.Write(path,
        [
            SafeTensorEntry.FromFloat32("regressor.5.bias", [0.5f], [1]),
            SafeTensorEntry.FromInt64("encoder.1.num_batches_tracked", [7L], []),
            SafeTensorEntry.FromFloat32("classifier.1.weight", new float[6], [2, 3]),
        ], new Dictionary<string, string> { ["format"] = "pt" });

        byte[] bytes = File.ReadAllBytes(path);
        ulong n = BinaryPrimitives.ReadUInt64LittleEndian(bytes);
        Assert.Equal(0UL, (8 + n) % 8);
        using var doc = JsonDocument.Parse(bytes.AsMemory(8, (int)n));
        var keys = doc.RootElement.EnumerateObject().Select(p => p.Name).ToArray();
        Assert.Equal(["__metadata__", "classifier.1.weight", "encoder.1.num_batches_tracked", "regressor.5.bias"], keys);
        // offsets follow the name order
        Assert.Equal("[0,24]", doc.RootElement.GetProperty("classifier.1.weight").GetProperty("data_offsets").GetRawText());
        Assert.Equal("[24,32]", doc.RootElement.GetProperty("encoder.1.num_batches_tracked").GetProperty("data_offsets").GetRawText());
        Assert.Equal("[32,36]", doc.RootElement.GetProperty("regressor.5.bias").GetProperty("data_offsets").GetRawText());
    }

    [Fact]
    public void ReadsAnUnpaddedHeaderAsOtherWritersProduce()
    {
        // Metadata first, no padding (header length 89 is not a multiple of 8): still valid safetensors.
        string json = """{"__metadata__":{"format":"pt"},"n":{"dtype":"I64","shape":[],"data_offsets":[0,8]}}""";
        byte[] file = Build(json, BitConverter.GetBytes(42L));
        File.WriteAllBytes(P("py.safetensors"), file);

        var c = SafeTensorsFile.Read(P("py.safetensors"));
        Assert.Equal("pt", c.Metadata["format"]);
        Assert.Equal([42L], c.Tensors["n"].ToInt64Array());
        Assert.Empty(c.Tensors["n"].Shape);
    }

    // ------------------------------------------------------------------ round trips

    [Fact]
    public void RoundTripsSeveralDTypesAndShapes()
    {
        var half = new byte[6];
        BinaryPrimitives.WriteHalfLittleEndian(half, (Half)1.5f);
        BinaryPrimitives.WriteHalfLittleEndian(half.AsSpan(2), (Half)(-2f));
        BinaryPrimitives.WriteHalfLittleEndian(half.AsSpan(4), (Half)0.25f);
        var bf16 = new byte[4];
        BinaryPrimitives.WriteUInt16LittleEndian(bf16, (ushort)(BitConverter.SingleToInt32Bits(3f) >> 16));
        BinaryPrimitives.WriteUInt16LittleEndian(bf16.AsSpan(2), (ushort)(BitConverter.SingleToInt32Bits(-0.5f) >> 16));

        var entries = new[]
        {
            SafeTensorEntry.FromFloat32("encoder.0.weight", Enumerable.Range(0, 2 * 3 * 3 * 3).Select(i => i * 0.25f - 3).ToArray(), [2, 3, 3, 3]),
            SafeTensorEntry.FromFloat64("f64", [Math.PI, -1e300, double.Epsilon, 0.0], [2, 2]),
            SafeTensorEntry.FromInt64("encoder.1.num_batches_tracked", [123456789012L], []),   // scalar
            SafeTensorEntry.FromInt32("i32", [int.MinValue, -1, 0, int.MaxValue, 5], [5]),
            SafeTensorEntry.FromFloat32("empty", [], [0]),                                     // empty
            SafeTensorEntry.FromFloat32("empty3d", [], [3, 0, 2]),
            SafeTensorEntry.FromBool("mask", [true, false, true], [3]),
            new SafeTensorEntry("half", SafeTensorDType.F16, [3], half),
            new SafeTensorEntry("bf16", SafeTensorDType.BF16, [1, 2], bf16),
            new SafeTensorEntry("bytes", SafeTensorDType.U8, [5], new byte[] { 0, 1, 127, 128, 255 }),
            new SafeTensorEntry("i8", SafeTensorDType.I8, [2], new byte[] { 0x80, 0x7F }),
        };
        var metadata = new Dictionary<string, string> { ["format"] = "pt", ["note"] = "ünïcode ✓ \"quoted\" <tag> & \\", ["empty"] = "" };
        string path = P("round.safetensors");
        SafeTensorsFile.Write(path, entries, metadata);

        var c = SafeTensorsFile.Read(path);
        Assert.Equal(path, c.Source);
        Assert.Equal(entries.Length, c.Tensors.Count);
        foreach (var e in entries)
        {
            var r = c.Tensors[e.Name];
            Assert.Equal(e.DType, r.DType);
            Assert.Equal(e.Shape, r.Shape);
            Assert.Equal(e.Data.ToArray(), r.Data.ToArray());
        }
        Assert.Equal(metadata.OrderBy(kv => kv.Key), c.Metadata.OrderBy(kv => kv.Key));

        Assert.Equal(entries[0].ToFloatArray(), c.Tensors["encoder.0.weight"].ToFloatArray());
        Assert.Equal([Math.PI, -1e300, double.Epsilon, 0.0], c.Tensors["f64"].ToDoubleArray());
        Assert.Equal([123456789012L], c.Tensors["encoder.1.num_batches_tracked"].ToInt64Array());
        Assert.Equal(1L, c.Tensors["encoder.1.num_batches_tracked"].ElementCount);
        Assert.Equal([int.MinValue, -1, 0, int.MaxValue, 5], c.Tensors["i32"].ToInt32Array());
        Assert.Empty(c.Tensors["empty"].ToFloatArray());
        Assert.Equal(0L, c.Tensors["empty3d"].ElementCount);
        Assert.Equal([true, false, true], c.Tensors["mask"].ToBoolArray());
        Assert.Equal([1.5f, -2f, 0.25f], c.Tensors["half"].ToFloatArray());
        Assert.Equal([3.0, -0.5], c.Tensors["bf16"].ToDoubleArray());
        Assert.Equal([0L, 1, 127, 128, 255], c.Tensors["bytes"].ToInt64Array());
        Assert.Equal([-128L, 127], c.Tensors["i8"].ToInt64Array());
    }

    [Fact]
    public void EmptyFileWithNoTensorsRoundTrips()
    {
        SafeTensorsFile.Write(P("none.safetensors"), []);
        var c = SafeTensorsFile.Read(P("none.safetensors"));
        Assert.Empty(c.Tensors);
        Assert.Empty(c.Metadata);
    }

    [Fact]
    public void OverwritesAnExistingFile()
    {
        string path = P("over.safetensors");
        SafeTensorsFile.Write(path, [SafeTensorEntry.FromFloat32("a", [1f], [1])]);
        SafeTensorsFile.Write(path, [SafeTensorEntry.FromFloat64("b", [2.0, 3.0], [2])]);
        var c = SafeTensorsFile.Read(path);
        Assert.Equal(["b"], c.Tensors.Keys);
        Assert.Equal([2.0, 3.0], c.Tensors["b"].ToDoubleArray());
        Assert.Single(Directory.GetFiles(dir));
    }

    // ------------------------------------------------------------------ conversions

    [Fact]
    public void ConversionsBetweenCompatibleDTypes()
    {
        var f64 = SafeTensorEntry.FromFloat64("d", [0.1, 2.0], [2]);
        Assert.Equal([0.1f, 2f], f64.ToFloatArray());
        var f32 = SafeTensorEntry.FromFloat32("f", [0.1f], [1]);
        Assert.Equal([(double)0.1f], f32.ToDoubleArray());
        var i32 = SafeTensorEntry.FromInt32("i", [-3, 4], [2]);
        Assert.Equal([-3L, 4L], i32.ToInt64Array());
        var i64 = SafeTensorEntry.FromInt64("l", [-3L, 4L], [1, 2]);
        Assert.Equal([-3, 4], i64.ToInt32Array());
    }

    [Fact]
    public void IncompatibleConversionsThrowNamingEntryAndDTypes()
    {
        var f32 = SafeTensorEntry.FromFloat32("encoder.0.weight", [1f], [1]);
        var e = Assert.Throws<InvalidOperationException>(() => f32.ToInt64Array());
        Assert.Contains("encoder.0.weight", e.Message);
        Assert.Contains("F32", e.Message);
        Assert.Contains("I64", e.Message);

        var i64 = SafeTensorEntry.FromInt64("n", [1L], [1]);
        e = Assert.Throws<InvalidOperationException>(() => i64.ToFloatArray());
        Assert.Contains("'n'", e.Message);
        Assert.Contains("I64", e.Message);

        var big = SafeTensorEntry.FromInt64("big", [1L, 1L << 40], [2]);
        e = Assert.Throws<InvalidOperationException>(() => big.ToInt32Array());
        Assert.Contains("big", e.Message);
        Assert.Contains("element 1", e.Message);

        var inconsistent = new SafeTensorEntry("short", SafeTensorDType.F32, [3], new byte[8]);
        e = Assert.Throws<InvalidOperationException>(() => inconsistent.ToFloatArray());
        Assert.Contains("needs 12 bytes but holds 8", e.Message);
    }

    [Fact]
    public void FactoriesRejectValueCountShapeMismatchAndBadNames()
    {
        var e = Assert.Throws<ArgumentException>(() => SafeTensorEntry.FromFloat32("w", [1f, 2f, 3f], [2, 2]));
        Assert.Contains("holds 4 elements but 3 values", e.Message);
        Assert.Throws<ArgumentException>(() => SafeTensorEntry.FromFloat32("w", [], [-1]));
        Assert.Throws<ArgumentException>(() => SafeTensorEntry.FromFloat32("", [1f], [1]));
        Assert.Throws<ArgumentException>(() => SafeTensorEntry.FromFloat32("__metadata__", [1f], [1]));
    }

    // ------------------------------------------------------------------ writing errors and atomicity

    [Fact]
    public void DuplicateNamesAreRefusedNamingTheName()
    {
        string path = P("dup.safetensors");
        var e = Assert.Throws<ArgumentException>(() => SafeTensorsFile.Write(path,
            [SafeTensorEntry.FromFloat32("encoder.0.bias", [1f], [1]), SafeTensorEntry.FromFloat32("encoder.0.bias", [2f], [1])]));
        Assert.Contains("duplicate", e.Message);
        Assert.Contains("'encoder.0.bias'", e.Message);
        Assert.Empty(Directory.GetFiles(dir));
    }

    [Fact]
    public void FailedWriteLeavesExistingFileByteIdenticalAndNoTempFiles()
    {
        string path = P("model.safetensors");
        SafeTensorsFile.Write(path, [SafeTensorEntry.FromFloat32("a", [1f, 2f, 3f], [3])], new Dictionary<string, string> { ["epoch"] = "1" });
        byte[] before = File.ReadAllBytes(path);

        // "a" is written first (sorted), then "z" claims 4 floats but holds 2: detected mid-write.
        var bad = new SafeTensorEntry("z", SafeTensorDType.F32, [4], new byte[8]);
        var e = Assert.Throws<ArgumentException>(() => SafeTensorsFile.Write(path,
            [SafeTensorEntry.FromFloat32("a", [9f, 9f, 9f, 9f], [4]), bad]));
        Assert.Contains("'z'", e.Message);
        Assert.Contains("needs 16 bytes", e.Message);

        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(dir));
        Assert.Equal([1f, 2f, 3f], SafeTensorsFile.Read(path).Tensors["a"].ToFloatArray());
    }

    [Fact]
    public void FailedWriteWithoutPreviousFileLeavesNothing()
    {
        string path = P("fresh.safetensors");
        var bad = new SafeTensorEntry("w", SafeTensorDType.F64, [2], new byte[3]);
        Assert.Throws<ArgumentException>(() => SafeTensorsFile.Write(path, [bad]));
        Assert.Empty(Directory.GetFiles(dir));
    }

    // ------------------------------------------------------------------ refusing bad files

    /// <summary>A file from a header text and data, with the correct (or an overridden) length prefix.</summary>
    private static byte[] Build(string headerJson, byte[] data, ulong? lengthPrefix = null)
        => Build(Encoding.UTF8.GetBytes(headerJson), data, lengthPrefix);

    private static byte[] Build(byte[] header, byte[] data, ulong? lengthPrefix = null)
    {
        var bytes = new byte[8 + header.Length + data.Length];
        BinaryPrimitives.WriteUInt64LittleEndian(bytes, lengthPrefix ?? (ulong)header.Length);
        header.CopyTo(bytes, 8);
        data.CopyTo(bytes, 8 + header.Length);
        return bytes;
    }

    private CheckpointFormatException Refused(byte[] file, params string[] words)
    {
        string path = P("bad-" + Guid.NewGuid().ToString("N")[..8] + ".safetensors");
        File.WriteAllBytes(path, file);
        var e = Assert.Throws<CheckpointFormatException>(() => SafeTensorsFile.Read(path));
        Assert.StartsWith(path, e.Message);
        Assert.Equal(path, e.FilePath);
        foreach (var w in words) Assert.Contains(w, e.Message);
        return e;
    }

    private const string F32x2 = """{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""";

    [Fact]
    public void RefusesFileShorterThanEightBytes()
    {
        Refused([1, 2, 3], "not a safetensors file", "3 bytes", "shorter than the 8-byte");
        Refused([], "not a safetensors file", "0 bytes");
    }

    [Fact]
    public void RefusesPngAndTextFilesAsNotSafetensors()
    {
        byte[] png = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A, 0, 0, 0, 0x0D, 0x49, 0x48, 0x44, 0x52, .. new byte[200]];
        Refused(png, "not a safetensors file", "header length", "exceeds the file size 216");
        Refused(Encoding.UTF8.GetBytes("Hello, this is a plain text file.\n"), "not a safetensors file", "exceeds the file size 34");
        // A huge prefix prints with an approximate magnitude too.
        Refused(Build(F32x2, new byte[8], ulong.MaxValue), "18446744073709551615", "e19", "exceeds the file size");
    }

    [Fact]
    public void RefusesAbsurdHeaderLength()
    {
        // A sparse 120 MB file whose prefix claims a 110 MB header: within the file, but beyond the 100 MB limit.
        string path = P("huge.safetensors");
        using (var fs = new FileStream(path, FileMode.CreateNew))
        {
            var prefix = new byte[8];
            BinaryPrimitives.WriteUInt64LittleEndian(prefix, 110_000_000);
            fs.Write(prefix);
            fs.SetLength(120_000_000);
        }
        var e = Assert.Throws<CheckpointFormatException>(() => SafeTensorsFile.Read(path));
        Assert.Contains("110000000", e.Message);
        Assert.Contains("absurd", e.Message);
    }

    [Fact]
    public void RefusesHeaderThatIsNotAJsonObjectOrNotUtf8()
    {
        Refused(Build("", []), "too small");
        Refused(Build("[1,2]", []), "not a safetensors file", "does not start with '{'");
        Refused(Build("""{"x": {"dtype": "F32",""", []), "not valid JSON");
        Refused(Build("""{"x":1} trailing""", []), "not valid JSON");
        Refused(Build([(byte)'{', (byte)'"', 0xC3, 0x28, (byte)'"', (byte)':', (byte)'1', (byte)'}'], []), "not valid UTF-8", "offset 2");
        Refused(Build("""{"a":{"dtype":"U8","shape":[0],"data_offsets":[0,0]},"a":{"dtype":"U8","shape":[0],"data_offsets":[0,0]}}""", []), "'a' twice");
    }

    [Theory]
    [InlineData("""{"x":{"shape":[2],"data_offsets":[0,8]}}""", "missing field 'dtype'")]
    [InlineData("""{"x":{"dtype":"F32","data_offsets":[0,8]}}""", "missing field 'shape'")]
    [InlineData("""{"x":{"dtype":"F32","shape":[2]}}""", "missing field 'data_offsets'")]
    [InlineData("""{"x":[1,2]}""", "entry 'x' must be an object")]
    [InlineData("""{"x":{"dtype":32,"shape":[2],"data_offsets":[0,8]}}""", "'dtype' must be a string")]
    [InlineData("""{"x":{"dtype":"F32","shape":"2","data_offsets":[0,8]}}""", "'shape' must be an array")]
    [InlineData("""{"x":{"dtype":"F32","shape":[2],"data_offsets":[0]}}""", "'data_offsets' must be an array [begin, end]")]
    [InlineData("""{"x":{"dtype":"F32","shape":[2],"data_offsets":{"b":0}}}""", "'data_offsets' must be an array [begin, end]")]
    [InlineData("""{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,"8"]}}""", "'data_offsets' element 1 is \"8\"")]
    [InlineData("""{"x":{"dtype":"F32","shape":[2],"data_offsets":[-8,8]}}""", "'data_offsets' element 0 is -8")]
    [InlineData("""{"x":{"dtype":"F32","shape":[2],"data_offsets":[0,18446744073709551615]}}""", "'data_offsets' element 1 is 18446744073709551615")]
    [InlineData("""{"x":{"dtype":"F32","dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", "field 'dtype' twice")]
    [InlineData("""{"x":{"dtype":"F33","shape":[2],"data_offsets":[0,8]}}""", "unknown dtype \"F33\"")]
    [InlineData("""{"x":{"dtype":"f32","shape":[2],"data_offsets":[0,8]}}""", "unknown dtype \"f32\"")]
    [InlineData("""{"x":{"dtype":"F32","shape":[-2],"data_offsets":[0,8]}}""", "'shape' element 0 is -2, expected a non-negative integer")]
    [InlineData("""{"x":{"dtype":"F32","shape":[2.0],"data_offsets":[0,8]}}""", "'shape' element 0 is 2.0, expected a non-negative integer")]
    [InlineData("""{"x":{"dtype":"F32","shape":[1,null],"data_offsets":[0,8]}}""", "'shape' element 1 is null")]
    [InlineData("""{"x":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}""", "needs 3 × 4 = 12 bytes, but data_offsets [0, 8] span 8")]
    [InlineData("""{"x":{"dtype":"F32","shape":[2147483647,2147483647,2147483647],"data_offsets":[0,8]}}""", "more bytes than fit in 64 bits")]
    [InlineData("""{"x":{"dtype":"F32","shape":[2],"data_offsets":[8,0]}}""", "begin is after end")]
    [InlineData("""{"x":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}""", "end is beyond the data section, which is 8 bytes")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[2,6]},"c":{"dtype":"U8","shape":[2],"data_offsets":[6,8]}}""", "entry 'b' data_offsets [2, 6] overlaps entry 'a' [0, 4]")]
    [InlineData("""{"a":{"dtype":"F32","shape":[1],"data_offsets":[0,4]},"b":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", "overlaps")]
    [InlineData("""{"a":{"dtype":"U8","shape":[2],"data_offsets":[0,2]},"b":{"dtype":"U8","shape":[2],"data_offsets":[6,8]}}""", "gap in the data section: bytes [2, 6)")]
    [InlineData("""{"a":{"dtype":"U8","shape":[2],"data_offsets":[2,4]},"b":{"dtype":"U8","shape":[4],"data_offsets":[4,8]}}""", "gap in the data section: bytes [0, 2)")]
    [InlineData("""{"x":{"dtype":"F32","shape":[1],"data_offsets":[0,4]}}""", "trailing bytes", "[4, 8)")]
    [InlineData("""{}""", "trailing bytes", "[0, 8)")]
    [InlineData("""{"__metadata__":"pt","x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", "'__metadata__' must be an object of strings")]
    [InlineData("""{"__metadata__":{"epoch":3},"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", "'__metadata__' key 'epoch' has a Number value, expected a string")]
    [InlineData("""{"":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""", "empty name")]
    public void RefusesMalformedHeaderNamingTheProblem(string header, params string[] words)
    {
        Refused(Build(header, new byte[8]), words);
    }

    [Theory]
    [InlineData("""{"\ud800":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""")]
    [InlineData("""{"x":{"dtype":"F\udc0032","shape":[2],"data_offsets":[0,8]}}""")]
    [InlineData("""{"__metadata__":{"k":"\ud800"},"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""")]
    [InlineData("""{"__metadata__":{"\udfff":"v"},"x":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}}""")]
    [InlineData("""{"x":{"d\ud800type":"F32","shape":[2],"data_offsets":[0,8]}}""")]
    public void RefusesLoneSurrogateEscapes(string header)
    {
        Refused(Build(header, new byte[8]), "invalid");
    }

    [Fact]
    public void MissingFileIsAnIoErrorNotAFormatError()
    {
        Assert.Throws<FileNotFoundException>(() => SafeTensorsFile.Read(P("nope.safetensors")));
    }

    [Fact]
    public void RequireNamesFileAndMissingTensor()
    {
        string path = P("req.safetensors");
        SafeTensorsFile.Write(path, [SafeTensorEntry.FromFloat32("a", [1f], [1])]);
        var c = SafeTensorsFile.Read(path);
        Assert.Same(c.Tensors["a"], c.Require("a"));
        var e = Assert.Throws<CheckpointFormatException>(() => c.Require("encoder.0.weight"));
        Assert.Contains(path, e.Message);
        Assert.Contains("'encoder.0.weight'", e.Message);
    }

    // ------------------------------------------------------------------ fuzz

    private static byte[] FuzzBase()
    {
        using var ms = new MemoryStream();
        SafeTensorsFile.Write(ms,
        [
            SafeTensorEntry.FromFloat32("encoder.0.weight", Enumerable.Range(0, 24).Select(i => (float)i).ToArray(), [2, 3, 2, 2]),
            SafeTensorEntry.FromFloat32("encoder.0.bias", [1f, -1f], [2]),
            SafeTensorEntry.FromInt64("encoder.1.num_batches_tracked", [5L], []),
            SafeTensorEntry.FromFloat64("d", [1.0, 2.0, 3.0], [3, 1]),
            SafeTensorEntry.FromInt32("empty", [], [0, 4]),
            new SafeTensorEntry("h", SafeTensorDType.F16, [3], new byte[6]),
        ], new Dictionary<string, string> { ["format"] = "pt", ["step"] = "100" });
        return ms.ToArray();
    }

    private static readonly string[] NumberReplacements =
        ["0", "1", "2", "3", "4", "8", "16", "24", "96", "-1", "-0", "2.5", "1e3", "1E2", "4.0", "99999999999999999999",
         "9223372036854775807", "9223372036854775808", "18446744073709551615", "2147483647", "2147483648", "4294967296", "", " ", "\"8\"", "null", "[]"];

    private static readonly string[] JsonSnippets =
        ["\\ud800", "\\udc00", "\\u0000", "\\\"", "\\x", "\\", "\"", ",", "{", "}", "[", "]", ":", "null", "true",
         "\"__metadata__\":", "1e400", "-0", "\u00e9", "\t", "/*c*/", "{\"a\":{}},"];

    private static byte[] Mutate(byte[] original, Random rng, out string kind)
    {
        int headerLen = (int)BinaryPrimitives.ReadUInt64LittleEndian(original);
        var bytes = (byte[])original.Clone();
        switch (rng.Next(9))
        {
            case 0:
                kind = "flip header bytes";
                for (int k = rng.Next(1, 4); k > 0; k--) bytes[8 + rng.Next(headerLen)] ^= (byte)(1 << rng.Next(8));
                return bytes;
            case 1:
                kind = "truncate";
                return bytes[..rng.Next(bytes.Length)];
            case 2:
            {
                kind = "length prefix";
                ulong v = rng.Next(4) switch
                {
                    0 => (ulong)(headerLen + rng.Next(-16, 17)),
                    1 => (ulong)rng.NextInt64(),
                    2 => ulong.MaxValue - (ulong)rng.Next(100),
                    _ => (ulong)rng.Next(bytes.Length + 16),
                };
                BinaryPrimitives.WriteUInt64LittleEndian(bytes, v);
                return bytes;
            }
            case 3:
            {
                kind = "splice random bytes";
                int at = rng.Next(bytes.Length + 1);
                var junk = new byte[rng.Next(1, 24)];
                rng.NextBytes(junk);
                return rng.Next(2) == 0
                    ? [.. bytes[..at], .. junk, .. bytes[at..]]                                        // insert
                    : [.. bytes[..at], .. junk, .. bytes[Math.Min(bytes.Length, at + junk.Length)..]]; // overwrite
            }
            case 4:
                kind = "append or cut data";
                return rng.Next(2) == 0 ? [.. bytes, .. new byte[rng.Next(1, 16)]] : bytes[..^rng.Next(1, 16)];
            case 5:
                kind = "flip data byte (still valid)";
                if (bytes.Length > 8 + headerLen) bytes[8 + headerLen + rng.Next(bytes.Length - 8 - headerLen)] ^= 0xFF;
                return bytes;
            case 6:
            {
                // Insert a JSON fragment (escapes, structure, keywords) into the header text, fixing the length prefix.
                string header = Encoding.UTF8.GetString(bytes, 8, headerLen);
                int at = rng.Next(header.Length + 1);
                string snippet = JsonSnippets[rng.Next(JsonSnippets.Length)];
                header = header[..at] + snippet + header[at..];
                kind = "insert JSON fragment: " + header.TrimEnd();
                return Build(Encoding.UTF8.GetBytes(header), bytes[(8 + headerLen)..]);
            }
            default:
            {
                // Rewrite one or two numbers (offsets, dims) in the JSON text, usually fixing the length prefix.
                string header = Encoding.UTF8.GetString(bytes, 8, headerLen);
                var numbers = Regex.Matches(header, "[0-9]+");
                for (int k = rng.Next(1, 3); k > 0; k--)
                {
                    var m = numbers[rng.Next(numbers.Count)];
                    string repl = rng.Next(3) == 0 ? rng.Next(0, 200).ToString() : NumberReplacements[rng.Next(NumberReplacements.Length)];
                    header = header[..m.Index] + repl + header[(m.Index + m.Length)..];
                    numbers = Regex.Matches(header, "[0-9]+");
                    if (numbers.Count == 0) break;
                }
                kind = "rewrite numbers: " + header.TrimEnd();
                byte[] h = Encoding.UTF8.GetBytes(header);
                ulong prefix = rng.Next(5) == 0 ? (ulong)headerLen : (ulong)h.Length;
                return Build(h, bytes[(8 + headerLen)..], prefix);
            }
        }
    }

    [Fact]
    public async Task FuzzedFilesAreReadOrRefusedWithCheckpointFormatExceptionOnly()
    {
        byte[] valid = FuzzBase();
        Assert.Equal(6, SafeTensorsFile.Read(new MemoryStream(valid), "base").Tensors.Count);

        int accepted = 0, refused = 0;
        var sw = Stopwatch.StartNew();
        var run = Task.Run(() =>
        {
            var rng = new Random(20240611);
            for (int i = 0; i < 2000; i++)
            {
                byte[] mutated = Mutate(valid, rng, out string kind);
                try
                {
                    SafeTensorsContents c;
                    if (i % 20 == 0)
                    {
                        string path = P($"fuzz-{i}.safetensors");
                        File.WriteAllBytes(path, mutated);
                        c = SafeTensorsFile.Read(path);
                        File.Delete(path);
                    }
                    else
                    {
                        c = SafeTensorsFile.Read(new MemoryStream(mutated), $"fuzz#{i}");
                    }
                    // Accepted: every entry's data is consistent and lies inside the file.
                    long headerLen = (long)BinaryPrimitives.ReadUInt64LittleEndian(mutated);
                    long total = 0;
                    foreach (var e in c.Tensors.Values)
                    {
                        Assert.Equal(e.ExpectedByteLength, e.Data.Length);
                        total += e.Data.Length;
                    }
                    Assert.Equal(mutated.Length - 8 - headerLen, total);
                    accepted++;
                }
                catch (CheckpointFormatException)
                {
                    refused++;
                }
                catch (Exception ex) when (ex is not Xunit.Sdk.XunitException)
                {
                    Assert.Fail($"iteration {i} ({kind}) threw {ex.GetType().Name}, not CheckpointFormatException: {ex}");
                }
            }
        });
        await run.WaitAsync(TimeSpan.FromSeconds(60)); // TimeoutException if the reader hangs

        Assert.Equal(2000, accepted + refused);
        Assert.True(accepted > 50, $"only {accepted} mutations were accepted: the mutator is too destructive to be useful");
        Assert.True(refused > 1000, $"only {refused} mutations were refused");
        Assert.True(sw.Elapsed < TimeSpan.FromSeconds(20), $"fuzzing took {sw.Elapsed}");
    }
}
