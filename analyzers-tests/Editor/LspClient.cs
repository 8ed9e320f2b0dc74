using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;

namespace ModelDsl.Analyzers.Tests.Editor;

/// <summary>
/// The client half of the Language Server Protocol over a server process's stdio, as an editor speaks it:
/// Content-Length framed JSON-RPC, requests with ids, and answers to the server's own requests
/// (<c>workspace/configuration</c> and the like) through <paramref name="answerServerRequest"/>.
/// Disposing ends the server and everything it started, whatever state it is in.
/// </summary>
internal sealed class LspClient : IAsyncDisposable
{
    private readonly Process _server;
    private readonly Func<string, JsonNode?, JsonNode?> _answerServerRequest;
    private readonly ConcurrentDictionary<int, TaskCompletionSource<JsonNode?>> _pending = new();
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly StringBuilder _serverLog = new();
    private readonly Task _reading;
    private int _nextId;

    private LspClient(Process server, Func<string, JsonNode?, JsonNode?> answerServerRequest)
    {
        _server = server;
        _answerServerRequest = answerServerRequest;
        _server.ErrorDataReceived += (_, e) => { if (e.Data is not null) Log($"stderr: {e.Data}"); };
        _server.BeginErrorReadLine();
        _reading = Task.Run(ReadMessagesAsync);
    }

    /// <param name="answerServerRequest">the result for a server→client request, by method and params.</param>
    public static LspClient Start(ProcessStartInfo server, Func<string, JsonNode?, JsonNode?> answerServerRequest)
    {
        server.RedirectStandardInput = server.RedirectStandardOutput = server.RedirectStandardError = true;
        server.UseShellExecute = false;
        var process = Process.Start(server) ?? throw new InvalidOperationException($"Could not start {server.FileName}.");
        return new LspClient(process, answerServerRequest);
    }

    /// <summary>What the server wrote to stderr and its <c>window/logMessage</c>s, for failure messages.</summary>
    public string ServerLog { get { lock (_serverLog) return _serverLog.ToString(); } }

    public async Task<JsonNode?> RequestAsync(string method, JsonNode? parameters, TimeSpan timeout)
    {
        var id = Interlocked.Increment(ref _nextId);
        var answer = new TaskCompletionSource<JsonNode?>(TaskCreationOptions.RunContinuationsAsynchronously);
        _pending[id] = answer;
        await SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["id"] = id, ["method"] = method, ["params"] = parameters });
        try
        {
            return await answer.Task.WaitAsync(timeout);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"{method} got no answer within {timeout.TotalSeconds:0} s.\n{ServerLogTail()}");
        }
        finally
        {
            _pending.TryRemove(id, out _);
        }
    }

    public Task NotifyAsync(string method, JsonNode? parameters) =>
        SendAsync(new JsonObject { ["jsonrpc"] = "2.0", ["method"] = method, ["params"] = parameters });

    public string ServerLogTail(int characters = 4000)
    {
        var log = ServerLog;
        return "server log (tail):\n" + (log.Length <= characters ? log : log[^characters..]);
    }

    private async Task SendAsync(JsonObject message)
    {
        var body = Encoding.UTF8.GetBytes(message.ToJsonString());
        var header = Encoding.ASCII.GetBytes($"Content-Length: {body.Length}\r\n\r\n");
        await _writeLock.WaitAsync();
        try
        {
            var input = _server.StandardInput.BaseStream;
            await input.WriteAsync(header);
            await input.WriteAsync(body);
            await input.FlushAsync();
        }
        finally
        {
            _writeLock.Release();
        }
    }

    private async Task ReadMessagesAsync()
    {
        var output = _server.StandardOutput.BaseStream;
        try
        {
            while (await ReadContentLengthAsync(output) is { } length)
            {
                var body = new byte[length];
                await output.ReadExactlyAsync(body);
                await DispatchAsync(JsonNode.Parse(body)!.AsObject());
            }
            FailPending(new InvalidOperationException($"The server closed its output.\n{ServerLogTail()}"));
        }
        catch (Exception e)
        {
            FailPending(new InvalidOperationException($"Reading the server's messages failed: {e.Message}\n{ServerLogTail()}", e));
        }
    }

    private async Task DispatchAsync(JsonObject message)
    {
        var method = (string?)message["method"];
        var id = message["id"];
        if (method is null)
        {
            // An answer to one of ours.
            if (id is not null && _pending.TryGetValue((int)id, out var answer))
            {
                if (message["error"] is { } error) answer.TrySetException(new InvalidOperationException($"The server answered with an error: {error.ToJsonString()}"));
                else answer.TrySetResult(message["result"]?.DeepClone());
            }
            return;
        }
        if (method is "window/logMessage" or "window/showMessage" or "$/logTrace")
            Log((string?)message["params"]?["message"] ?? "");
        if (id is null) return;  // other notifications (progress, telemetry) carry nothing the tests read

        // The server's own request: answer it, or it waits for us.
        await SendAsync(new JsonObject
        {
            ["jsonrpc"] = "2.0",
            ["id"] = id.DeepClone(),
            ["result"] = _answerServerRequest(method, message["params"]),
        });
    }

    /// <summary>The length from a message's header block, or null at the end of the stream.</summary>
    private static async Task<int?> ReadContentLengthAsync(Stream output)
    {
        int? length = null;
        var line = new StringBuilder();
        var oneByte = new byte[1];
        while (true)
        {
            if (await output.ReadAsync(oneByte) == 0) return null;
            if (oneByte[0] != '\n')
            {
                if (oneByte[0] != '\r') line.Append((char)oneByte[0]);
                continue;
            }
            if (line.Length == 0)
                return length ?? throw new InvalidDataException("A message header without Content-Length.");
            var header = line.ToString();
            if (header.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
                length = int.Parse(header["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            line.Clear();
        }
    }

    private void FailPending(Exception reason)
    {
        foreach (var answer in _pending.Values) answer.TrySetException(reason);
    }

    private void Log(string line)
    {
        lock (_serverLog) _serverLog.AppendLine(line);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            if (!_server.HasExited)
            {
                // An editor's goodbye; a server that does not take it within seconds is killed below.
                using var polite = new CancellationTokenSource(TimeSpan.FromSeconds(5));
                await RequestAsync("shutdown", null, TimeSpan.FromSeconds(5));
                await NotifyAsync("exit", null);
                await _server.WaitForExitAsync(polite.Token);
            }
        }
        catch (Exception e) when (e is TimeoutException or OperationCanceledException or InvalidOperationException or IOException)
        {
            // It is killed either way.
        }
        finally
        {
            if (!_server.HasExited) _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
            await _reading;
            _server.Dispose();
            _writeLock.Dispose();
        }
    }
}
