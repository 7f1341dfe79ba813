using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ModelRegistry.Tests.Support;

/// <summary>What the proxy does to one request.</summary>
public enum Fault
{
    None,
    /// <summary>HTTP 400 ThrottlingException in the AWS JSON error shape; not forwarded.</summary>
    Throttle,
    /// <summary>HTTP 500 InternalFailure; not forwarded.</summary>
    Error500,
    /// <summary>HTTP 503 ServiceUnavailable; not forwarded.</summary>
    Error503,
    /// <summary>Connection reset before forwarding: the service never saw the request.</summary>
    ResetBefore,
    /// <summary>Forwarded, then the connection is reset instead of answering: the request took effect but
    /// the client cannot know (the nasty case).</summary>
    ResetAfter,
    /// <summary>Forwarded; the answer is held back for <see cref="FaultProxy.Delay"/> first.</summary>
    Delay,
    /// <summary>Forwarded, then answered 200 with a body that is not JSON: the request took effect, and the
    /// reply cannot say what was done. Not in the default mix (scripted or listed explicitly).</summary>
    GarbageAfter,
}

/// <summary>
/// A loopback HTTP/1.1 proxy in front of moto_server that injects faults at a configured rate. Fault choice
/// comes from a seeded generator, one draw per request in arrival order, so a seed replays the same mix.
/// Every answer carries Connection: close (as moto's do), so each request is one TCP connection.
/// </summary>
public sealed class FaultProxy : IDisposable
{
    private static readonly Fault[] AllFaults =
        { Fault.Throttle, Fault.Error500, Fault.Error503, Fault.ResetBefore, Fault.ResetAfter, Fault.Delay };

    private readonly TcpListener _listener;
    private readonly Uri _target;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _accept;
    private readonly object _randomLock = new();
    private readonly Random _random;
    private readonly ConcurrentDictionary<Fault, int> _counts = new();
    private readonly ConcurrentDictionary<Task, bool> _connections = new();
    private readonly ConcurrentQueue<Forward> _forwarded = new();
    private int _requests;

    public FaultProxy(string targetUrl, double rate, int seed, IReadOnlyList<Fault>? faults = null)
    {
        _target = new Uri(targetUrl);
        Rate = rate;
        Faults = faults ?? AllFaults;
        _random = new Random(seed);
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start(512);
        Url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
        _accept = Task.Run(AcceptLoopAsync);
    }

    public string Url { get; }
    /// <summary>Share of requests that get a fault, 0–1.</summary>
    public double Rate { get; set; }
    /// <summary>The faults drawn from, with equal weight.</summary>
    public IReadOnlyList<Fault> Faults { get; set; }
    public TimeSpan Delay { get; set; } = TimeSpan.FromMilliseconds(200);
    /// <summary>Overrides the random draw: (request number from 1, operation) → fault. For scripted cases.</summary>
    public Func<int, string, Fault>? Script { get; set; }

    public int Requests => Volatile.Read(ref _requests);
    /// <summary>Every request passed on to moto: operation, body and moto's HTTP status (null when the exchange
    /// with moto itself failed). moto fails some requests on its own (HTTP 500 when one of its threads iterates a
    /// dict another is adding to), so "took effect" is <see cref="Forward.Applied"/>, not "was forwarded".</summary>
    public IReadOnlyList<Forward> Forwarded => _forwarded.ToArray();
    public int Count(Fault fault) => _counts.TryGetValue(fault, out var n) ? n : 0;
    public string Summary => $"{Requests} requests: " +
        string.Join(", ", Enum.GetValues<Fault>().Select(f => $"{f} {Count(f)}")) + "; reached moto: " +
        string.Join(", ", Forwarded.GroupBy(f => f.Operation).Select(g => $"{g.Key} {g.Count()}" +
            (g.Any(f => !f.Applied) ? $" ({g.Count(f => !f.Applied)} not 2xx)" : "")));

    public sealed record Forward(string Operation, string Body, int? Status, string? SigningRegion = null, string? AccessKeyId = null,
        string? SecurityToken = null)
    {
        /// <summary>moto answered 2xx: the request took effect.</summary>
        public bool Applied => Status is >= 200 and < 300;
    }

    private Fault Draw()
    {
        lock (_randomLock)
        {
            if (_random.NextDouble() >= Rate || Faults.Count == 0) return Fault.None;
            return Faults[_random.Next(Faults.Count)];
        }
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _listener.AcceptTcpClientAsync(_stop.Token); }
            catch (Exception) when (_stop.IsCancellationRequested) { return; }
            catch (SocketException) { continue; }
            var task = Task.Run(() => HandleAsync(client));
            _connections[task] = true;
            _ = task.ContinueWith(t => _connections.TryRemove(t, out _), TaskScheduler.Default);
        }
    }

    private async Task HandleAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                client.NoDelay = true;
                var stream = client.GetStream();
                var request = await ReadRequestAsync(stream, _stop.Token);
                if (request is null) return;
                var number = Interlocked.Increment(ref _requests);
                var fault = Script?.Invoke(number, request.Operation) ?? Draw();
                _counts.AddOrUpdate(fault, 1, (_, n) => n + 1);
                switch (fault)
                {
                    case Fault.Throttle:
                        await WriteErrorAsync(stream, 400, "Bad Request", "ThrottlingException", "Rate exceeded");
                        return;
                    case Fault.Error500:
                        await WriteErrorAsync(stream, 500, "Internal Server Error", "InternalFailure", "Injected internal failure");
                        return;
                    case Fault.Error503:
                        await WriteErrorAsync(stream, 503, "Service Unavailable", "ServiceUnavailable", "Injected unavailability");
                        return;
                    case Fault.ResetBefore:
                        Reset(client);
                        return;
                }
                byte[] response;
                try
                {
                    response = await ForwardAsync(request, _stop.Token);
                }
                catch (Exception e) when (e is IOException or SocketException && !_stop.IsCancellationRequested)
                {
                    _forwarded.Enqueue(new Forward(request.Operation, Encoding.UTF8.GetString(request.Body), null, request.SigningRegion, request.AccessKeyId, request.SecurityToken));
                    Reset(client);
                    return;
                }
                _forwarded.Enqueue(new Forward(request.Operation, Encoding.UTF8.GetString(request.Body), StatusOf(response), request.SigningRegion, request.AccessKeyId, request.SecurityToken));
                if (fault == Fault.ResetAfter)
                {
                    Reset(client);
                    return;
                }
                if (fault == Fault.GarbageAfter)
                {
                    var garbage = Encoding.UTF8.GetBytes("{\"ModelPackageGroupArn\": \"arn:aws:sagemaker:us-east-1:1234");
                    var head = Encoding.ASCII.GetBytes("HTTP/1.1 200 OK\r\nContent-Type: application/x-amz-json-1.1\r\n" +
                        $"x-amzn-RequestId: garbage-{number}\r\nContent-Length: {garbage.Length}\r\nConnection: close\r\n\r\n");
                    response = head.Concat(garbage).ToArray();
                }
                if (fault == Fault.Delay) await Task.Delay(Delay, _stop.Token);
                await stream.WriteAsync(response, _stop.Token);
                await stream.FlushAsync(_stop.Token);
                client.Client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception) when (_stop.IsCancellationRequested) { }
            catch (IOException) { }
            catch (SocketException) { }
            catch (Exception e)
            {
                // A bug in the proxy, not an injected fault: make it visible in the test's failure.
                ProxyErrors.Enqueue(e);
            }
        }
    }

    /// <summary>Unexpected exceptions inside the proxy (should stay empty).</summary>
    public ConcurrentQueue<Exception> ProxyErrors { get; } = new();

    /// <summary>An RST rather than a FIN: the client sees "connection reset by peer".</summary>
    private static void Reset(TcpClient client)
    {
        client.Client.LingerState = new LingerOption(true, 0);
        client.Client.Close();
    }

    private sealed record RawRequest(string Head, byte[] Body)
    {
        /// <summary>"CreateModelPackageGroup" from "X-Amz-Target: SageMaker.CreateModelPackageGroup"; "" for others (STS).</summary>
        public string Operation => Head.Split("\r\n")
            .Where(l => l.StartsWith("X-Amz-Target:", StringComparison.OrdinalIgnoreCase))
            .Select(l => l[(l.IndexOf(':') + 1)..].Trim().Split('.').Last()).FirstOrDefault() ?? "";

        /// <summary>The region the request was signed for: "eu-west-1" from "Credential=AKID/20261202/eu-west-1/sagemaker/aws4_request".</summary>
        public string? SigningRegion => Head.Split("\r\n")
            .Where(l => l.StartsWith("Authorization:", StringComparison.OrdinalIgnoreCase))
            .Select(l => System.Text.RegularExpressions.Regex.Match(l, @"Credential=[^/]+/\d{8}/([^/]+)/"))
            .Where(m => m.Success).Select(m => m.Groups[1].Value).FirstOrDefault();

        /// <summary>The access key id the request was signed with: "AKID" from "Credential=AKID/20261202/…".</summary>
        public string? AccessKeyId => Head.Split("\r\n")
            .Where(l => l.StartsWith("Authorization:", StringComparison.OrdinalIgnoreCase))
            .Select(l => System.Text.RegularExpressions.Regex.Match(l, @"Credential=([^/]+)/"))
            .Where(m => m.Success).Select(m => m.Groups[1].Value).FirstOrDefault();

        /// <summary>The X-Amz-Security-Token header (temporary credentials), or null.</summary>
        public string? SecurityToken => Head.Split("\r\n")
            .Where(l => l.StartsWith("X-Amz-Security-Token:", StringComparison.OrdinalIgnoreCase))
            .Select(l => l[(l.IndexOf(':') + 1)..].Trim()).FirstOrDefault();
    }

    private static async Task<RawRequest?> ReadRequestAsync(NetworkStream stream, CancellationToken ct)
    {
        var buffer = new MemoryStream();
        var chunk = new byte[8192];
        int headEnd;
        while ((headEnd = IndexOfHeadEnd(buffer)) < 0)
        {
            var n = await stream.ReadAsync(chunk, ct);
            if (n == 0) return null;
            buffer.Write(chunk, 0, n);
        }
        var all = buffer.ToArray();
        var head = Encoding.ASCII.GetString(all, 0, headEnd);
        var length = 0;
        foreach (var line in head.Split("\r\n").Skip(1))
        {
            var colon = line.IndexOf(':');
            if (colon > 0 && line[..colon].Trim().Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
                length = int.Parse(line[(colon + 1)..].Trim());
        }
        var body = new MemoryStream();
        body.Write(all, headEnd + 4, all.Length - headEnd - 4);
        while (body.Length < length)
        {
            var n = await stream.ReadAsync(chunk, ct);
            if (n == 0) return null;
            body.Write(chunk, 0, n);
        }
        return new RawRequest(head, body.ToArray());
    }

    private static int IndexOfHeadEnd(MemoryStream buffer) => IndexOfHeadEnd(buffer.GetBuffer(), (int)buffer.Length);

    private static int IndexOfHeadEnd(byte[] b, int length)
    {
        for (var i = 0; i + 3 < length; i++)
            if (b[i] == '\r' && b[i + 1] == '\n' && b[i + 2] == '\r' && b[i + 3] == '\n') return i;
        return -1;
    }

    /// <summary>Sends the request to moto as it came (Host and Connection rewritten) and returns moto's raw reply
    /// with Connection: close.</summary>
    private async Task<byte[]> ForwardAsync(RawRequest request, CancellationToken ct)
    {
        var lines = request.Head.Split("\r\n").ToList();
        var head = new StringBuilder(lines[0]).Append("\r\n");
        foreach (var line in lines.Skip(1))
        {
            var name = line.Split(':', 2)[0].Trim();
            if (name.Equals("Host", StringComparison.OrdinalIgnoreCase) || name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
                continue;
            head.Append(line).Append("\r\n");
        }
        head.Append($"Host: {_target.Authority}\r\nConnection: close\r\n\r\n");

        using var upstream = new TcpClient { NoDelay = true };
        await upstream.ConnectAsync(_target.Host, _target.Port, ct);
        var s = upstream.GetStream();
        await s.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), ct);
        await s.WriteAsync(request.Body, ct);
        await s.FlushAsync(ct);
        // moto answers Connection: close, so its reply ends when it closes.
        var reply = new MemoryStream();
        await s.CopyToAsync(reply, ct);
        return EnsureConnectionClose(reply.ToArray());
    }

    /// <summary>"HTTP/1.1 200 OK…" → 200; null when the reply has no status line.</summary>
    private static int? StatusOf(byte[] reply)
    {
        var line = Encoding.ASCII.GetString(reply, 0, Math.Min(reply.Length, 32)).Split(' ');
        return line.Length > 1 && int.TryParse(line[1], out var status) ? status : null;
    }

    private static byte[] EnsureConnectionClose(byte[] reply)
    {
        var end = IndexOfHeadEnd(reply, reply.Length);
        if (end < 0) return reply;
        var head = Encoding.ASCII.GetString(reply, 0, end);
        if (head.Contains("\r\nConnection:", StringComparison.OrdinalIgnoreCase)) return reply;
        var patched = Encoding.ASCII.GetBytes(head + "\r\nConnection: close");
        return patched.Concat(reply.Skip(end)).ToArray();
    }

    private static async Task WriteErrorAsync(NetworkStream stream, int status, string reason, string code, string message)
    {
        var body = Encoding.UTF8.GetBytes($"{{\"__type\":\"{code}\",\"message\":\"{message}\"}}");
        var head = $"HTTP/1.1 {status} {reason}\r\nContent-Type: application/x-amz-json-1.1\r\n" +
                   $"x-amzn-RequestId: {Guid.NewGuid()}\r\nContent-Length: {body.Length}\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head));
        await stream.WriteAsync(body);
        await stream.FlushAsync();
    }

    public void Dispose()
    {
        _stop.Cancel();
        _listener.Stop();
        try { _accept.Wait(TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
        try { Task.WaitAll(_connections.Keys.ToArray(), TimeSpan.FromSeconds(5)); } catch (AggregateException) { }
    }
}
