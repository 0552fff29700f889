namespace ScratchNet.Apps.Training;

/// <summary>One row of <c>log.csv</c>: an epoch's training and validation figures.</summary>
public sealed record EpochRecord(
    int Epoch, double TrainLoss, double ValLoss,
    double ValAccuracy, double ValPrecision, double ValRecall, double ValF1,
    double ValMae, double ValRmse, double LearningRate, double Seconds, double ImagesPerSecond)
{
    /// <summary>The CSV header, in column order.</summary>
    public const string Header = "epoch,train_loss,val_loss,val_accuracy,val_precision,val_recall,val_f1,val_sky_mae,val_sky_rmse,lr,seconds,images_per_second";

    /// <summary>The CSV line (invariant culture, round-trippable numbers).</summary>
    public string ToCsv() => string.Join(',', new object[] { Epoch, TrainLoss, ValLoss, ValAccuracy, ValPrecision, ValRecall, ValF1, ValMae, ValRmse, LearningRate, Seconds, ImagesPerSecond }
        .Select(v => Convert.ToString(v, System.Globalization.CultureInfo.InvariantCulture)));

    /// <summary>Parses a line written by <see cref="ToCsv"/>.</summary>
    public static EpochRecord Parse(string line)
    {
        var f = line.Split(',');
        if (f.Length != 12) throw new FormatException($"log.csv line has {f.Length} fields, expected 12: {line}");
        double D(int i) => double.Parse(f[i], System.Globalization.CultureInfo.InvariantCulture);
        return new EpochRecord(int.Parse(f[0], System.Globalization.CultureInfo.InvariantCulture), D(1), D(2), D(3), D(4), D(5), D(6), D(7), D(8), D(9), D(10), D(11));
    }
}
