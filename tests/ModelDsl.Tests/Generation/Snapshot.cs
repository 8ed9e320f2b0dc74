using System.Runtime.CompilerServices;

namespace ModelDsl.Tests.Generation;

/// <summary>
/// Snapshot files in Verify's layout (<c>{Class}.{Method}.verified.cs</c> beside the test source), so a
/// later switch to Verify.Xunit is a rename of this call. A mismatch writes <c>.received.cs</c> and fails;
/// set MODELDSL_ACCEPT_SNAPSHOTS=1 to accept the received text.
/// </summary>
internal static class Snapshot
{
    public static void Verify(string actual, string name, [CallerFilePath] string testFile = "", [CallerMemberName] string method = "")
    {
        var directory = Path.GetDirectoryName(testFile)!;
        var stem = Path.Combine(directory, $"{Path.GetFileNameWithoutExtension(testFile)}.{method}_{name}");
        var verified = stem + ".verified.cs";
        var received = stem + ".received.cs";
        actual = actual.Replace("\r\n", "\n");
        if (File.Exists(verified) && File.ReadAllText(verified).Replace("\r\n", "\n") == actual)
        {
            File.Delete(received);
            return;
        }
        if (Environment.GetEnvironmentVariable("MODELDSL_ACCEPT_SNAPSHOTS") == "1")
        {
            File.WriteAllText(verified, actual);
            File.Delete(received);
            return;
        }
        File.WriteAllText(received, actual);
        Assert.Fail(File.Exists(verified)
            ? $"Generated code differs from {verified}; compare with {received}, then accept it (MODELDSL_ACCEPT_SNAPSHOTS=1) if the change is intended."
            : $"No snapshot {verified} yet; review {received} and accept it (MODELDSL_ACCEPT_SNAPSHOTS=1).");
    }
}
