using ScratchNet.Nn.Experiments;

namespace ScratchNet.Tests.Apps;

public class PlainProgressTests
{
    [Fact]
    public void EachEpochLineSaysTheTimeSoFarAndHowLongTheRestShouldTakeAtTheMeanEpochTime()
    {
        var output = new StringWriter();
        var progress = new PlainProgress(output);
        progress.StartEpoch(1, 60, 10);
        progress.EpochSummary(1, 30.0, "loss 1", isBest: true);
        progress.StartEpoch(2, 60, 10);
        progress.EpochSummary(2, 10.0, "loss 0.5", isBest: false);
        progress.StartEpoch(59, 60, 10);
        progress.EpochSummary(59, 20.0, "loss 0.4", isBest: false);
        progress.StartEpoch(60, 60, 10);
        progress.EpochSummary(60, 20.0, "loss 0.3", isBest: false);
        var lines = output.ToString().Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => l.TrimEnd('\r')).ToArray();
        Assert.Equal("epoch 1/60 done in 30.0 s [30 s in all]: loss 1  (best so far); about 30 min left", lines[0]); // 59 × 30 s
        Assert.Equal("epoch 2/60 done in 10.0 s [40 s in all]: loss 0.5; about 19 min left", lines[1]);            // 58 × 20 s
        Assert.Equal("epoch 59/60 done in 20.0 s [60 s in all]: loss 0.4; about 20 s left", lines[2]);
        Assert.Equal("epoch 60/60 done in 20.0 s [80 s in all]: loss 0.3", lines[3]);
    }
}
