using ScratchNet.Nn.Data;

namespace ScratchNet.Tests.Data;

/// <summary>The IDX reader on small files written here: plain and gzip, and every way a file can be wrong.</summary>
public sealed class IdxFileTests : IDisposable
{
    private static readonly byte[] TwelvePixels = Enumerable.Range(0, 12).Select(i => (byte)(i * 20)).ToArray();
    private readonly TempDir tmp = new();

    public void Dispose() => tmp.Dispose();

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void ReadsImagesPlainAndGzipped(bool gzip)
    {
        string path = IdxBytes.Write(tmp.File("images"), IdxBytes.Make([3, 2, 2], TwelvePixels), gzip);
        var a = IdxFile.ReadImages(path);
        Assert.Equal([3, 2, 2], a.Dimensions);
        Assert.Equal(TwelvePixels, a.Data);
        Assert.Equal(3, a.Count);
        Assert.Equal(4, a.ItemLength);
        Assert.Equal(new byte[] { 80, 100, 120, 140 }, a.Item(1).ToArray());
    }

    [Fact]
    public void DetectsGzipByContentNotByName()
    {
        var bytes = IdxBytes.Make([3], [7, 8, 9]);
        string gzNamedPlain = IdxBytes.Write(tmp.File("labels.gz"), bytes);
        string plainNamedGz = IdxBytes.Write(tmp.File("labels.idx"), bytes, gzip: true);
        Assert.Equal(new byte[] { 7, 8, 9 }, IdxFile.ReadLabels(gzNamedPlain).Data);
        Assert.Equal(new byte[] { 7, 8, 9 }, IdxFile.ReadLabels(plainNamedGz).Data);
    }

    [Fact]
    public void ReadsAnImageSetWhoseCountsAgree()
    {
        string images = IdxBytes.Write(tmp.File("images.gz"), IdxBytes.Make([3, 2, 2], TwelvePixels), gzip: true);
        string labels = IdxBytes.Write(tmp.File("labels"), IdxBytes.Make([3], [4, 0, 9]));
        var set = IdxFile.ReadImageSet(images, labels);
        Assert.Equal((3, 2, 2), (set.Count, set.Rows, set.Cols));
        Assert.Equal(9, set.Label(2));
        Assert.Equal(new byte[] { 160, 180, 200, 220 }, set.Pixels(2).ToArray());
    }

    [Fact]
    public void RejectsImageAndLabelCountsThatDisagree()
    {
        string images = IdxBytes.Write(tmp.File("images"), IdxBytes.Make([3, 2, 2], TwelvePixels));
        string labels = IdxBytes.Write(tmp.File("labels"), IdxBytes.Make([2], [1, 2]));
        var e = Assert.Throws<IdxFormatException>(() => IdxFile.ReadImageSet(images, labels));
        Assert.Contains(images, e.Message);
        Assert.Contains(labels, e.Message);
        Assert.Contains("2 labels", e.Message);
        Assert.Contains("3 images", e.Message);
    }

    [Fact]
    public void RejectsTheWrongNumberOfDimensionsForImagesOrLabels()
    {
        string labels = IdxBytes.Write(tmp.File("labels"), IdxBytes.Make([3], [1, 2, 3]));
        Assert.Contains("expected 3 dimension(s) [n, rows, cols], found 1: [3]", Assert.Throws<IdxFormatException>(() => IdxFile.ReadImages(labels)).Message);
        string images = IdxBytes.Write(tmp.File("images"), IdxBytes.Make([3, 2, 2], TwelvePixels));
        Assert.Contains("expected 1 dimension(s) [n]", Assert.Throws<IdxFormatException>(() => IdxFile.ReadLabels(images)).Message);
    }

    [Fact]
    public void RejectsBadMagic()
    {
        var bytes = IdxBytes.Make([3], [1, 2, 3]);
        bytes[0] = 0x50; // e.g. a PNG or text file given by mistake
        Rejects(bytes, "bad magic 50000801", "two zero bytes");
    }

    [Theory]
    [InlineData(0x0D, "0x0D (float32)")]
    [InlineData(0x0C, "0x0C (int32)")]
    [InlineData(0x42, "0x42 (not an IDX type)")]
    public void RejectsElementTypesOtherThanUnsignedByte(byte type, string named)
    {
        var e = Rejects(IdxBytes.Make(type, [3], [1, 2, 3]), named, "only 0x08 (unsigned byte)");
        Assert.StartsWith(e.FilePath + ": element type", e.Message);
    }

    [Fact]
    public void RejectsZeroAndNegativeDimensions()
    {
        Rejects(IdxBytes.Make([3, 0, 2], []), "dimension 1 is 0; sizes must be positive");
        Rejects(IdxBytes.Make([-1], []), "dimension 0 is -1");
        Rejects(IdxBytes.Make([], []), "0 dimensions");
    }

    [Theory]
    [InlineData(new[] { int.MaxValue, int.MaxValue, int.MaxValue })] // overflows even 64-bit arithmetic
    [InlineData(new[] { 65536, 65536 })] // fits in a long, not in an array
    public void RejectsDimensionsTooLargeForMemory(int[] dims)
    {
        Rejects(IdxBytes.Make(dims, [1, 2, 3]), "are too large");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RejectsTruncatedData(bool gzip)
    {
        var bytes = IdxBytes.Make([3, 2, 2], TwelvePixels)[..^1];
        Rejects(bytes, gzip, "truncated data: dimensions [3, 2, 2] need 12 bytes, got 11");
    }

    [Fact]
    public void RejectsTruncatedHeaders()
    {
        Rejects([0, 0], "too short for an IDX header: 2 bytes");
        Rejects([], "too short for an IDX header: 0 bytes");
        Rejects(IdxBytes.Make([3, 2, 2], [])[..12], "truncated header: 3 dimension sizes need 12 bytes, got 8");
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void RejectsTrailingBytes(bool gzip)
    {
        var bytes = IdxBytes.Make([3, 2, 2], [.. TwelvePixels, 0, 0]);
        Rejects(bytes, gzip, "2 trailing bytes after the 12 data bytes");
    }

    [Fact]
    public void RejectsACutOffGzipStream()
    {
        var gz = IdxBytes.Gzip(IdxBytes.Make([3, 2, 2], TwelvePixels));
        Rejects(gz[..(gz.Length / 2)]); // either "truncated" or "corrupt gzip data", depending on where the cut falls
    }

    [Fact]
    public void RejectsCorruptGzipData()
    {
        var gz = IdxBytes.Gzip(IdxBytes.Make([3, 2, 2], TwelvePixels));
        for (int i = 10; i < gz.Length - 8; i++) gz[i] ^= 0xA5;
        Rejects(gz);
    }

    [Fact]
    public void AMissingFileIsAnIoErrorNotAFormatError()
    {
        Assert.Throws<FileNotFoundException>(() => IdxFile.Read(tmp.File("absent")));
    }

    private IdxFormatException Rejects(byte[] bytes, params string[] fragments) => Rejects(bytes, false, fragments);

    /// <summary>Writes the bytes, expects the reader to refuse them, and checks the message names the file and the problem.</summary>
    private IdxFormatException Rejects(byte[] bytes, bool gzip, params string[] fragments)
    {
        string path = IdxBytes.Write(tmp.File($"bad-{Guid.NewGuid():N}"), bytes, gzip);
        var e = Assert.Throws<IdxFormatException>(() => IdxFile.Read(path));
        Assert.Equal(path, e.FilePath);
        Assert.StartsWith(path + ": ", e.Message);
        foreach (var f in fragments) Assert.Contains(f, e.Message);
        return e;
    }
}
