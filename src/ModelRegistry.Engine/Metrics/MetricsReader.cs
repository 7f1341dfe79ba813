using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Net;
using System.Threading;
using System.Threading.Tasks;
using Amazon.S3;
using Amazon.S3.Model;
using Amazon.S3.Util;
using ModelRegistry.Engine.Registry;
using ModelRegistry.Engine.Registry.SageMaker;

namespace ModelRegistry.Engine.Metrics
{
    /// <summary>What one version's metrics are: every metric read, and one error per source that could not be read.</summary>
    public sealed class MetricsReadout
    {
        // Where a rule looks for a name, first match wins: the evaluation's statistics, the caller's -Metric values,
        // then the other measured sources. Constraints are thresholds, not measurements: never used.
        private static readonly MetricsSourceKind[] LookupOrder =
        {
            MetricsSourceKind.ModelQualityStatistics, MetricsSourceKind.CustomerMetadata, MetricsSourceKind.ModelDataQualityStatistics,
            MetricsSourceKind.BiasReport, MetricsSourceKind.BiasPreTrainingReport, MetricsSourceKind.BiasPostTrainingReport,
            MetricsSourceKind.ExplainabilityReport,
        };

        public MetricsReadout(ModelVersion version, IReadOnlyList<ModelMetric> metrics, IReadOnlyList<RegistryException> failures)
        {
            Version = version;
            Metrics = metrics;
            Failures = failures;
        }

        /// <summary>The version as read (detailed).</summary>
        public ModelVersion Version { get; }
        public IReadOnlyList<ModelMetric> Metrics { get; }
        public IReadOnlyList<RegistryException> Failures { get; }

        /// <summary>The measured value a rule on <paramref name="name"/> judges (case-insensitive name); null when none.</summary>
        public ModelMetric? Find(string name) => Find(Metrics, name);

        public static ModelMetric? Find(IReadOnlyList<ModelMetric> metrics, string name)
        {
            foreach (var kind in LookupOrder)
            {
                var hit = metrics.FirstOrDefault(m => m.Source == kind && string.Equals(m.Name, name, StringComparison.OrdinalIgnoreCase));
                if (hit != null) return hit;
            }
            return null;
        }
    }

    /// <summary>
    /// Reads the metrics a version names: its ModelMetrics files from S3 (AWSSDK.S3, with the registry's region,
    /// credentials and endpoint resolution — <see cref="SageMakerConnection.S3Config"/>) or file:// paths, and its -Metric
    /// values from customer metadata. One unreadable file is one failure; the other sources are still read.
    /// </summary>
    public sealed class MetricsReader : IDisposable
    {
        /// <summary>Metrics files are small; anything larger is refused rather than read into memory.</summary>
        public const int MaxFileBytes = 16 * 1024 * 1024;

        private static readonly ConcurrentDictionary<string, Lazy<MetricsReader>> Open =
            new ConcurrentDictionary<string, Lazy<MetricsReader>>(StringComparer.Ordinal);

        private readonly RegistryConnection _options;
        private readonly SageMakerClientSettings _settings;
        private readonly RetryPolicy _retry;
        private readonly object _lock = new object();
        private AmazonS3Client? _s3;

        public MetricsReader(RegistryConnection options)
            : this(options, new SageMakerClientSettings())
        {
        }

        internal MetricsReader(RegistryConnection options, SageMakerClientSettings settings)
        {
            _options = options ?? throw new ArgumentNullException(nameof(options));
            _settings = settings ?? new SageMakerClientSettings();
            _retry = new RetryPolicy(_settings.MaxErrorRetry, _settings.RetryBaseDelay, _settings.MaxConcurrency);
        }

        /// <summary>The reader for a registry, kept for the process like the registry itself (an S3 client is costly to build).</summary>
        public static MetricsReader For(RegistryConnection options) =>
            Open.GetOrAdd(RegistryFactory.Key(options), _ => new Lazy<MetricsReader>(() => new MetricsReader(options.Clone()))).Value;

        internal static void ResetAll()
        {
            foreach (var entry in Open.Values)
                if (entry.IsValueCreated) entry.Value.Dispose();
            Open.Clear();
        }

        /// <summary>Every metric of a version. A version that was only listed is read in full first.</summary>
        public async Task<MetricsReadout> ReadAsync(IModelRegistry registry, ModelVersion version, bool fresh, CancellationToken ct)
        {
            var current = version;
            if (fresh || !version.IsDetailed)
                current = await registry.GetVersionAsync(version.Arn, ct).ConfigureAwait(false)
                    ?? throw new RegistryException(RegistryErrorKind.NotFound, $"Model version '{version.Arn}' does not exist in {registry.Location}.", version.Arn);
            return await ReadAsync(current, ct).ConfigureAwait(false);
        }

        /// <summary>Every metric of a version read in full (its sources and customer metadata as they are on it).</summary>
        public async Task<MetricsReadout> ReadAsync(ModelVersion version, CancellationToken ct)
        {
            var metrics = new List<ModelMetric>();
            var failures = new List<RegistryException>();
            foreach (var source in version.MetricsSources ?? Array.Empty<MetricsSource>())
            {
                ct.ThrowIfCancellationRequested();
                try
                {
                    var content = await ReadFileAsync(source.Uri, ct).ConfigureAwait(false);
                    IReadOnlyList<ParsedMetric> parsed;
                    try
                    {
                        parsed = MetricsParser.Parse(content);
                    }
                    catch (FormatException e)
                    {
                        throw new RegistryException(RegistryErrorKind.Invalid,
                            $"{version.GroupName} version {version.Version}: {source.Kind} {source.Uri} cannot be read as metrics: {e.Message}.", source.Uri, inner: e);
                    }
                    metrics.AddRange(parsed.Select(p => new ModelMetric(version.GroupName, version.Version, version.Arn, source.Kind, source.Uri,
                        p.Name, p.Value, p.StandardDeviation, p.Comparison)));
                }
                catch (RegistryException e)
                {
                    failures.Add(e);
                }
            }
            metrics.AddRange(MetricsSources.FromMetadata(version.CustomerMetadata).Select(m =>
                new ModelMetric(version.GroupName, version.Version, version.Arn, MetricsSourceKind.CustomerMetadata, null, m.Name, m.Value)));
            return new MetricsReadout(version, metrics, failures);
        }

        /// <summary>The bytes of one metrics file: s3:// or https:// S3 URIs through S3, file:// from disk.</summary>
        public Task<byte[]> ReadFileAsync(string uri, CancellationToken ct)
        {
            if (MetricsSources.IsFileUri(uri)) return Task.FromResult(ReadLocal(uri));
            if (!AmazonS3Uri.TryParseAmazonS3Uri(uri, out var s3Uri) || string.IsNullOrEmpty(s3Uri.Bucket) || string.IsNullOrEmpty(s3Uri.Key))
                throw new RegistryException(RegistryErrorKind.Invalid, $"'{uri}' is not an S3 object URI (s3://bucket/key) or a file:// path.", uri);
            return _retry.ExecuteAsync(token => GetObjectAsync(s3Uri.Bucket, s3Uri.Key, uri, token), Idempotency.Safe, null, ct);
        }

        private async Task<byte[]> GetObjectAsync(string bucket, string key, string uri, CancellationToken ct)
        {
            try
            {
                using var response = await S3().GetObjectAsync(new GetObjectRequest { BucketName = bucket, Key = key }, ct).ConfigureAwait(false);
                if (response.ContentLength > MaxFileBytes) throw TooLarge(uri, response.ContentLength);
                using var buffer = new MemoryStream();
                await response.ResponseStream.CopyToAsync(buffer, 81920, ct).ConfigureAwait(false);
                if (buffer.Length > MaxFileBytes) throw TooLarge(uri, buffer.Length);
                return buffer.ToArray();
            }
            catch (AmazonS3Exception e) when (e.StatusCode == HttpStatusCode.NotFound || e.ErrorCode == "NoSuchKey" || e.ErrorCode == "NoSuchBucket")
            {
                throw new RegistryException(RegistryErrorKind.NotFound, $"The metrics file {uri} does not exist ({e.ErrorCode ?? "404"}).", uri, e.ErrorCode, e.RequestId, e);
            }
            catch (Exception e) when (!(e is RegistryException) && !(e is OperationCanceledException && ct.IsCancellationRequested))
            {
                var mapped = SageMakerErrors.ToRegistryException(e, uri);
                throw new RegistryException(mapped.Kind, $"Reading the metrics file {uri} from S3 failed: {e.Message}", uri, mapped.ServiceCode, mapped.RequestId, e, mapped.Reason);
            }
        }

        private static byte[] ReadLocal(string uri)
        {
            string path;
            try
            {
                path = new Uri(uri).LocalPath;
            }
            catch (UriFormatException e)
            {
                throw new RegistryException(RegistryErrorKind.Invalid, $"'{uri}' is not a file:// URI: {e.Message}", uri, inner: e);
            }
            try
            {
                var info = new FileInfo(path);
                if (!info.Exists) throw new RegistryException(RegistryErrorKind.NotFound, $"The metrics file {uri} does not exist.", uri);
                if (info.Length > MaxFileBytes) throw TooLarge(uri, info.Length);
                return File.ReadAllBytes(path);
            }
            catch (Exception e) when (e is IOException || e is UnauthorizedAccessException)
            {
                throw new RegistryException(e is UnauthorizedAccessException ? RegistryErrorKind.AccessDenied : RegistryErrorKind.Unavailable,
                    $"The metrics file {uri} cannot be read: {e.Message}", uri, inner: e);
            }
        }

        private static RegistryException TooLarge(string uri, long bytes) =>
            new RegistryException(RegistryErrorKind.Invalid, $"The metrics file {uri} is {bytes} bytes; metrics files larger than {MaxFileBytes} bytes are not read.", uri);

        private AmazonS3Client S3()
        {
            lock (_lock)
            {
                if (_s3 != null) return _s3;
                // The SageMaker resolution, for the registry's region and profile; a Local registry reads S3 in its region.
                var aws = _options.Clone();
                if (aws.Backend == RegistryBackend.Local) { aws.Backend = RegistryBackend.SageMaker; aws.EndpointUrl = null; }
                SageMakerConnection connection;
                try
                {
                    connection = SageMakerConnection.Resolve(aws, _settings);
                }
                catch (RegistryException e)
                {
                    throw new RegistryException(e.Kind, "Cannot read metrics from S3: " + e.Message, e.Target, inner: e, reason: e.Reason);
                }
                var config = connection.S3Config();
                return _s3 = connection.Credentials is null ? new AmazonS3Client(config) : new AmazonS3Client(connection.Credentials, config);
            }
        }

        public void Dispose()
        {
            lock (_lock) _s3?.Dispose();
        }
    }
}
