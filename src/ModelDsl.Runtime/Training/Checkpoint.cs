using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace ModelDsl.Training;

/// <summary>A checkpoint that cannot be used: corrupt, truncated, from another program, or from another architecture.</summary>
public sealed class CheckpointException(string path, string problem) : Exception($"{path}: {problem}")
{
    /// <summary>The checkpoint file.</summary>
    public string Path { get; } = path;
}

/// <summary>
/// One file holding named modules, optimizer states, the RNG state and JSON metadata, written
/// atomically (a crash leaves the previous checkpoint intact) and verified on load: a SHA-256 trailer
/// catches truncation and corruption, and every parameter shape is compared with the live model so a
/// checkpoint of another architecture is rejected with the parameter name and both shapes.
/// </summary>
/// <remarks>
/// Layout: "MDSLCKPT", format version, JSON header (lengths, parameter shapes, metadata), then each
/// module's and optimizer's TorchSharp state in header order, the RNG state, and the SHA-256 of all
/// preceding bytes.
/// </remarks>
public static class Checkpoint
{
    private static readonly byte[] Magic = "MDSLCKPT"u8.ToArray();
    private const int FormatVersion = 1;

    /// <summary>Writes a checkpoint atomically (temporary file, then rename).</summary>
    /// <param name="metadata">Anything the caller needs back on resume (epoch, step, arguments…).</param>
    public static void Save(string path, IReadOnlyDictionary<string, nn.Module> modules,
        IReadOnlyDictionary<string, OptimizerHelper> optimizers, JsonObject metadata)
    {
        var blobs = new List<byte[]>();
        var header = new JsonObject
        {
            ["metadata"] = metadata.DeepClone(),
            ["modules"] = new JsonArray(modules.Select(m => (JsonNode)new JsonObject
            {
                ["name"] = m.Key,
                ["type"] = m.Value.GetType().FullName,
                ["parameters"] = ShapesOf(m.Value),
            }).ToArray()),
            ["optimizers"] = new JsonArray(optimizers.Keys.Select(k => (JsonNode)JsonValue.Create(k)).ToArray()),
        };
        foreach (var module in modules.Values)
            blobs.Add(Serialize(writer => module.save(writer)));
        foreach (var optimizer in optimizers.Values)
            blobs.Add(Serialize(optimizer.save_state_dict));
        using (var rng = random.get_rng_state())
            blobs.Add(rng.bytes.ToArray());
        header["lengths"] = new JsonArray(blobs.Select(b => (JsonNode)JsonValue.Create(b.LongLength)).ToArray());

        using var content = new MemoryStream();
        using (var writer = new BinaryWriter(content, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Magic);
            writer.Write(FormatVersion);
            var json = Encoding.UTF8.GetBytes(header.ToJsonString());
            writer.Write(json.Length);
            writer.Write(json);
            foreach (var blob in blobs) writer.Write(blob);
        }
        var hash = SHA256.HashData(content.GetBuffer().AsSpan(0, (int)content.Length));
        content.Write(hash);
        ModelDsl.IO.AtomicFile.WriteAllBytes(path, content.GetBuffer().AsSpan(0, (int)content.Length));
    }

    /// <summary>
    /// Restores the named modules (and optimizers, and the RNG state when <paramref name="restoreRandomState"/>)
    /// from a checkpoint; modules and optimizers not listed are skipped. Returns the metadata.
    /// </summary>
    public static JsonObject Load(string path, IReadOnlyDictionary<string, nn.Module> modules,
        IReadOnlyDictionary<string, OptimizerHelper>? optimizers = null, bool restoreRandomState = false)
    {
        var file = Read(path);
        for (var i = 0; i < file.ModuleNames.Count; i++)
        {
            if (!modules.TryGetValue(file.ModuleNames[i], out var module)) continue;
            CheckShapes(path, file.ModuleNames[i], file.ModuleShapes[i], module);
            using var reader = new BinaryReader(new MemoryStream(file.Blobs[i]));
            module.load(reader);
        }
        foreach (var name in modules.Keys.Where(n => !file.ModuleNames.Contains(n)))
            throw new CheckpointException(path, $"holds no module '{name}' (it has: {string.Join(", ", file.ModuleNames)})");
        if (optimizers is not null)
        {
            for (var i = 0; i < file.OptimizerNames.Count; i++)
            {
                if (!optimizers.TryGetValue(file.OptimizerNames[i], out var optimizer)) continue;
                using var reader = new BinaryReader(new MemoryStream(file.Blobs[file.ModuleNames.Count + i]));
                optimizer.load_state_dict(reader);
            }
            foreach (var name in optimizers.Keys.Where(n => !file.OptimizerNames.Contains(n)))
                throw new CheckpointException(path, $"holds no optimizer state '{name}'");
        }
        if (restoreRandomState)
        {
            using var state = tensor(file.Blobs[^1], dtype: ScalarType.Byte);
            random.set_rng_state(state);
        }
        return file.Metadata;
    }

    /// <summary>The metadata of a checkpoint, after verifying the file's integrity.</summary>
    public static JsonObject ReadMetadata(string path) => Read(path).Metadata;

    /// <summary>The names of the modules a checkpoint holds, after verifying the file's integrity.</summary>
    public static IReadOnlyList<string> ReadModuleNames(string path) => Read(path).ModuleNames;

    private sealed record CheckpointFile(JsonObject Metadata, List<string> ModuleNames, List<JsonObject> ModuleShapes, List<string> OptimizerNames, List<byte[]> Blobs);

    private static CheckpointFile Read(string path)
    {
        if (!File.Exists(path)) throw new CheckpointException(path, "no such checkpoint file");
        var bytes = File.ReadAllBytes(path);
        if (bytes.Length < Magic.Length + 8 + 32 || !bytes.AsSpan(0, Magic.Length).SequenceEqual(Magic))
            throw new CheckpointException(path, "not a ModelDsl checkpoint (bad header)");
        var body = bytes.AsSpan(0, bytes.Length - 32);
        if (!SHA256.HashData(body).AsSpan().SequenceEqual(bytes.AsSpan(bytes.Length - 32)))
            throw new CheckpointException(path, "checksum mismatch: the file is truncated or corrupt");
        using var reader = new BinaryReader(new MemoryStream(bytes, 0, body.Length));
        reader.ReadBytes(Magic.Length);
        var version = reader.ReadInt32();
        if (version != FormatVersion)
            throw new CheckpointException(path, $"format version {version} is not supported (expected {FormatVersion})");
        var header = JsonNode.Parse(reader.ReadBytes(reader.ReadInt32()))!.AsObject();
        var modules = header["modules"]!.AsArray().Select(m => m!.AsObject()).ToList();
        var lengths = header["lengths"]!.AsArray().Select(l => l!.GetValue<long>()).ToList();
        var blobs = lengths.Select(length => reader.ReadBytes(checked((int)length))).ToList();
        return new CheckpointFile(header["metadata"]!.AsObject(),
            modules.Select(m => m["name"]!.GetValue<string>()).ToList(),
            modules.Select(m => m["parameters"]!.AsObject()).ToList(),
            header["optimizers"]!.AsArray().Select(o => o!.GetValue<string>()).ToList(),
            blobs);
    }

    private static JsonObject ShapesOf(nn.Module module)
    {
        var shapes = new JsonObject();
        foreach (var (name, value) in module.state_dict())
            shapes[name] = new JsonArray(value.shape.Select(d => (JsonNode)JsonValue.Create(d)).ToArray());
        return shapes;
    }

    private static void CheckShapes(string path, string moduleName, JsonObject saved, nn.Module module)
    {
        var live = module.state_dict();
        foreach (var (name, node) in saved)
        {
            var savedShape = node!.AsArray().Select(d => d!.GetValue<long>()).ToArray();
            if (!live.TryGetValue(name, out var tensor))
                throw new CheckpointException(path, $"{moduleName} parameter '{name}' ({Format(savedShape)}) does not exist in {module.GetType().Name}: the checkpoint is from another architecture");
            if (!tensor.shape.SequenceEqual(savedShape))
                throw new CheckpointException(path, $"{moduleName} parameter '{name}' is {Format(savedShape)} in the checkpoint but {Format(tensor.shape)} in {module.GetType().Name}: the checkpoint is from another architecture");
        }
        var missing = live.Keys.FirstOrDefault(k => !saved.ContainsKey(k));
        if (missing is not null)
            throw new CheckpointException(path, $"{moduleName} parameter '{missing}' ({Format(live[missing].shape)}) of {module.GetType().Name} is not in the checkpoint: it is from another architecture");
    }

    private static string Format(long[] shape) => string.Join("×", shape);

    private static byte[] Serialize(Action<BinaryWriter> write)
    {
        using var stream = new MemoryStream();
        using (var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true)) write(writer);
        return stream.ToArray();
    }
}
