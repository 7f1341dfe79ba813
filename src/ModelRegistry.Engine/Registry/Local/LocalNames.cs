using ModelRegistry.Engine.Config;
using System;
using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace ModelRegistry.Engine.Registry.Local
{
    /// <summary>SageMaker's naming rules and ARN shapes, and the Local registry's opaque page tokens.</summary>
    internal static class LocalNames
    {
        // \A…\z: $ would accept a trailing line break ("rc-ok\n" would become a second group).
        private static readonly Regex Arn = new Regex(
            @"\Aarn:(?<partition>aws[a-z-]*):sagemaker:(?<region>[a-z0-9-]+):(?<account>[0-9]{12}):" +
            @"(?:model-package-group/(?<group>[^/]+)|model-package/(?<vgroup>[^/]+)/(?<version>[0-9]{1,9}))\z",
            RegexOptions.CultureInvariant);

        /// <summary>The one name rule (<see cref="Naming.CheckEntityName"/>), as the Local registry's Invalid error.</summary>
        public static void ValidateGroupName(string? name, string what = "model package group name")
        {
            var problem = Naming.CheckEntityName(name, what);
            if (problem != null)
                throw new RegistryException(RegistryErrorKind.Invalid, char.ToUpperInvariant(problem[0]) + problem.Substring(1) + ".", name);
        }

        /// <summary>Group names are case-insensitive in SageMaker; this is the folder (and lock) name.</summary>
        public static string Key(string name) => name.ToLowerInvariant();

        public static void ValidateNameContains(string nameContains)
        {
            if (!Naming.IsNameContains(nameContains))
                throw new RegistryException(RegistryErrorKind.Invalid,
                    $"NameContains '{nameContains}' is not valid: 1–63 letters, digits and hyphens.", nameContains);
        }

        public static void ValidateClientToken(string token)
        {
            if (!Naming.IsClientToken(token))
                throw new RegistryException(RegistryErrorKind.Invalid,
                    $"ClientToken '{token}' is not valid: 1–36 letters, digits and hyphens.", token);
        }

        /// <summary>Token as a file name that survives case-insensitive file systems (tokens themselves are case-sensitive).</summary>
        public static string TokenFileName(string token)
        {
            var sb = new StringBuilder(token.Length * 2 + 5);
            foreach (var b in Encoding.ASCII.GetBytes(token))
                sb.Append(b.ToString("x2", CultureInfo.InvariantCulture));
            return sb.Append(".json").ToString();
        }

        /// <summary>A parsed group or version ARN; Version is null for a group.</summary>
        public sealed class ParsedArn
        {
            public ParsedArn(string region, string account, string groupName, int? version)
            {
                Region = region;
                Account = account;
                GroupName = groupName;
                Version = version;
            }

            public string Region { get; }
            public string Account { get; }
            public string GroupName { get; }
            public int? Version { get; }
        }

        public static ParsedArn ParseArn(string? arn)
        {
            var m = arn is null ? null : Arn.Match(arn);
            if (m is null || !m.Success)
                throw new RegistryException(RegistryErrorKind.Invalid,
                    $"'{arn}' is not a model package group or model package ARN " +
                    "(arn:aws:sagemaker:<region>:<account>:model-package-group/<name> or …:model-package/<group>/<version>).", arn);
            var isGroup = m.Groups["group"].Success;
            var group = isGroup ? m.Groups["group"].Value : m.Groups["vgroup"].Value;
            ValidateGroupName(group, "group name in ARN " + arn);
            int? version = null;
            if (!isGroup)
            {
                var n = int.Parse(m.Groups["version"].Value, CultureInfo.InvariantCulture);
                if (n < 1)
                    throw new RegistryException(RegistryErrorKind.Invalid, $"'{arn}' has no valid version number.", arn);
                version = n;
            }
            return new ParsedArn(m.Groups["region"].Value, m.Groups["account"].Value, group, version);
        }

        /// <summary>Opaque continuation token: which listing it belongs to and the last key returned.</summary>
        public static string EncodeToken(string listing, string lastKey) =>
            Convert.ToBase64String(Encoding.UTF8.GetBytes("mr1|" + listing + "|" + lastKey));

        public static string DecodeToken(string token, string listing)
        {
            try
            {
                var text = Encoding.UTF8.GetString(Convert.FromBase64String(token));
                var prefix = "mr1|" + listing + "|";
                if (text.StartsWith(prefix, StringComparison.Ordinal))
                    return text.Substring(prefix.Length);
            }
            catch (FormatException)
            {
            }
            throw new RegistryException(RegistryErrorKind.Invalid,
                "NextToken is not valid for this listing; pass the NextToken of the previous page of the same query.", token);
        }
    }
}
