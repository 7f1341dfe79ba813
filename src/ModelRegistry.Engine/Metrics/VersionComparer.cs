using System;
using System.Collections.Generic;
using System.Linq;

namespace ModelRegistry.Engine.Metrics
{
    /// <summary>Two versions side by side: every measured metric with its change, then the properties that differ.</summary>
    public static class VersionComparer
    {
        public static IReadOnlyList<VersionDifference> Compare(ModelVersion reference, IReadOnlyList<ModelMetric> referenceMetrics,
            ModelVersion difference, IReadOnlyList<ModelMetric> differenceMetrics)
        {
            var rows = new List<VersionDifference>();
            VersionDifference Row(VersionDifferenceKind kind, string name, string? a, string? b, double? x = null, double? y = null) =>
                new VersionDifference(reference.GroupName, reference.Version, difference.GroupName, difference.Version, kind, name, a, b, x, y);

            // Metrics: the names either version measures, in the order they first appear; the value a rule would judge.
            var names = referenceMetrics.Concat(differenceMetrics)
                .Where(m => m.Source != MetricsSourceKind.ModelQualityConstraints && m.Source != MetricsSourceKind.ModelDataQualityConstraints)
                .Select(m => m.Name).Distinct(StringComparer.OrdinalIgnoreCase).ToList();
            foreach (var name in names)
            {
                var a = MetricsReadout.Find(referenceMetrics, name)?.Value;
                var b = MetricsReadout.Find(differenceMetrics, name)?.Value;
                rows.Add(Row(VersionDifferenceKind.Metric, name, Text(a), Text(b), a, b));
            }

            void IfDifferent(VersionDifferenceKind kind, string name, string? a, string? b)
            {
                if (!string.Equals(a, b, StringComparison.Ordinal)) rows.Add(Row(kind, name, a, b));
            }
            IfDifferent(VersionDifferenceKind.Status, "Status", reference.Status.ToString(), difference.Status.ToString());
            IfDifferent(VersionDifferenceKind.Image, "ImageUri", reference.ImageUri, difference.ImageUri);
            IfDifferent(VersionDifferenceKind.ModelData, "ModelDataUrl", reference.ModelDataUrl, difference.ModelDataUrl);
            IfDifferent(VersionDifferenceKind.Description, "Description", reference.Description, difference.Description);
            foreach (var kind in MetricsSources.Wire.Select(w => w.Kind))
                IfDifferent(VersionDifferenceKind.MetricsSource, kind.ToString(),
                    reference.MetricsSources?.FirstOrDefault(s => s.Kind == kind)?.Uri, difference.MetricsSources?.FirstOrDefault(s => s.Kind == kind)?.Uri);
            var ma = reference.CustomerMetadata ?? TagSet.Empty;
            var mb = difference.CustomerMetadata ?? TagSet.Empty;
            // -Metric values are compared as metrics above; the client token differs by design.
            foreach (var key in ma.Keys.Concat(mb.Keys).Distinct(StringComparer.Ordinal).OrderBy(k => k, StringComparer.Ordinal))
            {
                if (key.StartsWith(MetricsSources.MetadataPrefix, StringComparison.Ordinal) || key == Registry.VersionLookup.ClientTokenKey) continue;
                IfDifferent(VersionDifferenceKind.CustomerMetadata, key, ma.TryGetValue(key, out var x) ? x : null, mb.TryGetValue(key, out var y) ? y : null);
            }
            return rows;
        }

        private static string? Text(double? value) => value.HasValue ? MetricRule.Format(value.Value) : null;
    }
}
