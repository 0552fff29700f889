using System.Diagnostics;
using System.Net;
using Xunit.Abstractions;

namespace ScratchNet.Tests.Serve;

/// <summary>
/// The server under load on loopback: 8 concurrent clients × 200 predictions each, bounded in time, every answer a
/// 200 with the same JSON, and memory flat (the managed heap after a full collection, and the process's resident
/// set, measured between two identical rounds of that load, after a warm-up). Prints requests/s and p50/p99 latency, with one client's
/// figures beside them (the model is behind one lock: on a CPU one forward pass already uses every core).
/// </summary>
[Collection(ServeCollection.Name)]
public sealed class ServeLoadTests(ServeFixture serve, ITestOutputHelper output)
{
    private const int Clients = 8, RequestsPerClient = 200;

    private sealed record Round(int Requests, TimeSpan Elapsed, double[] LatenciesMs, int Errors, HashSet<string> Answers);

    private async Task<Round> Run(byte[] image, int clients, int perClient)
    {
        var latencies = new double[clients * perClient];
        int errors = 0;
        var answers = new HashSet<string>();
        var clock = Stopwatch.StartNew();
        await Task.WhenAll(Enumerable.Range(0, clients).Select(c => Task.Run(async () =>
        {
            for (int i = 0; i < perClient; i++)
            {
                long start = Stopwatch.GetTimestamp();
                using var response = await serve.PostImage(image, "load.png");
                string body = await response.Content.ReadAsStringAsync();
                latencies[c * perClient + i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds;
                if (response.StatusCode != HttpStatusCode.OK) Interlocked.Increment(ref errors);
                lock (answers) answers.Add(body);
            }
        })));
        return new Round(clients * perClient, clock.Elapsed, latencies, errors, answers);
    }

    private static double Percentile(double[] sorted, double p) => sorted[Math.Min(sorted.Length - 1, (int)Math.Ceiling(p * sorted.Length) - 1)];

    private static (long Heap, long Resident) Memory()
    {
        long heap = GC.GetTotalMemory(forceFullCollection: true);
        using var self = Process.GetCurrentProcess();
        return (heap, self.WorkingSet64);
    }

    private string Report(string what, Round r)
    {
        var sorted = r.LatenciesMs.Order().ToArray();
        return FormattableString.Invariant(
            $"{what}: {r.Requests} requests in {r.Elapsed.TotalSeconds:F2} s = {r.Requests / r.Elapsed.TotalSeconds:F0} req/s, p50 {Percentile(sorted, 0.50):F2} ms, p99 {Percentile(sorted, 0.99):F2} ms, max {sorted[^1]:F1} ms, errors {r.Errors}");
    }

    [Fact]
    public async Task EightClientsTimesTwoHundredRequestsAllAnswerAndMemoryStaysFlat()
    {
        byte[] image = File.ReadAllBytes(Directory.GetFiles(Path.Combine(serve.DataDir, "sky")).Order(StringComparer.Ordinal).First());
        var warm = await Run(image, Clients, 25);   // connections open, the model loaded, the JIT done
        Assert.Equal(0, warm.Errors);
        var single = await Run(image, 1, RequestsPerClient);
        var load = await Run(image, Clients, RequestsPerClient);
        var before = Memory();
        var again = await Run(image, Clients, RequestsPerClient);   // the same load again: a leak grows the same each time
        var after = Memory();

        string lines = string.Join(Environment.NewLine,
            $"{Environment.ProcessorCount} cores, {Path.GetFileName(serve.Checkpoint)} of the fixture's sky model (32 px input), a {image.Length}-byte PNG",
            Report("1 client", single),
            Report($"{Clients} clients × {RequestsPerClient}", load),
            Report($"{Clients} clients × {RequestsPerClient} again", again),
            FormattableString.Invariant($"memory before the second round: heap {before.Heap / 1048576.0:F1} MiB, resident {before.Resident / 1048576.0:F0} MiB; after it: heap {after.Heap / 1048576.0:F1} MiB, resident {after.Resident / 1048576.0:F0} MiB"));
        output.WriteLine(lines);
        File.WriteAllText(Path.Combine(AppContext.BaseDirectory, "serve-load.txt"), lines + Environment.NewLine);

        Assert.Equal(0, load.Errors + again.Errors + single.Errors);
        Assert.Single(load.Answers.Union(again.Answers).Union(single.Answers));   // every answer identical: no request saw another's state
        Assert.True(load.Elapsed < TimeSpan.FromSeconds(120), $"{load.Requests} requests took {load.Elapsed}");
        // Flat: 1,600 requests later the live heap has not grown by 2 MiB (a leak of one 32 px input tensor per
        // request would be 19 MiB) nor the resident set by 32 MiB.
        Assert.True(after.Heap - before.Heap < 2L << 20, $"heap grew {(after.Heap - before.Heap) / 1048576.0:F1} MiB");
        Assert.True(after.Resident - before.Resident < 32L << 20, $"resident set grew {(after.Resident - before.Resident) / 1048576.0:F0} MiB");
    }
}
