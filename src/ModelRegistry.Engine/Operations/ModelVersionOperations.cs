using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ModelRegistry.Engine.Bulk;
using ModelRegistry.Engine.Deployment;
using ModelRegistry.Engine.Registry;

namespace ModelRegistry.Engine.Operations
{
    /// <summary>A version to change, and what is known of it (a listed version carries its status; an ARN does not).</summary>
    public sealed class VersionTarget
    {
        public VersionTarget(string arn, ModelVersion? known = null)
        {
            Arn = arn;
            Known = known;
        }

        public string Arn { get; }
        public ModelVersion? Known { get; }
        public override string ToString() => Arn;
    }

    /// <summary>Registering, listing, approving and removing model versions.</summary>
    public sealed class ModelVersionOperations
    {
        private readonly IModelRegistry _registry;

        /// <param name="registry">Where the versions live.</param>
        /// <param name="stages">The lifecycle stages (MODEL_LIFECYCLE_STAGES) stage changes are judged by; the default stages when null.</param>
        public ModelVersionOperations(IModelRegistry registry, Config.LifecycleStages? stages = null)
        {
            _registry = registry;
            Deployed = new DeployedVersions(registry);
            Guards = new VersionGuards(stages);
        }

        /// <summary>What is deployed, read once for all the checks of this command.</summary>
        public DeployedVersions Deployed { get; }

        /// <summary>
        /// Registers a version exactly once. The client token goes to SageMaker (which de-duplicates on it) and
        /// into the version's customer metadata, so after an ambiguous failure (the request may have landed)
        /// the backend finds its own earlier attempt before sending again (its retry policy does this) —
        /// emulators and the Local registry need that, and it costs nothing when the first call succeeds.
        /// </summary>
        public async Task<ModelVersion> RegisterAsync(VersionSpec spec, CancellationToken ct)
        {
            VersionSpecValidator.Validate(spec);
            await JudgeRegistrationAsync(spec, ct).ConfigureAwait(false);
            var token = spec.ClientToken ?? Guid.NewGuid().ToString("D");
            var metadata = new Dictionary<string, string>(spec.CustomerMetadata.Count + 1);
            foreach (var kv in spec.CustomerMetadata) metadata[kv.Key] = kv.Value;
            // -Metric values travel as customer metadata ("metric:auc"), so every backend keeps and returns them.
            foreach (var kv in Metrics.MetricsSources.ToMetadata(spec.Metrics)) metadata[kv.Key] = kv.Value;
            metadata[VersionSpecValidator.ClientTokenKey] = token;
            var copy = Copy(spec, token, metadata);
            if (copy.Stage != null)
            {
                copy.Stage = Guards.Stages.Resolve(copy.Stage); // the configured spelling
                copy.StageStatus ??= VersionLifecycle.DefaultStageStatus;
            }
            return await _registry.RegisterVersionAsync(copy, ct).ConfigureAwait(false);
        }

        /// <summary>
        /// Judges a registration that names a stage by <see cref="Guards"/> (no call is made): the stage must be one
        /// of <see cref="VersionGuards.Stages"/> (Invalid, reason UnknownStage), and the last one takes only a version
        /// registered Approved (Conflict, NotApprovedForStage). Returns when it may go ahead; -WhatIf asks this too.
        /// </summary>
        public Task JudgeRegistrationAsync(VersionSpec spec, CancellationToken ct)
        {
            if (spec is null) throw new ArgumentNullException(nameof(spec));
            if (spec.Stage is null) return Task.CompletedTask;
            var lifecycle = new VersionLifecycle(Guards.Stages.Resolve(spec.Stage), spec.StageStatus ?? VersionLifecycle.DefaultStageStatus, spec.StageDescription);
            var incoming = new ModelVersion { GroupName = spec.GroupName, Status = spec.ApprovalStatus };
            return Guards.CheckAsync(new VersionGuardContext(VersionChange.Register, incoming, new VersionUpdate { Lifecycle = lifecycle }, Deployed), force: false, ct);
        }

        /// <summary>The version registered with this client token, if any (newest first, bounded).</summary>
        public Task<ModelVersion?> FindByTokenAsync(string group, string token, DateTime since, CancellationToken ct) =>
            VersionLookup.FindByTokenAsync(_registry, group, token, since, ct);

        private static VersionSpec Copy(VersionSpec s, string token, IReadOnlyDictionary<string, string> metadata) => new VersionSpec
        {
            GroupName = s.GroupName,
            ImageUri = s.ImageUri,
            ModelDataUrl = s.ModelDataUrl,
            ContentTypes = s.ContentTypes,
            ResponseTypes = s.ResponseTypes,
            InferenceInstanceTypes = s.InferenceInstanceTypes,
            TransformInstanceTypes = s.TransformInstanceTypes,
            ModelStatisticsUri = s.ModelStatisticsUri,
            ModelStatisticsContentType = s.ModelStatisticsContentType,
            MetricsSources = s.MetricsSources,
            ApprovalStatus = s.ApprovalStatus,
            Description = s.Description,
            CustomerMetadata = metadata,
            Tags = s.Tags,
            ClientToken = token,
            Stage = s.Stage,
            StageStatus = s.StageStatus,
            StageDescription = s.StageDescription,
        };

        /// <summary>Registers many specs with bounded concurrency; outcomes in completion order.</summary>
        public IEnumerable<BulkOutcome<VersionSpec, ModelVersion>> RegisterMany(IReadOnlyList<VersionSpec> specs, BulkOptions bulk, CancellationToken ct) =>
            BulkRunner.Run(specs, RegisterAsync, bulk, ct);

        /// <summary>The ARN of version <paramref name="version"/> of a group, in this registry's region and account.</summary>
        public string VersionArn(string group, int version)
        {
            var groupArn = _registry.GroupArn(group);
            return groupArn.Replace(":model-package-group/", ":model-package/") + "/" + version;
        }

        /// <summary>
        /// A group's versions as pages arrive: filtered by status and creation time on the service, by version
        /// number and lifecycle <paramref name="stage"/> here (ListModelPackages filters on neither, but its summaries
        /// carry ModelLifeCycle, so no describe is needed); <paramref name="latest"/> keeps only the newest N after
        /// the filters. A record that cannot be read goes to <paramref name="damaged"/> and the listing goes on (see
        /// <see cref="RegistryExtensions.EnumeratePages{T}"/>).
        /// </summary>
        public IEnumerable<ModelVersion> List(string group, ApprovalStatus? status, DateTime? createdAfter, DateTime? createdBefore,
            bool descending, int? latest, ICollection<int>? versions, CancellationToken ct, Action<RegistryException>? damaged = null,
            string? stage = null)
        {
            var query = new VersionQuery(group)
            {
                Status = status,
                CreatedAfter = createdAfter,
                CreatedBefore = createdBefore,
                Descending = descending || latest.HasValue,
                // Filtered here, the newest N may be far down: small pages would cost a call per version.
                PageSize = latest.HasValue && latest.Value < RegistryExtensions.MaxPageSize && stage is null
                    ? Math.Max(1, latest.Value) : RegistryExtensions.MaxPageSize,
            };
            // Each page is handed to the change commands watching (VersionReads): Set-MRApproval downstream need not read it again.
            var listed = RegistryExtensions.EnumeratePages("ListModelPackages", token => VersionReads.ListAsync(_registry, query, token, ct), damaged);
            if (versions != null && versions.Count > 0) listed = listed.Where(v => versions.Contains(v.Version));
            if (stage != null) listed = listed.Where(v => string.Equals(v.Stage, stage, StringComparison.OrdinalIgnoreCase));
            if (!latest.HasValue) return listed;
            var newest = listed.Take(latest.Value);
            // -Latest picks the newest N; they come out in the order asked for (newest first unless ascending).
            return descending ? newest : newest.Reverse();
        }

        /// <summary>Reads versions in full (bounded concurrency), for -Detailed.</summary>
        public IEnumerable<BulkOutcome<ModelVersion, ModelVersion?>> Describe(IReadOnlyList<ModelVersion> versions, BulkOptions bulk, CancellationToken ct) =>
            BulkRunner.Run(versions, (v, token) => _registry.GetVersionAsync(v.Arn, token), bulk, ct);

        /// <summary>The safety rules every change, removal and deploy of this command is judged by; add rules here.</summary>
        public VersionGuards Guards { get; }

        /// <summary>The metric requirement on approvals (-Require, or the team's default rules); null for none.</summary>
        public Metrics.ApprovalGate? Gate { get; private set; }

        /// <summary>Gates approvals on metrics: the gate's check joins <see cref="Guards"/> (RequirementNotMet, judged last
        /// as it reads files), and an approval it let through records the rules and values that held in its description.</summary>
        public void UseGate(Metrics.ApprovalGate gate)
        {
            if (Gate != null) throw new InvalidOperationException("A gate is set already.");
            Gate = gate ?? throw new ArgumentNullException(nameof(gate));
            if (gate.HasRules) Guards.Add(gate.Guard(_registry));
        }

        /// <summary>Sets a version's approval status and reason, judged by <see cref="Guards"/> on the registry's
        /// current state. Returns the version as it now is.</summary>
        public Task<ModelVersion> SetApprovalAsync(VersionTarget target, ApprovalStatus status, string? reason, bool force, CancellationToken ct) =>
            UpdateAsync(target, VersionUpdate.Approval(status, reason), force, ct);

        /// <summary>Changes a version (one UpdateModelPackage), judged by <see cref="Guards"/> on its current state.</summary>
        public Task<ModelVersion> UpdateAsync(VersionTarget target, VersionUpdate update, bool force, CancellationToken ct) =>
            UpdateOneAsync(new CurrentVersions(_registry, new[] { target.Arn }, ct), target, update, force, planOnly: false, ct);

        /// <summary>
        /// Changes many versions with bounded concurrency: their current state is read in batches (one listing per
        /// group), each is judged by <see cref="Guards"/>, then updated. With <paramref name="planOnly"/> nothing is
        /// written: each outcome is the refusal the real run would meet, or the version as it is now (-WhatIf).
        /// </summary>
        public IEnumerable<BulkOutcome<VersionTarget, ModelVersion>> UpdateMany(IReadOnlyList<VersionTarget> targets, VersionUpdate update,
            bool force, BulkOptions bulk, CancellationToken ct, bool planOnly = false)
        {
            var current = new CurrentVersions(_registry, targets.Select(t => t.Arn), ct);
            PrefetchDeployed(VersionGuards.TakesApproval(update.Status), force, ct);
            return BulkRunner.Run(targets, (t, token) => UpdateOneAsync(current, t, update, force, planOnly, token), bulk, ct);
        }

        /// <summary>
        /// <see cref="UpdateMany"/> for targets that arrive while it runs (a pipeline): each added target starts as soon
        /// as a slot is free, judged on the state read for it (its group's listing goes on a page at a time as targets
        /// wait), so the first updates go out while later versions are still being listed upstream; a version listed
        /// upstream since the command began (<paramref name="reads"/>) is judged on that listing, not read again.
        /// </summary>
        public BulkRun<VersionTarget, ModelVersion> StartUpdates(VersionUpdate update, bool force, BulkOptions bulk, CancellationToken ct,
            bool planOnly = false, VersionReads? reads = null)
        {
            var current = new CurrentVersions(_registry, ct, reads);
            PrefetchDeployed(VersionGuards.TakesApproval(update.Status), force, ct);
            return BulkRunner.Start<VersionTarget, ModelVersion>((t, token) => UpdateOneAsync(current, t, update, force, planOnly, token), bulk, ct,
                t => current.Expect(t.Arn)); // in input order: the listing's direction and its page budget follow the input
        }

        /// <summary><see cref="RemoveMany"/> for targets that arrive while it runs (see <see cref="StartUpdates"/>).</summary>
        public BulkRun<VersionTarget, ModelVersion> StartRemovals(bool force, BulkOptions bulk, CancellationToken ct, bool planOnly = false,
            VersionReads? reads = null)
        {
            var current = new CurrentVersions(_registry, ct, reads);
            PrefetchDeployed(true, force, ct);
            return BulkRunner.Start<VersionTarget, ModelVersion>((t, token) => RemoveOneAsync(current, t, force, planOnly, token), bulk, ct,
                t => current.Expect(t.Arn));
        }

        /// <summary>The deployed-version guard reads every endpoint for removals and for status changes other than approving
        /// (unless forced): start that read with the run, beside the versions' own reads, instead of after the first of them.</summary>
        private void PrefetchDeployed(bool consulted, bool force, CancellationToken ct)
        {
            if (consulted && !force) Deployed.Prefetch(ct);
        }

        public IEnumerable<BulkOutcome<VersionTarget, ModelVersion>> SetApprovalMany(IReadOnlyList<VersionTarget> targets, ApprovalStatus status,
            string? reason, bool force, BulkOptions bulk, CancellationToken ct, bool planOnly = false) =>
            UpdateMany(targets, VersionUpdate.Approval(status, reason), force, bulk, ct, planOnly);

        private async Task<ModelVersion> UpdateOneAsync(CurrentVersions versions, VersionTarget target, VersionUpdate update, bool force,
            bool planOnly, CancellationToken ct)
        {
            update.Validate(target.Arn);
            // A stage not configured is Invalid (UnknownStage); a configured one is sent as configured.
            if (update.Lifecycle is VersionLifecycle life && Guards.Stages.Resolve(life.Stage) is var stage && stage != life.Stage)
                update = update.WithLifecycle(new VersionLifecycle(stage, life.StageStatus, life.StageDescription));
            var current = await CurrentAsync(versions, target, ct).ConfigureAwait(false);
            await Guards.CheckAsync(new VersionGuardContext(VersionChange.Update, current, update, Deployed), force, ct).ConfigureAwait(false);
            if (planOnly) return current;
            // This version's copy of the update: the reason, then the gate's rules and values that held.
            if (Gate != null) update = Gate.Recorded(current.Arn, update);
            VersionReads.Changed(_registry, target.Arn); // from now on no listing of it is handed on, even one racing the change
            var changed = await _registry.UpdateVersionAsync(target.Arn, update, ct).ConfigureAwait(false);
            // The version as it now is: what we read, with what we changed.
            return update.ApplyTo(current, changed.LastModifiedUtc);
        }

        /// <summary>Deletes a version, judged by <see cref="Guards"/> on its current state (an Approved or deployed
        /// one only with <paramref name="force"/>). Returns the version as it was.</summary>
        public Task<ModelVersion> RemoveAsync(VersionTarget target, bool force, CancellationToken ct) =>
            RemoveOneAsync(new CurrentVersions(_registry, new[] { target.Arn }, ct), target, force, planOnly: false, ct);

        /// <summary>Deletes many versions: current state read in batches, each judged, then deleted. With
        /// <paramref name="planOnly"/> nothing is deleted: each outcome is the refusal or the version that would go.</summary>
        public IEnumerable<BulkOutcome<VersionTarget, ModelVersion>> RemoveMany(IReadOnlyList<VersionTarget> targets, bool force, BulkOptions bulk,
            CancellationToken ct, bool planOnly = false)
        {
            var current = new CurrentVersions(_registry, targets.Select(t => t.Arn), ct);
            PrefetchDeployed(true, force, ct);
            return BulkRunner.Run(targets, (t, token) => RemoveOneAsync(current, t, force, planOnly, token), bulk, ct);
        }

        private async Task<ModelVersion> RemoveOneAsync(CurrentVersions versions, VersionTarget target, bool force, bool planOnly, CancellationToken ct)
        {
            var current = await CurrentAsync(versions, target, ct).ConfigureAwait(false);
            await Guards.CheckAsync(new VersionGuardContext(VersionChange.Remove, current, null, Deployed), force, ct).ConfigureAwait(false);
            if (planOnly) return current;
            VersionReads.Changed(_registry, target.Arn);
            await _registry.DeleteVersionAsync(target.Arn, ct).ConfigureAwait(false);
            return current;
        }

        /// <summary>
        /// The registry's state of the target now — never the piped copy's, which may be stale. What the listing
        /// does not carry (a detailed piped copy's image, metadata) is kept from the copy for the result.
        /// </summary>
        private async Task<ModelVersion> CurrentAsync(CurrentVersions versions, VersionTarget target, CancellationToken ct)
        {
            var now = await versions.GetAsync(target.Arn, ct).ConfigureAwait(false)
                ?? throw new RegistryException(RegistryErrorKind.NotFound, $"Model version '{target.Arn}' does not exist in {_registry.Location}.", target.Arn);
            if (now.IsDetailed || target.Known is null || !target.Known.IsDetailed) return now;
            var merged = target.Known.Clone();
            merged.Status = now.Status;
            merged.PackageStatus = now.PackageStatus;
            merged.Stage = now.Stage;
            merged.StageStatus = now.StageStatus;
            merged.StageDescription = now.StageDescription;
            // The reason read with the copy belongs to the status it had then.
            if (target.Known.Status != now.Status) merged.ApprovalDescription = null;
            return merged;
        }
    }
}
