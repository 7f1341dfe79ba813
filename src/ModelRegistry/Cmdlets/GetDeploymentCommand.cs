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
    // Strings piped by value bind -InputText, a set of their own: an object that binds a filter by property name is
    // never turned into an endpoint name by its ToString() (a ModelGroup filters by its group, not as an endpoint).
    [Cmdlet(VerbsCommon.Get, "MRDeployment", DefaultParameterSetName = ByFilter)]
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
        private const string ByFilter = "Filter";
        private const string ByText = "Text";

        /// <summary>Endpoint names or wildcard patterns, or ARNs: an endpoint ARN reads as its name, a version ARN as -ModelVersionArn, a group ARN as -GroupName. Binds by property name; strings piped bind the same way.</summary>
        [Parameter(Position = 0, ValueFromPipelineByPropertyName = true, ParameterSetName = ByFilter)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(EndpointNameCompleter))]
        public string[]? EndpointName { get; set; }

        /// <summary>Names, endpoint ARNs, version ARNs or group ARNs piped as strings ('rc-fraud-detection-endpoint' | …): read as -EndpointName.</summary>
        [Parameter(Mandatory = true, ValueFromPipeline = true, ParameterSetName = ByText, DontShow = true)]
        [ValidateNotNullOrEmpty]
        public Hosting.PipedText[]? InputText { get; set; }

        /// <summary>Only endpoints serving a version of these groups. Binds by property name (ModelGroup, TeamProject, ModelVersion).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByFilter)]
        [Parameter(ParameterSetName = ByText)]
        [Alias("ModelPackageGroupName")]
        public string[]? GroupName { get; set; }

        /// <summary>Only endpoints serving these versions (ARNs). Binds from a ModelVersion's Arn; a group's ARN given here is ignored (its GroupName filters).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByFilter)]
        [Parameter(ParameterSetName = ByText)]
        [Alias("Arn", "ModelPackageArn")]
        public string[]? ModelVersionArn { get; set; }

        /// <summary>The AWS account the configuration expects. Not checked by this read command: it marks what it writes, and the mutating cmdlets fed from that refuse in another account. Binds by property name from a TeamProject's AccountId and the ExpectedAccountId of objects reached from one.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByFilter)]
        [Parameter(ParameterSetName = ByText)]
        [Alias("AccountId")]
        public string? ExpectedAccountId { get; set; }

        /// <summary>The region of the .env.shared a piped object was reached from: used when nothing more explicit names one.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, ParameterSetName = ByFilter, DontShow = true)]
        public string? ConfiguredRegion { get; set; }

        protected override void ProcessRecord()
        {
            var origin = (ExpectedAccountId, ConfiguredRegion);
            foreach (var name in (ParameterSetName == ByText ? InputText?.Select(t => t.Text).ToArray() : EndpointName) ?? Array.Empty<string>())
            {
                if (!Engine.Config.Arns.LooksLikeArn(name))
                {
                    _endpointPatterns.Add(name);
                    continue;
                }
                // An ARN says what it names: the endpoint, or the version or group whose endpoints are wanted.
                Engine.Config.SageMakerArn arn;
                try
                {
                    arn = Engine.Config.Arns.Require(name, "-EndpointName", null, Engine.Config.ArnKind.Endpoint, Engine.Config.ArnKind.Version, Engine.Config.ArnKind.Group);
                }
                catch (RegistryException ex)
                {
                    WriteFailure(ex, name);
                    continue;
                }
                var fromArn = (ExpectedAccountId, ConfiguredRegion ?? arn.Region);
                if (arn.Kind == Engine.Config.ArnKind.Endpoint) { _endpointPatterns.Add(arn.Name); _anyOrigin = fromArn; }
                else if (arn.Kind == Engine.Config.ArnKind.Version) { _versions.Add(arn.Text); _versionOrigin[arn.Text] = fromArn; }
                else { _groups.Add(arn.Name); _groupOrigin[arn.Name] = fromArn; }
            }
            var versions = (ModelVersionArn ?? Array.Empty<string>()).Where(a => a.Contains(":model-package/")).ToList();
            // A piped ModelVersion brings both its Arn and GroupName: the version is the narrower filter.
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
