using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ModelRegistry.Tests.Support;

/// <summary>One HTTP request as it arrived.</summary>
public sealed record CapturedRequest(string Method, string Path, IReadOnlyDictionary<string, string> Headers, string Body)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var v) ? v : null;
    /// <summary>"CreateModelPackageGroup" from "X-Amz-Target: SageMaker.CreateModelPackageGroup".</summary>
    public string Operation => (Header("X-Amz-Target") ?? "").Split('.').Last();
}

/// <summary>A canned reply.</summary>
public sealed record CannedResponse(int Status, string Body, string ContentType = "application/x-amz-json-1.1",
    IReadOnlyDictionary<string, string>? Headers = null);

/// <summary>
/// A loopback HTTP endpoint that records every request and answers from a responder. Point a client's
/// endpoint at <see cref="Url"/> to see exactly what it sends.
/// </summary>
public sealed class CapturingEndpoint : IDisposable
{
    private readonly HttpListener _listener = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly ConcurrentQueue<CapturedRequest> _requests = new();

    public CapturingEndpoint(Func<CapturedRequest, CannedResponse> responder)
    {
        Responder = responder;
        // Retry on the rare race where another process takes the port between probe and bind.
        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort();
            Url = $"http://127.0.0.1:{port}/";
            _listener.Prefixes.Clear();
            _listener.Prefixes.Add(Url);
            try { _listener.Start(); break; }
            catch (HttpListenerException) when (attempt < 5) { }
        }
        _loop = Task.Run(LoopAsync);
    }

    public string Url { get; }
    public Func<CapturedRequest, CannedResponse> Responder { get; set; }
    public IReadOnlyList<CapturedRequest> Requests => _requests.ToArray();

    private async Task LoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            HttpListenerContext context;
            try { context = await _listener.GetContextAsync(); }
            catch (Exception) when (_stop.IsCancellationRequested || !_listener.IsListening) { return; }
            catch (HttpListenerException) { continue; }
            try
            {
                string body;
                using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
                    body = await reader.ReadToEndAsync();
                var headers = context.Request.Headers.AllKeys
                    .Where(k => k != null)
                    .ToDictionary(k => k!, k => context.Request.Headers[k]!, StringComparer.OrdinalIgnoreCase);
                var request = new CapturedRequest(context.Request.HttpMethod, context.Request.RawUrl ?? "", headers, body);
                _requests.Enqueue(request);
                var reply = Responder(request);
                context.Response.StatusCode = reply.Status;
                context.Response.ContentType = reply.ContentType;
                if (reply.Headers != null)
                    foreach (var h in reply.Headers) context.Response.Headers[h.Key] = h.Value;
                var bytes = Encoding.UTF8.GetBytes(reply.Body);
                context.Response.ContentLength64 = bytes.Length;
                await context.Response.OutputStream.WriteAsync(bytes);
                context.Response.Close();
            }
            catch (Exception)
            {
                try { context.Response.Abort(); } catch { }
            }
        }
    }

    /// <summary>
    /// For a responder: holds the request far longer than any client timeout a test sets (up to <paramref name="upTo"/>,
    /// default 2 minutes), released as soon as the endpoint is disposed, then answers 200 "{}". A test that expects its
    /// client to give up (timeout, cancellation) gets that outcome however busy the machine: nothing races the client's
    /// timer, and a client that never gives up fails the test (it gets the reply) instead of hanging it.
    /// </summary>
    public CannedResponse Hold(TimeSpan? upTo = null)
    {
        _stop.Token.WaitHandle.WaitOne(upTo ?? TimeSpan.FromMinutes(2));
        if (_stop.IsCancellationRequested) throw new OperationCanceledException(_stop.Token); // the loop aborts the reply
        return new CannedResponse(200, "{}");
    }

    internal static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }

    public void Dispose()
    {
        _stop.Cancel();
        try { _listener.Stop(); _listener.Close(); } catch { }
        try { _loop.Wait(2000); } catch { }
    }
}
