using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Management.Automation;
using ModelRegistry.Engine.Bulk;
using ModelRegistry.Engine.Metrics;
using ModelRegistry.Engine.Operations;
using ModelRegistry.Engine.Registry;
using ModelRegistry.Hosting;

namespace ModelRegistry.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Writes an approval audit report (CSV or one self-contained HTML page) for model versions: status, reason, who and when, stage, and the gate rules that held.</para>
    /// <para type="description">One row per version, read as it is now: group, version, approval status, approval description, who created it and who last changed it (CreatedBy / LastModifiedBy — the IAM identity or Studio user profile where SageMaker returns them; the OS user on the Local registry), creation and last-change times (UTC, ISO 8601), lifecycle stage when set, the gate rules that held when it was approved with -Require (read back from its approval description), and its values of the metrics its group was gated on.</para>
    /// <para type="description">-Path ending in .csv writes RFC 4180 CSV with a header row (Import-Csv reads it back). -Path ending in .html or .htm writes one page with no external assets: per group a table sortable by clicking its headings (a few lines of inline JavaScript) and, for each gated metric, an inline SVG chart of its value across versions with approved, rejected and pending versions marked and the gate threshold drawn. The file is replaced atomically. Versions come piped (Get-MRModelVersion) or as groups (Get-MRModelGroup, Get-MRProject, -GroupName: all their versions). A version or metrics file that cannot be read is one non-terminating error; the report is written with the rest.</para>
    /// <example>
    ///   <code>Get-MRModelGroup rc-* | Export-MRApprovalAudit -Path ./audit.html</code>
    ///   <para>A page for reviewers: every risk-control group's versions and the metrics they were approved on.</para>
    /// </example>
    /// <example>
    ///   <code>Get-MRModelVersion rc-fraud-detection -CreatedAfter (Get-Date).AddDays(-30) | Export-MRApprovalAudit -Path ./audit.csv -PassThru</code>
    ///   <para>The last month's versions of one group as CSV, and the rows on the pipeline.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsData.Export, "MRApprovalAudit", DefaultParameterSetName = ByVersion, SupportsShouldProcess = true, ConfirmImpact = ConfirmImpact.Low)]
    [OutputType(typeof(ApprovalAuditRecord))]
    public sealed class ExportApprovalAuditCommand : BulkCmdlet
    {
        private const string ByVersion = "Version";
        private const string ByGroup = "Group";
        private readonly List<ModelVersion> _versions = new List<ModelVersion>();
        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>The report file: .csv, or .html / .htm.</summary>
        [Parameter(Mandatory = true, Position = 0)]
        [ValidateNotNullOrEmpty]
        public string Path { get; set; } = "";

        /// <summary>Versions from Get-MRModelVersion.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByVersion)]
        public ModelVersion[]? InputObject { get; set; }

        /// <summary>Groups (exact names or group ARNs) whose versions to report; binds strings piped by value, and ModelGroup and TeamProject objects by property name.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByGroup)]
        [Alias("ModelPackageGroupName")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(GroupNameCompleter))]
        public string[]? GroupName { get; set; }

        /// <summary>Emit the report's rows (ApprovalAuditRecord) as well.</summary>
        [Parameter]
        public SwitchParameter PassThru { get; set; }


        private string _full = "";
        private bool _html;

        protected override void BeginProcessing()
        {
            _full = SessionState.Path.GetUnresolvedProviderPathFromPSPath(Path);
            var ext = System.IO.Path.GetExtension(_full).ToLowerInvariant();
            if (ext == ".html" || ext == ".htm") _html = true;
            else if (ext != ".csv")
                ThrowTerminatingError(ErrorRecords.Invalid($"-Path '{Path}' must end in .csv, .html or .htm: the extension chooses the format.", Path));
        }

        protected override void ProcessRecord()
        {
            if (ParameterSetName == ByVersion)
            {
                foreach (var v in InputObject ?? Array.Empty<ModelVersion>())
                    if (v != null && _seen.Add(v.Arn)) _versions.Add(v);
                return;
            }
            var operations = new ModelVersionOperations(OpenRegistry(ResolveConnection()));
            foreach (var group in GroupName ?? Array.Empty<string>())
            {
                try
                {
                    foreach (var v in operations.List(Engine.Config.Arns.GroupName(group, "-GroupName"), null, null, null, false, null, null, Cancellation))
                        if (_seen.Add(v.Arn)) _versions.Add(v);
                }
                catch (Exception ex) when (!(ex is PipelineStoppedException))
                {
                    WriteFailure(ex, group);
                }
            }
        }

        protected override void EndProcessing()
        {
            var connection = ResolveConnection(ConfiguredRegionOf(_versions));
            var registry = OpenRegistry(connection);
            var reader = MetricsReader.For(connection);
            // Every version as it is now, in full.
            var current = new List<ModelVersion>();
            Drain(BulkRunner.Run(_versions, (v, token) => registry.GetVersionAsync(v.Arn, token), Bulk(ThrottleLimit), Cancellation), _versions.Count,
                "Reading versions for the audit", o =>
                {
                    if (o.Error != null) WriteFailure(o.Error, o.Input);
                    else if (o.Result is null) WriteFailure(new RegistryException(RegistryErrorKind.NotFound, $"Model version '{o.Input.Arn}' does not exist in {registry.Location}.", o.Input.Arn), o.Input);
                    else current.Add(o.Result);
                });
            if (Cancellation.IsCancellationRequested) return;
            // The metrics a group was gated on, for each of its versions (read only where some version was gated).
            var gated = current.GroupBy(v => v.GroupName, StringComparer.Ordinal).ToDictionary(g => g.Key, g => ApprovalAudit.GatedNames(g), StringComparer.Ordinal);
            var needMetrics = current.Where(v => gated[v.GroupName].Count > 0).ToList();
            var metrics = new Dictionary<string, IReadOnlyList<ModelMetric>>(StringComparer.Ordinal);
            Drain(BulkRunner.Run(needMetrics, (v, token) => reader.ReadAsync(v, token), Bulk(ThrottleLimit), Cancellation), needMetrics.Count,
                "Reading gated metrics", o =>
                {
                    if (o.Error != null) { WriteFailure(o.Error, o.Input); return; }
                    metrics[o.Input.Arn] = o.Result!.Metrics;
                    foreach (var failure in o.Result.Failures) WriteFailure(failure, o.Input);
                });
            if (Cancellation.IsCancellationRequested) return;

            var records = current.OrderBy(v => v.GroupName, StringComparer.Ordinal).ThenBy(v => v.Version)
                .Select(v => ApprovalAudit.Record(v, metrics.TryGetValue(v.Arn, out var m) ? m : Array.Empty<ModelMetric>(), gated[v.GroupName]))
                .ToList();
            if (!ShouldProcess(_full, $"Write the approval audit of {records.Count} version(s) as {(_html ? "HTML" : "CSV")}")) return;
            var text = _html ? ApprovalAudit.ToHtml(records, DateTime.UtcNow) : ApprovalAudit.ToCsv(records);
            try
            {
                ApprovalAudit.Write(_full, text);
            }
            catch (Exception ex) when (ex is IOException || ex is UnauthorizedAccessException)
            {
                ThrowFailure(ex, _full);
            }
            WriteVerbose($"Wrote {records.Count} version(s) to {_full}.");
            if (PassThru) foreach (var r in records) WriteObject(r);
        }
    }
}
