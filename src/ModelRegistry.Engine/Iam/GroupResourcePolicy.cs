using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using System.Text.Json;
using ModelRegistry.Engine.Config;
using ModelRegistry.Engine.Registry;

namespace ModelRegistry.Engine.Iam
{
    /// <summary>
    /// The resource policy that shares one model group with consumer accounts (AWS: the ResourcePolicy of
    /// PutModelPackageGroupPolicy), and how a policy read back from the registry is understood.
    /// </summary>
    /// <remarks>
    /// Each consumer account's root principal gets exactly what a cross-account deploy needs: DescribeModelPackageGroup
    /// on the group, and DescribeModelPackage, ListModelPackages and CreateModel on its versions
    /// (…:model-package/{group}/*). <c>allowApproval</c> adds UpdateModelPackage on the versions in a statement of its
    /// own. Every statement's Sid starts with <see cref="SidPrefix"/>: that is how a policy this module wrote is told
    /// from one written by hand, which is never overwritten without -Force.
    /// </remarks>
    public static class GroupResourcePolicy
    {
        /// <summary>The prefix of every Sid this module writes.</summary>
        public const string SidPrefix = "ModelRegistry";
        public const string DescribeGroupSid = SidPrefix + "DescribeGroup";
        public const string UseVersionsSid = SidPrefix + "UseVersions";
        public const string ApproveVersionsSid = SidPrefix + "ApproveVersions";

        public static readonly IReadOnlyList<string> GroupActions = new[] { "sagemaker:DescribeModelPackageGroup" };
        public static readonly IReadOnlyList<string> VersionActions = new[] { "sagemaker:CreateModel", "sagemaker:DescribeModelPackage", "sagemaker:ListModelPackages" };
        public static readonly IReadOnlyList<string> ApprovalActions = new[] { "sagemaker:UpdateModelPackage" };

        /// <summary>
        /// The policy document (compact JSON) sharing the group <paramref name="groupArn"/> with <paramref name="consumerAccounts"/>.
        /// Invalid when there is no account, an account is not 12 digits, or the document would exceed SageMaker's limit
        /// (<see cref="RequestChecks.MaxGroupPolicyLength"/> characters).
        /// </summary>
        public static string Build(string groupArn, IEnumerable<string> consumerAccounts, bool allowApproval)
        {
            var (partition, groupName, versionsArn) = Parts(groupArn);
            var accounts = (consumerAccounts ?? Array.Empty<string>()).Distinct(StringComparer.Ordinal).OrderBy(a => a, StringComparer.Ordinal).ToList();
            if (accounts.Count == 0)
                throw new RegistryException(RegistryErrorKind.Invalid, $"No consumer account to share model group '{groupName}' with.", groupName);
            var bad = accounts.FirstOrDefault(a => !Naming.IsAccountId(a));
            if (bad != null)
                throw new RegistryException(RegistryErrorKind.Invalid, $"'{bad}' is not an AWS account id (12 digits); model group '{groupName}' was not shared.", groupName);
            var principals = accounts.Select(a => $"arn:{partition}:iam::{a}:root").ToList();

            var statements = new List<(string Sid, IReadOnlyList<string> Actions, string Resource)>
            {
                (DescribeGroupSid, GroupActions, groupArn),
                (UseVersionsSid, VersionActions, versionsArn),
            };
            if (allowApproval) statements.Add((ApproveVersionsSid, ApprovalActions, versionsArn));

            using var buffer = new MemoryStream();
            using (var w = new Utf8JsonWriter(buffer))
            {
                w.WriteStartObject();
                w.WriteString("Version", "2012-10-17");
                w.WriteStartArray("Statement");
                foreach (var s in statements)
                {
                    w.WriteStartObject();
                    w.WriteString("Sid", s.Sid);
                    w.WriteString("Effect", "Allow");
                    w.WriteStartObject("Principal");
                    w.WriteStartArray("AWS");
                    foreach (var p in principals) w.WriteStringValue(p);
                    w.WriteEndArray();
                    w.WriteEndObject();
                    w.WriteStartArray("Action");
                    foreach (var a in s.Actions) w.WriteStringValue(a);
                    w.WriteEndArray();
                    w.WriteString("Resource", s.Resource);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
                w.WriteEndObject();
            }
            var document = Encoding.UTF8.GetString(buffer.ToArray());
            if (document.Length > RequestChecks.MaxGroupPolicyLength)
                throw new RegistryException(RegistryErrorKind.Invalid,
                    $"The resource policy sharing model group '{groupName}' with {accounts.Count} accounts is {document.Length} characters; " +
                    $"SageMaker allows at most {RequestChecks.MaxGroupPolicyLength} (ResourcePolicy). Share it with fewer accounts.", groupName);
            return document;
        }

        /// <summary>What a policy read from the registry says, as far as this module is concerned.</summary>
        public sealed class Reading
        {
            internal Reading(bool isManaged, IReadOnlyList<string> accounts, bool allowsApproval, IReadOnlyCollection<string> canonical, bool parsed)
            {
                IsManaged = isManaged;
                ConsumerAccounts = accounts;
                AllowsApproval = allowsApproval;
                Canonical = canonical;
                Parsed = parsed;
            }

            /// <summary>Some statement's Sid starts with <see cref="SidPrefix"/>: this module wrote it.</summary>
            public bool IsManaged { get; }
            /// <summary>The accounts the module's statements grant (ids, sorted); empty for a policy the module did not write.</summary>
            public IReadOnlyList<string> ConsumerAccounts { get; }
            /// <summary>The module's statements grant UpdateModelPackage.</summary>
            public bool AllowsApproval { get; }
            /// <summary>The JSON parsed as a policy object.</summary>
            public bool Parsed { get; }
            internal IReadOnlyCollection<string> Canonical { get; }
        }

        /// <summary>Reads a policy document; never throws (a document that does not parse reads as not the module's).</summary>
        public static Reading Read(string? policy)
        {
            var canonical = new SortedSet<string>(StringComparer.Ordinal);
            var accounts = new SortedSet<string>(StringComparer.Ordinal);
            var managed = false;
            var approval = false;
            if (string.IsNullOrWhiteSpace(policy)) return new Reading(false, Array.Empty<string>(), false, canonical, false);
            try
            {
                using var document = JsonDocument.Parse(policy!);
                if (document.RootElement.ValueKind != JsonValueKind.Object ||
                    !document.RootElement.TryGetProperty("Statement", out var statements))
                    return new Reading(false, Array.Empty<string>(), false, canonical, false);
                var list = statements.ValueKind == JsonValueKind.Array ? statements.EnumerateArray().ToList() : new List<JsonElement> { statements };
                foreach (var s in list.Where(x => x.ValueKind == JsonValueKind.Object))
                {
                    var sid = Str(s, "Sid") ?? "";
                    var principals = Strings(s, "Principal", "AWS").Select(CanonicalPrincipal).OrderBy(x => x, StringComparer.Ordinal).ToList();
                    var actions = Strings(s, "Action").OrderBy(x => x, StringComparer.OrdinalIgnoreCase).ToList();
                    var resources = Strings(s, "Resource").OrderBy(x => x, StringComparer.Ordinal).ToList();
                    var rest = s.EnumerateObject().Where(p => p.Name != "Sid" && p.Name != "Effect" && p.Name != "Principal" && p.Name != "Action" && p.Name != "Resource")
                        .OrderBy(p => p.Name, StringComparer.Ordinal).Select(p => p.Name + "=" + p.Value.GetRawText());
                    canonical.Add(string.Join("|", new[] { sid, Str(s, "Effect") ?? "", string.Join(",", principals),
                        string.Join(",", actions.Select(a => a.ToLowerInvariant())), string.Join(",", resources) }.Concat(rest)));
                    if (!sid.StartsWith(SidPrefix, StringComparison.Ordinal)) continue;
                    managed = true;
                    foreach (var p in principals) accounts.Add(AccountOf(p));
                    if (actions.Any(a => string.Equals(a, ApprovalActions[0], StringComparison.OrdinalIgnoreCase))) approval = true;
                }
                return new Reading(managed, accounts.ToList(), approval, canonical, true);
            }
            catch (JsonException)
            {
                return new Reading(false, Array.Empty<string>(), false, canonical, false);
            }
        }

        /// <summary>Whether two documents grant the same: the same statements (Sid, effect, principals, actions, resources,
        /// anything else), whatever their order, layout, or the form of a principal (an account id or its root ARN).</summary>
        public static bool SameGrants(string? a, string? b)
        {
            if (a is null || b is null) return a is null && b is null;
            var ra = Read(a);
            var rb = Read(b);
            return ra.Parsed && rb.Parsed && ra.Canonical.SequenceEqual(rb.Canonical);
        }

        /// <summary>The partition, group name and versions ARN of a group ARN (arn:{partition}:sagemaker:{region}:{account}:model-package-group/{name}).</summary>
        private static (string Partition, string GroupName, string VersionsArn) Parts(string groupArn)
        {
            const string marker = ":model-package-group/";
            var at = groupArn?.IndexOf(marker, StringComparison.Ordinal) ?? -1;
            var parts = groupArn?.Split(':') ?? Array.Empty<string>();
            if (at < 0 || parts.Length < 6 || parts[0] != "arn")
                throw new ArgumentException($"'{groupArn}' is not a model package group ARN.", nameof(groupArn));
            var name = groupArn!.Substring(at + marker.Length);
            return (parts[1], name, groupArn.Substring(0, at) + ":model-package/" + name + "/*");
        }

        /// <summary>An account id principal means that account's root, as IAM reads it.</summary>
        private static string CanonicalPrincipal(string p) => Naming.IsAccountId(p) ? $"arn:aws:iam::{p}:root" : p;

        private static string AccountOf(string principal)
        {
            var parts = principal.Split(':');
            return parts.Length >= 6 && parts[2] == "iam" && Naming.IsAccountId(parts[4]) ? parts[4] : principal;
        }

        private static string? Str(JsonElement e, string name) =>
            e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;

        /// <summary>A member that may be one string or a list of strings (IAM accepts both); <paramref name="inner"/> reads
        /// one level down (Principal.AWS). "Principal": "*" reads as "*".</summary>
        private static IEnumerable<string> Strings(JsonElement e, string name, string? inner = null)
        {
            if (!e.TryGetProperty(name, out var v)) return Enumerable.Empty<string>();
            if (inner != null)
            {
                if (v.ValueKind == JsonValueKind.String) return new[] { v.GetString()! };
                if (v.ValueKind != JsonValueKind.Object || !v.TryGetProperty(inner, out v)) return Enumerable.Empty<string>();
            }
            if (v.ValueKind == JsonValueKind.String) return new[] { v.GetString()! };
            if (v.ValueKind == JsonValueKind.Array)
                return v.EnumerateArray().Where(x => x.ValueKind == JsonValueKind.String).Select(x => x.GetString()!).ToList();
            return new[] { v.GetRawText() };
        }
    }
}
