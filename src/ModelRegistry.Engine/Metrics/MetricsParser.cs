using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text.Json;

namespace ModelRegistry.Engine.Metrics
{
    /// <summary>One metric as a file states it.</summary>
    public readonly struct ParsedMetric
    {
        public ParsedMetric(string name, double? value, double? standardDeviation = null, string? comparison = null)
        {
            Name = name;
            Value = value;
            StandardDeviation = standardDeviation;
            Comparison = comparison;
        }

        public string Name { get; }
        public double? Value { get; }
        public double? StandardDeviation { get; }
        public string? Comparison { get; }
    }

    /// <summary>
    /// Reads SageMaker's metrics files by their shape:
    /// - model quality statistics: binary_classification_metrics / multiclass_classification_metrics /
    ///   regression_metrics, each metric {value, standard_deviation}; a confusion matrix is flattened to one metric per
    ///   cell, "confusion_matrix.&lt;actual&gt;.&lt;predicted&gt;" (the count); curves (receiver_operating_characteristic_curve,
    ///   precision_recall_curve — lists of points, not values) are skipped;
    /// - model quality constraints: *_constraints, each {threshold, comparison_operator};
    /// - data quality statistics and constraints: features[], as "&lt;feature&gt;.&lt;statistic&gt;" (mean, sum, std_dev, min,
    ///   max, num_present, num_missing, completeness);
    /// - Clarify bias reports: pre_/post_training_bias_metrics facets, as "&lt;metric&gt;.&lt;facet&gt;.&lt;value&gt;" (e.g. CI.gender.0);
    /// - Clarify explainability reports: explanations.*.&lt;label&gt;.global_shap_values, as "shap.&lt;label&gt;.&lt;feature&gt;".
    /// A file of none of these shapes is an error naming what was expected.
    /// </summary>
    public static class MetricsParser
    {
        private static readonly string[] MetricSections = { "binary_classification_metrics", "multiclass_classification_metrics", "regression_metrics" };
        private static readonly string[] ConstraintSections = { "binary_classification_constraints", "multiclass_classification_constraints", "regression_constraints" };
        private static readonly string[] FeatureStatistics = { "mean", "sum", "std_dev", "min", "max" };

        /// <summary>The metrics of one file; throws <see cref="FormatException"/> saying what is wrong with it.</summary>
        public static IReadOnlyList<ParsedMetric> Parse(byte[] content)
        {
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(content, new JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = JsonCommentHandling.Skip });
            }
            catch (JsonException e)
            {
                throw new FormatException($"not JSON ({e.Message})", e);
            }
            using (doc)
            {
                var root = doc.RootElement;
                if (root.ValueKind != JsonValueKind.Object)
                    throw new FormatException("the file is JSON but not an object");
                var metrics = new List<ParsedMetric>();
                var recognized = false;
                foreach (var section in MetricSections)
                    if (TryObject(root, section, out var s)) { recognized = true; ReadStatistics(s, metrics); }
                foreach (var section in ConstraintSections)
                    if (TryObject(root, section, out var s)) { recognized = true; ReadConstraints(s, metrics); }
                if (root.TryGetProperty("features", out var features) && features.ValueKind == JsonValueKind.Array)
                {
                    recognized = true;
                    ReadFeatures(features, metrics);
                }
                foreach (var section in new[] { "pre_training_bias_metrics", "post_training_bias_metrics" })
                    if (TryObject(root, section, out var s)) { recognized = true; ReadBias(s, metrics); }
                if (TryObject(root, "explanations", out var explanations)) { recognized = true; ReadExplanations(explanations, metrics); }
                if (!recognized)
                    throw new FormatException("not a SageMaker metrics file: expected binary_classification_metrics, multiclass_classification_metrics, " +
                        "regression_metrics, *_constraints, features, pre_/post_training_bias_metrics or explanations");
                return metrics;
            }
        }

        private static void ReadStatistics(JsonElement section, List<ParsedMetric> into)
        {
            foreach (var p in section.EnumerateObject())
            {
                if (p.Name == "confusion_matrix" && p.Value.ValueKind == JsonValueKind.Object)
                {
                    foreach (var actual in p.Value.EnumerateObject())
                        if (actual.Value.ValueKind == JsonValueKind.Object)
                            foreach (var predicted in actual.Value.EnumerateObject())
                                into.Add(new ParsedMetric($"confusion_matrix.{actual.Name}.{predicted.Name}", Number(predicted.Value)));
                    continue;
                }
                // {value, standard_deviation}; anything else (curves) is not one value.
                if (p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty("value", out var value))
                    into.Add(new ParsedMetric(p.Name, Number(value),
                        p.Value.TryGetProperty("standard_deviation", out var sd) ? Number(sd) : null));
            }
        }

        private static void ReadConstraints(JsonElement section, List<ParsedMetric> into)
        {
            foreach (var p in section.EnumerateObject())
                if (p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty("threshold", out var threshold))
                    into.Add(new ParsedMetric(p.Name, Number(threshold), null,
                        p.Value.TryGetProperty("comparison_operator", out var op) && op.ValueKind == JsonValueKind.String ? op.GetString() : null));
        }

        private static void ReadFeatures(JsonElement features, List<ParsedMetric> into)
        {
            foreach (var f in features.EnumerateArray())
            {
                if (f.ValueKind != JsonValueKind.Object || !f.TryGetProperty("name", out var n) || n.ValueKind != JsonValueKind.String) continue;
                var name = n.GetString();
                if (TryObject(f, "numerical_statistics", out var numeric))
                {
                    if (TryObject(numeric, "common", out var common)) ReadCommon(name!, common, into);
                    foreach (var stat in FeatureStatistics)
                        if (numeric.TryGetProperty(stat, out var v)) into.Add(new ParsedMetric($"{name}.{stat}", Number(v)));
                }
                if (TryObject(f, "string_statistics", out var text) && TryObject(text, "common", out var textCommon))
                    ReadCommon(name!, textCommon, into);
                if (f.TryGetProperty("completeness", out var completeness))
                    into.Add(new ParsedMetric($"{name}.completeness", Number(completeness)));
            }
        }

        private static void ReadCommon(string feature, JsonElement common, List<ParsedMetric> into)
        {
            foreach (var stat in new[] { "num_present", "num_missing" })
                if (common.TryGetProperty(stat, out var v)) into.Add(new ParsedMetric($"{feature}.{stat}", Number(v)));
        }

        private static void ReadBias(JsonElement section, List<ParsedMetric> into)
        {
            if (!TryObject(section, "facets", out var facets)) return;
            foreach (var facet in facets.EnumerateObject())
            {
                if (facet.Value.ValueKind != JsonValueKind.Array) continue;
                foreach (var group in facet.Value.EnumerateArray())
                {
                    var value = group.ValueKind == JsonValueKind.Object && group.TryGetProperty("value_or_threshold", out var vt)
                        ? (vt.ValueKind == JsonValueKind.String ? vt.GetString() : vt.GetRawText()) : null;
                    if (!group.TryGetProperty("metrics", out var metrics) || metrics.ValueKind != JsonValueKind.Array) continue;
                    foreach (var m in metrics.EnumerateArray())
                        if (m.ValueKind == JsonValueKind.Object && m.TryGetProperty("name", out var mn) && mn.ValueKind == JsonValueKind.String &&
                            m.TryGetProperty("value", out var mv))
                            into.Add(new ParsedMetric(value is null ? $"{mn.GetString()}.{facet.Name}" : $"{mn.GetString()}.{facet.Name}.{value}", Number(mv)));
                }
            }
        }

        private static void ReadExplanations(JsonElement explanations, List<ParsedMetric> into)
        {
            foreach (var method in explanations.EnumerateObject())
            {
                if (method.Value.ValueKind != JsonValueKind.Object) continue;
                foreach (var label in method.Value.EnumerateObject())
                    if (TryObject(label.Value, "global_shap_values", out var shap))
                        foreach (var feature in shap.EnumerateObject())
                            into.Add(new ParsedMetric($"shap.{label.Name}.{feature.Name}", Number(feature.Value)));
            }
        }

        private static bool TryObject(JsonElement e, string name, out JsonElement value)
        {
            if (e.ValueKind == JsonValueKind.Object && e.TryGetProperty(name, out value) && value.ValueKind == JsonValueKind.Object)
                return true;
            value = default;
            return false;
        }

        /// <summary>A number, or a number in a string; NaN, infinities, null and anything else are "no value".</summary>
        private static double? Number(JsonElement e)
        {
            double d;
            if (e.ValueKind == JsonValueKind.Number && e.TryGetDouble(out d)) { }
            else if (e.ValueKind == JsonValueKind.String && double.TryParse(e.GetString(), NumberStyles.Float, CultureInfo.InvariantCulture, out d)) { }
            else return null;
            return double.IsNaN(d) || double.IsInfinity(d) ? (double?)null : d;
        }
    }
}
