using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace ModelRegistry.Engine.Config
{
    /// <summary>What a SageMaker ARN names, as far as this module is concerned.</summary>
    public enum ArnKind
    {
        /// <summary>arn:…:sagemaker:…:model-package-group/{name}</summary>
        Group,
        /// <summary>arn:…:sagemaker:…:model-package/{group}/{version}</summary>
        Version,
        /// <summary>arn:…:sagemaker:…:endpoint/{name}</summary>
        Endpoint,
    }

    /// <summary>A recognised SageMaker ARN: its kind, region, account, the name it ends in and (for a version) the number.</summary>
    public sealed class SageMakerArn
    {
        internal SageMakerArn(string text, ArnKind kind, string region, string account, string name, int? version)
        {
            Text = text;
            Kind = kind;
            Region = region;
            Account = account;
            Name = name;
            Version = version;
        }

        public string Text { get; }
        public ArnKind Kind { get; }
        public string Region { get; }
        public string Account { get; }
        /// <summary>The group's name (Group, Version) or the endpoint's (Endpoint).</summary>
        public string Name { get; }
        public int? Version { get; }
        public override string ToString() => Text;
    }

    /// <summary>
    /// Tells ARNs from names, the one way: a string piped or given where a name or an ARN is expected is an ARN when it
    /// starts with <c>arn:</c>, and then it must be one of the kinds the parameter takes (else InvalidArn); anything
    /// else is a name.
    /// </summary>
    public static class Arns
    {
        /// <summary>The ErrorId reason of a string that starts like an ARN but is not one the parameter takes.</summary>
        public const string InvalidReason = "InvalidArn";

        private static readonly Regex Pattern = new Regex(
            @"\Aarn:aws(-[a-z]+)*:sagemaker:(?<region>[a-z]{2}(-[a-z]+)+-[0-9]+):(?<account>[0-9]{12}):" +
            @"(?:model-package-group/(?<group>[^/]+)|model-package/(?<vgroup>[^/]+)/(?<version>[0-9]{1,9})|endpoint/(?<endpoint>[^/]+))\z",
            RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

        /// <summary>True when the text is meant as an ARN (starts with arn:), whether or not it is a valid one.</summary>
        public static bool LooksLikeArn(string? text) => text != null && text.StartsWith("arn:", StringComparison.OrdinalIgnoreCase);

        /// <summary>The ARN, or null when the text is not a SageMaker group, version or endpoint ARN.</summary>
        public static SageMakerArn? TryParse(string? text)
        {
            if (text is null) return null;
            var m = Pattern.Match(text);
            if (!m.Success) return null;
            var region = m.Groups["region"].Value;
            var account = m.Groups["account"].Value;
            if (m.Groups["group"].Success) return new SageMakerArn(text, ArnKind.Group, region, account, m.Groups["group"].Value, null);
            if (m.Groups["endpoint"].Success) return new SageMakerArn(text, ArnKind.Endpoint, region, account, m.Groups["endpoint"].Value, null);
            var version = int.Parse(m.Groups["version"].Value, CultureInfo.InvariantCulture);
            return version < 1 ? null : new SageMakerArn(text, ArnKind.Version, region, account, m.Groups["vgroup"].Value, version);
        }

        /// <summary>
        /// The ARN when it is one of <paramref name="kinds"/>; otherwise throws the InvalidArn refusal (ErrorId
        /// ModelRegistry.Invalid.InvalidArn), saying what was expected and, for a name where an ARN is needed, what to use.
        /// </summary>
        public static SageMakerArn Require(string text, string what, string? hint, params ArnKind[] kinds)
        {
            var parsed = TryParse(text);
            if (parsed != null && Array.IndexOf(kinds, parsed.Kind) >= 0) return parsed;
            var shapes = string.Join(" or ", Array.ConvertAll(kinds, Shape));
            var said = parsed is null
                ? (LooksLikeArn(text) ? "is not a valid SageMaker ARN" : "is not an ARN")
                : $"is a {Describe(parsed.Kind)} ARN";
            throw new RegistryException(RegistryErrorKind.Invalid,
                $"'{text}' {said}; {what} needs {shapes}.{(hint is null ? "" : " " + hint)}", text, reason: InvalidReason);
        }

        /// <summary>A group's name given as a name or as a group ARN; any other ARN throws the InvalidArn refusal.</summary>
        public static string GroupName(string text, string what) =>
            LooksLikeArn(text) ? Require(text, what, null, ArnKind.Group).Name : text;

        private static string Describe(ArnKind kind) => kind switch
        {
            ArnKind.Group => "model group",
            ArnKind.Version => "model version",
            _ => "endpoint",
        };

        private static string Shape(ArnKind kind) => kind switch
        {
            ArnKind.Group => "a model group ARN (arn:aws:sagemaker:<region>:<account>:model-package-group/<name>)",
            ArnKind.Version => "a model version ARN (arn:aws:sagemaker:<region>:<account>:model-package/<group>/<version>)",
            _ => "an endpoint ARN (arn:aws:sagemaker:<region>:<account>:endpoint/<name>)",
        };
    }
}
