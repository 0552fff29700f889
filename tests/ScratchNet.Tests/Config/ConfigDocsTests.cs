using System.Text.RegularExpressions;
using ScratchNet.Nn.Experiments.Config;

namespace ScratchNet.Tests.ExperimentConfigs;

/// <summary>The examples in docs/config.md must stay valid configs.</summary>
public class ConfigDocsTests
{
    [Fact]
    public void EveryYamlExampleInTheDocsParses()
    {
        var docs = File.ReadAllText(Path.Combine(Repository.Root(), "docs", "config.md"));
        var examples = Regex.Matches(docs, "```yaml\n(.*?)```", RegexOptions.Singleline).Select(m => m.Groups[1].Value).ToArray();

        Assert.Equal(4, examples.Length);
        var configs = examples.Select(yaml => ConfigLoader.Parse(yaml, "docs.yml", "/docs", checkFiles: false)).ToArray();
        Assert.Equal(["sky-seed", "sky-aqi", "fashion", "pets"], configs.Select(c => c.Name));
        var seed = configs[0];
        Assert.Equal("seed", seed.Model.Names);
        Assert.Equal(["classifier", "regressor"], seed.Tasks.Select(t => t.Module));
        Assert.Equal([32, 8], seed.Task("aqi")!.Hidden!);
        Assert.Equal(6, seed.Task("aqi")!.Bands!.Names.Count);
        configs = configs[1..];
        Assert.Equal("is_sky", configs[0].Task("aqi")!.When!.CorrectTask);
        Assert.Equal(["top"], configs[1].Task("sleeve")!.When!.LabelIn);
        Assert.True(configs[2].Task("tags")!.TuneThresholds);
    }
}
