using System.Collections.Generic;
using ModelRegistry.Engine.Config;

namespace ModelRegistry.Engine.Registry
{
    /// <summary>
    /// SageMaker's input rules (botocore's model), checked before a request is made by every backend, so bad
    /// input is the same clear Invalid error everywhere — not a service round trip, and not silently accepted
    /// by an emulator that does not validate.
    /// </summary>
    public static class RequestChecks
    {
        public static void GroupName(string name)
        {
            var problem = Naming.CheckGroupName(name);
            if (problem != null) throw new RegistryException(RegistryErrorKind.Invalid, Capitalise(problem) + ".", name);
        }

        public static void NewGroup(string name, string? description, IReadOnlyDictionary<string, string>? tags)
        {
            GroupName(name);
            var problem = Naming.CheckDescription(description);
            if (problem != null) throw new RegistryException(RegistryErrorKind.Invalid, $"Model group '{name}': {problem}.", name);
            if (tags is null) return;
            if (tags.Count > 50) throw new RegistryException(RegistryErrorKind.Invalid, $"Model group '{name}' has {tags.Count} tags; SageMaker allows at most 50.", name);
            foreach (var tag in tags)
            {
                problem = Naming.CheckTagKey(tag.Key) ?? Naming.CheckTagValue(tag.Value);
                if (problem != null) throw new RegistryException(RegistryErrorKind.Invalid, $"Model group '{name}': {problem}.", name);
            }
        }

        public static void PageSize(int pageSize)
        {
            if (pageSize < 1 || pageSize > RegistryExtensions.MaxPageSize)
                throw new RegistryException(RegistryErrorKind.Invalid, $"Page size {pageSize} is out of range 1–{RegistryExtensions.MaxPageSize}.");
        }

        /// <summary>SageMaker's limit for a model group's resource policy (botocore: PolicyString, max 20480).</summary>
        public const int MaxGroupPolicyLength = 20480;

        /// <summary>A group's resource policy: a JSON object of 1–20,480 characters (PutModelPackageGroupPolicy's ResourcePolicy).</summary>
        public static void GroupPolicy(string groupName, string? policy)
        {
            GroupName(groupName);
            if (string.IsNullOrWhiteSpace(policy))
                throw new RegistryException(RegistryErrorKind.Invalid, $"The resource policy for model group '{groupName}' is empty.", groupName);
            if (policy!.Length > MaxGroupPolicyLength)
                throw new RegistryException(RegistryErrorKind.Invalid,
                    $"The resource policy for model group '{groupName}' is {policy.Length} characters; SageMaker allows at most {MaxGroupPolicyLength}.", groupName);
            try
            {
                using var document = System.Text.Json.JsonDocument.Parse(policy);
                if (document.RootElement.ValueKind != System.Text.Json.JsonValueKind.Object)
                    throw new RegistryException(RegistryErrorKind.Invalid, $"The resource policy for model group '{groupName}' is not a JSON object.", groupName);
            }
            catch (System.Text.Json.JsonException e)
            {
                throw new RegistryException(RegistryErrorKind.Invalid, $"The resource policy for model group '{groupName}' is not valid JSON: {e.Message}", groupName);
            }
        }

        private static string Capitalise(string s) => s.Length == 0 ? s : char.ToUpperInvariant(s[0]) + s.Substring(1);
    }
}
