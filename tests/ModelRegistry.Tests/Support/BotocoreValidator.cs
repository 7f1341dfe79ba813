using System.Diagnostics;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace ModelRegistry.Tests.Support;

/// <summary>Checks request bodies against botocore's SageMaker model via tests/tools/validate_sagemaker_request.py.</summary>
internal static class BotocoreValidator
{
    public static string ScriptPath => TestTools.Path("validate_sagemaker_request.py");

    /// <summary>Validates every (operation, body) pair in one python run; fails the test with the report.</summary>
    public static void AssertValid(IEnumerable<(string Operation, string Body)> requests)
    {
        var (exitCode, report, batch) = Validate(requests);
        Assert.True(exitCode == 0, $"botocore validation failed (exit {exitCode}):\n{report}\nrequests: {batch}");
    }

    /// <summary>The script's exit code and report for a batch of requests.</summary>
    public static (int ExitCode, string Report, string Batch) Validate(IEnumerable<(string Operation, string Body)> requests)
    {
        var batch = new JsonArray();
        foreach (var (operation, body) in requests)
            batch.Add(new JsonObject { ["operation"] = operation, ["body"] = JsonNode.Parse(body) });

        var start = new ProcessStartInfo("python3")
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(ScriptPath);
        start.ArgumentList.Add("--batch");
        using var process = Process.Start(start)!;
        process.StandardInput.Write(batch.ToJsonString());
        process.StandardInput.Close();
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(60_000))
        {
            process.Kill(true);
            Assert.Fail("validate_sagemaker_request.py timed out");
        }
        return (process.ExitCode, stdout.Result + stderr.Result, batch.ToJsonString());
    }
}
