using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ModelRegistry.Engine.Bulk;
using ModelRegistry.Engine.Metrics;
using ModelRegistry.Engine.Operations;
using ModelRegistry.Engine.Registry;

namespace ModelRegistry.Cmdlets
{
    /// <summary>
    /// Base of the cmdlets that read versions' metrics (Get-MRModelMetric, Test-MRModelVersion): versions come piped
    /// (Get-MRModelVersion, Register-MRModelVersion) or by -GroupName [-Version]; EndProcessing reads them through the
    /// bulk path, in input order, one error per version or metrics file that cannot be read.
    /// </summary>
    public abstract class MetricsCmdlet : BulkCmdlet
    {
        protected const string ByVersion = "Version";
        protected const string ByGroup = "Group";

        private readonly List<ModelVersion> _versions = new List<ModelVersion>();
        private readonly HashSet<string> _seen = new HashSet<string>(StringComparer.Ordinal);

        /// <summary>Versions from Get-MRModelVersion or Register-MRModelVersion.</summary>
        // Not Mandatory: a bare call must fail with NoInput, never prompt (a job's open stdin would hang).
        [Parameter(ValueFromPipeline = true, ParameterSetName = ByVersion)]
        public ModelVersion[]? InputObject { get; set; }

        /// <summary>A model group (exact name): all its versions, or those named by -Version; or a version ARN. Binds a string piped by value, and by property name.</summary>
        [Parameter(Mandatory = true, Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true, ParameterSetName = ByGroup)]
        [Alias("ModelPackageGroupName")]
        [ValidateNotNullOrEmpty]
        [ArgumentCompleter(typeof(Hosting.GroupNameCompleter))]
        public string? GroupName { get; set; }

        /// <summary>Only these version numbers of -GroupName.</summary>
        [Parameter(Position = 1, ParameterSetName = ByGroup)]
        [ValidateRange(1, int.MaxValue)]
        public int[]? Version { get; set; }


        protected override void ProcessRecord()
        {
            if (ParameterSetName == ByVersion)
            {
                foreach (var v in InputObject ?? Array.Empty<ModelVersion>())
                    if (v != null && _seen.Add(v.Arn)) _versions.Add(v);
                return;
            }
            var registry = OpenRegistry(ResolveConnection());
            var operations = new ModelVersionOperations(registry);
            try
            {
                if (Engine.Config.Arns.LooksLikeArn(GroupName))
                {
                    // A version ARN names one version; a group ARN names the group.
                    var arn = Engine.Config.Arns.Require(GroupName!, "-GroupName", null, Engine.Config.ArnKind.Version, Engine.Config.ArnKind.Group);
                    if (arn.Kind == Engine.Config.ArnKind.Version)
                    {
                        if (_seen.Add(arn.Text)) _versions.Add(new ModelVersion { GroupName = arn.Name, Version = arn.Version!.Value, Arn = arn.Text });
                        return;
                    }
                    GroupName = arn.Name;
                }
                // -Version names versions exactly: each is read (and reported missing) on its own.
                var versions = Version != null && Version.Length > 0
                    ? Version.Select(n => new ModelVersion { GroupName = GroupName!, Version = n, Arn = operations.VersionArn(GroupName!, n) })
                    : operations.List(GroupName!, null, null, null, false, null, null, Cancellation);
                foreach (var v in versions)
                    if (_seen.Add(v.Arn)) _versions.Add(v);
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                WriteFailure(ex, GroupName);
            }
        }

        protected override void EndProcessing()
        {
            if (ParameterSetName == ByVersion && !MyInvocation.ExpectingInput && !MyInvocation.BoundParameters.ContainsKey(nameof(InputObject)))
                ThrowTerminatingError(Hosting.ErrorRecords.NoInput(
                    $"{MyInvocation.MyCommand.Name} was given no versions. Pipe versions (Get-MRModelVersion), or name a group (-GroupName, with -Version for some of its versions)."));
            if (_versions.Count == 0) return;
            var connection = ResolveConnection(ConfiguredRegionOf(_versions));
            var registry = OpenRegistry(connection);
            var reader = MetricsReader.For(connection);
            var outcomes = BulkRunner.Run(_versions, (v, token) => reader.ReadAsync(registry, v, ReadFresh, token), Bulk(ThrottleLimit), Cancellation);
            var readouts = new List<(ModelVersion, IReadOnlyList<ModelMetric>)>();
            Drain(outcomes, _versions.Count, "Reading model metrics", o =>
            {
                if (o.Error != null)
                {
                    WriteFailure(o.Error, o.Input);
                    return;
                }
                var readout = o.Result!;
                readouts.Add((readout.Version, readout.Metrics));
                OnRead(readout.Version, readout.Metrics);
                foreach (var failure in readout.Failures) WriteFailure(failure, readout.Version);
            });
            OnAllRead(readouts);
        }

        /// <summary>Re-read each version even when it came piped in full (a decision judges the registry's current state).</summary>
        protected virtual bool ReadFresh => false;

        // Overridable members take domain and framework types only (see VersionInputCmdlet).
        /// <summary>One version (as read, in full) and its metrics, in input order.</summary>
        protected abstract void OnRead(ModelVersion version, IReadOnlyList<ModelMetric> metrics);

        /// <summary>After every version was read (for output that needs them all).</summary>
        protected virtual void OnAllRead(IReadOnlyList<(ModelVersion Version, IReadOnlyList<ModelMetric> Metrics)> readouts) { }
    }
}
