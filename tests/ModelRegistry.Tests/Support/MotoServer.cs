using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace ModelRegistry.Tests.Support;

/// <summary>
/// One moto_server on a free loopback port for the whole test run (xunit collection "moto").
/// moto's state is shared: tests use unique names.
/// </summary>
public sealed class MotoServer : IDisposable
{
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    public MotoServer()
    {
        var port = FreePort();
        Url = $"http://127.0.0.1:{port}";
        var start = new ProcessStartInfo("moto_server")
        {
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { "-H", "127.0.0.1", "-p", port.ToString() })
            start.ArgumentList.Add(arg);
        _process = Process.Start(start) ?? throw new InvalidOperationException("moto_server did not start");
        _process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.OutputDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        _process.BeginOutputReadLine();
        WaitUntilReady(TimeSpan.FromSeconds(30));
    }

    /// <summary>http://127.0.0.1:port — SageMaker and STS are both served here.</summary>
    public string Url { get; }

    public string StandardError { get { lock (_stderr) return _stderr.ToString(); } }

    private void WaitUntilReady(TimeSpan timeout)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(2) };
        var deadline = DateTime.UtcNow + timeout;
        while (DateTime.UtcNow < deadline)
        {
            if (_process.HasExited)
                throw new InvalidOperationException($"moto_server exited with {_process.ExitCode}:\n{StandardError}");
            try
            {
                using var response = http.GetAsync(Url + "/moto-api/").GetAwaiter().GetResult();
                if (response.StatusCode == HttpStatusCode.OK)
                    return;
            }
            catch (HttpRequestException) { }
            catch (TaskCanceledException) { }
            Thread.Sleep(100);
        }
        Dispose();
        throw new TimeoutException($"moto_server at {Url} did not answer GET /moto-api/ within {timeout.TotalSeconds:0} s:\n{StandardError}");
    }

    private static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        try { return ((IPEndPoint)listener.LocalEndpoint).Port; }
        finally { listener.Stop(); }
    }

    public void Dispose()
    {
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                _process.WaitForExit(5000);
            }
        }
        catch (InvalidOperationException) { }
        _process.Dispose();
    }
}

[CollectionDefinition("moto")]
public sealed class MotoCollection : ICollectionFixture<MotoServer>
{
}
