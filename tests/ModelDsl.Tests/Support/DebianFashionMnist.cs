using System.ComponentModel;
using System.Diagnostics;

namespace ModelDsl.Tests.Support;

/// <summary>
/// Fashion-MNIST as Debian's <c>dataset-fashion-mnist</c> package installs it (re-gzipped: its gzip bytes are not the
/// published ones, its IDX bytes are), found with <c>dpkg -L</c>. Where the package is not installed (CI installs it
/// when it can), the tests that need it are skipped with the reason.
/// </summary>
public static class DebianFashionMnist
{
    public const string Package = "dataset-fashion-mnist";

    private static readonly RealDataFolder Found = new(Find);

    /// <summary>The folder that holds the four files; skips the calling test, saying why, where there is none.</summary>
    public static string Directory => Found.Directory;

    private static (string?, string) Find()
    {
        var missing = $"needs Debian's {Package} package (apt-get install {Package}): ";
        var start = new ProcessStartInfo("dpkg", ["-L", Package]) { RedirectStandardOutput = true, RedirectStandardError = true };
        try
        {
            using var dpkg = Process.Start(start)!;
            var listing = dpkg.StandardOutput.ReadToEnd();
            var error = dpkg.StandardError.ReadToEnd();
            dpkg.WaitForExit();
            if (dpkg.ExitCode != 0) return (null, missing + error.Trim());
            // The package's folder is the one that holds the training images.
            var images = listing.Split('\n', StringSplitOptions.TrimEntries).FirstOrDefault(line => line.EndsWith("/train-images-idx3-ubyte.gz", StringComparison.Ordinal));
            return images is null ? (null, missing + "dpkg -L lists no train-images-idx3-ubyte.gz") : (Path.GetDirectoryName(images), "");
        }
        catch (Win32Exception)
        {
            return (null, missing + "dpkg is not available on this machine");
        }
    }
}
