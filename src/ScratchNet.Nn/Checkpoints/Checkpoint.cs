using System.Text.Json;
using ScratchNet.Nn.Modules;
using ScratchNet.Nn.Optim;

namespace ScratchNet.Nn.Checkpoints;

/// <summary>
/// Saving and loading models as safetensors with PyTorch's state-dict names, plus a JSON sidecar
/// (<c>name.json</c> beside <c>name.safetensors</c>) and, for resumable checkpoints, the optimizer's state in
/// <c>name.optimizer.safetensors</c> (kept apart so the model file loads into PyTorch with strict=True).
/// </summary>
/// <remarks>
/// Every file is written atomically (temp + rename); the sidecar is written last, so a checkpoint whose sidecar
/// exists is complete. <c>num_batches_tracked</c> is stored as int64, as PyTorch does.
/// </remarks>
public static class Checkpoint
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true };

    /// <summary>The sidecar path of a checkpoint.</summary>
    public static string SidecarPath(string path) => Path.ChangeExtension(path, ".json");

    /// <summary>The optimizer-state path of a checkpoint.</summary>
    public static string OptimizerPath(string path) => Path.ChangeExtension(path, ".optimizer.safetensors");

    /// <summary>Writes the model (and optionally the optimizer) and the sidecar.</summary>
    public static void Save(string path, Module model, CheckpointInfo info, Optimizer? optimizer = null)
    {
        var dir = Path.GetDirectoryName(Path.GetFullPath(path));
        if (dir is not null) Directory.CreateDirectory(dir);
        if (optimizer is not null)
            SafeTensorsFile.Write(OptimizerPath(path), ToEntries(optimizer.StateDict()));
        else if (File.Exists(OptimizerPath(path)))
            File.Delete(OptimizerPath(path)); // a stale optimizer file would not match these weights
        SafeTensorsFile.Write(path, ToEntries(model.StateDict()), new Dictionary<string, string> { ["format"] = "pt", ["scratchnet.model"] = info.ModelKind });
        AtomicFile.WriteAllBytes(SidecarPath(path), JsonSerializer.SerializeToUtf8Bytes(info, Json));
    }

    /// <summary>Reads a checkpoint's sidecar, with a clear error when it is missing or malformed.</summary>
    public static CheckpointInfo ReadInfo(string path)
    {
        var sidecar = SidecarPath(path);
        if (!File.Exists(path)) throw new FileNotFoundException($"checkpoint {path} does not exist", path);
        if (!File.Exists(sidecar))
            throw new CheckpointFormatException(sidecar, "the checkpoint's JSON sidecar is missing (it is written last; without it the checkpoint is incomplete)");
        try
        {
            return JsonSerializer.Deserialize<CheckpointInfo>(File.ReadAllBytes(sidecar), Json)
                ?? throw new CheckpointFormatException(sidecar, "the sidecar is empty");
        }
        catch (JsonException e)
        {
            throw new CheckpointFormatException(sidecar, $"the sidecar is not valid JSON for a checkpoint: {e.Message}", e);
        }
    }

    /// <summary>Loads weights into <paramref name="model"/> (strict) and, when given, the optimizer state.</summary>
    public static void Load(string path, Module model, Optimizer? optimizer = null)
    {
        var contents = SafeTensorsFile.Read(path);
        try
        {
            model.LoadStateDict(FromEntries(contents));
        }
        catch (InvalidOperationException e)
        {
            throw new CheckpointFormatException(path, e.Message, e);
        }
        if (optimizer is null) return;
        var optPath = OptimizerPath(path);
        if (!File.Exists(optPath))
            throw new CheckpointFormatException(optPath, "no optimizer state next to the checkpoint (only last.safetensors carries it)");
        try
        {
            optimizer.LoadStateDict(FromEntries(SafeTensorsFile.Read(optPath)));
        }
        catch (InvalidOperationException e)
        {
            throw new CheckpointFormatException(optPath, e.Message, e);
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
}
