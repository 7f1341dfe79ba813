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
    /// <summary>Translation between the awsJson1.1 wire shapes and the domain types, and JSON helpers.</summary>
    public sealed partial class SageMakerRegistry
    {
        // ---- wire → domain --------------------------------------------------------------------------

        private ModelGroup ToGroup(JsonElement e)
        {
            var arn = Str(e, "ModelPackageGroupArn") ?? "";
            Learn(arn);
            return new ModelGroup(Str(e, "ModelPackageGroupName") ?? "", arn, Str(e, "ModelPackageGroupDescription"),
                Time(e, "CreationTime"), Str(e, "ModelPackageGroupStatus"));
        }

        private static ModelVersion ToVersion(JsonElement e, string groupName)
        {
            var arn = Str(e, "ModelPackageArn") ?? "";
            var v = new ModelVersion
            {
                GroupName = Str(e, "ModelPackageGroupName") ?? groupName,
                Arn = arn,
                Version = Int(e, "ModelPackageVersion") ?? VersionFromArn(arn),
                Status = DomainStatus(Str(e, "ModelApprovalStatus")),
                CreatedUtc = Time(e, "CreationTime"),
                Description = Str(e, "ModelPackageDescription"),
                PackageStatus = Str(e, "ModelPackageStatus"),
            };
            // ModelLifeCycle comes with both the summary (ListModelPackages) and the description.
            if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty("ModelLifeCycle", out var life) && life.ValueKind == JsonValueKind.Object)
            {
                v.Stage = Str(life, "Stage");
                v.StageStatus = Str(life, "StageStatus");
                v.StageDescription = Str(life, "StageDescription");
            }
            return v;
        }

        private static ModelVersion ToDetailedVersion(JsonElement e)
        {
            var v = ToVersion(e, "");
            v.IsDetailed = true;
            v.ApprovalDescription = Str(e, "ApprovalDescription");
            v.LastModifiedUtc = Time(e, "LastModifiedTime");
            v.LastModifiedBy = Who(e, "LastModifiedBy") ?? Who(e, "CreatedBy");
            v.CreatedBy = Who(e, "CreatedBy");
            if (e.TryGetProperty("InferenceSpecification", out var spec) && spec.ValueKind == JsonValueKind.Object)
            {
                var first = Items(spec, "Containers").FirstOrDefault();
                if (first.ValueKind == JsonValueKind.Object)
                {
                    v.ImageUri = Str(first, "Image");
                    v.ModelDataUrl = Str(first, "ModelDataUrl");
                }
                v.ContentTypes = Strings(spec, "SupportedContentTypes");
                v.ResponseTypes = Strings(spec, "SupportedResponseMIMETypes");
                v.InferenceInstanceTypes = Strings(spec, "SupportedRealtimeInferenceInstanceTypes");
                v.TransformInstanceTypes = Strings(spec, "SupportedTransformInstanceTypes");
            }
            var sources = new List<MetricsSource>();
            if (e.TryGetProperty("ModelMetrics", out var metrics) && metrics.ValueKind == JsonValueKind.Object)
                foreach (var wire in MetricsSources.Wire)
                    if (metrics.TryGetProperty(wire.Section, out var section) && section.ValueKind == JsonValueKind.Object &&
                        section.TryGetProperty(wire.Member, out var source) && source.ValueKind == JsonValueKind.Object &&
                        Str(source, "S3Uri") is string uri)
                        sources.Add(new MetricsSource(wire.Kind, uri, Str(source, "ContentType"), Str(source, "ContentDigest")));
            v.MetricsSources = sources;
            var statistics = sources.FirstOrDefault(x => x.Kind == MetricsSourceKind.ModelQualityStatistics);
            v.ModelStatisticsUri = statistics?.Uri;
            v.ModelStatisticsContentType = statistics?.ContentType;
            if (e.TryGetProperty("CustomerMetadataProperties", out var meta) && meta.ValueKind == JsonValueKind.Object)
                v.CustomerMetadata = new TagSet(meta.EnumerateObject().Select(p => new KeyValuePair<string, string>(p.Name, p.Value.GetString() ?? "")));
            return v;
        }

        /// <summary>UserProfileName, or the IAM identity's ARN, of a CreatedBy/LastModifiedBy structure.</summary>
        private static string? Who(JsonElement e, string name)
        {
            if (!e.TryGetProperty(name, out var who) || who.ValueKind != JsonValueKind.Object)
                return null;
            if (who.TryGetProperty("IamIdentity", out var iam) && iam.ValueKind == JsonValueKind.Object && Str(iam, "Arn") is string iamArn)
                return iamArn;
            return Str(who, "UserProfileName") ?? Str(who, "UserProfileArn");
        }

        // ---- domain → wire --------------------------------------------------------------------------

        private static void WriteCreateModelPackage(Utf8JsonWriter w, VersionSpec spec)
        {
            w.WriteString("ModelPackageGroupName", spec.GroupName);
            if (!string.IsNullOrEmpty(spec.Description)) w.WriteString("ModelPackageDescription", spec.Description);
            if (spec.ImageUri != null || spec.ModelDataUrl != null)
            {
                w.WriteStartObject("InferenceSpecification");
                w.WriteStartArray("Containers");
                w.WriteStartObject();
                if (spec.ImageUri != null) w.WriteString("Image", spec.ImageUri);
                if (spec.ModelDataUrl != null) w.WriteString("ModelDataUrl", spec.ModelDataUrl);
                w.WriteEndObject();
                w.WriteEndArray();
                WriteStrings(w, "SupportedContentTypes", spec.ContentTypes);
                WriteStrings(w, "SupportedResponseMIMETypes", spec.ResponseTypes);
                WriteStrings(w, "SupportedRealtimeInferenceInstanceTypes", spec.InferenceInstanceTypes);
                // TransformInstanceTypes has a minimum of one item: omit the member when there are none.
                WriteStrings(w, "SupportedTransformInstanceTypes", spec.TransformInstanceTypes);
                w.WriteEndObject();
            }
            var sources = MetricsSources.Of(spec);
            if (sources.Count > 0)
            {
                w.WriteStartObject("ModelMetrics");
                foreach (var section in MetricsSources.Wire.Where(x => sources.Any(s => s.Kind == x.Kind)).GroupBy(x => x.Section))
                {
                    w.WriteStartObject(section.Key);
                    foreach (var member in section)
                    {
                        var source = sources.First(s => s.Kind == member.Kind);
                        w.WriteStartObject(member.Member);
                        w.WriteString("ContentType", source.ContentType);
                        if (source.ContentDigest != null) w.WriteString("ContentDigest", source.ContentDigest);
                        w.WriteString("S3Uri", source.Uri);
                        w.WriteEndObject();
                    }
                    w.WriteEndObject();
                }
                w.WriteEndObject();
            }
            w.WriteString("ModelApprovalStatus", WireStatus(spec.ApprovalStatus));
            if (spec.CustomerMetadata != null && spec.CustomerMetadata.Count > 0)
            {
                w.WriteStartObject("CustomerMetadataProperties");
                foreach (var p in spec.CustomerMetadata) w.WriteString(p.Key, p.Value);
                w.WriteEndObject();
            }
            WriteTags(w, spec.Tags);
            if (!string.IsNullOrEmpty(spec.ClientToken)) w.WriteString("ClientToken", spec.ClientToken);
            WriteLifecycle(w, VersionLifecycle.Of(spec));
        }

        /// <summary>ModelLifeCycle {Stage, StageStatus, StageDescription} (CreateModelPackage, UpdateModelPackage); nothing when null.</summary>
        private static void WriteLifecycle(Utf8JsonWriter w, VersionLifecycle? lifecycle)
        {
            if (lifecycle is null) return;
            w.WriteStartObject("ModelLifeCycle");
            w.WriteString("Stage", lifecycle.Stage);
            w.WriteString("StageStatus", lifecycle.StageStatus);
            if (lifecycle.StageDescription != null) w.WriteString("StageDescription", lifecycle.StageDescription);
            w.WriteEndObject();
        }

        private static string StatisticsContentType(VersionSpec spec) =>
            string.IsNullOrEmpty(spec.ModelStatisticsContentType) ? "application/json" : spec.ModelStatisticsContentType!;

        private static void WriteTags(Utf8JsonWriter w, IEnumerable<KeyValuePair<string, string>>? tags)
        {
            if (tags is null || !tags.Any())
                return;
            w.WriteStartArray("Tags");
            foreach (var t in tags)
            {
                w.WriteStartObject();
                w.WriteString("Key", t.Key);
                w.WriteString("Value", t.Value ?? "");
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }

        private static void WriteStrings(Utf8JsonWriter w, string name, IReadOnlyList<string>? values)
        {
            if (values is null || values.Count == 0)
                return;
            w.WriteStartArray(name);
            foreach (var v in values) w.WriteStringValue(v);
            w.WriteEndArray();
        }

        internal static string WireStatus(ApprovalStatus status) => status switch
        {
            ApprovalStatus.Approved => "Approved",
            ApprovalStatus.Rejected => "Rejected",
            _ => "PendingManualApproval",
        };

        internal static ApprovalStatus DomainStatus(string? wire) => wire switch
        {
            "Approved" => ApprovalStatus.Approved,
            "Rejected" => ApprovalStatus.Rejected,
            _ => ApprovalStatus.PendingManualApproval,
        };

        // ---- JSON helpers ---------------------------------------------------------------------------

        private static IEnumerable<JsonElement> Items(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var list) && list.ValueKind == JsonValueKind.Array
                ? list.EnumerateArray()
                : Enumerable.Empty<JsonElement>();

        private static IReadOnlyList<string> Strings(JsonElement e, string name) =>
            Items(e, name).Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList();

        private static string? Str(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        private static int? Int(JsonElement e, string name) =>
            e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number && v.TryGetInt32(out var i) ? i : (int?)null;

        private static string? NextToken(JsonElement e)
        {
            var token = Str(e, "NextToken");
            return string.IsNullOrEmpty(token) ? null : token;
        }

        /// <summary>awsJson timestamps are epoch seconds (with fractions); tolerate ISO 8601 strings too.</summary>
        internal static DateTime? Time(JsonElement e, string name)
        {
            if (e.ValueKind != JsonValueKind.Object || !e.TryGetProperty(name, out var v))
                return null;
            if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var seconds))
                return DateTimeOffset.FromUnixTimeMilliseconds((long)Math.Round(seconds * 1000.0)).UtcDateTime;
            if (v.ValueKind == JsonValueKind.String &&
                DateTimeOffset.TryParse(v.GetString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                return parsed.UtcDateTime;
            return null;
        }

        internal static double EpochSeconds(DateTime t)
        {
            var utc = t.Kind == DateTimeKind.Local ? t.ToUniversalTime() : DateTime.SpecifyKind(t, DateTimeKind.Utc);
            return (utc - new DateTime(1970, 1, 1, 0, 0, 0, DateTimeKind.Utc)).TotalMilliseconds / 1000.0;
        }

        /// <summary>The version number is the ARN's last segment: …:model-package/{group}/{version}.</summary>
        internal static int VersionFromArn(string arn)
        {
            var slash = arn.LastIndexOf('/');
            return slash >= 0 && int.TryParse(arn.Substring(slash + 1), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 0;
        }

        /// <summary>Remembers the account from an ARN the service returned, for <see cref="GroupArn"/>.</summary>
        private void Learn(string arn)
        {
            if (_account != null) return;
            var parts = arn.Split(':');
            if (parts.Length >= 6 && parts[4].Length == 12) _account = parts[4];
        }

        private static int Clamp(int value, int min, int max) => value < min ? min : value > max ? max : value;

        private static IEnumerable<List<T>> Chunks<T>(IEnumerable<T> items, int size)
        {
            var chunk = new List<T>(size);
            foreach (var item in items)
            {
                chunk.Add(item);
                if (chunk.Count == size)
                {
                    yield return chunk;
                    chunk = new List<T>(size);
                }
            }
            if (chunk.Count > 0) yield return chunk;
        }
    }
}
