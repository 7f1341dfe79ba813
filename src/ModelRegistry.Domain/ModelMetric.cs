using System;

namespace ModelRegistry
{
    /// <summary>
    /// Where a metric comes from: one of the metrics files a version names (AWS: ModelMetrics — ModelQuality,
    /// ModelDataQuality, Bias, Explainability), or the version's own customer metadata (Register-MRModelVersion -Metric).
    /// </summary>
    public enum MetricsSourceKind
    {
        /// <summary>AWS: ModelMetrics.ModelQuality.Statistics — the evaluation's statistics (auc, f1, mse, …).</summary>
        ModelQualityStatistics,
        /// <summary>AWS: ModelMetrics.ModelQuality.Constraints — thresholds for the model quality metrics.</summary>
        ModelQualityConstraints,
        /// <summary>AWS: ModelMetrics.ModelDataQuality.Statistics — per-feature statistics of the data.</summary>
        ModelDataQualityStatistics,
        /// <summary>AWS: ModelMetrics.ModelDataQuality.Constraints — per-feature data constraints.</summary>
        ModelDataQualityConstraints,
        /// <summary>AWS: ModelMetrics.Bias.Report — a SageMaker Clarify bias report.</summary>
        BiasReport,
        /// <summary>AWS: ModelMetrics.Bias.PreTrainingReport.</summary>
        BiasPreTrainingReport,
        /// <summary>AWS: ModelMetrics.Bias.PostTrainingReport.</summary>
        BiasPostTrainingReport,
        /// <summary>AWS: ModelMetrics.Explainability.Report — a SageMaker Clarify explainability (SHAP) report.</summary>
        ExplainabilityReport,
        /// <summary>Not a file: values recorded with Register-MRModelVersion -Metric, kept in the version's customer metadata.</summary>
        CustomerMetadata,
    }

    /// <summary>One metrics file a version names (AWS: MetricsSource — S3Uri, ContentType, ContentDigest).</summary>
    public sealed class MetricsSource
    {
        public MetricsSource(MetricsSourceKind kind, string uri, string? contentType = null, string? contentDigest = null)
        {
            Kind = kind;
            Uri = uri ?? throw new ArgumentNullException(nameof(uri));
            ContentType = string.IsNullOrEmpty(contentType) ? "application/json" : contentType!;
            ContentDigest = string.IsNullOrEmpty(contentDigest) ? null : contentDigest;
        }

        public MetricsSourceKind Kind { get; }
        /// <summary>AWS: S3Uri — s3://bucket/key (or https://); file:///path on the Local registry.</summary>
        public string Uri { get; }
        /// <summary>AWS: ContentType; application/json unless given.</summary>
        public string ContentType { get; }
        /// <summary>AWS: ContentDigest (sha256:…), when recorded.</summary>
        public string? ContentDigest { get; }

        public override string ToString() => $"{Kind} {Uri}";
    }

    /// <summary>One metric of one version (Get-MRModelMetric): a statistic read from a metrics file, or a -Metric value.</summary>
    public sealed class ModelMetric
    {
        public ModelMetric(string groupName, int version, string modelVersionArn, MetricsSourceKind source, string? sourceUri,
            string name, double? value, double? standardDeviation = null, string? comparison = null)
        {
            GroupName = groupName;
            Version = version;
            ModelVersionArn = modelVersionArn;
            Source = source;
            SourceUri = sourceUri;
            Name = name;
            Value = value;
            StandardDeviation = standardDeviation;
            Comparison = comparison;
        }

        public string GroupName { get; }
        public int Version { get; }
        public string ModelVersionArn { get; }
        public MetricsSourceKind Source { get; }
        /// <summary>The file it was read from; null for customer metadata.</summary>
        public string? SourceUri { get; }
        /// <summary>The metric's name as the file spells it, e.g. auc, f1, mse, confusion_matrix.1.0.</summary>
        public string Name { get; }
        /// <summary>The value; for a constraint, its threshold. Null when the file gives none (e.g. "NaN").</summary>
        public double? Value { get; }
        /// <summary>AWS statistics: standard_deviation, when given.</summary>
        public double? StandardDeviation { get; }
        /// <summary>For a constraint: how the threshold applies (AWS: comparison_operator, e.g. GreaterThanThreshold).</summary>
        public string? Comparison { get; }

        public override string ToString() => $"{Name}={Value}";
    }
}
