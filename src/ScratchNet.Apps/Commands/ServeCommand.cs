using System.CommandLine;
using Microsoft.Extensions.Hosting;
using ScratchNet.Apps.Serve;
using ScratchNet.Tensors;

namespace ScratchNet.Apps.Commands;

/// <summary>
/// <c>scratchnet serve [--runs DIR] [--model CKPT]… [--urls URL] [--max-upload MIB]</c>: a local web page to try the
/// trained models on images and browse the runs, and its JSON API (<see cref="ServeApp"/>). Ctrl-C stops it cleanly.
/// </summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var runs = new Option<string>("--runs") { Description = "The runs folder: every run's best.safetensors is offered, every run has a page", DefaultValueFactory = _ => "runs" };
        var models = new Option<string[]>("--model") { Description = "A checkpoint or run folder to offer as well (repeatable)", AllowMultipleArgumentsPerToken = false };
        var urls = new Option<string>("--urls") { Description = $"Where to listen (default {ServeOptions.DefaultUrls}, this machine only; the pages have no authentication)", DefaultValueFactory = _ => ServeOptions.DefaultUrls };
        var maxUpload = new Option<int>("--max-upload") { Description = "The largest upload in MiB (413 above it)", DefaultValueFactory = _ => (int)(ServeOptions.DefaultMaxUploadBytes >> 20) };
        var device = CommonOptions.Device("cpu");
        var command = new Command("serve", "A web page to try trained models on images and browse runs, with a JSON API (POST /api/predict)") { runs, models, urls, maxUpload, device };
        command.SetAction(async (r, ct) =>
        {
            int mib = r.GetValue(maxUpload);
            if (mib < 1 || mib > 1024) return UserErrors.Fail($"--max-upload must be 1 … 1024 MiB, got {mib}");
            string url = r.GetValue(urls)!;
            var options = new ServeOptions(r.GetValue(runs)!, r.GetValue(models) ?? [], url, Device.Get(r.GetValue(device)!), (long)mib << 20);
            await using var app = ServeApp.Build(options);
            var catalog = (ModelCatalog)app.Services.GetService(typeof(ModelCatalog))!;
            var offered = catalog.All();
            try { await app.StartAsync(ct); }
            catch (IOException e) { return UserErrors.Fail($"cannot listen on {url}: {e.Message} (another server there? pass --urls http://127.0.0.1:5001)"); }
            Console.WriteLine($"ScratchNet serve: {string.Join(", ", app.Urls)} — {offered.Count} model(s){(offered.Count > 0 ? ": " + string.Join(", ", offered.Take(5).Select(m => m.Id)) + (offered.Count > 5 ? ", …" : "") : $" (none under {Path.GetFullPath(options.Runs)}; train one first, or pass --model)")}; Ctrl-C stops");
            if (!IsLoopbackOnly(url))
                Console.WriteLine("warning: listening beyond this machine; the pages and the API have no authentication");
            await app.WaitForShutdownAsync(CancellationToken.None);   // Ctrl-C or SIGTERM: requests in flight finish (5 s at most)
            Console.WriteLine("ScratchNet serve: stopped");
            return 0;
        });
        return command;
    }

    private static bool IsLoopbackOnly(string urls) =>
        urls.Split(';', StringSplitOptions.RemoveEmptyEntries).All(u =>
            Uri.TryCreate(u.Replace("*", "0.0.0.0", StringComparison.Ordinal).Replace("+", "0.0.0.0", StringComparison.Ordinal), UriKind.Absolute, out var uri)
            && (uri.IsLoopback || uri.Host == "localhost"));
}
