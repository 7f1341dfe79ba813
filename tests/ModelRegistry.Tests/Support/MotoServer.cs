using System.Diagnostics;
using System.Text;

namespace ModelRegistry.Tests.Support;

/// <summary>
/// One moto server on a free loopback port for the whole test run (xunit collection "moto"), started by
/// tests/tools/start_moto.py, the starter the Pester tests use too. moto's state is shared: tests use unique names.
/// </summary>
public sealed class MotoServer : IDisposable
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(90);
    private readonly Process _process;
    private readonly StringBuilder _stderr = new();

    public MotoServer()
    {
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardInput = true,
            RedirectStandardError = true,
            RedirectStandardOutput = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(TestTools.Path("start_moto.py"));
        // The server ends when this process closes its standard input, even if the test host dies.
        start.ArgumentList.Add("--stop-on-eof");
        _process = Process.Start(start) ?? throw new InvalidOperationException("start_moto.py did not start");
        _process.ErrorDataReceived += (_, e) => { if (e.Data != null) lock (_stderr) _stderr.AppendLine(e.Data); };
        _process.BeginErrorReadLine();

        // The starter prints its URL once GET /moto-api/ answers 200 (or exits with the reason).
        var line = _process.StandardOutput.ReadLineAsync();
        if (!line.Wait(StartTimeout) || line.Result is not { } url || !url.StartsWith("http://127.0.0.1:", StringComparison.Ordinal))
        {
            Dispose();
            throw new InvalidOperationException($"start_moto.py gave no loopback URL within {StartTimeout.TotalSeconds:0} s:\n{StandardError}");
        }
        Url = url;
        var version = _process.StandardOutput.ReadLineAsync();
        Version = version.Wait(StartTimeout) && version.Result is { } v ? v : "moto";
        _ = _process.StandardOutput.ReadToEndAsync();
    }

    /// <summary>http://127.0.0.1:port — SageMaker, STS and S3 are all served here.</summary>
    public string Url { get; } = "";

    /// <summary>"moto 5.2.1": what skip reasons name, so a report says which emulator lacked an operation.</summary>
    public string Version { get; } = "moto";

    public string StandardError { get { lock (_stderr) return _stderr.ToString(); } }

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

/// <summary>Skip reasons shared by the suites that run on moto.</summary>
public static class MotoLacks
{
    public static string Delete(MotoServer moto) =>
        $"{moto.Version} does not implement DeleteModelPackage / DeleteModelPackageGroup";

    public static string EndpointUpdate(MotoServer moto) => $"{moto.Version} does not implement UpdateEndpoint";

    public static string GroupPolicy(MotoServer moto) =>
        $"{moto.Version} does not implement GetModelPackageGroupPolicy / PutModelPackageGroupPolicy / DeleteModelPackageGroupPolicy " +
        "(the requests are checked against botocore in SageMakerGroupPolicyRequestTests)";
}
