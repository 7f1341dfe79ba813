using System.Diagnostics;
using System.Text.Json;

namespace ModelRegistry.Tests.Support;

/// <summary>
/// build/service_model.py in front of moto: fixed latency and a token bucket per operation that answers
/// ThrottlingException without forwarding (the same model build.ps1 Bench measures against). Loopback only;
/// the script also ends by itself (idle and total time bounds).
/// </summary>
public sealed class ServiceModel : IDisposable
{
    private readonly Process _process;

    public ServiceModel(string motoUrl, double rate, double burst, int latencyMs)
    {
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in new[] { ScriptPath, "--upstream", motoUrl, "--rate", rate.ToString(System.Globalization.CultureInfo.InvariantCulture),
                     "--burst", burst.ToString(System.Globalization.CultureInfo.InvariantCulture), "--latency-ms", latencyMs.ToString(),
                     "--max-seconds", "600", "--idle-seconds", "120" })
            start.ArgumentList.Add(arg);
        _process = Process.Start(start) ?? throw new InvalidOperationException("service_model.py did not start");
        _process.ErrorDataReceived += (_, _) => { };
        _process.BeginErrorReadLine();
        var ready = _process.StandardOutput.ReadLineAsync();
        if (!ready.Wait(TimeSpan.FromSeconds(60)) || ready.Result is null)
        {
            Dispose();
            throw new InvalidOperationException("service_model.py did not report its URL");
        }
        Url = JsonDocument.Parse(ready.Result).RootElement.GetProperty("url").GetString()!;
    }

    public string Url { get; }

    /// <summary>Per operation: calls forwarded to moto and calls answered ThrottlingException.</summary>
    public IReadOnlyDictionary<string, (int Forwarded, int Throttled)> Stats()
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var json = http.GetStringAsync(Url + "/service-model/stats").GetAwaiter().GetResult();
        var result = new Dictionary<string, (int, int)>();
        foreach (var op in JsonDocument.Parse(json).RootElement.EnumerateObject())
            result[op.Name] = (op.Value.GetProperty("forwarded").GetInt32(), op.Value.GetProperty("throttled").GetInt32());
        return result;
    }

    private static string ScriptPath
    {
        get
        {
            for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir != null; dir = dir.Parent)
            {
                var candidate = Path.Combine(dir.FullName, "build", "service_model.py");
                if (File.Exists(candidate)) return candidate;
            }
            throw new FileNotFoundException("build/service_model.py not found above " + AppContext.BaseDirectory);
        }
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
