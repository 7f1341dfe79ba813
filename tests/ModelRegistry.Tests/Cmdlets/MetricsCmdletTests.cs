using System.Globalization;
using AngleSharp.Html.Parser;
using ModelRegistry.Tests.Support;

namespace ModelRegistry.Tests.Cmdlets;

/// <summary>The metrics cmdlets in-process on a Local registry with file:// statistics: gated approval, comparison,
/// and the audit report, whose HTML is parsed with a real HTML parser and checked against the versions and the CSV.</summary>
public sealed class MetricsCmdletTests : IDisposable
{
    private readonly ModuleHost _host = new();
    private readonly string _root = Path.Combine(Path.GetTempPath(), "mr-audit-" + Guid.NewGuid().ToString("N"));

    public MetricsCmdletTests()
    {
        Directory.CreateDirectory(_root);
    }

    public void Dispose()
    {
        _host.Dispose();
        try { Directory.Delete(_root, true); } catch (IOException) { }
    }

    private string Stats(int n, double auc)
    {
        var path = Path.Combine(_root, $"stats{n}.json");
        File.WriteAllText(path, "{\"binary_classification_metrics\":{\"auc\":{\"value\":" + auc.ToString(CultureInfo.InvariantCulture) + ",\"standard_deviation\":0.01}}}");
        return new Uri(path).AbsoluteUri;
    }

    private ModuleHost.Result Run(string script) => _host.Run(script, new Dictionary<string, object>
    {
        ["root"] = _root, ["s1"] = Stats(1, 0.93), ["s2"] = Stats(2, 0.71), ["s3"] = Stats(3, 0.95),
    });

    private void Arrange()
    {
        var setup = Run("""
            Connect-MRRegistry -Local -Path (Join-Path $root 'registry') -Region ap-northeast-1
            New-MRModelGroup -Name rc-fraud-detection -Description 'Models for risk-control/fraud-detection' | Out-Null
            $image = '123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/fraud:1.0'
            foreach ($s in $s1, $s2, $s3) { Register-MRModelVersion rc-fraud-detection -ImageUri $image -ModelStatisticsUri $s -Metric @{ f1 = 0.8 } | Out-Null }
            Get-MRModelVersion rc-fraud-detection | Approve-MRModelVersion -Require 'auc >= 0.9' -Reason 'review'
            Get-MRModelVersion rc-fraud-detection -Version 2 | Deny-MRModelVersion -Reason 'AUC below 0.9'
            """);
        Assert.Single(setup.Errors);
        Assert.Equal("ModelRegistry.Conflict.RequirementNotMet", setup.Errors[0].FullyQualifiedErrorId.Split(',')[0]);
    }

    [Fact]
    public void The_audit_HTML_and_CSV_agree_with_the_versions()
    {
        Arrange();
        var result = Run("""
            Get-MRModelGroup rc-fraud-detection | Export-MRApprovalAudit -Path (Join-Path $root 'audit.csv')
            Get-MRModelVersion rc-fraud-detection | Export-MRApprovalAudit -Path (Join-Path $root 'audit.html') -PassThru
            """);
        Assert.Empty(result.Errors);
        var records = result.Objects<ApprovalAuditRecord>().ToList();
        Assert.Equal(new[] { 1, 2, 3 }, records.Select(r => r.Version));
        Assert.Equal(new[] { ApprovalStatus.Approved, ApprovalStatus.Rejected, ApprovalStatus.Approved }, records.Select(r => r.Status));
        Assert.Equal(new[] { "auc >= 0.9" }, records[0].GateRules);
        Assert.Empty(records[1].GateRules);
        Assert.Equal(Environment.UserName, records[0].CreatedBy!.Split('\\').Last());

        var csv = _host.Run("Import-Csv (Join-Path $root 'audit.csv')", new Dictionary<string, object> { ["root"] = _root }).Output
            .Select(o => o.Properties.ToDictionary(p => p.Name, p => p.Value?.ToString())).ToList();
        Assert.Equal(3, csv.Count);

        var document = new HtmlParser().ParseDocument(File.ReadAllText(Path.Combine(_root, "audit.html")));
        // Self-contained: nothing to fetch.
        Assert.Empty(document.QuerySelectorAll("link, img, iframe, [src], [href]"));
        var section = Assert.Single(document.QuerySelectorAll("section.group"));
        Assert.Equal("rc-fraud-detection", section.GetAttribute("data-group"));
        var headers = section.QuerySelectorAll("table.audit thead th").Select(th => th.TextContent).ToList();
        var rows = section.QuerySelectorAll("table.audit tbody tr").ToList();
        Assert.Equal(3, rows.Count);
        for (var i = 0; i < rows.Count; i++)
        {
            var cells = rows[i].QuerySelectorAll("td").Select(td => td.TextContent).ToList();
            var html = headers.Zip(cells).ToDictionary(p => p.First, p => p.Second);
            // The page says what the versions say, and what the CSV says.
            Assert.Equal(records[i].Version.ToString(CultureInfo.InvariantCulture), html["Version"]);
            Assert.Equal(records[i].Status.ToString(), html["Status"]);
            Assert.Equal(records[i].ApprovalDescription ?? "", html["ApprovalDescription"]);
            Assert.Equal(records[i].LastModifiedUtc!.Value.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture), html["LastModified"]);
            foreach (var column in headers) Assert.Equal(csv[i][column] ?? "", html[column]);
        }
        Assert.Equal("review | Gate: auc = 0.93 (>= 0.9)", rows[0].QuerySelectorAll("td")[headers.IndexOf("ApprovalDescription")].TextContent);

        var chart = Assert.Single(section.QuerySelectorAll("svg.chart"));
        Assert.Equal("auc", chart.GetAttribute("data-metric"));
        var points = chart.QuerySelectorAll("circle.point").ToList();
        Assert.Equal(new[] { "1", "2", "3" }, points.Select(p => p.GetAttribute("data-version")));
        Assert.Equal(new[] { "0.93", "0.71", "0.95" }, points.Select(p => p.GetAttribute("data-value")));
        Assert.Equal(new[] { "Approved", "Rejected", "Approved" }, points.Select(p => p.GetAttribute("data-status")));
        // Higher values sit higher on the chart; the threshold line is drawn.
        var y = points.Select(p => double.Parse(p.GetAttribute("cy")!, CultureInfo.InvariantCulture)).ToList();
        Assert.True(y[2] < y[0] && y[0] < y[1]);
        Assert.Equal("0.9", chart.QuerySelector("line.threshold")!.GetAttribute("data-threshold"));
        Assert.NotNull(document.QuerySelector("script"));
    }

    [Fact]
    public void Compare_shows_metrics_side_by_side_with_the_change_and_the_differences()
    {
        Arrange();
        var result = Run("Get-MRModelVersion rc-fraud-detection -Version 1, 2 | Compare-MRModelVersion");
        Assert.Empty(result.Errors);
        var rows = result.Objects<VersionDifference>().ToList();
        var auc = Assert.Single(rows, r => r.Kind == VersionDifferenceKind.Metric && r.Name == "auc");
        Assert.Equal(0.93, auc.Reference);
        Assert.Equal(0.71, auc.Difference);
        Assert.Equal(-0.22, auc.Change!.Value, 10);
        Assert.Equal("<>", auc.SideIndicator);
        var f1 = Assert.Single(rows, r => r.Name == "f1");
        Assert.Equal("==", f1.SideIndicator);
        Assert.Equal(0, f1.Change);
        Assert.Contains(rows, r => r.Kind == VersionDifferenceKind.Status && r.ReferenceValue == "Approved" && r.DifferenceValue == "Rejected");
        Assert.Contains(rows, r => r.Kind == VersionDifferenceKind.MetricsSource && r.Name == "ModelQualityStatistics");
        Assert.DoesNotContain(rows, r => r.Kind == VersionDifferenceKind.CustomerMetadata); // -Metric values and the client token are not metadata differences

        var one = Run("Get-MRModelVersion rc-fraud-detection -Version 1 | Compare-MRModelVersion");
        Assert.Contains("compares two versions", Assert.Single(one.Errors).Exception.Message);
    }

    [Fact]
    public void Export_refuses_an_unknown_format_before_reading_anything()
    {
        var result = Run("Connect-MRRegistry -Local -Path (Join-Path $root 'registry'); Export-MRApprovalAudit -Path (Join-Path $root 'audit.txt') -GroupName x");
        Assert.Contains(".csv, .html or .htm", Assert.Single(result.Errors).Exception.Message);
        Assert.False(File.Exists(Path.Combine(_root, "audit.txt")));
    }
}
