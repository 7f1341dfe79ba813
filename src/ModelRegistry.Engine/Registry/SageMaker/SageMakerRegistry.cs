using System;
using ModelRegistry.Engine.Diagnostics;
using System.Diagnostics;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;
using System.Threading;
using System.Threading.Tasks;
using Amazon.SecurityToken;
using Amazon.SecurityToken.Model;
using ModelRegistry.Engine.Metrics;

namespace ModelRegistry.Engine.Registry.SageMaker
{
    /// <summary>
    /// The model registry on Amazon SageMaker Model Registry (model package groups and versioned model
    /// packages). Wire shapes stay in this folder; callers see domain types and <see cref="RegistryException"/>.
    /// </summary>
    public sealed partial class SageMakerRegistry : IModelRegistry, IDeploymentTarget
    {
        private const int MaxTagsPerCall = 50;

        private readonly SageMakerConnection _connection;
        private readonly SageMakerClient _client;
        private readonly RetryPolicy _retry;
        private readonly object _stsLock = new object();
        private AmazonSecurityTokenServiceClient? _sts;
        private string? _account;

        public SageMakerRegistry(RegistryConnection options)
            : this(options, new SageMakerClientSettings())
        {
        }

        internal SageMakerRegistry(RegistryConnection options, SageMakerClientSettings settings)
        {
            if (options is null) throw new ArgumentNullException(nameof(options));
            settings ??= new SageMakerClientSettings();
            _connection = SageMakerConnection.Resolve(options, settings);
            _client = new SageMakerClient(_connection.Credentials, _connection.Config);
            _retry = new RetryPolicy(_connection.MaxRetries, settings.RetryBaseDelay, settings.MaxConcurrency, throttlePatience: settings.ThrottlePatience);
        }

        public string Region => _connection.Region;

        public string Location
        {
            get
            {
                var endpoint = _connection.EndpointUrl;
                return endpoint is null ? $"SageMaker {Region}" : $"SageMaker {Region} at {endpoint}";
            }
        }

        /// <summary>Built from the region and the caller's account. The account is learned from the ARNs the
        /// service returns; before any is seen, the first use asks STS once (then no call is made).</summary>
        public string GroupArn(string groupName)
        {
            var account = _account ?? GetCallerAccountAsync(CancellationToken.None).ConfigureAwait(false).GetAwaiter().GetResult();
            var partition = Region.StartsWith("cn-", StringComparison.Ordinal) ? "aws-cn"
                : Region.StartsWith("us-gov-", StringComparison.Ordinal) ? "aws-us-gov" : "aws";
            return $"arn:{partition}:sagemaker:{Region}:{account}:model-package-group/{groupName}";
        }

        // ---- groups ---------------------------------------------------------------------------------

        public async Task<ModelGroup?> GetGroupAsync(string name, CancellationToken ct)
        {
            RequestChecks.GroupName(name); // the one name rule, before any call (as Local checks it)
            var body = await CallOrNullAsync("DescribeModelPackageGroup", w => w.WriteString("ModelPackageGroupName", name), name, ct)
                .ConfigureAwait(false);
            if (body is null)
                return null;
            var group = ToGroup(body.Value);
            try
            {
                return group.WithTags(await GetTagsAsync(group.Arn, ct).ConfigureAwait(false));
            }
            catch (RegistryException e) when (e.Kind == RegistryErrorKind.NotFound)
            {
                return null; // deleted between the two calls
            }
        }

        public async Task<Page<ModelGroup>> ListGroupsAsync(string? nameContains, string? nextToken, int pageSize, NameOrder order, CancellationToken ct)
        {
            RequestChecks.PageSize(pageSize);
            var body = await CallAsync("ListModelPackageGroups", w => WriteNameListing(w, nameContains, nextToken, pageSize, order), nameContains, ct)
                .ConfigureAwait(false);
            var groups = Items(body, "ModelPackageGroupSummaryList").Select(ToGroup).ToList();
            return new Page<ModelGroup>(groups, NextToken(body));
        }

        /// <summary>One call, no existence check first: bulk callers list first. (SageMaker answers
        /// ValidationException "already exists" → AlreadyExists; moto silently replaces the group.) After an
        /// ambiguous failure the group is looked up before any re-send, so a lost reply is not a second create.</summary>
        public Task<ModelGroup> CreateGroupAsync(string name, string description, IReadOnlyDictionary<string, string> tags, CancellationToken ct)
        {
            RequestChecks.NewGroup(name, description, tags);
            return _retry.ExecuteAsync(async token =>
            {
                var body = await SendAsync("CreateModelPackageGroup", w =>
                {
                    w.WriteString("ModelPackageGroupName", name);
                    if (!string.IsNullOrEmpty(description)) w.WriteString("ModelPackageGroupDescription", description);
                    WriteTags(w, tags);
                }, name, token).ConfigureAwait(false);
                var arn = Str(body, "ModelPackageGroupArn") ?? "";
                Learn(arn);
                var copy = (tags ?? new Dictionary<string, string>()).ToDictionary(t => t.Key, t => t.Value, StringComparer.Ordinal);
                return new ModelGroup(name, arn, string.IsNullOrEmpty(description) ? null : description, null, null, copy);
            }, Idempotency.Create, async token =>
            {
                var earlier = await GetGroupAsync(name, token).ConfigureAwait(false);
                return (earlier != null, earlier!);
            }, ct, "CreateModelPackageGroup");
        }

        public async Task DeleteGroupAsync(string name, CancellationToken ct)
        {
            RequestChecks.GroupName(name);
            await CallAsync("DeleteModelPackageGroup", w => w.WriteString("ModelPackageGroupName", name), name, ct, Idempotency.Delete).ConfigureAwait(false);
        }

        // ---- tags -----------------------------------------------------------------------------------

        public async Task<IReadOnlyDictionary<string, string>> GetTagsAsync(string arn, CancellationToken ct)
        {
            var tags = new Dictionary<string, string>(StringComparer.Ordinal);
            var walk = new RegistryExtensions.PageWalk("ListTags");
            string? token = null;
            do
            {
                var page = token;
                var body = await CallAsync("ListTags", w =>
                {
                    w.WriteString("ResourceArn", arn);
                    w.WriteNumber("MaxResults", 100);
                    if (page != null) w.WriteString("NextToken", page);
                }, arn, ct).ConfigureAwait(false);
                foreach (var tag in Items(body, "Tags"))
                {
                    var key = Str(tag, "Key");
                    if (key != null) tags[key] = Str(tag, "Value") ?? "";
                }
                token = walk.Next(NextToken(body));
            } while (token != null);
            return tags;
        }

        public async Task AddTagsAsync(string arn, IReadOnlyDictionary<string, string> tags, CancellationToken ct)
        {
            foreach (var chunk in Chunks(tags ?? new Dictionary<string, string>(), MaxTagsPerCall))
            {
                await CallAsync("AddTags", w =>
                {
                    w.WriteString("ResourceArn", arn);
                    WriteTags(w, chunk);
                }, arn, ct).ConfigureAwait(false);
            }
        }

        public async Task RemoveTagsAsync(string arn, IReadOnlyCollection<string> keys, CancellationToken ct)
        {
            foreach (var chunk in Chunks(keys ?? Array.Empty<string>(), MaxTagsPerCall))
            {
                await CallAsync("DeleteTags", w =>
                {
                    w.WriteString("ResourceArn", arn);
                    w.WriteStartArray("TagKeys");
                    foreach (var key in chunk) w.WriteStringValue(key);
                    w.WriteEndArray();
                }, arn, ct).ConfigureAwait(false);
            }
        }

        // ---- identity -------------------------------------------------------------------------------

        public async Task<string?> GetCallerAccountAsync(CancellationToken ct)
        {
            return await _retry.ExecuteAsync<string?>(async token =>
            {
                // Named as STS in errors and in -Verbose: a failure here is not SageMaker's.
                var clock = ServiceCallLog.IsListening ? Stopwatch.StartNew() : null;
                try
                {
                    var response = await Sts().GetCallerIdentityAsync(new GetCallerIdentityRequest(), token).ConfigureAwait(false);
                    _account = response.Account;
                    if (clock != null)
                        ServiceCallLog.Report(new ServiceCall("STS", "GetCallerIdentity", null, clock.Elapsed, 1, response.ResponseMetadata?.RequestId, null));
                    return response.Account;
                }
                catch (Exception e) when (!(e is OperationCanceledException && token.IsCancellationRequested))
                {
                    var error = SageMakerErrors.ToRegistryException(e, "sts:GetCallerIdentity", "STS");
                    if (clock != null)
                        ServiceCallLog.Report(new ServiceCall("STS", "GetCallerIdentity", null, clock.Elapsed, 1, error.RequestId, error.ServiceCode ?? error.Kind.ToString()));
                    throw error;
                }
            }, Idempotency.Safe, null, ct, "sts:GetCallerIdentity").ConfigureAwait(false);
        }

        public void Dispose()
        {
            _client.Dispose();
            lock (_stsLock) _sts?.Dispose();
        }

        // ---- the one call path ----------------------------------------------------------------------

        /// <summary>A call under the retry policy (creates use <see cref="RetryPolicy.ExecuteAsync"/> with a lookup).</summary>
        private Task<JsonElement> CallAsync(string operation, Action<Utf8JsonWriter> writeBody, string? target, CancellationToken ct,
            Idempotency idempotency = Idempotency.Safe) =>
            _retry.ExecuteAsync(token => SendAsync(operation, writeBody, target, token), idempotency, null, ct, operation);

        /// <summary>One attempt: the request is sent once, failures become <see cref="RegistryException"/>s.</summary>
        private async Task<JsonElement> SendAsync(string operation, Action<Utf8JsonWriter> writeBody, string? target, CancellationToken ct)
        {
            var call = new SageMakerCall(operation, writeBody);
            var clock = ServiceCallLog.IsListening ? Stopwatch.StartNew() : null;
            try
            {
                var reply = await _client.InvokeAsync(call, ct).ConfigureAwait(false);
                if (clock != null)
                    ServiceCallLog.Report(new ServiceCall("SageMaker", operation, target, clock.Elapsed, call.Attempts, reply.ResponseMetadata?.RequestId, null));
                return reply.Body;
            }
            catch (Exception e) when (!(e is OperationCanceledException && ct.IsCancellationRequested))
            {
                var error = SageMakerErrors.ToRegistryException(e, target);
                if (clock != null)
                    ServiceCallLog.Report(new ServiceCall("SageMaker", operation, target, clock.Elapsed, call.Attempts, error.RequestId, error.ServiceCode ?? error.Kind.ToString()));
                throw error;
            }
        }

        private async Task<JsonElement?> CallOrNullAsync(string operation, Action<Utf8JsonWriter> writeBody, string? target, CancellationToken ct)
        {
            try
            {
                return await CallAsync(operation, writeBody, target, ct).ConfigureAwait(false);
            }
            catch (RegistryException e) when (e.Kind == RegistryErrorKind.NotFound)
            {
                return null;
            }
        }

        private AmazonSecurityTokenServiceClient Sts()
        {
            lock (_stsLock)
            {
                return _sts ??= _connection.Credentials is null
                    ? new AmazonSecurityTokenServiceClient(_connection.StsConfig)
                    : new AmazonSecurityTokenServiceClient(_connection.Credentials, _connection.StsConfig);
            }
        }

    }
}
