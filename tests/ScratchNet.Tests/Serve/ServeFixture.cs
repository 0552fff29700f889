using System.Net.Http.Headers;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using ScratchNet.Apps.Datasets.Sky;
using ScratchNet.Apps.Serve;
using ScratchNet.Nn.Experiments;
using ScratchNet.Tensors;

namespace ScratchNet.Tests.Serve;

/// <summary>
/// A real sky/AQI run and a real server for the serve tests: renders a small synthetic sky set, trains the built-in
/// sky experiment (examples/sky.yml at 32 px, a few epochs) into <c>runs/sky</c> through the engine's API, and starts
/// <c>scratchnet serve</c>'s app on Kestrel at a free loopback port — a real socket, so the body limit, the browser
/// and the load test see exactly what a user's client sees.
/// </summary>
public sealed class ServeFixture : IAsyncLifetime
{
    private WebApplication? app;

    /// <summary>The temporary folder holding data/ and runs/.</summary>
    public string Root { get; } = Directory.CreateTempSubdirectory("scratchnet-serve-").FullName;

    /// <summary>The runs folder the server was given.</summary>
    public string Runs => Path.Combine(Root, "runs");

    /// <summary>The trained run's folder (runs/sky).</summary>
    public string RunDir => Path.Combine(Runs, "sky");

    /// <summary>Its best checkpoint.</summary>
    public string Checkpoint => Path.Combine(RunDir, "best.safetensors");

    /// <summary>"http://127.0.0.1:PORT".</summary>
    public string BaseUrl { get; private set; } = "";

    /// <summary>A client for <see cref="BaseUrl"/>.</summary>
    public HttpClient Client { get; private set; } = null!;

    /// <summary>The sky set's images (sky/ and negatives/).</summary>
    public string DataDir => Path.Combine(Root, "data", "sky");

    /// <inheritdoc/>
    public async Task InitializeAsync()
    {
        SkyDatasetGenerator.Generate(new SkyDatasetOptions { OutDir = DataDir, Count = 160, Size = 48, Seed = 12 });
        string yaml = File.ReadAllText(Path.Combine(Repository.Root(), "examples", "sky.yml"))
            .Replace("../data/sky/samples.csv", "data/sky/samples.csv", StringComparison.Ordinal)
            .Replace("size: 64", "size: 32", StringComparison.Ordinal)
            .Replace("epochs: 60", "epochs: 6", StringComparison.Ordinal);
        string config = Path.Combine(Root, "sky.yml");
        File.WriteAllText(config, yaml);
        var result = Experiment.Load(config).Train(new TrainOptions { OutDir = RunDir, Log = TextWriter.Null });
        Assert.Equal(Checkpoint, result.Checkpoint);

        app = ServeApp.Build(new ServeOptions(Runs, [], "http://127.0.0.1:0", Device.Cpu, ServeOptions.DefaultMaxUploadBytes));
        await app.StartAsync();
        BaseUrl = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.Single();
        Client = new HttpClient { BaseAddress = new Uri(BaseUrl), Timeout = TimeSpan.FromSeconds(60) };
    }

    /// <summary>POST /api/predict with <paramref name="bytes"/> as the multipart field <c>image</c> named <paramref name="name"/>.</summary>
    public Task<HttpResponseMessage> PostImage(byte[] bytes, string name, string? model = null, string contentType = "image/png")
    {
        var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new MediaTypeHeaderValue(contentType);
        form.Add(file, "image", name);
        if (model is not null) form.Add(new StringContent(model), "model");
        return Client.PostAsync("/api/predict", form);
    }

    /// <inheritdoc/>
    public async Task DisposeAsync()
    {
        Client?.Dispose();
        if (app is not null)
        {
            await app.StopAsync();
            await app.DisposeAsync();
        }
        try { Directory.Delete(Root, recursive: true); }
        catch (IOException) { /* best effort */ }
    }
}

/// <summary>The serve tests share one trained run and one server.</summary>
[CollectionDefinition(Name)]
public sealed class ServeCollection : ICollectionFixture<ServeFixture>
{
    public const string Name = "serve";
}
