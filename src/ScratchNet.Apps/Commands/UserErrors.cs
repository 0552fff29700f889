using ScratchNet.Nn.Experiments;
using ScratchNet.Nn.Experiments.Config;
using ScratchNet.Nn.Checkpoints;
using ScratchNet.Nn.Data;
using ScratchNet.Kernels;

namespace ScratchNet.Apps.Commands;

/// <summary>
/// The one top-level handler: failures a user causes or can fix (a full disk, an unwritable or wrong path, a
/// malformed file, a bad config, a diverging run, a busy run directory, a missing device) become one line,
/// <c>error: …</c>, and exit code 2. Anything else is a bug and keeps its stack trace. With
/// <c>SCRATCHNET_VERBOSE=1</c> the trace of a user error is printed too.
/// </summary>
internal static class UserErrors
{
    /// <summary>Environment variable that adds the stack trace to a user error.</summary>
    public const string VerboseVariable = "SCRATCHNET_VERBOSE";

    /// <summary>Exit code of a user error (as for bad options).</summary>
    public const int ExitCode = 2;

    /// <summary>True for the exceptions a user can fix.</summary>
    public static bool IsUserError(Exception e) => e is IOException or UnauthorizedAccessException or CheckpointFormatException or RunDirectoryException
        or TrainingDivergedException or ConfigException or DataValidationException or CsvFormatException or ManifestException or ImageDecodeException
        or DeviceNotAvailableException or Nn.Onnx.OnnxFormatException;

    /// <summary>Prints <c>error: <paramref name="message"/></c> and returns the exit code.</summary>
    public static int Fail(string message)
    {
        Console.Out.Flush();
        Console.Error.WriteLine($"error: {message}");
        return ExitCode;
    }

    /// <summary>Prints <paramref name="e"/> as one line (plus its trace when verbose) and returns the exit code.</summary>
    public static int Report(Exception e)
    {
        Console.Out.Flush();
        Console.Error.WriteLine($"error: {e.Message}");
        if (Environment.GetEnvironmentVariable(VerboseVariable) == "1") Console.Error.WriteLine(e);
        return ExitCode;
    }
}
