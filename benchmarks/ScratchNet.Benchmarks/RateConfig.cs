using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;

namespace ScratchNet.Benchmarks;

/// <summary>Adds a "Rate" column: work per call (from <see cref="WorkAttribute"/>) divided by the mean time.</summary>
public sealed class RateConfig : ManualConfig
{
    /// <summary>The default config plus the rate column.</summary>
    public RateConfig()
    {
        Add(DefaultConfig.Instance);
        AddColumn(new RateColumn());
    }

    private sealed class RateColumn : IColumn
    {
        public string Id => "Rate";
        public string ColumnName => "Rate";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "GFLOP/s (compute ops) or GB/s (memory-bound ops), from the mean time";
        public bool IsAvailable(Summary summary) => true;
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var report = summary[benchmarkCase];
            if (report?.ResultStatistics is null) return "-";
            var instance = Activator.CreateInstance(benchmarkCase.Descriptor.Type) as IWork;
            if (instance is null) return "-";
            foreach (var p in benchmarkCase.Parameters.Items)
                benchmarkCase.Descriptor.Type.GetProperty(p.Name)?.SetValue(instance, p.Value);
            var (amount, unit) = instance.Work(benchmarkCase.Descriptor.WorkloadMethod.Name);
            double seconds = report.ResultStatistics.Mean / 1e9;
            return $"{amount / seconds / 1e9:F1} {unit}";
        }
    }
}

/// <summary>A benchmark class that knows how much work each of its methods does per call.</summary>
public interface IWork
{
    /// <summary>(amount per call, "GFLOP/s" or "GB/s") for the method <paramref name="method"/>.</summary>
    (double Amount, string Unit) Work(string method);
}
