using ModelRegistry.Engine.Config;
using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelRegistry.Engine.Registry.Local
{
    /// <summary>groups/&lt;key&gt;/group.json. Created once by exclusive link; rewritten only under the exclusive group lock.</summary>
    internal sealed class GroupRecord : ILocalRecord
    {
        public int Format { get; set; } = LocalJson.FormatVersion;
        /// <summary>Display name as first created; the folder name is its lower-case key.</summary>
        public string Name { get; set; } = "";
        public string? Description { get; set; }
        public DateTime Created { get; set; }
        public Dictionary<string, string> Tags { get; set; } = new Dictionary<string, string>();
        /// <summary>The group's resource policy (AWS: PutModelPackageGroupPolicy's ResourcePolicy), as given; null when it has none
        /// (and in records written before group policies existed).</summary>
        public string? ResourcePolicy { get; set; }
        /// <summary>Highest version number ever deleted, so a deleted number is never handed out again.</summary>
        public int HighestDeletedVersion { get; set; }

        public string? Problem() =>
            LocalJson.FormatProblem(Format)
            ?? (Naming.IsValidEntityName(Name) ? null : $"its Name '{Name}' is not a valid group name")
            ?? (Tags is null ? "its Tags are null" : null)
            ?? (HighestDeletedVersion < 0 ? "its HighestDeletedVersion is negative" : null);
    }

    /// <summary>groups/&lt;key&gt;/versions/&lt;n&gt;.json. The version number is the file name, never stored inside, so one
    /// temp file can be linked to n, n+1, … until a number is free.</summary>
    internal sealed class VersionRecord : ILocalRecord
    {
        public int Format { get; set; } = LocalJson.FormatVersion;
        public string GroupName { get; set; } = "";
        public ApprovalStatus Status { get; set; }
        public DateTime Created { get; set; }
        public DateTime LastModified { get; set; }
        /// <summary>The OS user who registered the version, and who last changed it (Local has no IAM identity).</summary>
        public string? CreatedBy { get; set; }
        public string? LastModifiedBy { get; set; }
        public string? Description { get; set; }
        public string? ApprovalDescription { get; set; }
        public string? ImageUri { get; set; }
        public string? ModelDataUrl { get; set; }
        public List<string> ContentTypes { get; set; } = new List<string>();
        public List<string> ResponseTypes { get; set; } = new List<string>();
        public List<string> InferenceInstanceTypes { get; set; } = new List<string>();
        public List<string> TransformInstanceTypes { get; set; } = new List<string>();
        public string? ModelStatisticsUri { get; set; }
        public string? ModelStatisticsContentType { get; set; }
        /// <summary>Every metrics file (ModelStatisticsUri included, as ModelQualityStatistics); absent in older records.</summary>
        public List<MetricsSourceRecord>? MetricsSources { get; set; }
        public Dictionary<string, string> CustomerMetadata { get; set; } = new Dictionary<string, string>();
        public Dictionary<string, string> Tags { get; set; } = new Dictionary<string, string>();
        public string? ClientToken { get; set; }
        /// <summary>ModelLifeCycle; absent (null) in records written before lifecycle existed, or never staged.</summary>
        public string? Stage { get; set; }
        public string? StageStatus { get; set; }
        public string? StageDescription { get; set; }

        public string? Problem() =>
            LocalJson.FormatProblem(Format)
            ?? (Naming.IsValidEntityName(GroupName) ? null : $"its GroupName '{GroupName}' is not a valid group name")
            ?? (Enum.IsDefined(typeof(ApprovalStatus), Status) ? null : $"its Status {(int)Status} is not an approval status")
            ?? (ContentTypes is null || ResponseTypes is null || InferenceInstanceTypes is null || TransformInstanceTypes is null
                || CustomerMetadata is null || Tags is null ? "a list or map in it is null" : null);
    }

    /// <summary>One metrics file of a version (AWS: MetricsSource).</summary>
    internal sealed class MetricsSourceRecord
    {
        public MetricsSourceKind Kind { get; set; }
        public string Uri { get; set; } = "";
        public string? ContentType { get; set; }
        public string? ContentDigest { get; set; }
    }

    /// <summary>groups/&lt;key&gt;/tokens/&lt;hex of token&gt;.json: which version a ClientToken registered.</summary>
    internal sealed class TokenRecord
    {
        public int Version { get; set; }
    }

    /// <summary>A record that can say what is wrong with its shape after parsing (a file of valid JSON can still be wrong).</summary>
    internal interface ILocalRecord
    {
        /// <summary>Null when the record is usable; else what is wrong with it.</summary>
        string? Problem();
    }

    internal static class LocalJson
    {
        public const int FormatVersion = 1;

        private static readonly JsonSerializerOptions Options = new JsonSerializerOptions
        {
            WriteIndented = true,
            DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
            Converters = { new JsonStringEnumConverter() },
        };

        public static byte[] Serialize<T>(T value) => JsonSerializer.SerializeToUtf8Bytes(value, Options);

        /// <summary>Parses a record; a file that does not parse, or parses to the wrong shape, is one Damaged error naming the
        /// file (never skipped silently, so damage is seen; listings report it and go on with the other records).</summary>
        public static T Deserialize<T>(byte[] bytes, string path) where T : class
        {
            T value;
            try
            {
                value = JsonSerializer.Deserialize<T>(bytes, Options)
                    ?? throw new JsonException("the file holds null");
            }
            catch (Exception e) when (e is JsonException || e is NotSupportedException || e is InvalidOperationException)
            {
                throw Damaged(path, e.Message, e);
            }
            var problem = (value as ILocalRecord)?.Problem();
            if (problem != null) throw Damaged(path, problem, null);
            return value;
        }

        public static string? FormatProblem(int format) =>
            format == FormatVersion ? null : $"its Format is {format}; this module reads format {FormatVersion}";

        public static RegistryException Damaged(string path, string problem, Exception? inner) =>
            new RegistryException(RegistryErrorKind.Damaged,
                $"The Local registry file '{path}' is damaged and cannot be read: {problem}", path, inner: inner);
    }
}
