using ScratchNet.Nn.Metrics;

namespace ScratchNet.Tests.Metrics;

/// <summary>Named value bands (a regression task's <c>bands:</c>), checked on the US EPA AQI table.</summary>
public class ValueBandsTests
{
    private const int Digits = 12;

    private static readonly ValueBands Epa =
        new(["Good", "Moderate", "Unhealthy for Sensitive Groups", "Unhealthy", "Very Unhealthy", "Hazardous"], [50, 100, 150, 200, 300]);

    [Theory]
    [InlineData(0.0, 0)]
    [InlineData(-3.0, 0)]   // below the first bound: the first band (a regressor can undershoot 0)
    [InlineData(50.0, 0)]
    [InlineData(50.5, 1)]   // no rounding: anything above 50 is Moderate
    [InlineData(51.0, 1)]
    [InlineData(100.0, 1)]
    [InlineData(101.0, 2)]
    [InlineData(150.0, 2)]
    [InlineData(151.0, 3)]
    [InlineData(200.0, 3)]
    [InlineData(201.0, 4)]
    [InlineData(300.0, 4)]
    [InlineData(300.01, 5)]
    [InlineData(500.0, 5)]
    [InlineData(double.PositiveInfinity, 5)]
    [InlineData(double.NegativeInfinity, 0)]
    public void BandBoundaries(double aqi, int band) => Assert.Equal(band, Epa.BandOf(aqi));

    [Fact]
    public void NaNIsInNoBand()
    {
        Assert.Equal(-1, Epa.BandOf(double.NaN));
        Assert.Null(Epa.NameOf(double.NaN));
    }

    [Fact]
    public void NamesAndBounds()
    {
        Assert.Equal(6, Epa.Count);
        Assert.Equal("Unhealthy for Sensitive Groups", Epa.NameOf(120));
        Assert.Equal("Hazardous", Epa.NameOf(301));
        Assert.Equal([50.0, 100, 150, 200, 300, double.PositiveInfinity], Epa.UpperBounds);
    }

    [Fact]
    public void Confusion()
    {
        // true bands 0 1 2 3 4 5; predicted 1 1 0 (negative → Good) 3 5 4
        var cm = Epa.Confusion([10, 60, 120, 175, 250, 400], [55, 60, -3, 160, 301, 299]);
        Assert.Equal(Epa.Names, cm.Labels);
        Assert.Equal(6, cm.Total);
        Assert.Equal(1, cm[0, 1]);
        Assert.Equal(1, cm[1, 1]);
        Assert.Equal(1, cm[2, 0]);
        Assert.Equal(1, cm[3, 3]);
        Assert.Equal(1, cm[4, 5]);
        Assert.Equal(1, cm[5, 4]);
        Assert.Equal(2.0 / 6, cm.Accuracy, Digits);
        Assert.Throws<ArgumentOutOfRangeException>(() => Epa.Confusion([10], [double.NaN]));
        Assert.Throws<ArgumentException>(() => Epa.Confusion([10, 20], [10]));
    }

    [Theory]
    [InlineData(new[] { "a" }, new double[0], "at least 2 names")]
    [InlineData(new[] { "a", "b" }, new double[] { 1, 2 }, "need 1 upper bounds")]
    [InlineData(new[] { "a", "b", "c" }, new double[] { 2, 2 }, "must increase")]
    [InlineData(new[] { "a", "b" }, new double[] { double.NaN }, "not a finite number")]
    [InlineData(new[] { "a", "a" }, new double[] { 1 }, "distinct")]
    public void BadTablesAreRefused(string[] names, double[] upper, string message) =>
        Assert.Contains(message, Assert.Throws<ArgumentException>(() => new ValueBands(names, upper)).Message);
}
