using System.Collections;
using System.Net;
using System.Net.Sockets;
using ModelRegistry.Engine.Registry;
using ModelRegistry.Engine.Registry.SageMaker;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Registry.SageMaker;

/// <summary>
/// Time bounds users set the AWS way: AWS_MAX_ATTEMPTS / the profile's max_attempts (attempts, the first
/// included) and -TimeoutSec (per call). The endpoint here accepts connections and never answers. No timing is
/// asserted beyond "it ended, with the right error" (the test's own timeout is generous).
/// </summary>
public sealed class SageMakerTimeBoundsTests : IDisposable
{
    private static readonly CancellationToken None = CancellationToken.None;
    private readonly string _dir = Directory.CreateTempSubdirectory("mr-bounds-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    /// <summary>Accepts TCP connections, reads nothing, answers nothing; counts them; stops on Dispose.</summary>
    private sealed class SilentEndpoint : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);
        private readonly CancellationTokenSource _stop = new();
        private readonly List<TcpClient> _held = new();
        private int _accepted;

        public SilentEndpoint()
        {
            _listener.Start();
            Url = $"http://127.0.0.1:{((IPEndPoint)_listener.LocalEndpoint).Port}";
            _ = Task.Run(async () =>
            {
                try
                {
                    while (!_stop.IsCancellationRequested)
                    {
                        var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                        lock (_held) _held.Add(client);
                        Interlocked.Increment(ref _accepted);
                    }
                }
                catch (OperationCanceledException) { }
                catch (SocketException) { }
                catch (ObjectDisposedException) { }
            });
        }

        public string Url { get; }
        public int Accepted => Volatile.Read(ref _accepted);

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            lock (_held) foreach (var c in _held) c.Dispose();
        }
    }

    private static SageMakerRegistry Registry(string url, Dictionary<string, string>? env = null, string? profiles = null,
        string? profile = null, TimeSpan? timeout = null) =>
        new(new RegistryConnection { Region = "us-east-1", EndpointUrl = url, ProfileName = profile, Timeout = timeout },
            new SageMakerClientSettings
            {
                Credentials = new Amazon.Runtime.BasicAWSCredentials("test", "test"),
                StsEndpointUrl = url,
                ProfilesLocation = profiles,
                Environment = name => env != null && env.TryGetValue(name, out var v) ? v : null,
            });

    [Fact(Timeout = 120_000)]
    public async Task AWS_MAX_ATTEMPTS_1_and_a_2_second_timeout_end_a_call_to_a_silent_endpoint_as_timed_out()
    {
        using var silent = new SilentEndpoint();
        using var registry = Registry(silent.Url, new() { ["AWS_MAX_ATTEMPTS"] = "1" }, timeout: TimeSpan.FromSeconds(2));
        var e = await Assert.ThrowsAsync<RegistryException>(() => registry.ListGroupsAsync(null, null, 10, NameOrder.Ascending, None));
        Assert.Equal(RegistryErrorKind.Unavailable, e.Kind);
        Assert.Contains("timed out", e.Message);
        Assert.Equal(1, silent.Accepted); // one attempt, no retry
    }

    /// <summary>A port whose accept queue is full: connection attempts are dropped and never open.</summary>
    private sealed class FullEndpoint : IDisposable
    {
        private readonly Socket _listener = new(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        private readonly List<Socket> _waiting = new();

        public FullEndpoint()
        {
            _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            _listener.Listen(0); // never accepted: a few connections fill the queue
            var port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
            for (var i = 0; i < 4; i++)
            {
                var s = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
                try { s.Connect(IPAddress.Loopback, port); } catch (SocketException) { }
                _waiting.Add(s);
            }
            Url = $"http://127.0.0.1:{port}";
        }

        public string Url { get; }

        public void Dispose()
        {
            foreach (var s in _waiting) s.Dispose();
            _listener.Dispose();
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task A_connection_that_does_not_open_ends_at_the_connect_timeout_not_the_per_call_timeout()
    {
        using var full = new FullEndpoint();
        // A per-call timeout of 100 s: only the connect timeout (3.1 s) ends this within the test's own bound.
        using var registry = Registry(full.Url, new() { ["AWS_MAX_ATTEMPTS"] = "1" }, timeout: TimeSpan.FromSeconds(100));
        var e = await Assert.ThrowsAsync<RegistryException>(() => registry.ListGroupsAsync(null, null, 10, NameOrder.Ascending, None));
        Assert.Equal(RegistryErrorKind.Unavailable, e.Kind);
        Assert.Contains("could not be reached", e.Message);
        Assert.Contains("the request was not sent", e.Message);
    }

    [Fact(Timeout = 120_000)]
    public async Task The_profile_max_attempts_counts_the_first_attempt()
    {
        var credentials = Path.Combine(_dir, "credentials");
        File.WriteAllText(credentials, "[bounded]\naws_access_key_id = AKIDBOUNDED\naws_secret_access_key = secret\nregion = us-east-1\nmax_attempts = 2\n");
        using var silent = new SilentEndpoint();
        using var registry = Registry(silent.Url, profiles: credentials, profile: "bounded", timeout: TimeSpan.FromSeconds(1));
        var e = await Assert.ThrowsAsync<RegistryException>(() => registry.ListGroupsAsync(null, null, 10, NameOrder.Ascending, None));
        Assert.Equal(RegistryErrorKind.Unavailable, e.Kind);
        Assert.Contains("gave up after 2 attempt(s)", e.Message);
        Assert.Equal(2, silent.Accepted);
    }

    [Theory]
    [InlineData("0")]
    [InlineData("three")]
    [InlineData("-1")]
    public void A_malformed_AWS_MAX_ATTEMPTS_is_a_clear_Invalid(string value)
    {
        var e = Assert.Throws<RegistryException>(() => Registry("http://127.0.0.1:9", new() { ["AWS_MAX_ATTEMPTS"] = value }));
        Assert.Equal(RegistryErrorKind.Invalid, e.Kind);
        Assert.Contains("AWS_MAX_ATTEMPTS", e.Message);
    }

    [Fact]
    public void TimeoutSec_on_Connect_and_Set_MRConfiguration_bounds_each_call()
    {
        // The cmdlets resolve credentials the AWS way; dummy ones (every other test injects its own).
        foreach (var (name, value) in new[] { ("AWS_ACCESS_KEY_ID", "test"), ("AWS_SECRET_ACCESS_KEY", "test"), ("AWS_EC2_METADATA_DISABLED", "true") })
            if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(name))) Environment.SetEnvironmentVariable(name, value);
        using var silent = new SilentEndpoint();
        using var host = new ModuleHost();
        var shown = host.Run("Connect-MRRegistry -Region us-east-1 -EndpointUrl $url -TimeoutSec 2; (Get-MRRegistry).Timeout.TotalSeconds",
            new Hashtable { ["url"] = silent.Url });
        Assert.Equal("2", Assert.Single(shown.Output, o => o != null).ToString());
        var set = host.Run("Set-MRConfiguration -TimeoutSec 3; (Get-MRConfiguration).Registry.Timeout.TotalSeconds; (Get-MRRegistry).EndpointUrl");
        Assert.Equal(new[] { "3", silent.Url }, set.Output.Where(o => o != null).Select(o => o.ToString()));
        var call = host.Run("Get-MRModelGroup -Name never-answered");
        var error = Assert.Single(call.Errors);
        Assert.Contains("timed out", error.Exception.Message);
        Assert.Equal(System.Management.Automation.ErrorCategory.ConnectionError, error.CategoryInfo.Category);
    }
}
