using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.RegularExpressions;
using ModelRegistry.Engine.Config;

namespace ModelRegistry.Engine.Operations
{
    /// <summary>
    /// Checks a registration before any call is made, with SageMaker's own limits (botocore's CreateModelPackage
    /// shapes), so a typo is a clear error naming the field instead of a ValidationException after the fact.
    /// </summary>
    public static class VersionSpecValidator
    {
        public const int MaxMetadataEntries = 50;
        public const int MaxTags = 50;
        /// <summary>Metadata key under which the module records its client token (exactly-once registration).</summary>
        public const string ClientTokenKey = Registry.VersionLookup.ClientTokenKey;

        // s3://bucket/key: bucket names are 3–63 of a-z 0-9 . - starting and ending alphanumeric.
        private static readonly Regex S3Uri = new Regex(@"\As3://([a-z0-9][a-z0-9.\-]{1,61}[a-z0-9])(/\S*)?\z", RegexOptions.CultureInvariant);
        // registry/repository[:tag|@sha256:digest]; no whitespace, at most 255 (ContainerImage).
        private static readonly Regex Image = new Regex(@"\A[a-z0-9.\-]+(:[0-9]+)?/[a-z0-9._/\-]+(:[A-Za-z0-9_.\-]{1,128}|@sha256:[a-f0-9]{64})?\z", RegexOptions.CultureInvariant);
        private static readonly Regex MimeType = new Regex(@"\A[-\w]+/\S+\z", RegexOptions.CultureInvariant);

        /// <summary>Every problem with the spec; empty when it can be sent.</summary>
        public static IReadOnlyList<string> Problems(VersionSpec spec)
        {
            var problems = new List<string>();
            void Add(string? problem) { if (problem != null) problems.Add(problem); }

            Add(Naming.CheckGroupName(spec.GroupName));
            if (string.IsNullOrWhiteSpace(spec.ImageUri))
                problems.Add("-ImageUri is required: the inference container image, e.g. 123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/fraud:1.0");
            else if (spec.ImageUri!.Length > 255 || !Image.IsMatch(spec.ImageUri))
                problems.Add($"-ImageUri '{spec.ImageUri}' is not a container image reference like registry/repository:tag (at most 255 characters, no spaces)");
            if (spec.ModelDataUrl != null) Add(CheckS3("-ModelDataUrl", spec.ModelDataUrl));
            if (spec.ModelStatisticsUri != null && string.IsNullOrEmpty(spec.ModelStatisticsContentType))
                problems.Add("-ModelStatisticsContentType is required with -ModelStatisticsUri (e.g. application/json)");
            if (spec.ModelStatisticsContentType != null && spec.ModelStatisticsContentType.Length > 256)
                problems.Add("-ModelStatisticsContentType is longer than 256 characters");
            problems.AddRange(Metrics.MetricsSources.Problems(spec));
            foreach (var t in spec.ContentTypes)
                if (string.IsNullOrEmpty(t) || t.Length > 256) problems.Add($"-ContentType '{t}' must be 1 to 256 characters");
            foreach (var t in spec.ResponseTypes)
                if (!MimeType.IsMatch(t ?? "") || t!.Length > 1024) problems.Add($"-ResponseType '{t}' is not a MIME type like application/json");
            foreach (var t in spec.InferenceInstanceTypes)
                if (!InstanceTypes.Realtime.Contains(t)) problems.Add($"-InferenceInstanceType '{t}' is not a SageMaker real-time instance type (e.g. ml.m5.large)");
            foreach (var t in spec.TransformInstanceTypes)
                if (!InstanceTypes.Transform.Contains(t)) problems.Add($"-TransformInstanceType '{t}' is not a SageMaker batch transform instance type (e.g. ml.m5.xlarge)");
            if (spec.Description != null)
            {
                var d = Naming.CheckDescription(spec.Description);
                if (d != null) problems.Add("-Description: " + d);
            }
            var metrics = spec.Metrics?.Count ?? 0;
            if (spec.CustomerMetadata.Count + metrics > MaxMetadataEntries - 1)
                problems.Add($"-CustomerMetadata and -Metric have {spec.CustomerMetadata.Count + metrics} entries; SageMaker allows {MaxMetadataEntries} customer metadata entries, and the module keeps one for its client token");
            foreach (var kv in spec.CustomerMetadata)
            {
                Add(Naming.CheckMetadataKey(kv.Key));
                Add(Naming.CheckMetadataValue(kv.Key, kv.Value));
            }
            if (spec.Tags.Count > MaxTags) problems.Add($"-Tag has {spec.Tags.Count} tags; SageMaker allows at most {MaxTags}");
            foreach (var kv in spec.Tags)
            {
                Add(Naming.CheckTagKey(kv.Key));
                Add(Naming.CheckTagValue(kv.Value));
            }
            // AWS: ModelLifeCycle — Stage and StageStatus together, SageMaker's names.
            var lifecycle = Registry.VersionLifecycle.Of(spec);
            if (lifecycle != null) problems.AddRange(lifecycle.Problems());
            if (spec.ClientToken != null && !Naming.IsClientToken(spec.ClientToken))
                problems.Add($"client token '{spec.ClientToken}' must be 1 to 36 characters of letters, digits and hyphens");
            return problems;
        }

        public static void Validate(VersionSpec spec)
        {
            var problems = Problems(spec);
            if (problems.Count > 0)
                throw new RegistryException(RegistryErrorKind.Invalid,
                    $"Cannot register a version in '{spec.GroupName}': " + string.Join("; ", problems) + ". Nothing was registered.", spec.GroupName);
        }

        private static string? CheckS3(string parameter, string uri) =>
            uri.Length <= 1024 && S3Uri.IsMatch(uri) ? null
                : $"{parameter} '{uri}' is not an S3 URI like s3://bucket/path/model.tar.gz";
    }
}
