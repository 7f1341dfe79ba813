using System.Globalization;
using System.Text.RegularExpressions;

namespace ModelRegistry.Engine.Config
{
    /// <summary>
    /// SageMaker's naming rules for what the configuration produces, checked before any call so a bad
    /// <c>.env.shared</c> fails with a file and line instead of a ValidationException halfway through a run.
    /// Each <c>Check*</c> returns null when the value is valid, otherwise a message saying what is wrong.
    /// </summary>
    /// <remarks>
    /// Source: botocore 1.43.11, service model <c>sagemaker</c> (data/sagemaker/2017-07-24/service-2.json),
    /// shapes used by CreateModelPackageGroup:
    /// EntityName {min 1, max 63, pattern <c>[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}</c>};
    /// EntityDescription {min 0, max 1024, pattern <c>[\p{L}\p{M}\p{Z}\p{S}\p{N}\p{P}]*</c>};
    /// TagKey {min 1, max 128, pattern <c>([\p{L}\p{Z}\p{N}_.:/=+\-@]*)</c>};
    /// TagValue {min 0, max 256, same pattern}.
    /// The service applies patterns to the whole value, so they are anchored here.
    /// </remarks>
    public static class Naming
    {
        public const int EntityNameMaxLength = 63;
        public const int DescriptionMaxLength = 1024;
        public const int TagKeyMaxLength = 128;
        public const int TagValueMaxLength = 256;

        // \z, not $: $ would accept a trailing newline.
        private static readonly Regex EntityName =
            new Regex(@"\A[a-zA-Z0-9](-*[a-zA-Z0-9]){0,62}\z", RegexOptions.CultureInvariant);

        /// <summary>An AWS account id: exactly 12 digits (AWS_ACCOUNT_ID, -ExpectedAccountId).</summary>
        public static bool IsAccountId(string? value) => value != null && AccountIdPattern.IsMatch(value);

        /// <summary>The shape of an AWS account id (also the -AccountId parameter pattern).</summary>
        public const string AccountIdShape = @"\A[0-9]{12}\z";

        private static readonly Regex AccountIdPattern = new Regex(AccountIdShape, RegexOptions.CultureInvariant);

        /// <summary>The shape of an AWS region name (<c>ap-northeast-1</c>, <c>us-gov-west-1</c>): it becomes part of
        /// the SageMaker host name, so anything else (<c>ap-northeast-1.attacker.invalid</c>) is refused.</summary>
        public const string RegionPattern = @"\A[a-z]{2}(-[a-z]+)+-[0-9]+\z";

        /// <summary>An AWS region name (AWS_REGION in .env.shared).</summary>
        public static bool IsRegion(string? value) => value != null && RegionRegex.IsMatch(value);

        private static readonly Regex RegionRegex = new Regex(RegionPattern, RegexOptions.CultureInvariant);

        // SageMaker NameContains (ListModelPackageGroups, ListEndpoints, …) and ClientToken (CreateModelPackage).
        private static readonly Regex NameContainsPattern = new Regex(@"\A[a-zA-Z0-9-]{1,63}\z", RegexOptions.CultureInvariant);
        private static readonly Regex ClientTokenPattern = new Regex(@"\A[a-zA-Z0-9-]{1,36}\z", RegexOptions.CultureInvariant);

        /// <summary>The one name rule (SageMaker EntityName) for groups, endpoints, configs and models, on every backend.</summary>
        public static bool IsValidEntityName(string? name) =>
            name != null && name.Length <= EntityNameMaxLength && EntityName.IsMatch(name);

        /// <summary>A NameContains filter: 1–63 letters, digits and hyphens.</summary>
        public static bool IsNameContains(string? value) => value != null && NameContainsPattern.IsMatch(value);

        /// <summary>A CreateModelPackage ClientToken: 1–36 letters, digits and hyphens.</summary>
        public static bool IsClientToken(string? value) => value != null && ClientTokenPattern.IsMatch(value);

        /// <summary>A model package group name (SageMaker EntityName).</summary>
        public static string? CheckGroupName(string? name) => CheckEntityName(name, "model package group name");

        /// <summary>Any SageMaker EntityName (<paramref name="what"/>: "model package group name", "endpoint name", …);
        /// null when valid, else what is wrong, naming an offending character (a trailing line break is easy to miss).</summary>
        public static string? CheckEntityName(string? name, string what)
        {
            if (string.IsNullOrEmpty(name))
                return $"the {what} is empty";
            if (name!.Length > EntityNameMaxLength)
                return $"{what} '{name}' is {name.Length} characters; SageMaker allows at most {EntityNameMaxLength}";
            if (!EntityName.IsMatch(name))
            {
                var bad = FirstInvalid(name, _ => false, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-");
                return $"'{name}' is not a valid {what}" + (bad is null ? "" : $": it contains {bad}") +
                       "; only letters a-z/A-Z, digits and hyphens, starting and ending with a letter or digit (SageMaker EntityName)";
            }
            return null;
        }

        /// <summary>A model package group description (SageMaker EntityDescription).</summary>
        public static string? CheckDescription(string? description)
        {
            description ??= string.Empty;
            if (description.Length > DescriptionMaxLength)
                return $"description is {description.Length} characters; SageMaker allows at most {DescriptionMaxLength}";
            var bad = FirstInvalid(description, IsDescriptionCategory, null);
            return bad == null ? null
                : $"description '{description}' contains {bad}, which SageMaker does not allow " +
                  "(letters, marks, spaces, symbols, numbers and punctuation only; EntityDescription)";
        }

        public static string? CheckTagKey(string? key)
        {
            if (string.IsNullOrEmpty(key))
                return "tag key is empty";
            // Not in the botocore pattern, but documented and enforced by the service.
            if (key!.StartsWith("aws:", System.StringComparison.OrdinalIgnoreCase))
                return $"tag key '{key}' uses the reserved prefix 'aws:'";
            return CheckTagText("tag key", key, TagKeyMaxLength);
        }

        public static string? CheckTagValue(string? value) =>
            CheckTagText("tag value", value ?? string.Empty, TagValueMaxLength);

        /// <summary>A customer metadata key (CustomerMetadataKey: 1–128, the tag character set).</summary>
        public static string? CheckMetadataKey(string? key) =>
            string.IsNullOrEmpty(key) ? "a customer metadata key is empty" : CheckTagText("customer metadata key", key!, TagKeyMaxLength);

        /// <summary>A customer metadata value (CustomerMetadataValue: 1–256, the tag character set).</summary>
        public static string? CheckMetadataValue(string key, string? value) =>
            string.IsNullOrEmpty(value) ? $"customer metadata '{key}' has an empty value; SageMaker needs 1 to 256 characters"
                : CheckTagText($"customer metadata value of '{key}'", value!, TagValueMaxLength);

        private static string? CheckTagText(string what, string text, int max)
        {
            if (text.Length > max)
                return $"{what} '{text}' is {text.Length} characters; SageMaker allows at most {max}";
            var bad = FirstInvalid(text, IsTagCategory, "_.:/=+-@");
            return bad == null ? null
                : $"{what} '{text}' contains {bad}, which SageMaker does not allow " +
                  "(letters, digits, spaces and _ . : / = + - @ only)";
        }

        // Walks code points rather than using Regex: .NET Regex sees an astral character (e.g. an emoji,
        // category So) as two surrogates (Cs) and would reject what the service, matching code points, accepts.
        private static string? FirstInvalid(string text, System.Func<UnicodeCategory, bool> allowedCategory, string? extra)
        {
            for (var i = 0; i < text.Length; i++)
            {
                var c = text[i];
                if (extra != null && extra.IndexOf(c) >= 0)
                    continue;
                var category = CharUnicodeInfo.GetUnicodeCategory(text, i);
                var width = char.IsHighSurrogate(c) && i + 1 < text.Length && char.IsLowSurrogate(text[i + 1]) ? 2 : 1;
                if (!allowedCategory(category))
                    return Describe(text.Substring(i, width));
                i += width - 1;
            }
            return null;
        }

        private static string Describe(string s)
        {
            // A lone surrogate has no code point; ConvertToUtf32 would throw on it.
            var code = s.Length == 2 ? char.ConvertToUtf32(s, 0) : s[0];
            return char.IsControl(s, 0) || char.IsSurrogate(s, 0)
                ? $"the character U+{code:X4}"
                : $"the character '{s}' (U+{code:X4})";
        }

        private static bool IsDescriptionCategory(UnicodeCategory c) =>
            IsLetter(c) || IsMark(c) || IsSeparator(c) || IsSymbol(c) || IsNumber(c) || IsPunctuation(c);

        private static bool IsTagCategory(UnicodeCategory c) => IsLetter(c) || IsSeparator(c) || IsNumber(c);

        private static bool IsLetter(UnicodeCategory c) =>
            c == UnicodeCategory.UppercaseLetter || c == UnicodeCategory.LowercaseLetter ||
            c == UnicodeCategory.TitlecaseLetter || c == UnicodeCategory.ModifierLetter || c == UnicodeCategory.OtherLetter;

        private static bool IsMark(UnicodeCategory c) =>
            c == UnicodeCategory.NonSpacingMark || c == UnicodeCategory.SpacingCombiningMark || c == UnicodeCategory.EnclosingMark;

        private static bool IsSeparator(UnicodeCategory c) =>
            c == UnicodeCategory.SpaceSeparator || c == UnicodeCategory.LineSeparator || c == UnicodeCategory.ParagraphSeparator;

        private static bool IsSymbol(UnicodeCategory c) =>
            c == UnicodeCategory.MathSymbol || c == UnicodeCategory.CurrencySymbol ||
            c == UnicodeCategory.ModifierSymbol || c == UnicodeCategory.OtherSymbol;

        private static bool IsNumber(UnicodeCategory c) =>
            c == UnicodeCategory.DecimalDigitNumber || c == UnicodeCategory.LetterNumber || c == UnicodeCategory.OtherNumber;

        private static bool IsPunctuation(UnicodeCategory c) =>
            c == UnicodeCategory.ConnectorPunctuation || c == UnicodeCategory.DashPunctuation ||
            c == UnicodeCategory.OpenPunctuation || c == UnicodeCategory.ClosePunctuation ||
            c == UnicodeCategory.InitialQuotePunctuation || c == UnicodeCategory.FinalQuotePunctuation ||
            c == UnicodeCategory.OtherPunctuation;
    }
}
