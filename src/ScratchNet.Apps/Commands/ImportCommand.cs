using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using ScratchNet.Nn.Checkpoints;
using ScratchNet.Nn.Onnx;

namespace ScratchNet.Apps.Commands;

/// <summary>
/// <c>scratchnet import MODEL.onnx --out DIR [--input-size N] [--overwrite]</c>: checks and imports an ONNX model
/// (<see cref="OnnxImporter"/>) and writes <c>DIR/model.safetensors</c> — the weights under their ONNX names and the
/// graph in its header (<see cref="OnnxGraphFile"/>) — plus <c>DIR/graph.json</c>, the same graph indented for
/// reading; prints the ops, the parameter count and the input and output shapes.
/// </summary>
internal static class ImportCommand
{
    public static Command Create()
    {
        var model = new Argument<string>("model") { Description = "An .onnx file (an image model: one 4-D input)" };
        var output = new Option<string>("--out") { Description = "The folder to write model.safetensors and graph.json into", Required = true };
        var inputSize = new Option<int?>("--input-size") { Description = "The square input size it will be used at, when not the graph's (a fixed final average pool then becomes global)" };
        var overwrite = new Option<bool>("--overwrite") { Description = "Replace a model.safetensors already in --out" };
        var command = new Command("import", "Import an ONNX image model (e.g. an ImageNet ResNet) as a ScratchNet checkpoint: safetensors weights plus the graph") { model, output, inputSize, overwrite };
        command.SetAction(r =>
        {
            string source = r.GetValue(model)!, dir = r.GetValue(output)!;
            int? size = r.GetValue(inputSize);
            if (size is < 16 or > 4096) return UserErrors.Fail($"--input-size must be 16 … 4096 pixels, got {size}");
            string target = Path.Combine(dir, "model.safetensors");
            if (File.Exists(target) && !r.GetValue(overwrite))
                return UserErrors.Fail($"{target} exists (an earlier import?); pass --overwrite to replace it");
            Directory.CreateDirectory(dir);
            var summary = OnnxGraphFile.Save(source, target, new OnnxImportOptions { InputSize = size });
            // The graph again, indented, for a person to read (the checkpoint's header is what loading uses).
            var graph = JsonNode.Parse(SafeTensorsFile.ReadMetadata(target)[OnnxGraphFile.GraphKey])!;
            Nn.AtomicFile.WriteAllBytes(Path.Combine(dir, "graph.json"), JsonSerializer.SerializeToUtf8Bytes(graph, new JsonSerializerOptions { WriteIndented = true }));

            var inv = CultureInfo.InvariantCulture;
            Console.WriteLine($"{Path.GetFileName(source)}: {summary.OpCounts.Sum(c => c.Count)} nodes — {string.Join(", ", summary.OpCounts.Select(c => $"{c.Op} {c.Count}"))}");
            Console.WriteLine(string.Create(inv, $"  {summary.Values:N0} stored values, {summary.Parameters:N0} of them learnable parameters"));
            var input = summary.InputShape.Skip(1).Select((d, i) => i >= 1 && size is int s ? s : d);
            Console.WriteLine($"  input [N, {string.Join(", ", input)}] → output [N, {string.Join(", ", summary.OutputShape.Skip(1))}]");
            foreach (var note in summary.Notes) Console.WriteLine($"  note: {note}");
            Console.WriteLine($"wrote {target} and {Path.Combine(dir, "graph.json")}");
            return 0;
        });
        return command;
    }
}
