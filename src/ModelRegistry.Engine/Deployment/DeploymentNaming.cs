using System;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using ModelRegistry.Engine.Config;

namespace ModelRegistry.Engine.Deployment
{
    /// <summary>
    /// Names of the models and endpoint configs this module creates: <c>{group}-{version}-{hash}</c>, lower case,
    /// at most 63 characters (SageMaker EntityName). The hash covers everything that shapes them (version ARN,
    /// endpoint, instance type and count, role), so a repeated deploy finds its own earlier resources and two
    /// different deployments never share a name. Every name starts with <see cref="ResourcePrefix"/>, which
    /// is what the Deployer IAM policy scopes to.
    /// </summary>
    public static class DeploymentNaming
    {
        public const int HashLength = 8;
        /// <summary>Room kept after the prefix for "{version}-{hash}" with a version up to 9 digits.</summary>
        private const int SuffixRoom = 9 + 1 + HashLength;

        /// <summary>"{group}-" in lower case, the group cut so that any version and hash still fit in 63 characters.</summary>
        public static string ResourcePrefix(string groupName)
        {
            var stem = groupName.ToLowerInvariant();
            var max = Naming.EntityNameMaxLength - SuffixRoom - 1;
            if (stem.Length > max) stem = stem.Substring(0, max).TrimEnd('-');
            return stem + "-";
        }

        /// <summary>The short hash of one deployment's shape.</summary>
        public static string Hash(string modelVersionArn, string endpointName, string instanceType, int instanceCount, string? executionRoleArn)
        {
            var text = string.Join("\n", modelVersionArn, endpointName.ToLowerInvariant(), instanceType,
                instanceCount.ToString(CultureInfo.InvariantCulture), executionRoleArn ?? "");
            using var sha = SHA256.Create();
            var digest = sha.ComputeHash(Encoding.UTF8.GetBytes(text));
            var sb = new StringBuilder(HashLength);
            for (var i = 0; sb.Length < HashLength; i++) sb.Append(digest[i].ToString("x2", CultureInfo.InvariantCulture));
            return sb.ToString(0, HashLength);
        }

        /// <summary>The model name; the endpoint config takes the same name (they are separate namespaces).</summary>
        public static string ResourceName(string groupName, int version, string hash)
        {
            if (version < 1) throw new ArgumentOutOfRangeException(nameof(version), "Version numbers start at 1.");
            var name = ResourcePrefix(groupName) + version.ToString(CultureInfo.InvariantCulture) + "-" + hash;
            if (!Naming.IsValidEntityName(name))
                throw new RegistryException(RegistryErrorKind.Invalid, $"Cannot form a valid resource name from group '{groupName}' (got '{name}').", groupName);
            return name;
        }
    }
}
