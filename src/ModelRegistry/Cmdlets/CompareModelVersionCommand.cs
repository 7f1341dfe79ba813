using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ModelRegistry.Engine.Metrics;
using ModelRegistry.Hosting;

namespace ModelRegistry.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Compares two model versions: their metrics side by side with the change, and the image, model data, metrics files, metadata, description and status that differ.</para>
    /// <para type="description">Reads both versions as they are now and their metrics (Get-MRModelMetric), and emits one VersionDifference per metric either version measures — Reference, Difference and Change (Difference − Reference) — then one per property that differs: Status, ImageUri, ModelDataUrl, Description, each metrics file (MetricsSource) and each customer metadata entry (the -Metric values are compared as metrics; the module's client token is left out). SideIndicator says it as Compare-Object does: == equal, &lt;&gt; both differ, &lt;= only the reference has it, =&gt; only the difference has it. The versions come from -ReferenceVersion and -DifferenceVersion, or as exactly two piped versions (the first is the reference). A metrics file that cannot be read is one non-terminating error; the comparison still comes out without its metrics.</para>
    /// <example>
    ///   <code>Compare-MRModelVersion -ReferenceVersion (Get-MRModelVersion rc-fraud-detection -Version 1) -DifferenceVersion (Get-MRModelVersion rc-fraud-detection -Version 2)</code>
    ///   <para>What changed from version 1 to version 2.</para>
    /// </example>
    /// <example>
    ///   <code>Get-MRModelVersion rc-fraud-detection -Latest 2 -Ascending | Compare-MRModelVersion | Where-Object Kind -eq Metric</code>
    ///   <para>The newest version's metrics against the one before.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsData.Compare, "MRModelVersion", DefaultParameterSetName = ByParameters)]
    [OutputType(typeof(VersionDifference))]
    public sealed class CompareModelVersionCommand : RegistryCmdlet
    {
        private const string ByParameters = "Parameters";
        private const string ByPipeline = "Pipeline";
        private readonly List<ModelVersion> _piped = new List<ModelVersion>();

        /// <summary>The version compared against (the "before").</summary>
        [Parameter(Mandatory = true, Position = 0, ParameterSetName = ByParameters)]
        [ValidateNotNull]
        public ModelVersion? ReferenceVersion { get; set; }

        /// <summary>The version compared with the reference (the "after").</summary>
        [Parameter(Mandatory = true, Position = 1, ParameterSetName = ByParameters)]
        [ValidateNotNull]
        public ModelVersion? DifferenceVersion { get; set; }

        /// <summary>Exactly two versions from the pipeline: the first is the reference.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByPipeline)]
        public ModelVersion[]? InputObject { get; set; }

        protected override void ProcessRecord()
        {
            if (InputObject != null) _piped.AddRange(InputObject.Where(v => v != null));
        }

        protected override void EndProcessing()
        {
            ModelVersion reference, difference;
            if (ParameterSetName == ByPipeline)
            {
                if (_piped.Count != 2)
                    ThrowTerminatingError(ErrorRecords.Invalid($"Compare-MRModelVersion compares two versions; {_piped.Count} came from the pipeline. Pipe exactly two, or use -ReferenceVersion and -DifferenceVersion.", null));
                reference = _piped[0];
                difference = _piped[1];
            }
            else
            {
                reference = ReferenceVersion!;
                difference = DifferenceVersion!;
            }
            var connection = ResolveConnection(ConfiguredRegionOf(new[] { reference, difference }));
            var registry = OpenRegistry(connection);
            var reader = MetricsReader.For(connection);
            MetricsReadout a, b;
            try
            {
                a = reader.ReadAsync(registry, reference, true, Cancellation).GetAwaiter().GetResult();
                b = reader.ReadAsync(registry, difference, true, Cancellation).GetAwaiter().GetResult();
            }
            catch (Exception ex) when (!(ex is PipelineStoppedException))
            {
                ThrowFailure(ex, ex is RegistryException r ? r.Target : null);
                return;
            }
            foreach (var failure in a.Failures.Concat(b.Failures)) WriteFailure(failure, failure.Target);
            foreach (var row in VersionComparer.Compare(a.Version, a.Metrics, b.Version, b.Metrics)) WriteObject(row);
        }
    }
}
