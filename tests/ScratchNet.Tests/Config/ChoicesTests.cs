using ScratchNet.Nn.Experiments.Config;

namespace ScratchNet.Tests.ExperimentConfigs;

public class ChoicesTests
{
    [Theory]
    [InlineData("lables", "labels")]         // swapped neighbours count once
    [InlineData("clasification", "classification")]
    [InlineData("Regression", "regression")]
    [InlineData("squeezenett", "squeezenet")]
    [InlineData("hiden", "hidden")]
    public void SuggestsTheClosestWord(string written, string expected) =>
        Assert.Equal(expected, Choices.Closest(written, ["name", "labels", "classification", "regression", "squeezenet", "hidden"]));

    [Theory]
    [InlineData("xy")]          // two edits would turn any short word into another
    [InlineData("completely")]
    [InlineData("")]
    public void SuggestsNothingWhenNothingIsClose(string written) =>
        Assert.Null(Choices.Closest(written, ["lr", "seed", "labels"]));

    [Fact]
    public void ListsChoicesInProse()
    {
        Assert.Equal("a", Choices.Or(["a"]));
        Assert.Equal("a or b", Choices.Or(["a", "b"]));
        Assert.Equal("a, b or c", Choices.Or(["a", "b", "c"]));
        Assert.Equal(3, Choices.Distance("kitten", "sitting"));
    }
}
