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

        public ModelVersionOperations(IModelRegistry registry)
        {
            _registry = registry;
            Deployed = new DeployedVersions(registry);
        }

        /// <summary>What is deployed, read once for all the checks of this command.</summary>
        public DeployedVersions Deployed { get; }

        /// <summary>
        /// Registers a version exactly once. The client token goes to SageMaker (which de-duplicates on it) and
        /// into the version's customer metadata, so after an ambiguous failure (the request may have landed)
        /// the backend finds its own earlier attempt before sending again (its retry policy does this) —
        /// emulators and the Local registry need that, and it costs nothing when the first call succeeds.
        /// </summary>
        public Task<ModelVersion> RegisterAsync(VersionSpec spec, CancellationToken ct)
        {
            VersionSpecValidator.Validate(spec);
            var token = spec.ClientToken ?? Guid.NewGuid().ToString("D");
            var metadata = new Dictionary<string, string>(spec.CustomerMetadata.Count + 1);
            foreach (var kv in spec.CustomerMetadata) metadata[kv.Key] = kv.Value;
            metadata[VersionSpecValidator.ClientTokenKey] = token;
            return _registry.RegisterVersionAsync(Copy(spec, token, metadata), ct);
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
            ApprovalStatus = s.ApprovalStatus,
            Description = s.Description,
            CustomerMetadata = metadata,
            Tags = s.Tags,
            ClientToken = token,
        };

        /// <summary>Registers many specs with bounded concurrency; outcomes in completion order.</summary>
        public IEnumerable<BulkOutcome<VersionSpec, ModelVersion>> RegisterMany(IReadOnlyList<VersionSpec> specs, int throttleLimit, CancellationToken ct) =>
            BulkRunner.Run(specs, RegisterAsync, throttleLimit, ct);

        /// <summary>The ARN of version <paramref name="version"/> of a group, in this registry's region and account.</summary>
        public string VersionArn(string group, int version)
        {
            var groupArn = _registry.GroupArn(group);
            return groupArn.Replace(":model-package-group/", ":model-package/") + "/" + version;
        }

        /// <summary>
        /// A group's versions as pages arrive: filtered by status and creation time on the service, by version
        /// number here; <paramref name="latest"/> keeps only the newest N.
        /// </summary>
        public IEnumerable<ModelVersion> List(string group, ApprovalStatus? status, DateTime? createdAfter, DateTime? createdBefore,
            bool descending, int? latest, ICollection<int>? versions, CancellationToken ct)
        {
            var query = new VersionQuery(group)
            {
                Status = status,
                CreatedAfter = createdAfter,
                CreatedBefore = createdBefore,
                Descending = descending || latest.HasValue,
                PageSize = latest.HasValue && latest.Value < RegistryExtensions.MaxPageSize ? Math.Max(1, latest.Value) : RegistryExtensions.MaxPageSize,
            };
            var listed = _registry.EnumerateVersions(query, ct);
            if (versions != null && versions.Count > 0) listed = listed.Where(v => versions.Contains(v.Version));
            if (!latest.HasValue) return listed;
            var newest = listed.Take(latest.Value);
            // -Latest picks the newest N; they come out in the order asked for (newest first unless ascending).
            return descending ? newest : newest.Reverse();
        }

        /// <summary>Reads versions in full (bounded concurrency), for -Detailed.</summary>
        public IEnumerable<BulkOutcome<ModelVersion, ModelVersion?>> Describe(IReadOnlyList<ModelVersion> versions, int throttleLimit, CancellationToken ct) =>
            BulkRunner.Run(versions, (v, token) => _registry.GetVersionAsync(v.Arn, token), throttleLimit, ct);

        /// <summary>
        /// Sets a version's approval status with the module's safety rules: approving a Rejected version needs
        /// <paramref name="force"/>. Returns the version as it now is.
        /// </summary>
        public async Task<ModelVersion> SetApprovalAsync(VersionTarget target, ApprovalStatus status, string? reason, bool force, CancellationToken ct)
        {
            var current = target.Known ?? await _registry.GetVersionAsync(target.Arn, ct).ConfigureAwait(false)
                ?? throw new RegistryException(RegistryErrorKind.NotFound, $"Model version '{target.Arn}' does not exist in {_registry.Location}.", target.Arn);
            if (current.Status == ApprovalStatus.Rejected && status == ApprovalStatus.Approved && !force)
                throw new RegistryException(RegistryErrorKind.Conflict,
                    $"Version {current.Version} of '{current.GroupName}' was Rejected{(string.IsNullOrEmpty(current.ApprovalDescription) ? "" : $" (\"{current.ApprovalDescription}\")")}; approving a rejected version needs -Force. Nothing was changed.",
                    target.Arn);
            if (current.Status != status && !force)
            {
                var endpoints = await Deployed.EndpointsServingAsync(target.Arn, ct).ConfigureAwait(false);
                if (endpoints.Count > 0)
                    throw new RegistryException(RegistryErrorKind.Conflict,
                        $"Version {current.Version} of '{current.GroupName}' serves endpoint(s) {string.Join(", ", endpoints)}; changing the approval of a deployed version needs -Force. Nothing was changed.",
                        target.Arn);
            }
            var update = VersionUpdate.Approval(status, reason);
            var changed = await _registry.UpdateVersionAsync(target.Arn, update, ct).ConfigureAwait(false);
            // The version as it now is: what we read, with what we changed.
            return update.ApplyTo(current, changed.LastModified);
        }

        public IEnumerable<BulkOutcome<VersionTarget, ModelVersion>> SetApprovalMany(IReadOnlyList<VersionTarget> targets, ApprovalStatus status,
            string? reason, bool force, int throttleLimit, CancellationToken ct) =>
            BulkRunner.Run(targets, (t, token) => SetApprovalAsync(t, status, reason, force, token), throttleLimit, ct);

        /// <summary>Deletes a version; an Approved one only with <paramref name="force"/>.</summary>
        public async Task<ModelVersion> RemoveAsync(VersionTarget target, bool force, CancellationToken ct)
        {
            // Always read it now: a piped object's status may be stale, and a deletion cannot be undone.
            var current = await _registry.GetVersionAsync(target.Arn, ct).ConfigureAwait(false)
                ?? throw new RegistryException(RegistryErrorKind.NotFound, $"Model version '{target.Arn}' does not exist in {_registry.Location}.", target.Arn);
            if (current.Status == ApprovalStatus.Approved && !force)
                throw new RegistryException(RegistryErrorKind.Conflict,
                    $"Version {current.Version} of '{current.GroupName}' is Approved; removing an approved version needs -Force. Nothing was deleted.", target.Arn);
            if (!force)
            {
                var endpoints = await Deployed.EndpointsServingAsync(target.Arn, ct).ConfigureAwait(false);
                if (endpoints.Count > 0)
                    throw new RegistryException(RegistryErrorKind.Conflict,
                        $"Version {current.Version} of '{current.GroupName}' serves endpoint(s) {string.Join(", ", endpoints)}; removing a deployed version needs -Force. Nothing was deleted.", target.Arn);
            }
            await _registry.DeleteVersionAsync(target.Arn, ct).ConfigureAwait(false);
            return current;
        }

        public IEnumerable<BulkOutcome<VersionTarget, ModelVersion>> RemoveMany(IReadOnlyList<VersionTarget> targets, bool force, int throttleLimit, CancellationToken ct) =>
            BulkRunner.Run(targets, (t, token) => RemoveAsync(t, force, token), throttleLimit, ct);
    }
}
