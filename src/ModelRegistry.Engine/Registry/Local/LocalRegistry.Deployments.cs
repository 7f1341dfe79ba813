using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using ModelRegistry.Engine.IO;

namespace ModelRegistry.Engine.Registry.Local
{
    /// <summary>
    /// Deployments on the Local registry are records: nothing is served. Layout:
    /// <code>
    /// &lt;root&gt;/deployments/models/&lt;key&gt;.json            ModelRecord
    /// &lt;root&gt;/deployments/endpoint-configs/&lt;key&gt;.json  EndpointConfigRecord
    /// &lt;root&gt;/deployments/endpoints/&lt;key&gt;.json         EndpointRecord (Status InService at once)
    /// &lt;root&gt;/locks/endpoints/&lt;key&gt;.lock               taken to switch an endpoint's config
    /// </code>
    /// key = lower-case name (SageMaker's names of these are case-insensitive). Files are created by link (one
    /// creator wins) and replaced by rename, as everywhere in the Local registry.
    /// </summary>
    public sealed partial class LocalRegistry
    {
        private const string ModelsKind = "model";
        private const string ConfigsKind = "endpoint-config";
        private const string EndpointsKind = "endpoint";

        public IDeploymentTarget Deployments => this;

        public bool ServesTraffic => false;

        public bool RequiresExecutionRole => false;

        private string DeploymentFolder(string kind) => Path.Combine(_root, "deployments", kind == ModelsKind ? "models" : kind == ConfigsKind ? "endpoint-configs" : "endpoints");

        private string DeploymentPath(string kind, string name) => Path.Combine(DeploymentFolder(kind), LocalNames.Key(name) + ".json");

        private string DeploymentArn(string kind, string name) => $"arn:aws:sagemaker:{_region}:{_account}:{kind}/{LocalNames.Key(name)}";

        public Task<string> CreateModelAsync(HostedModelSpec spec, CancellationToken ct) => Run(() =>
        {
            if (spec is null) throw new ArgumentNullException(nameof(spec));
            LocalNames.ValidateGroupName(spec.Name, "model name");
            // SageMaker checks that the model package exists when the model is created.
            if (GetVersionAsync(spec.ModelVersionArn, ct).GetAwaiter().GetResult() is null)
                throw new RegistryException(RegistryErrorKind.NotFound, $"Model package '{spec.ModelVersionArn}' does not exist.", spec.ModelVersionArn);
            var record = new ModelRecord
            {
                Name = spec.Name,
                ModelVersionArn = spec.ModelVersionArn,
                ExecutionRoleArn = spec.ExecutionRoleArn,
                Created = DateTime.UtcNow,
                Tags = ValidatedTags(spec.Tags),
            };
            CreateRecord(ModelsKind, spec.Name, record);
            return DeploymentArn(ModelsKind, spec.Name);
        }, ct);

        public Task<HostedModel?> GetModelAsync(string name, CancellationToken ct) => Run(() =>
        {
            var r = ReadDeploymentRecord<ModelRecord>(ModelsKind, name);
            return r is null ? null : new HostedModel
            {
                Name = r.Name,
                Arn = DeploymentArn(ModelsKind, r.Name),
                ModelVersionArn = r.ModelVersionArn,
                ModelVersionArns = r.ModelVersionArn is null ? Array.Empty<string>() : new[] { r.ModelVersionArn },
                ExecutionRoleArn = r.ExecutionRoleArn,
                Created = r.Created,
            };
        }, ct);

        public Task DeleteModelAsync(string name, CancellationToken ct) => Run(() => DeleteRecord(ModelsKind, name), ct);

        public Task<Page<HostedModel>> ListModelsAsync(string? nameContains, string? nextToken, int pageSize, CancellationToken ct) => Run(() =>
            NamePage("models", RecordKeys(ModelsKind), nameContains, nextToken, pageSize, NameOrder.Ascending,
                key => ReadDeploymentRecord<ModelRecord>(ModelsKind, key) is { } r
                    ? new HostedModel { Name = r.Name, Arn = DeploymentArn(ModelsKind, r.Name), Created = r.Created } : null, ct), ct);

        public Task<string> CreateEndpointConfigAsync(EndpointConfigSpec spec, CancellationToken ct) => Run(() =>
        {
            if (spec is null) throw new ArgumentNullException(nameof(spec));
            LocalNames.ValidateGroupName(spec.Name, "endpoint config name");
            if (spec.InstanceCount < 1)
                throw new RegistryException(RegistryErrorKind.Invalid, $"InitialInstanceCount must be at least 1 (was {spec.InstanceCount}).", spec.Name);
            if (ReadDeploymentRecord<ModelRecord>(ModelsKind, spec.ModelName) is null)
                throw new RegistryException(RegistryErrorKind.NotFound, $"Could not find model '{spec.ModelName}'.", spec.ModelName);
            CreateRecord(ConfigsKind, spec.Name, new EndpointConfigRecord
            {
                Name = spec.Name,
                ModelName = spec.ModelName,
                VariantName = "AllTraffic",
                InstanceType = spec.InstanceType,
                InstanceCount = spec.InstanceCount,
                Created = DateTime.UtcNow,
                Tags = ValidatedTags(spec.Tags),
            });
            return DeploymentArn(ConfigsKind, spec.Name);
        }, ct);

        public Task<EndpointConfigInfo?> GetEndpointConfigAsync(string name, CancellationToken ct) => Run(() =>
        {
            var r = ReadDeploymentRecord<EndpointConfigRecord>(ConfigsKind, name);
            return r is null ? null : new EndpointConfigInfo
            {
                Name = r.Name,
                Arn = DeploymentArn(ConfigsKind, r.Name),
                ModelName = r.ModelName,
                VariantName = r.VariantName,
                InstanceType = r.InstanceType,
                InstanceCount = r.InstanceCount,
                Created = r.Created,
                Variants = new[] { new EndpointVariantInfo { Name = r.VariantName ?? "AllTraffic", ModelName = r.ModelName, InstanceType = r.InstanceType, InstanceCount = r.InstanceCount, Weight = 1 } },
            };
        }, ct);

        public Task DeleteEndpointConfigAsync(string name, CancellationToken ct) => Run(() => DeleteRecord(ConfigsKind, name), ct);

        public Task<Page<EndpointConfigInfo>> ListEndpointConfigsAsync(string? nameContains, string? nextToken, int pageSize, CancellationToken ct) => Run(() =>
            NamePage("endpoint-configs", RecordKeys(ConfigsKind), nameContains, nextToken, pageSize, NameOrder.Ascending,
                key => ReadDeploymentRecord<EndpointConfigRecord>(ConfigsKind, key) is { } r
                    ? new EndpointConfigInfo { Name = r.Name, Arn = DeploymentArn(ConfigsKind, r.Name), Created = r.Created } : null, ct), ct);

        public Task<string> CreateEndpointAsync(string name, string endpointConfigName, IReadOnlyDictionary<string, string> tags, CancellationToken ct) => Run(() =>
        {
            LocalNames.ValidateGroupName(name, "endpoint name");
            RequireConfig(endpointConfigName);
            var now = DateTime.UtcNow;
            CreateRecord(EndpointsKind, name, new EndpointRecord
            {
                Name = name,
                EndpointConfigName = endpointConfigName,
                Status = "InService",
                Created = now,
                LastModified = now,
                Tags = ValidatedTags(tags),
            });
            return DeploymentArn(EndpointsKind, name);
        }, ct);

        public Task UpdateEndpointAsync(string name, string endpointConfigName, CancellationToken ct) => Run(() =>
        {
            LocalNames.ValidateGroupName(name, "endpoint name");
            RequireConfig(endpointConfigName);
            using (EndpointLock(name, ct))
            {
                var record = ReadDeploymentRecord<EndpointRecord>(EndpointsKind, name)
                    ?? throw new RegistryException(RegistryErrorKind.NotFound, $"Could not find endpoint '{name}'.", name);
                record.EndpointConfigName = endpointConfigName;
                record.Status = "InService"; // a record: the switch is complete as soon as it is written
                record.LastModified = DateTime.UtcNow;
                AtomicFile.Replace(DeploymentPath(EndpointsKind, name), LocalJson.Serialize(record));
            }
            return true;
        }, ct);

        public Task<EndpointInfo?> GetEndpointAsync(string name, CancellationToken ct) => Run(() =>
        {
            var r = ReadDeploymentRecord<EndpointRecord>(EndpointsKind, name);
            return r is null ? null : ToEndpoint(r, withConfig: true);
        }, ct);

        public Task<Page<EndpointInfo>> ListEndpointsAsync(string? nameContains, string? nextToken, int pageSize, CancellationToken ct) => Run(() =>
        {
            var folder = DeploymentFolder(EndpointsKind);
            var keys = Directory.Exists(folder)
                ? Directory.EnumerateFiles(folder, "*.json").Select(p => Path.GetFileNameWithoutExtension(p) ?? "")
                : Enumerable.Empty<string>();
            return NamePage("endpoints", keys, nameContains, nextToken, pageSize, NameOrder.Ascending,
                key => ReadDeploymentRecord<EndpointRecord>(EndpointsKind, key) is { } r ? ToEndpoint(r, withConfig: false) : null, ct);
        }, ct);

        public Task DeleteEndpointAsync(string name, CancellationToken ct) => Run(() =>
        {
            // Under the lock a switch takes, so a switch's rewrite can never bring a deleted endpoint back.
            using (EndpointLock(name, ct)) return DeleteRecord(EndpointsKind, name);
        }, ct);

        private IDisposable EndpointLock(string name, CancellationToken ct)
        {
            var locks = Path.Combine(_locks, "endpoints");
            Directory.CreateDirectory(locks);
            return GroupLock.Acquire(Path.Combine(locks, LocalNames.Key(name) + ".lock"), exclusive: true, LockTimeout, name, ct);
        }

        public Task<IReadOnlyDictionary<string, string>> GetResourceTagsAsync(string arn, CancellationToken ct) => Run(() =>
        {
            var (kind, name) = ParseDeploymentArn(arn);
            Dictionary<string, string>? tags = kind switch
            {
                ModelsKind => ReadDeploymentRecord<ModelRecord>(kind, name)?.Tags,
                ConfigsKind => ReadDeploymentRecord<EndpointConfigRecord>(kind, name)?.Tags,
                _ => ReadDeploymentRecord<EndpointRecord>(kind, name)?.Tags,
            };
            if (tags is null) throw ResourceNotFound(arn);
            return (IReadOnlyDictionary<string, string>)new Dictionary<string, string>(tags);
        }, ct);

        // ---- helpers ------------------------------------------------------------------------------------------

        /// <summary>Names (keys) of every model record; tests use it to prove nothing was left behind.</summary>
        internal IReadOnlyList<string> EnumerateModelNames() => RecordKeys(ModelsKind);

        internal IReadOnlyList<string> EnumerateConfigNames() => RecordKeys(ConfigsKind);

        private List<string> RecordKeys(string kind)
        {
            var folder = DeploymentFolder(kind);
            return !Directory.Exists(folder) ? new List<string>()
                : Directory.EnumerateFiles(folder, "*.json").Select(p => Path.GetFileNameWithoutExtension(p)!).Where(k => k[0] != '.').OrderBy(k => k, StringComparer.Ordinal).ToList();
        }

        private (string kind, string name) ParseDeploymentArn(string arn)
        {
            var prefix = $"arn:aws:sagemaker:{_region}:{_account}:";
            if (arn != null && arn.StartsWith(prefix, StringComparison.Ordinal))
            {
                var rest = arn.Substring(prefix.Length);
                foreach (var kind in new[] { ConfigsKind, EndpointsKind, ModelsKind })
                    if (rest.StartsWith(kind + "/", StringComparison.Ordinal))
                        return (kind, rest.Substring(kind.Length + 1));
            }
            throw new RegistryException(RegistryErrorKind.NotFound, $"'{arn}' is not a model, endpoint config or endpoint of this registry ({_region}/{_account}).", arn);
        }

        private void RequireConfig(string name)
        {
            if (ReadDeploymentRecord<EndpointConfigRecord>(ConfigsKind, name) is null)
                throw new RegistryException(RegistryErrorKind.NotFound, $"Could not find endpoint configuration '{name}'.", name);
        }

        private EndpointInfo ToEndpoint(EndpointRecord r, bool withConfig) => new EndpointInfo
        {
            Name = r.Name,
            Arn = DeploymentArn(EndpointsKind, r.Name),
            EndpointConfigName = withConfig ? r.EndpointConfigName : null,
            Status = r.Status,
            Created = r.Created,
            LastModified = r.LastModified,
        };

        private T? ReadDeploymentRecord<T>(string kind, string name) where T : class
        {
            if (string.IsNullOrEmpty(name) || !Config.Naming.IsValidEntityName(name)) return null;
            return ReadRecord<T>(DeploymentPath(kind, name));
        }

        private void CreateRecord<T>(string kind, string name, T record)
        {
            var folder = DeploymentFolder(kind);
            Directory.CreateDirectory(folder);
            var temp = AtomicFile.WriteTemp(folder, LocalJson.Serialize(record));
            try
            {
                if (!AtomicFile.TryLinkNew(temp, DeploymentPath(kind, name)))
                    throw new RegistryException(RegistryErrorKind.AlreadyExists,
                        $"Cannot create already existing {kind} '{name}'.", name);
            }
            finally
            {
                AtomicFile.TryDelete(temp);
            }
        }

        private bool DeleteRecord(string kind, string name)
        {
            var path = Config.Naming.IsValidEntityName(name) ? DeploymentPath(kind, name) : null;
            if (path is null || !File.Exists(path))
                throw new RegistryException(RegistryErrorKind.NotFound, $"Could not find {kind} '{name}'.", name);
            File.Delete(path);
            return true;
        }
    }

    internal sealed class ModelRecord : ILocalRecord
    {
        public int Format { get; set; } = LocalJson.FormatVersion;
        public string Name { get; set; } = "";
        public string ModelVersionArn { get; set; } = "";
        public string? ExecutionRoleArn { get; set; }
        public DateTime Created { get; set; }
        public Dictionary<string, string> Tags { get; set; } = new Dictionary<string, string>();

        public string? Problem() =>
            LocalJson.FormatProblem(Format)
            ?? (Config.Naming.IsValidEntityName(Name) ? null : $"its Name '{Name}' is not a valid name")
            ?? (Tags is null ? "its Tags are null" : null);
    }

    internal sealed class EndpointConfigRecord : ILocalRecord
    {
        public int Format { get; set; } = LocalJson.FormatVersion;
        public string Name { get; set; } = "";
        public string ModelName { get; set; } = "";
        public string VariantName { get; set; } = "AllTraffic";
        public string InstanceType { get; set; } = "";
        public int InstanceCount { get; set; }
        public DateTime Created { get; set; }
        public Dictionary<string, string> Tags { get; set; } = new Dictionary<string, string>();

        public string? Problem() =>
            LocalJson.FormatProblem(Format)
            ?? (Config.Naming.IsValidEntityName(Name) ? null : $"its Name '{Name}' is not a valid name")
            ?? (Tags is null ? "its Tags are null" : null);
    }

    internal sealed class EndpointRecord : ILocalRecord
    {
        public int Format { get; set; } = LocalJson.FormatVersion;
        /// <summary>Says so in the file too: a Local deployment is a record, nothing is served.</summary>
        public string Note { get; set; } = "Local registry record: nothing is served.";
        public string Name { get; set; } = "";
        public string EndpointConfigName { get; set; } = "";
        public string Status { get; set; } = "InService";
        public DateTime Created { get; set; }
        public DateTime LastModified { get; set; }
        public Dictionary<string, string> Tags { get; set; } = new Dictionary<string, string>();

        public string? Problem() =>
            LocalJson.FormatProblem(Format)
            ?? (Config.Naming.IsValidEntityName(Name) ? null : $"its Name '{Name}' is not a valid name")
            ?? (Tags is null ? "its Tags are null" : null);
    }
}
