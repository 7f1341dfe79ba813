using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ModelRegistry.Engine.Bulk;
using ModelRegistry.Engine.Deployment;
using ModelRegistry.Hosting;

namespace ModelRegistry.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Shows which model version serves which endpoint.</para>
    /// <para type="description">Reads every endpoint (every page), then each one's config and model: the model's container names the model version (ModelPackageName) it serves, so endpoints deployed by other tools are shown too when their model references a model version. Filter by endpoint name (wildcards), by group, or by version; groups and versions can come from the pipeline (Get-MRModelGroup, Get-MRModelVersion, Get-MRProject). Each Deployment has the status, instance type and count, the config and model names, and whether this module created it. An endpoint with several production variants (an A/B test set up by other tools) is one Deployment: its GroupName, Version and instances are the primary variant's (the largest weight), Variants lists each variant with its version, and ModelVersionArns every version it serves; a group or version filter matches any of them. On the Local registry deployments are records (IsRecord): nothing is served.</para>
    /// <example>
    ///   <code>Get-MRDeployment</code>
    ///   <para>What runs where: every endpoint with the group and version it serves.</para>
    /// </example>
    /// <example>
    ///   <code>Get-MRProject | Get-MRDeployment</code>
    ///   <para>The endpoints serving any version of the configured projects' groups.</para>
    /// </example>
    /// <example>
    ///   <code>Get-MRDeployment fraud-*</code>
    ///   <para>The endpoints whose names start with fraud-.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "MRDeployment")]
    [OutputType(typeof(ModelRegistry.Deployment))]
    public sealed class GetDeploymentCommand : BulkCmdlet
    {
        private readonly List<string> _endpointPatterns = new List<string>();
        private readonly HashSet<string> _groups = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        private readonly HashSet<string> _versions = new HashSet<string>(StringComparer.Ordinal);
        // The account and region each filter was reached with (a project, group or version from one), so the deployments
        // written carry them on; _anyOrigin is -ExpectedAccountId given for the whole command.
        private readonly Dictionary<string, (string? Account, string? Region)> _groupOrigin = new Dictionary<string, (string?, string?)>(StringComparer.OrdinalIgnoreCase);
        private readonly Dictionary<string, (string? Account, string? Region)> _versionOrigin = new Dictionary<string, (string?, string?)>(StringComparer.Ordinal);
        private (string? Account, string? Region) _anyOrigin;

        /// <summary>Endpoint names or wildcard patterns.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(EndpointNameCompleter))]
        public string[]? EndpointName { get; set; }

        /// <summary>Only endpoints serving a version of these groups. Binds by property name (ModelGroup, TeamProject, ModelVersion).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("ModelPackageGroupName")]
        public string[]? GroupName { get; set; }

        /// <summary>Only endpoints serving these versions (ARNs). Binds from a ModelVersion's Arn; a group's ARN given here is ignored (its GroupName filters).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("Arn", "ModelPackageArn")]
        public string[]? ModelVersionArn { get; set; }

        /// <summary>The AWS account the configuration expects. Not checked by this read command: it marks what it writes, and the mutating cmdlets fed from that refuse in another account. Binds by property name from a TeamProject's AccountId and the ExpectedAccountId of objects reached from one.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("AccountId")]
        public string? ExpectedAccountId { get; set; }

        /// <summary>The region of the .env.shared a piped object was reached from: used when nothing more explicit names one.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        public string? ConfiguredRegion { get; set; }

        protected override void ProcessRecord()
        {
            if (EndpointName != null) _endpointPatterns.AddRange(EndpointName);
            var versions = (ModelVersionArn ?? Array.Empty<string>()).Where(a => a.Contains(":model-package/")).ToList();
            // A piped ModelVersion brings both its Arn and GroupName: the version is the narrower filter.
            var origin = (ExpectedAccountId, ConfiguredRegion);
            if (versions.Count > 0) foreach (var v in versions) { _versions.Add(v); _versionOrigin[v] = origin; }
            else if (GroupName != null) foreach (var g in GroupName) { _groups.Add(g); _groupOrigin[g] = origin; }
            else if (origin.ExpectedAccountId != null || origin.ConfiguredRegion != null) _anyOrigin = origin;
        }

        protected override void EndProcessing()
        {
            var region = _versionOrigin.Values.Concat(_groupOrigin.Values).Append(_anyOrigin).Select(o => o.Region).FirstOrDefault(r => r != null);
            var registry = OpenRegistry(ResolveConnection(region));
            var operations = new DeploymentOperations(registry);
            var matchers = _endpointPatterns.Select(p => new WildcardPattern(p, WildcardOptions.IgnoreCase)).ToList();
            List<string> names;
            try
            {
                // A damaged record is one error naming its file; the other endpoints are still read.
                names = operations.EnumerateEndpoints(Cancellation, damaged: e => WriteFailure(e, e.Target))
                    .Select(e => e.Name)
                    .Where(n => matchers.Count == 0 || matchers.Any(m => m.IsMatch(n)))
                    .ToList();
            }
            catch (Exception ex) when (ex is not PipelineStoppedException)
            {
                WriteFailure(ex, registry.Location);
                return;
            }
            foreach (var exact in _endpointPatterns.Where(p => !WildcardPattern.ContainsWildcardCharacters(p)))
                if (!names.Contains(exact, StringComparer.OrdinalIgnoreCase))
                    WriteFailure(new RegistryException(RegistryErrorKind.NotFound, $"Endpoint '{exact}' does not exist in {registry.Location}.", exact), exact);

            var found = new List<ModelRegistry.Deployment>();
            Drain(operations.DescribeMany(names, Bulk(ThrottleLimit), Cancellation), names.Count, "Reading deployments", outcome =>
            {
                if (outcome.Error != null) WriteFailure(outcome.Error, outcome.Input);
                else if (outcome.Result != null) found.Add(outcome.Result); // null: deleted since listed
            });
            foreach (var d in found.Where(Wanted))
            {
                var (account, configuredRegion) = Origin(d);
                WriteObject(account is null && configuredRegion is null ? d : d.WithExpectedAccount(account, configuredRegion));
            }
        }

        /// <summary>The account and region of the filter that let this deployment through: a version's, else a group's.</summary>
        private (string? Account, string? Region) Origin(ModelRegistry.Deployment d)
        {
            foreach (var arn in d.ModelVersionArns.Prepend(d.ModelVersionArn))
                if (arn != null && _versionOrigin.TryGetValue(arn, out var byVersion)) return byVersion;
            foreach (var group in d.Variants.Select(v => v.GroupName).Prepend(d.GroupName))
                if (group != null && _groupOrigin.TryGetValue(group, out var byGroup)) return byGroup;
            return _anyOrigin;
        }

        private bool Wanted(ModelRegistry.Deployment d)
        {
            if (_groups.Count == 0 && _versions.Count == 0) return true;
            return DeploymentOperations.Serves(d, _groups, _versions);
        }
    }
}
