using System.Text.Json;
using System.Text.Json.Serialization;

namespace ScratchNet.Nn.Experiments.Config;

/// <summary>
/// Hidden widths in <c>experiment.json</c> and checkpoint info: a list <c>[32, 8]</c>, or one number as runs before
/// head stacks wrote it (<c>32</c> = one hidden layer, <c>0</c> = none), so those runs still resume and predict.
/// </summary>
internal sealed class HiddenWidthsJson : JsonConverter<IReadOnlyList<int>>
{
    public override IReadOnlyList<int> Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Number)
        {
            int one = reader.GetInt32();
            return one > 0 ? [one] : [];
        }
        if (reader.TokenType != JsonTokenType.StartArray)
            throw new JsonException("hidden widths: expected a number or a list of numbers");
        var widths = new List<int>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            widths.Add(reader.TokenType == JsonTokenType.Number ? reader.GetInt32() : throw new JsonException("hidden widths: expected numbers in the list"));
        return widths;
    }

    public override void Write(Utf8JsonWriter writer, IReadOnlyList<int> value, JsonSerializerOptions options)
    {
        writer.WriteStartArray();
        foreach (var w in value) writer.WriteNumberValue(w);
        writer.WriteEndArray();
    }
}
