using System;
using System.Collections.Generic;
using System.Linq;
using System.Management.Automation;
using ModelRegistry.Engine.Bulk;
using ModelRegistry.Engine.Operations;
using ModelRegistry.Engine.Registry;
using ModelRegistry.Hosting;

namespace ModelRegistry.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Gets model groups: by name (wildcards), by team or project, or all.</para>
    /// <para type="description">Streams every page of the registry's group listing, so the first groups appear before the last page is read. A name without wildcards reads that group (with its tags) and is an error when it does not exist; a pattern that matches nothing is not an error. -Team and -Project match the {team}-{project} naming rule. -IncludeTags reads each listed group's tags as well; -IncludeVersionCount counts each group's versions per approval status (the Versions column).</para>
    /// <example>
    ///   <code>Get-MRModelGroup</code>
    ///   <para>Lists every model group.</para>
    /// </example>
    /// <example>
    ///   <code>Get-MRModelGroup rc-* -IncludeTags | Format-List Name, Tags</code>
    ///   <para>Lists the risk-control team's groups with their tags.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "MRModelGroup")]
    [OutputType(typeof(ModelGroup))]
    public sealed class GetModelGroupCommand : BulkCmdlet
    {
        /// <summary>Group names, wildcard patterns or group ARNs. Binds strings piped by value ('rc-fraud-detection' | Get-MRModelGroup), and by property name.</summary>
        [Parameter(Position = 0, ValueFromPipeline = true, ValueFromPipelineByPropertyName = true)]
        [Alias("GroupName", "ModelPackageGroupName")]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(GroupNameCompleter))]
        public string[]? Name { get; set; }

        /// <summary>Only groups of these teams (names starting with {team}-).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(TeamNameCompleter))]
        public string[]? Team { get; set; }

        /// <summary>Only groups of these projects (names ending with -{project}).</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [SupportsWildcards]
        [ArgumentCompleter(typeof(ProjectNameCompleter))]
        public string[]? Project { get; set; }

        /// <summary>Also read each group's tags (one more call per group).</summary>
        [Parameter]
        public SwitchParameter IncludeTags { get; set; }

        /// <summary>Also count each group's versions per approval status (a listing per group), shown in the Versions column.</summary>
        [Parameter]
        public SwitchParameter IncludeVersionCount { get; set; }

        /// <summary>The AWS account the configuration expects. Not checked by this read command: it marks what it writes, and the mutating cmdlets fed from that refuse in another account. Binds by property name from a TeamProject's AccountId and the ExpectedAccountId of objects reached from one.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true)]
        [Alias("AccountId")]
        public string? ExpectedAccountId { get; set; }

        /// <summary>The region of the .env.shared a piped object was reached from: used when nothing more explicit names one.</summary>
        [Parameter(ValueFromPipelineByPropertyName = true, DontShow = true)]
        public string? ConfiguredRegion { get; set; }

        protected override void ProcessRecord()
        {
            // A group ARN reads as its name, in its region; any other ARN is an error of its own.
            var names = new List<string>();
            string? arnRegion = null;
            foreach (var name in Name ?? Array.Empty<string>())
            {
                if (!Engine.Config.Arns.LooksLikeArn(name)) { names.Add(name); continue; }
                try
                {
                    var arn = Engine.Config.Arns.Require(name, "-Name", null, Engine.Config.ArnKind.Group);
                    names.Add(arn.Name);
                    arnRegion ??= arn.Region;
                }
                catch (RegistryException ex)
                {
                    WriteFailure(ex, name);
                }
            }
            if (Name != null && names.Count == 0) return;
            // A project's (or a reached group's) region and account travel on to the groups written.
            var registry = OpenRegistry(ResolveConnection(ConfiguredRegion ?? arnRegion, ExpectedAccountId));
            try
            {
                // Exact names are read directly: cheaper than a listing, and they come with tags.
                if (names.Count > 0 && Team is null && Project is null && !names.Any(WildcardPattern.ContainsWildcardCharacters))
                {
                    foreach (var name in names)
                    {
                        // One name's failure (missing, damaged, invalid) is its own error; the other names still come out.
                        try
                        {
                            var group = registry.GetGroupAsync(name, Cancellation).GetAwaiter().GetResult();
                            if (group is null)
                                WriteFailure(new RegistryException(RegistryErrorKind.NotFound,
                                    $"Model group '{name}' does not exist in {registry.Location}.", name), name);
                            else WriteObject(Stamp(IncludeVersionCount
                                ? group.WithVersions(new ModelGroupOperations(registry).CountVersionsAsync(group.Name, Cancellation).GetAwaiter().GetResult())
                                : group));
                        }
                        catch (Exception ex) when (ex is not PipelineStoppedException && ex is not OperationCanceledException)
                        {
                            WriteFailure(ex, ex is RegistryException { Kind: RegistryErrorKind.Damaged } damaged ? damaged.Target : name);
                        }
                    }
                    return;
                }

                // A group is listed when it fits -Name (if given) and the {team}-{project} patterns (if given).
                var byName = Matchers(names);
                var byTeamProject = Team is null && Project is null
                    ? new List<WildcardPattern>()
                    : Matchers(from t in Team ?? new[] { "*" } from p in Project ?? new[] { "*" } select $"{t}-{p}");
                // No server-side NameContains: its case rules are not documented, and wildcards here ignore case.
                // A damaged record is one error (naming its file) and the listing goes on.
                var listed = registry.EnumerateGroups(null, Cancellation, damaged: e => WriteFailure(e, e.Target))
                    .Where(g => (byName.Count == 0 || byName.Any(m => m.IsMatch(g.Name)))
                                && (byTeamProject.Count == 0 || byTeamProject.Any(m => m.IsMatch(g.Name))));
                if (!IncludeTags && !IncludeVersionCount)
                {
                    foreach (var group in listed) WriteObject(Stamp(group));
                    return;
                }
                var groups = listed.ToList();
                var operations = new ModelGroupOperations(registry);
                Drain(BulkRunner.Run(groups, async (g, ct) =>
                {
                    if (IncludeTags && g.Tags is null) g = g.WithTags(await registry.GetTagsAsync(g.Arn, ct).ConfigureAwait(false));
                    if (IncludeVersionCount) g = g.WithVersions(await operations.CountVersionsAsync(g.Name, ct).ConfigureAwait(false));
                    return g;
                }, Bulk(ThrottleLimit), Cancellation), groups.Count, "Reading model groups", outcome =>
                {
                    if (outcome.Error != null) WriteFailure(outcome.Error, outcome.Input.Name);
                    else if (IncludeVersionCount) WriteObject(Counted(Stamp(outcome.Result!)));
                    else WriteObject(Stamp(outcome.Result!));
                });
            }
            catch (Exception ex) when (ex is not PipelineStoppedException)
            {
                WriteFailure(ex, registry.Location);
            }
        }

        /// <summary>A group with its versions counted, named so that its table has a Versions column
        /// (a plain listing has none, rather than a column of nothing).</summary>
        private static PSObject Counted(ModelGroup group)
        {
            var o = new PSObject(group);
            o.TypeNames.Insert(0, CountedTypeName);
            return o;
        }

        internal const string CountedTypeName = "ModelRegistry.ModelGroup#VersionCount";

        /// <summary>The group, carrying the account and region of the project (or object) it was reached from.</summary>
        private ModelGroup Stamp(ModelGroup group) =>
            ExpectedAccountId is null && ConfiguredRegion is null ? group : group.WithExpectedAccount(ExpectedAccountId, ConfiguredRegion);

        private static List<WildcardPattern> Matchers(IEnumerable<string> patterns) =>
            patterns.Select(p => new WildcardPattern(p, WildcardOptions.IgnoreCase)).ToList();
    }
}
