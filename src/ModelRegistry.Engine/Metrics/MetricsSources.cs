using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.RegularExpressions;
using ModelRegistry.Engine.Config;

namespace ModelRegistry.Engine.Metrics
{
    /// <summary>
    /// The metrics a version names: its ModelMetrics files (one per kind) and the -Metric values kept in its customer
    /// metadata under <see cref="MetadataPrefix"/>. Wire names (ModelQuality.Statistics, …) are in one table here.
    /// </summary>
    public static class MetricsSources
    {
        /// <summary>Customer metadata keys of -Metric values: "metric:auc" = "0.93". A prefix SageMaker's key
        /// character set allows, short enough to leave a metric name 121 characters.</summary>
        public const string MetadataPrefix = "metric:";
        public const int MaxMetricNameLength = Naming.TagKeyMaxLength - 7;

        /// <summary>Kind → (ModelMetrics member, MetricsSource member) as botocore's CreateModelPackage names them, and
        /// Register-MRModelVersion's parameter.</summary>
        public static readonly IReadOnlyList<(MetricsSourceKind Kind, string Section, string Member, string Parameter)> Wire = new[]
        {
            (MetricsSourceKind.ModelQualityStatistics, "ModelQuality", "Statistics", "-ModelStatisticsUri"),
            (MetricsSourceKind.ModelQualityConstraints, "ModelQuality", "Constraints", "-ModelConstraintsUri"),
            (MetricsSourceKind.ModelDataQualityStatistics, "ModelDataQuality", "Statistics", "-DataStatisticsUri"),
            (MetricsSourceKind.ModelDataQualityConstraints, "ModelDataQuality", "Constraints", "-DataConstraintsUri"),
            (MetricsSourceKind.BiasReport, "Bias", "Report", "-BiasReportUri"),
            (MetricsSourceKind.BiasPreTrainingReport, "Bias", "PreTrainingReport", "-BiasPreTrainingReportUri"),
            (MetricsSourceKind.BiasPostTrainingReport, "Bias", "PostTrainingReport", "-BiasPostTrainingReportUri"),
            (MetricsSourceKind.ExplainabilityReport, "Explainability", "Report", "-ExplainabilityReportUri"),
        };

        public static string ParameterOf(MetricsSourceKind kind) =>
            Wire.Where(w => w.Kind == kind).Select(w => w.Parameter).FirstOrDefault() ?? kind.ToString();

        // A metric name: anything but whitespace and the rule operators' characters, so 'name >= 0.9' parses.
        private static readonly Regex MetricName = new Regex(@"\A[^\s<>=!]+\z", RegexOptions.CultureInvariant);
        // botocore: S3Uri (https|s3)://([^/]+)/?(.*) ≤ 1024; the Local registry also reads file:///absolute/path.
        private static readonly Regex SourceUri = new Regex(@"\A(s3|https)://[^/\s]+/\S+\z", RegexOptions.CultureInvariant);
        private static readonly Regex Digest = new Regex(@"\A[Ss][Hh][Aa]256:[0-9a-fA-F]{64}\z", RegexOptions.CultureInvariant);

        /// <summary>Every metrics file of a registration, in <see cref="Wire"/> order (-ModelStatisticsUri is ModelQualityStatistics).</summary>
        public static IReadOnlyList<MetricsSource> Of(VersionSpec spec)
        {
            var all = new List<MetricsSource>();
            if (!string.IsNullOrEmpty(spec.ModelStatisticsUri))
                all.Add(new MetricsSource(MetricsSourceKind.ModelQualityStatistics, spec.ModelStatisticsUri!, spec.ModelStatisticsContentType));
            all.AddRange(spec.MetricsSources ?? Array.Empty<MetricsSource>());
            return all.OrderBy(s => (int)s.Kind).ToList();
        }

        /// <summary>Problems with a registration's metrics files and -Metric values; empty when they can be sent.</summary>
        public static IReadOnlyList<string> Problems(VersionSpec spec)
        {
            var problems = new List<string>();
            var sources = Of(spec);
            foreach (var s in sources)
            {
                if (s.Kind == MetricsSourceKind.CustomerMetadata)
                    problems.Add($"metrics source '{s.Uri}': CustomerMetadata is not a file kind (use -Metric for values)");
                else if (!IsFileUri(s.Uri) && !(s.Uri.Length <= 1024 && SourceUri.IsMatch(s.Uri)))
                    problems.Add($"{ParameterOf(s.Kind)} '{s.Uri}' is not an S3 URI like s3://bucket/path/statistics.json (or file:///path on a Local registry)");
                if (s.ContentType.Length > 256)
                    problems.Add($"{ParameterOf(s.Kind)}: the content type is longer than 256 characters");
                if (s.ContentDigest != null && !Digest.IsMatch(s.ContentDigest))
                    problems.Add($"{ParameterOf(s.Kind)}: content digest '{s.ContentDigest}' is not sha256:<64 hex digits>");
            }
            foreach (var twice in sources.GroupBy(s => s.Kind).Where(g => g.Count() > 1))
                problems.Add($"{ParameterOf(twice.Key)} ({twice.Key}) is given {twice.Count()} times; a version names one file per kind");
            foreach (var m in spec.Metrics ?? new Dictionary<string, double>())
            {
                var problem = CheckMetricName(m.Key);
                if (problem != null) problems.Add("-Metric: " + problem);
                else if (double.IsNaN(m.Value) || double.IsInfinity(m.Value))
                    problems.Add($"-Metric '{m.Key}' must be a finite number");
                if (spec.CustomerMetadata.ContainsKey(MetadataPrefix + m.Key))
                    problems.Add($"-Metric '{m.Key}' and -CustomerMetadata '{MetadataPrefix}{m.Key}' name the same entry");
            }
            return problems;
        }

        /// <summary>Why a metric name cannot be used (in -Metric, a rule, or a metadata key); null when it can.</summary>
        public static string? CheckMetricName(string? name)
        {
            if (string.IsNullOrEmpty(name)) return "a metric name is empty";
            if (!MetricName.IsMatch(name)) return $"metric name '{name}' may not contain spaces or any of < > = !";
            if (name!.Length > MaxMetricNameLength) return $"metric name '{name}' is longer than {MaxMetricNameLength} characters";
            return Naming.CheckMetadataKey(MetadataPrefix + name);
        }

        /// <summary>The customer metadata entries that carry -Metric values.</summary>
        public static IEnumerable<KeyValuePair<string, string>> ToMetadata(IReadOnlyDictionary<string, double> metrics) =>
            metrics.Select(m => new KeyValuePair<string, string>(MetadataPrefix + m.Key, m.Value.ToString("R", CultureInfo.InvariantCulture)));

        /// <summary>The -Metric values a version's customer metadata carries. A value that is not a number is a metric
        /// without a value (null), so a rule on it fails rather than the whole read.</summary>
        public static IEnumerable<(string Name, double? Value)> FromMetadata(IReadOnlyDictionary<string, string>? metadata) =>
            (metadata ?? new Dictionary<string, string>())
                .Where(kv => kv.Key.StartsWith(MetadataPrefix, StringComparison.Ordinal) && kv.Key.Length > MetadataPrefix.Length)
                .OrderBy(kv => kv.Key, StringComparer.Ordinal)
                .Select(kv => (kv.Key.Substring(MetadataPrefix.Length),
                    double.TryParse(kv.Value, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && !double.IsNaN(d) ? d : (double?)null));

        public static bool IsFileUri(string uri) => uri.StartsWith("file://", StringComparison.OrdinalIgnoreCase);
    }
}
