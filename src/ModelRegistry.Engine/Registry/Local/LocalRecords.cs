using System;
using System.Collections.Generic;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace ModelRegistry.Engine.Registry.Local
{
    /// <summary>groups/&lt;key&gt;/group.json. Created once by exclusive link; rewritten only under the exclusive group lock.</summary>
    internal sealed class GroupRecord
    {
        public int Format { get; set; } = LocalJson.FormatVersion;
        /// <summary>Display name as first created; the folder name is its lower-case key.</summary>
        public string Name { get; set; } = "";
        public string? Description { get; set; }
        public DateTime Created { get; set; }
        public Dictionary<string, string> Tags { get; set; } = new Dictionary<string, string>();
        /// <summary>Highest version number ever deleted, so a deleted number is never handed out again.</summary>
        public int HighestDeletedVersion { get; set; }
    }

    /// <summary>groups/&lt;key&gt;/versions/&lt;n&gt;.json. The version number is the file name, never stored inside, so one
    /// temp file can be linked to n, n+1, … until a number is free.</summary>
    internal sealed class VersionRecord
    {
        public int Format { get; set; } = LocalJson.FormatVersion;
        public string GroupName { get; set; } = "";
        public ApprovalStatus Status { get; set; }
        public DateTime Created { get; set; }
        public DateTime LastModified { get; set; }
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
        public Dictionary<string, string> CustomerMetadata { get; set; } = new Dictionary<string, string>();
        public Dictionary<string, string> Tags { get; set; } = new Dictionary<string, string>();
        public string? ClientToken { get; set; }
        /// <summary>ModelLifeCycle; absent (null) in records written before lifecycle existed, or never staged.</summary>
        public string? Stage { get; set; }
        public string? StageStatus { get; set; }
        public string? StageDescription { get; set; }
    }

    /// <summary>groups/&lt;key&gt;/tokens/&lt;hex of token&gt;.json: which version a ClientToken registered.</summary>
    internal sealed class TokenRecord
    {
        public int Version { get; set; }
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

        /// <summary>Parses a record; a file that does not parse is reported by path rather than skipped, so damage is seen.</summary>
        public static T Deserialize<T>(byte[] bytes, string path) where T : class
        {
            try
            {
                return JsonSerializer.Deserialize<T>(bytes, Options)
                    ?? throw new JsonException("the file holds null");
            }
            catch (JsonException e)
            {
                throw new RegistryException(RegistryErrorKind.Unavailable,
                    $"The Local registry file '{path}' is damaged and cannot be read: {e.Message}", path, inner: e);
            }
        }
    }
}
