using System.Net;
using System.Net.Sockets;
using System.Text.Json.Nodes;
using ScratchNet.Tests.Apps;
using SkiaSharp;

namespace ScratchNet.Tests.Serve;

/// <summary>
/// <c>scratchnet serve</c>'s JSON API against a real trained sky model on a real socket: predictions equal
/// <c>predict --json</c>'s for the same file whatever the format; bad uploads (not an image, empty, too big, a
/// bomb's header) and bad names (traversal, symlinks out, unknown runs and models) get a JSON error with the right
/// status and never a stack trace.
/// </summary>
[Collection(ServeCollection.Name)]
public sealed class ServeApiTests(ServeFixture serve)
{
    private string SkyImage(int i = 0) => Directory.GetFiles(Path.Combine(serve.DataDir, "sky")).Order(StringComparer.Ordinal).ElementAt(i);

    private static async Task<(HttpStatusCode Status, JsonNode Body, string Type)> Read(HttpResponseMessage response)
    {
        string text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, JsonNode.Parse(text)!, response.Content.Headers.ContentType?.MediaType ?? "");
    }

    private static async Task<string> Error(HttpResponseMessage response, HttpStatusCode expected)
    {
        var (status, body, type) = await Read(response);
        Assert.Equal(expected, status);
        Assert.Equal("application/json", type);
        string error = body["error"]!.GetValue<string>();
        Assert.DoesNotContain("   at ", error);   // never a stack trace
        Assert.DoesNotContain("Exception", error);
        return error;
    }

    // The image re-encoded as JPEG or WebP (SkiaSharp), or the PNG file as it is.
    private static byte[] Encode(string png, string format)
    {
        if (format == "png") return File.ReadAllBytes(png);
        using var bitmap = SKBitmap.Decode(png);
        using var data = bitmap.Encode(format == "jpeg" ? SKEncodedImageFormat.Jpeg : SKEncodedImageFormat.Webp, 92);
        return data.ToArray();
    }

    [Theory]
    [InlineData("png")]
    [InlineData("jpeg")]
    [InlineData("webp")]
    public async Task PredictReturnsWhatPredictJsonPrintsForTheSameFile(string format)
    {
        byte[] bytes = Encode(SkyImage(), format);
        string file = Path.Combine(serve.Root, $"photo.{format}");
        File.WriteAllBytes(file, bytes);

        var (status, body, type) = await Read(await serve.PostImage(bytes, Path.GetFileName(file), contentType: "image/" + format));
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal("application/json", type);

        var (code, stdout, stderr) = Cli.Run("predict", "--model", serve.RunDir, "--json", file);
        Assert.True(code == 0, stderr);
        var cli = JsonNode.Parse(stdout)!.AsArray().Single()!.AsObject();
        // predict names the file as given on its command line, the API as uploaded; everything else is identical.
        Assert.Equal(file, cli["image"]!.GetValue<string>());
        Assert.Equal($"photo.{format}", body["image"]!.GetValue<string>());
        cli.Remove("image");
        body.AsObject().Remove("image");
        Assert.True(JsonNode.DeepEquals(cli, body), $"API:\n{body}\npredict --json:\n{cli}");
        Assert.NotNull(body["tasks"]!["is_sky"]!["label"]);
    }

    [Fact]
    public async Task ChoosingTheModelByNameGivesTheSameAnswer()
    {
        byte[] bytes = File.ReadAllBytes(SkyImage(1));
        var first = (await Read(await serve.PostImage(bytes, "a.png"))).Body;
        var named = (await Read(await serve.PostImage(bytes, "a.png", model: "sky"))).Body;
        Assert.True(JsonNode.DeepEquals(first, named));
    }

    [Fact]
    public async Task ATextFileNamedPngIs415()
    {
        string error = await Error(await serve.PostImage("hello, this is not a picture\n"u8.ToArray(), "photo.png"), HttpStatusCode.UnsupportedMediaType);
        Assert.Contains("'photo.png' is not an image", error);
    }

    [Fact]
    public async Task AnEmptyUploadAndAMissingFieldAre400()
    {
        Assert.Contains("empty", await Error(await serve.PostImage([], "empty.png"), HttpStatusCode.BadRequest));
        var form = new MultipartFormDataContent { { new StringContent("x"), "picture" } };
        Assert.Contains("no field 'image'", await Error(await serve.Client.PostAsync("/api/predict", form), HttpStatusCode.BadRequest));
        Assert.Contains("multipart/form-data", await Error(await serve.Client.PostAsync("/api/predict", new StringContent("{}")), HttpStatusCode.BadRequest));
    }

    [Fact]
    public async Task A30MiBUploadIs413()
    {
        byte[] big = new byte[30 << 20];
        File.ReadAllBytes(SkyImage()).CopyTo(big, 0);   // a real PNG's start: refused for its size, not its content
        // As curl does for a large body, the client asks first (Expect: 100-continue); the server refuses from the
        // Content-Length alone, so the 30 MiB never cross the wire. (Without it the server answers 413 just the same,
        // but closes the connection while the client is still sending; the page checks the size before uploading.)
        var form = new MultipartFormDataContent { { new ByteArrayContent(big), "image", "big.png" } };
        using var request = new HttpRequestMessage(HttpMethod.Post, "/api/predict") { Content = form };
        request.Headers.ExpectContinue = true;
        Assert.Contains("20 MiB", await Error(await serve.Client.SendAsync(request), HttpStatusCode.RequestEntityTooLarge));
        // and the server still answers
        Assert.Equal(HttpStatusCode.OK, (await serve.PostImage(File.ReadAllBytes(SkyImage()), "ok.png")).StatusCode);
    }

    [Fact]
    public async Task A20000By20000PngHeaderIs400WithoutDecoding()
    {
        string error = await Error(await serve.PostImage(PngHeader(20000, 20000), "bomb.png"), HttpStatusCode.BadRequest);
        Assert.Contains("20000", error);
    }

    // A PNG signature, an IHDR chunk for width × height 8-bit RGB (with its CRC) and a tiny IDAT: a decompression
    // bomb's first bytes.
    private static byte[] PngHeader(int width, int height)
    {
        var ms = new MemoryStream();
        ms.Write([0x89, (byte)'P', (byte)'N', (byte)'G', 0x0D, 0x0A, 0x1A, 0x0A]);
        void Chunk(string type, byte[] data)
        {
            Span<byte> len = stackalloc byte[4];
            System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(len, data.Length);
            ms.Write(len);
            byte[] typed = [.. System.Text.Encoding.ASCII.GetBytes(type), .. data];
            ms.Write(typed);
            System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(len, Crc32(typed));
            ms.Write(len);
        }
        var ihdr = new byte[13];
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr, width);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(ihdr.AsSpan(4), height);
        ihdr[8] = 8; ihdr[9] = 2;
        Chunk("IHDR", ihdr);
        Chunk("IDAT", [0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]);
        Chunk("IEND", []);
        return ms.ToArray();
    }

    // PNG's chunk CRC (ISO 3309, reflected polynomial 0xEDB88320), bit by bit: a header is 17 bytes.
    private static uint Crc32(byte[] data)
    {
        uint crc = 0xFFFFFFFF;
        foreach (byte b in data)
        {
            crc ^= b;
            for (int k = 0; k < 8; k++) crc = (crc & 1) != 0 ? (crc >> 1) ^ 0xEDB88320 : crc >> 1;
        }
        return ~crc;
    }

    [Theory]
    [InlineData("/api/runs/..%2F..%2Fetc")]
    [InlineData("/api/runs/%2E%2E")]
    [InlineData("/api/runs/..")]
    [InlineData("/api/runs/%2Fetc%2Fpasswd")]
    [InlineData("/api/runs/nope")]
    [InlineData("/api/runs/sky%2F..%2F..")]
    [InlineData("/api/runs/..%2F..%2Fetc/details")]
    [InlineData("/runs/sky/files/..%2Fsky%2Fmetrics.json")]
    [InlineData("/runs/sky/files/experiment.json")]
    [InlineData("/runs/sky/files/best.safetensors")]
    [InlineData("/runs/..%2F..%2Fetc/files/passwd")]
    [InlineData("/etc/passwd")]
    public async Task NamesOutsideTheRunsFolderAre404(string url)
    {
        await Error(await serve.Client.GetAsync(url), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task SymlinksOutOfTheRunsFolderAreNotFollowed()
    {
        // A run folder outside --runs (with everything a run has), linked into it; and a plot linked to a file outside.
        string outside = Path.Combine(serve.Root, "outside-run");
        Directory.CreateDirectory(outside);
        foreach (var f in new[] { "experiment.json", "metrics.json", "curves.png" })
            File.Copy(Path.Combine(serve.RunDir, f), Path.Combine(outside, f), overwrite: true);
        string linkedRun = Path.Combine(serve.Runs, "linked");
        string linkedPlot = Path.Combine(serve.RunDir, "secret.png");
        Directory.CreateSymbolicLink(linkedRun, outside);
        File.CreateSymbolicLink(linkedPlot, Path.Combine(outside, "curves.png"));
        try
        {
            await Error(await serve.Client.GetAsync("/api/runs/linked"), HttpStatusCode.NotFound);
            await Error(await serve.Client.GetAsync("/runs/linked/files/curves.png"), HttpStatusCode.NotFound);
            await Error(await serve.Client.GetAsync("/runs/sky/files/secret.png"), HttpStatusCode.NotFound);
            var runs = (await Read(await serve.Client.GetAsync("/api/runs"))).Body.AsArray();
            Assert.DoesNotContain(runs, r => r!["name"]!.GetValue<string>() == "linked");
        }
        finally
        {
            Directory.Delete(linkedRun);
            File.Delete(linkedPlot);
        }
    }

    [Fact]
    public async Task AnUnknownModelIs404()
    {
        string error = await Error(await serve.PostImage(File.ReadAllBytes(SkyImage()), "a.png", model: "nope"), HttpStatusCode.NotFound);
        Assert.Contains("no model called 'nope'", error);
        Assert.Contains("no model called '../sky'", await Error(await serve.PostImage(File.ReadAllBytes(SkyImage()), "a.png", model: "../sky"), HttpStatusCode.NotFound));
    }

    [Fact]
    public async Task ARewrittenCheckpointIsReadAgainAndABrokenOneIsA500InWords()
    {
        string run = Path.Combine(serve.Runs, "reload");
        Directory.CreateDirectory(run);
        foreach (var f in Directory.GetFiles(serve.RunDir)) File.Copy(f, Path.Combine(run, Path.GetFileName(f)), overwrite: true);
        byte[] image = File.ReadAllBytes(SkyImage());
        try
        {
            Assert.Equal(HttpStatusCode.OK, (await serve.PostImage(image, "a.png", model: "reload")).StatusCode);
            // Training replaces best.safetensors by rename; here the new file is broken, so the reload must show.
            string temp = Path.Combine(run, "best.tmp");
            File.WriteAllText(temp, "not a checkpoint");
            File.SetLastWriteTimeUtc(temp, DateTime.UtcNow.AddMinutes(1));
            File.Move(temp, Path.Combine(run, "best.safetensors"), overwrite: true);
            string error = await Error(await serve.PostImage(image, "a.png", model: "reload"), HttpStatusCode.InternalServerError);
            Assert.Contains("model 'reload' cannot be loaded", error);
            // The other model is unaffected.
            Assert.Equal(HttpStatusCode.OK, (await serve.PostImage(image, "a.png", model: "sky")).StatusCode);
        }
        finally { Directory.Delete(run, recursive: true); }
    }

    [Fact]
    public async Task ModelsListTheRunsModelWithItsTasksBandsAndRule()
    {
        var models = (await Read(await serve.Client.GetAsync("/api/models"))).Body.AsArray();
        var sky = Assert.Single(models)!;
        Assert.Equal("sky", sky["id"]!.GetValue<string>());
        Assert.Equal(serve.Checkpoint, sky["checkpoint"]!.GetValue<string>());
        var tasks = sky["tasks"]!.AsArray();
        Assert.Equal(["is_sky", "aqi"], tasks.Select(t => t!["name"]!.GetValue<string>()));
        Assert.Equal(["not_sky", "sky"], tasks[0]!["labels"]!.AsArray().Select(l => l!.GetValue<string>()));
        Assert.Equal("Good", tasks[1]!["bands"]![0]!.GetValue<string>());
        Assert.Equal(50, tasks[1]!["band_upper"]![0]!.GetValue<double>());
        Assert.Equal("is_sky = sky", tasks[1]!["when"]!.GetValue<string>());
    }

    [Fact]
    public async Task RunsListTheRunAndItsMetricsAsWritten()
    {
        var runs = (await Read(await serve.Client.GetAsync("/api/runs"))).Body.AsArray();
        var sky = Assert.Single(runs, r => r!["name"]!.GetValue<string>() == "sky")!;
        Assert.True(sky["has_model"]!.GetValue<bool>());
        Assert.Matches(@"^is_sky accuracy \d\.\d{3} · aqi MAE [\d.]+$", sky["headline"]!.GetValue<string>());

        var metrics = await serve.Client.GetAsync("/api/runs/sky");
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        Assert.Equal(File.ReadAllText(Path.Combine(serve.RunDir, "metrics.json")), await metrics.Content.ReadAsStringAsync());

        var details = (await Read(await serve.Client.GetAsync("/api/runs/sky/details"))).Body;
        Assert.Contains("curves.png", details["plots"]!.AsArray().Select(p => p!.GetValue<string>()));
        Assert.Equal("epoch", details["log"]!["columns"]![0]!.GetValue<string>());
        Assert.Equal(File.ReadAllLines(Path.Combine(serve.RunDir, "log.csv")).Length - 1, details["log"]!["rows"]!.AsArray().Count);
        Assert.InRange(details["best_epoch"]!.GetValue<int>(), 1, 6);
        Assert.Equal("sky", details["config"]!["name"]!.GetValue<string>());

        var plot = await serve.Client.GetAsync("/runs/sky/files/curves.png");
        Assert.Equal(HttpStatusCode.OK, plot.StatusCode);
        Assert.Equal("image/png", plot.Content.Headers.ContentType!.MediaType);
        Assert.Equal(File.ReadAllBytes(Path.Combine(serve.RunDir, "curves.png")), await plot.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData("/", "text/html", "Try a model")]
    [InlineData("/run?name=sky", "text/html", "run-metrics")]
    [InlineData("/app.js", "text/javascript", "/api/predict")]
    [InlineData("/style.css", "text/css", ".result")]
    public async Task ThePagesAreServedFromTheAssemblyWithNothingFromElsewhere(string url, string type, string contains)
    {
        var response = await serve.Client.GetAsync(url);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType!.MediaType);
        string text = await response.Content.ReadAsStringAsync();
        Assert.Contains(contains, text);
        Assert.DoesNotContain("https://", text);   // no CDN: the page works offline
        Assert.DoesNotContain("http://", text);
    }

    [Fact]
    public async Task TheCommandRefusesABadUploadLimitAndABusyPortInOneLine()
    {
        var (code, _, err) = Cli.Run("serve", "--runs", serve.Runs, "--max-upload", "0");
        Assert.Equal(2, code);
        Assert.Contains("--max-upload must be 1 … 1024 MiB, got 0", err);

        using var busy = new TcpListener(IPAddress.Loopback, 0);
        busy.Start();
        int port = ((IPEndPoint)busy.LocalEndpoint).Port;
        (code, _, err) = await Task.Run(() => Cli.Run("serve", "--runs", serve.Runs, "--urls", $"http://127.0.0.1:{port}"));
        Assert.Equal(2, code);
        Assert.Contains($"cannot listen on http://127.0.0.1:{port}", err);
        Assert.DoesNotContain("   at ", err);
    }
}
