namespace ScratchNet.Tests;

/// <summary>Where the repository's own files are, for tests that read them (docs, examples, scripts).</summary>
internal static class Repository
{
    /// <summary>The folder holding ScratchNet.sln, found above the test binary's folder.</summary>
    public static string Root()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "ScratchNet.sln")))
                return dir.FullName;
        }
        throw new InvalidOperationException($"no ScratchNet.sln above {AppContext.BaseDirectory}");
    }
}
