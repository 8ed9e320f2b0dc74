using System.Net;

namespace ModelDsl.Tests.Support;

/// <summary>Answers HTTP requests from a function instead of the network, and records what was asked.</summary>
public sealed class FakeHttpHandler(Func<Uri, HttpResponseMessage> respond) : HttpMessageHandler
{
    public List<Uri> Requests { get; } = [];

    protected override Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        Requests.Add(request.RequestUri!);
        return Task.FromResult(respond(request.RequestUri!));
    }

    public static HttpResponseMessage Bytes(byte[] body) => new(HttpStatusCode.OK) { Content = new ByteArrayContent(body) };

    public static HttpResponseMessage Stream(Stream body) => new(HttpStatusCode.OK) { Content = new StreamContent(body) };

    public static HttpResponseMessage NotFound() => new(HttpStatusCode.NotFound);
}

/// <summary>A body that delivers some bytes, then fails like a dropped connection.</summary>
public sealed class FailingStream(byte[] prefix) : MemoryStream(prefix)
{
    public override int Read(byte[] buffer, int offset, int count)
    {
        var read = base.Read(buffer, offset, count);
        return read > 0 ? read : throw new IOException("connection reset by peer");
    }

    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        var read = await base.ReadAsync(buffer, cancellationToken);
        return read > 0 ? read : throw new IOException("connection reset by peer");
    }
}

/// <summary>A body that never delivers a byte.</summary>
public sealed class StalledStream : MemoryStream
{
    public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
    {
        await Task.Delay(Timeout.Infinite, cancellationToken);
        return 0;
    }

    public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
        ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();
}
