using System.Collections.Generic;
using System.Management.Automation;

namespace ModelRegistry.Cmdlets
{
    /// <summary>
    /// <para type="synopsis">Gets the metrics of model versions: one row per metric, read from the version's metrics files (S3 or file://) and its -Metric values.</para>
    /// <para type="description">Reads every metrics file a version names (AWS: ModelMetrics — ModelQuality statistics and constraints, ModelDataQuality statistics and constraints, Bias reports, the Explainability report) and the values recorded with Register-MRModelVersion -Metric (customer metadata keys "metric:&lt;name&gt;"), and emits one ModelMetric per metric: group, version, source, name, value and standard deviation.</para>
    /// <para type="description">Files are read with the registry's own region, credentials and endpoint resolution: S3 at AWS_ENDPOINT_URL_S3 when set, else at the registry's endpoint when it is an emulator such as moto_server (path-style), else AWS_ENDPOINT_URL, else S3 in the region. A Local registry reads s3:// files the same way, and file:///path files for offline use.</para>
    /// <para type="description">Formats understood: SageMaker model quality statistics (binary_classification_metrics, multiclass_classification_metrics, regression_metrics; each metric {value, standard_deviation}); a confusion matrix is FLATTENED into one metric per cell named confusion_matrix.&lt;actual&gt;.&lt;predicted&gt; holding the count; curves (receiver_operating_characteristic_curve, precision_recall_curve) are skipped. Constraints files give each metric's threshold as Value and its comparison_operator as Comparison. Data quality files give &lt;feature&gt;.mean, .sum, .std_dev, .min, .max, .num_present, .num_missing, .completeness. Clarify bias reports give &lt;metric&gt;.&lt;facet&gt;.&lt;value&gt; (e.g. CI.gender.0); explainability reports give shap.&lt;label&gt;.&lt;feature&gt;.</para>
    /// <para type="description">One metrics file that is missing, unreadable or not in one of these formats is one non-terminating error naming the version and the file; the version's other metrics still come out. Piped versions that were only listed are read in full first (one DescribeModelPackage each).</para>
    /// <example>
    ///   <code>Get-MRModelVersion rc-fraud-detection | Get-MRModelMetric -Name auc, f1</code>
    ///   <para>AUC and F1 of every version of a group.</para>
    /// </example>
    /// <example>
    ///   <code>Get-MRModelMetric rc-fraud-detection -Version 3</code>
    ///   <para>Every metric of version 3.</para>
    /// </example>
    /// <example>
    ///   <code>Get-MRModelVersion rc-fraud-detection | Get-MRModelMetric -Name auc | Sort-Object Value -Descending | Select-Object -First 1</code>
    ///   <para>The version with the best AUC.</para>
    /// </example>
    /// </summary>
    [Cmdlet(VerbsCommon.Get, "MRModelMetric", DefaultParameterSetName = ByVersion)]
    [OutputType(typeof(ModelMetric))]
    public sealed class GetModelMetricCommand : MetricsCmdlet
    {
        private WildcardPattern[]? _names;

        /// <summary>Only metrics with these names (wildcards allowed, case-insensitive), e.g. auc, confusion_matrix.*.</summary>
        [Parameter]
        [SupportsWildcards]
        [ValidateNotNullOrEmpty]
        public string[]? Name { get; set; }

        /// <summary>Only metrics from these sources (e.g. ModelQualityStatistics, CustomerMetadata).</summary>
        [Parameter]
        public MetricsSourceKind[]? Source { get; set; }

        protected override void BeginProcessing()
        {
            if (Name != null)
            {
                _names = new WildcardPattern[Name.Length];
                for (var i = 0; i < Name.Length; i++) _names[i] = new WildcardPattern(Name[i], WildcardOptions.IgnoreCase);
            }
        }

        protected override void OnRead(ModelVersion version, IReadOnlyList<ModelMetric> metrics)
        {
            foreach (var m in metrics)
                if (Wanted(m)) WriteObject(m);
        }

        private bool Wanted(ModelMetric m)
        {
            if (Source != null && System.Array.IndexOf(Source, m.Source) < 0) return false;
            if (_names is null) return true;
            foreach (var p in _names)
                if (p.IsMatch(m.Name)) return true;
            return false;
        }
    }
}
