using System.Runtime.CompilerServices;
using Microsoft.CodeAnalysis;

namespace ModelDsl.Tests.Generation;

/// <summary>
/// Snapshots of generated code, named and placed as Verify.SourceGenerators writes them with
/// <c>UseDirectory("_snapshots")</c> and <c>UseParameters</c>:
/// <c>_snapshots/{Class}.{Method}_{parameter}={value}#{generated file name without .cs}.verified.cs</c>
/// beside the test source, so a later switch to Verify is a rename of these calls (Verify.SourceGenerators
/// also starts each file with a line <c>//HintName: …</c>, which the switch adds once). A generated file that
/// differs or has no snapshot writes <c>.received.cs</c> and fails; a snapshot that no generated file
/// matches fails too. Set MODELDSL_ACCEPT_SNAPSHOTS=1 to accept what was received and delete what matched nothing.
/// </summary>
internal static class Snapshot
{
    private const string FolderName = "_snapshots";

    private static bool Accepting => Environment.GetEnvironmentVariable("MODELDSL_ACCEPT_SNAPSHOTS") == "1";

    /// <summary>Verify's file name prefix of a test case, up to the '#' that precedes each generated file's name.</summary>
    public static string Prefix(string testClass, string method, (string Name, string Value)? parameter = null) =>
        $"{testClass}.{method}" + (parameter is var (name, value) ? $"_{name}={value}" : "");

    /// <summary>The snapshot folder beside <paramref name="testFile"/>.</summary>
    public static string Folder([CallerFilePath] string testFile = "") => Path.Combine(Path.GetDirectoryName(testFile)!, FolderName);

    /// <summary>Compares every generated file of <paramref name="result"/> with its snapshot, and every snapshot of this test case with a generated file.</summary>
    public static void VerifyGenerated(GeneratorRunResult result, (string Name, string Value)? parameter = null,
        [CallerFilePath] string testFile = "", [CallerMemberName] string method = "")
    {
        Assert.NotEmpty(result.GeneratedSources);
        var folder = Folder(testFile);
        var prefix = Prefix(Path.GetFileNameWithoutExtension(testFile), method, parameter) + "#";
        // Verify.SourceGenerators names each target after the generated tree's file name, less its extension.
        var generated = result.GeneratedSources.ToDictionary(
            s => Path.Combine(folder, prefix + Path.GetFileNameWithoutExtension(s.SyntaxTree.FilePath)),
            s => s.SourceText.ToString().Replace("\r\n", "\n"));

        var problems = generated.Select(g => Compare(g.Key, g.Value)).OfType<string>().ToList();
        foreach (var stale in Directory.EnumerateFiles(folder, prefix + "*.verified.cs").Order(StringComparer.Ordinal)
                     .Where(f => !generated.ContainsKey(f[..^".verified.cs".Length])))
        {
            if (Accepting) File.Delete(stale);
            else problems.Add($"{stale} matches no generated file; delete it (MODELDSL_ACCEPT_SNAPSHOTS=1) if the model is gone.");
        }
        if (problems.Count > 0) Assert.Fail(string.Join("\n", problems));
    }

    /// <summary>Null when the snapshot at <paramref name="stem"/> holds <paramref name="actual"/>, else what is wrong.</summary>
    private static string? Compare(string stem, string actual)
    {
        var verified = stem + ".verified.cs";
        var received = stem + ".received.cs";
        var matches = File.Exists(verified) && File.ReadAllText(verified).Replace("\r\n", "\n") == actual;
        if (!matches && !Accepting)
        {
            File.WriteAllText(received, actual);
            return File.Exists(verified)
                ? $"Generated code differs from {verified}; compare with {received}, then accept it (MODELDSL_ACCEPT_SNAPSHOTS=1) if the change is intended."
                : $"No snapshot {verified} yet; review {received} and accept it (MODELDSL_ACCEPT_SNAPSHOTS=1).";
        }
        if (!matches) File.WriteAllText(verified, actual);
        File.Delete(received);
        return null;
    }
}
