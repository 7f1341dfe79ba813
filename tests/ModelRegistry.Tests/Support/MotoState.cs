using System.Diagnostics;
using System.Text.Json;

namespace ModelRegistry.Tests.Support;

/// <summary>moto's state as boto3 sees it (tests/tools/moto_state.py): an independent client, straight to moto.</summary>
internal static class MotoState
{
    public sealed record Version(string Arn, int Number, string Status, string? Token);

    public static Dictionary<string, Dictionary<string, string>> Groups(string motoUrl, string prefix)
    {
        var json = Run(motoUrl, "groups", prefix);
        return json.GetProperty("groups").EnumerateObject().ToDictionary(
            g => g.Name, g => g.Value.EnumerateObject().ToDictionary(t => t.Name, t => t.Value.GetString() ?? ""));
    }

    public static Dictionary<string, List<Version>> Versions(string motoUrl, bool describe, IEnumerable<string> groups)
    {
        var args = new List<string> { "versions" };
        if (describe) args.Add("--describe");
        args.AddRange(groups);
        var json = Run(motoUrl, args.ToArray());
        return json.GetProperty("versions").EnumerateObject().ToDictionary(g => g.Name, g => g.Value.EnumerateArray().Select(v =>
            new Version(v.GetProperty("arn").GetString()!, v.GetProperty("version").GetInt32(), v.GetProperty("status").GetString()!,
                v.TryGetProperty("token", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString() : null)).ToList());
    }

    private static JsonElement Run(string motoUrl, params string[] args)
    {
        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(TestTools.Path("moto_state.py"));
        start.ArgumentList.Add(motoUrl);
        foreach (var a in args) start.ArgumentList.Add(a);
        start.Environment["AWS_EC2_METADATA_DISABLED"] = "true";
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(true);
            Assert.Fail("moto_state.py timed out");
        }
        Assert.True(process.ExitCode == 0, $"moto_state.py failed ({process.ExitCode}): {stderr.Result}");
        return JsonDocument.Parse(stdout.Result).RootElement.Clone();
    }
}
