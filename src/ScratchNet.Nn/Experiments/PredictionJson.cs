using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScratchNet.Nn.Experiments;

/// <summary>
/// The JSON of predictions, one format for <c>predict --json</c> and the web API: snake_case, nulls left out, plain
/// UTF-8 (file names with apostrophes or accents stay readable: "it's.png", not "it\u0027s.png"; still valid JSON,
/// and the web page inserts it as text, never as HTML).
/// </summary>
public static class PredictionJson
{
    /// <summary>The serializer options.</summary>
    public static JsonSerializerOptions Options { get; } = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>One image's answers as a JSON object.</summary>
    public static string Serialize(ImagePrediction prediction) => JsonSerializer.Serialize(prediction, Options);

    /// <summary>Several images' answers as a JSON array.</summary>
    public static string Serialize(IEnumerable<ImagePrediction> predictions) => JsonSerializer.Serialize(predictions, Options);
}
