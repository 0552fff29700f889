using System.Text.Json;
using ScratchNet.Nn.Modules;
using ScratchNet.Nn.Optim;

namespace ScratchNet.Nn.Checkpoints;

/// <summary>
/// Saving and loading models as safetensors with PyTorch's state-dict names. A checkpoint is <b>one file</b>: the
/// model's tensors under their state-dict names, for a resumable checkpoint the optimizer's state under
/// <c>optimizer/…</c> names, and the <see cref="CheckpointInfo"/> (what to build, epoch, step, the run's log so
/// far) as JSON in the safetensors <c>__metadata__</c> header. One file is written with one rename, so a kill or a
/// full disk at any instant leaves the previous checkpoint or the new one, never weights of one step with optimizer
/// state or log of another.
/// </summary>
/// <remarks>
/// In PyTorch: <c>best.safetensors</c> holds only the model and loads with <c>strict=True</c>; for
/// <c>last.safetensors</c> drop the optimizer's entries first (<c>{k: v for k, v in load_file(p).items() if not
/// k.startswith("optimizer/")}</c>; a PyTorch module name cannot contain '/' in a state dict written by
/// <c>named_modules</c>, so the prefix cannot collide). <c>num_batches_tracked</c> is stored as int64, as PyTorch does.
/// Checkpoints of the earlier three-file layout (<c>name.json</c> sidecar, <c>name.optimizer.safetensors</c>)
/// still load; saving over one removes those files.
/// </remarks>
public static class Checkpoint
{
    /// <summary>Name prefix of the optimizer's entries in a resumable checkpoint.</summary>
    public const string OptimizerPrefix = "optimizer/";

    /// <summary>The <c>__metadata__</c> key holding the <see cref="CheckpointInfo"/> JSON.</summary>
    public const string InfoKey = "scratchnet.info";

    private static readonly JsonSerializerOptions Json = new() { WriteIndented = false };

    /// <summary>The sidecar path of a checkpoint in the earlier layout (read for old runs only).</summary>
    public static string LegacySidecarPath(string path) => Path.ChangeExtension(path, ".json");

    /// <summary>The optimizer-state path of a checkpoint in the earlier layout (read for old runs only).</summary>
    public static string LegacyOptimizerPath(string path) => Path.ChangeExtension(path, ".optimizer.safetensors");

    /// <summary>Writes the model, the info and (for a resumable checkpoint) the optimizer's state as one file, atomically.</summary>
    public static void Save(string path, Module model, CheckpointInfo info, Optimizer? optimizer = null)
    {
        if (info.Problem() is { } problem) throw new ArgumentException($"checkpoint info for {path}: {problem}", nameof(info));
        var entries = ToEntries(model.StateDict()).ToList();
        if (optimizer is not null)
            entries.AddRange(ToEntries(optimizer.StateDict().ToDictionary(kv => OptimizerPrefix + kv.Key, kv => kv.Value)));
        SafeTensorsFile.Write(path, entries, new Dictionary<string, string>
        {
            ["format"] = "pt", ["scratchnet.model"] = info.ModelKind, [InfoKey] = JsonSerializer.Serialize(info, Json),
        });
        // Files of the earlier layout describe some other checkpoint now. Removed after the rename: a kill before
        // this line leaves them, and they are ignored, since the info inside the file wins.
        foreach (var stale in new[] { LegacySidecarPath(path), LegacyOptimizerPath(path) })
            if (File.Exists(stale)) File.Delete(stale);
    }

    /// <summary>Reads a checkpoint's info (the header only), with a clear error when it is missing, malformed or out of range.</summary>
    public static CheckpointInfo ReadInfo(string path)
    {
        RequireFile(path);
        var metadata = SafeTensorsFile.ReadMetadata(path);
        return metadata.TryGetValue(InfoKey, out var json) ? Parse(path, json) : ReadLegacyInfo(path);
    }

    /// <summary>
    /// Loads weights into <paramref name="model"/> (strict) and, when given, the optimizer state, which must be
    /// from the same step as the weights. Every tensor must be finite.
    /// </summary>
    public static void Load(string path, Module model, Optimizer? optimizer = null)
    {
        RequireFile(path);
        var contents = SafeTensorsFile.Read(path);
        var all = FromEntries(contents);
        RejectOptimizerOnlyFile(path, all);
        var weights = all.Where(kv => !kv.Key.StartsWith(OptimizerPrefix, StringComparison.Ordinal)).ToDictionary();
        RequireFinite(path, weights);
        try
        {
            model.LoadStateDict(weights);
        }
        catch (InvalidOperationException e)
        {
            throw new CheckpointFormatException(path, e.Message, e);
        }
        if (optimizer is null) return;

        string source = path;
        var state = all.Where(kv => kv.Key.StartsWith(OptimizerPrefix, StringComparison.Ordinal)).ToDictionary(kv => kv.Key[OptimizerPrefix.Length..], kv => kv.Value);
        if (state.Count == 0)
        {
            source = LegacyOptimizerPath(path);
            if (!File.Exists(source))
                throw new CheckpointFormatException(path, "it holds no optimizer state, so training cannot resume from it (only last.safetensors carries it)");
            state = FromEntries(SafeTensorsFile.Read(source));
        }
        RequireFinite(source, state);
        var info = contents.Metadata.TryGetValue(InfoKey, out var json) ? Parse(path, json) : ReadLegacyInfo(path);
        if (state.TryGetValue("step", out var step) && (long)step.ToDoubles()[0] is var optimizerStep && optimizerStep != info.Step)
            throw new CheckpointFormatException(source,
                $"the optimizer state is from step {optimizerStep} but the weights are from step {info.Step}: the pieces do not belong together (a checkpoint mixed by an interrupted save?); start the run again");
        try
        {
            optimizer.LoadStateDict(state);
        }
        catch (InvalidOperationException e)
        {
            throw new CheckpointFormatException(source, e.Message, e);
        }
    }

    /// <summary>Converts a state dict to safetensors entries (float32/float64/int64 as stored).</summary>
    public static IEnumerable<SafeTensorEntry> ToEntries(IReadOnlyDictionary<string, HostTensor> state) =>
        state.Select(kv => kv.Value.Data switch
        {
            float[] f => SafeTensorEntry.FromFloat32(kv.Key, f, kv.Value.Shape),
            double[] d => SafeTensorEntry.FromFloat64(kv.Key, d, kv.Value.Shape),
            long[] l => SafeTensorEntry.FromInt64(kv.Key, l, kv.Value.Shape),
            _ => throw new InvalidOperationException($"state entry {kv.Key} holds {kv.Value.Data.GetType().Name}"),
        });

    /// <summary>Converts safetensors contents to a state dict; float16/bfloat16 widen to float32, int32 to int64.</summary>
    public static Dictionary<string, HostTensor> FromEntries(SafeTensorsContents contents)
    {
        var result = new Dictionary<string, HostTensor>();
        foreach (var (name, e) in contents.Tensors)
        {
            result[name] = e.DType switch
            {
                SafeTensorDType.F64 => new HostTensor(HostDType.Float64, e.ShapeArray, e.ToDoubleArray()),
                SafeTensorDType.F32 or SafeTensorDType.F16 or SafeTensorDType.BF16 => new HostTensor(HostDType.Float32, e.ShapeArray, e.ToFloatArray()),
                SafeTensorDType.I64 or SafeTensorDType.I32 => new HostTensor(HostDType.Int64, e.ShapeArray, e.ToInt64Array()),
                _ => throw new CheckpointFormatException(contents.Source, $"entry '{name}' has dtype {e.DType}, which no ScratchNet model stores"),
            };
        }
        return result;
    }

    /// <summary>Throws naming the first tensor that holds a NaN or an infinity, and where.</summary>
    public static void RequireFinite(string path, IReadOnlyDictionary<string, HostTensor> state)
    {
        foreach (var (name, t) in state.OrderBy(kv => kv.Key, StringComparer.Ordinal))
        {
            long at = t.Data switch
            {
                float[] f => Array.FindIndex(f, v => !float.IsFinite(v)),
                double[] d => Array.FindIndex(d, v => !double.IsFinite(v)),
                _ => -1,
            };
            if (at < 0) continue;
            double value = t.Data is float[] fs ? fs[at] : ((double[])t.Data)[at];
            throw new CheckpointFormatException(path,
                $"tensor '{name}' holds {value} at element {at}: the checkpoint is unusable (was training diverging when it was saved? lower the learning rate and train again)");
        }
    }

    private static void RequireFile(string path)
    {
        if (Directory.Exists(path))
            throw new FileNotFoundException($"{path} is a folder, not a checkpoint file (a run folder's model is {Path.Combine(path, "best.safetensors")})", path);
        if (!File.Exists(path)) throw new FileNotFoundException($"checkpoint {path} does not exist", path);
    }

    private static CheckpointInfo Parse(string source, string json)
    {
        CheckpointInfo? info;
        try
        {
            info = JsonSerializer.Deserialize<CheckpointInfo>(json, Json);
        }
        catch (JsonException e)
        {
            throw new CheckpointFormatException(source, $"its ScratchNet info is not valid: {e.Message}", e);
        }
        if (info is null) throw new CheckpointFormatException(source, "its ScratchNet info is empty");
        if (info.Problem() is { } problem) throw new CheckpointFormatException(source, problem);
        return info;
    }

    private static CheckpointInfo ReadLegacyInfo(string path)
    {
        var sidecar = LegacySidecarPath(path);
        if (!File.Exists(sidecar))
        {
            if (Path.GetFileName(path).EndsWith(".optimizer.safetensors", StringComparison.OrdinalIgnoreCase))
                throw new CheckpointFormatException(path, "this is an optimizer state file, not a model: pass the checkpoint beside it (last.safetensors or best.safetensors)");
            throw new CheckpointFormatException(path, "a safetensors file without ScratchNet's info (which model to build, image size, tasks): not a checkpoint written by scratchnet train");
        }
        return Parse(sidecar, File.ReadAllText(sidecar));
    }

    private static void RejectOptimizerOnlyFile(string path, Dictionary<string, HostTensor> state)
    {
        if (state.Count > 0 && state.ContainsKey("step") && state.ContainsKey("lr") && state.Keys.All(k => k is "step" or "lr" || k.StartsWith("state.", StringComparison.Ordinal)))
            throw new CheckpointFormatException(path, "this is an optimizer state file, not a model: pass the checkpoint beside it (last.safetensors or best.safetensors)");
    }
}
