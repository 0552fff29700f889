using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using ScratchNet.Nn.Experiments;
using ScratchNet.Tensors;

namespace ScratchNet.Apps.Serve;

/// <summary>What <c>scratchnet serve</c> serves.</summary>
/// <param name="Runs">The runs folder.</param>
/// <param name="Models">Checkpoints (or run folders) offered besides the runs'.</param>
/// <param name="Urls">Where to listen (default loopback only).</param>
/// <param name="Device">Where the models run.</param>
/// <param name="MaxUploadBytes">The largest request body accepted (413 above it).</param>
public sealed record ServeOptions(string Runs, IReadOnlyList<string> Models, string Urls, Device Device, long MaxUploadBytes)
{
    /// <summary>Loopback only: the pages have no authentication.</summary>
    public const string DefaultUrls = "http://127.0.0.1:5000";

    /// <summary>20 MiB.</summary>
    public const long DefaultMaxUploadBytes = 20L << 20;
}

/// <summary>
/// The web app of <c>scratchnet serve</c>: two pages (try a model; a run) from embedded files, and a JSON API —
/// <c>POST /api/predict</c> (multipart <c>image</c>, optional <c>model</c>), <c>GET /api/models</c>, <c>GET /api/limits</c> (the upload limit, for the page),
/// <c>GET /api/runs</c>, <c>GET /api/runs/{name}</c> (metrics.json as is), <c>GET /api/runs/{name}/details</c>,
/// <c>GET /runs/{name}/files/{file}</c> (its plots). Errors are <c>{"error": "..."}</c> with 400, 404, 413 or 415,
/// never a stack trace.
/// </summary>
public static class ServeApp
{
    /// <summary>Builds the app (not started).</summary>
    public static WebApplication Build(ServeOptions options)
    {
        var builder = WebApplication.CreateSlimBuilder(new WebApplicationOptions { ApplicationName = "scratchnet", ContentRootPath = AppContext.BaseDirectory });
        builder.Logging.ClearProviders();
        builder.Logging.AddSimpleConsole(o => o.SingleLine = true).SetMinimumLevel(LogLevel.Warning);
        builder.WebHost.UseUrls(options.Urls);
        builder.WebHost.ConfigureKestrel(k => k.Limits.MaxRequestBodySize = options.MaxUploadBytes);
        builder.Services.Configure<FormOptions>(f => f.MultipartBodyLengthLimit = options.MaxUploadBytes);
        builder.Services.Configure<HostOptions>(h => h.ShutdownTimeout = TimeSpan.FromSeconds(5));
        var runs = new RunCatalog(options.Runs);
        var models = new ModelCatalog(runs, options.Models, options.Device);
        builder.Services.AddSingleton(runs);
        builder.Services.AddSingleton(models);

        var app = builder.Build();
        app.Lifetime.ApplicationStopped.Register(models.Dispose);
        app.Use(async (context, next) =>
        {
            try { await next(context); }
            catch (Microsoft.AspNetCore.Http.BadHttpRequestException e) when (!context.Response.HasStarted)
            {
                await Error(context, e.StatusCode, e.StatusCode == 413 ? $"the upload is larger than the limit of {options.MaxUploadBytes >> 20} MiB (--max-upload)" : e.Message);
            }
            catch (Exception e) when (!context.Response.HasStarted && e is not OperationCanceledException)
            {
                // A fault of the server's (a run folder deleted under it, a full disk): its words to the client, the
                // stack trace only in the server's own log.
                context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("scratchnet.serve").LogError(e, "{Method} {Path} failed", context.Request.Method, context.Request.Path);
                await Error(context, 500, $"the server failed: {e.Message}");
            }
        });

        app.MapGet("/", () => Page("index.html", "text/html; charset=utf-8"));
        app.MapGet("/run", () => Page("run.html", "text/html; charset=utf-8"));
        app.MapGet("/app.js", () => Page("app.js", "text/javascript; charset=utf-8"));
        app.MapGet("/style.css", () => Page("style.css", "text/css; charset=utf-8"));

        app.MapGet("/api/limits", () => Results.Json(new { MaxUploadBytes = options.MaxUploadBytes }, PredictionJson.Options));
        app.MapGet("/api/models", () => Results.Json(models.Describe(), PredictionJson.Options));
        app.MapGet("/api/runs", () => Results.Json(runs.List().Select(r => new { r.Name, r.Modified, HasModel = r.Model is not null, r.Headline }), PredictionJson.Options));
        app.MapGet("/api/runs/{name}", (string name) => runs.MetricsJson(name) is { } json
            ? Results.Text(json, "application/json; charset=utf-8")
            : NotFound($"no finished run called '{name}' under {runs.Root}"));
        app.MapGet("/api/runs/{name}/details", (string name) => runs.Details(name) is { } details
            ? Results.Text(details.ToJsonString(PredictionJson.Options), "application/json; charset=utf-8")
            : NotFound($"no run called '{name}' under {runs.Root}"));
        app.MapGet("/runs/{name}/files/{file}", (string name, string file) => runs.FindPlot(name, file) is { } path
            ? Results.File(path, "image/png")
            : NotFound($"run '{name}' has no plot '{file}'"));
        app.MapPost("/api/predict", (HttpRequest request) => Predict(request, models)).DisableAntiforgery();
        app.MapFallback((HttpContext c) => NotFound($"nothing at {c.Request.Path}"));
        return app;
    }

    private static async Task<IResult> Predict(HttpRequest request, ModelCatalog models)
    {
        if (!request.HasFormContentType)
            return Json(400, "expected multipart/form-data with the image in the field 'image' (curl -F image=@photo.jpg)");
        var form = await request.ReadFormAsync();
        var file = form.Files.GetFile("image");
        if (file is null) return Json(400, "no field 'image' in the form (curl -F image=@photo.jpg)");
        if (file.Length == 0) return Json(400, $"'{file.FileName}' is empty (0 bytes)");
        var bytes = new byte[file.Length];
        await using (var s = file.OpenReadStream()) await s.ReadExactlyAsync(bytes);
        if (ImageSniffer.Format(bytes) is null)
            return Json(415, $"'{file.FileName}' is not an image (JPEG, PNG, WebP, BMP or GIF, judged by its content)");
        string? model = form["model"].FirstOrDefault();
        model = string.IsNullOrEmpty(model) ? null : model;
        ImagePrediction? prediction;
        try { prediction = models.Predict(model, bytes, Path.GetFileName(file.FileName)); }
        catch (Nn.Checkpoints.CheckpointFormatException e) { return Json(500, $"model '{model}' cannot be loaded: {e.Message}"); }
        if (prediction is null)
            return Json(404, model is null ? "no model to predict with (train one, or pass --model)" : $"no model called '{model}' (GET /api/models lists them)");
        if (prediction.Error is not null) return Json(400, prediction.Error);
        return Results.Text(PredictionJson.Serialize(prediction), "application/json; charset=utf-8");
    }

    private static IResult NotFound(string message) => Json(404, message);

    private static IResult Json(int status, string message) =>
        Results.Text(JsonSerializer.Serialize(new { error = message }, PredictionJson.Options), "application/json; charset=utf-8", statusCode: status);

    private static Task Error(HttpContext context, int status, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=utf-8";
        return context.Response.WriteAsync(JsonSerializer.Serialize(new { error = message }, PredictionJson.Options));
    }

    private static IResult Page(string name, string type)
    {
        var stream = typeof(ServeApp).Assembly.GetManifestResourceStream("serve/" + name)
            ?? throw new InvalidOperationException($"the page {name} is missing from the assembly");
        return Results.Stream(stream, type);
    }
}
