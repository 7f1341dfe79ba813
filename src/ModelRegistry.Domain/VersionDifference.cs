namespace ModelRegistry
{
    /// <summary>What a row of Compare-MRModelVersion compares.</summary>
    public enum VersionDifferenceKind
    {
        /// <summary>A metric (Get-MRModelMetric), shown side by side whether or not it changed.</summary>
        Metric,
        /// <summary>The inference container image (AWS: InferenceSpecification.Containers[0].Image).</summary>
        Image,
        /// <summary>The model artifact (AWS: Containers[0].ModelDataUrl).</summary>
        ModelData,
        /// <summary>A customer metadata entry (AWS: CustomerMetadataProperties).</summary>
        CustomerMetadata,
        /// <summary>A metrics file (AWS: ModelMetrics).</summary>
        MetricsSource,
        /// <summary>The version's description (AWS: ModelPackageDescription).</summary>
        Description,
        /// <summary>The approval status (AWS: ModelApprovalStatus).</summary>
        Status,
    }

    /// <summary>One row of Compare-MRModelVersion: a metric side by side with its change, or a property that differs.</summary>
    public sealed class VersionDifference
    {
        public VersionDifference(string referenceGroupName, int referenceVersion, string differenceGroupName, int differenceVersion,
            VersionDifferenceKind kind, string name, string? referenceValue, string? differenceValue,
            double? reference = null, double? difference = null)
        {
            ReferenceGroupName = referenceGroupName;
            ReferenceVersion = referenceVersion;
            DifferenceGroupName = differenceGroupName;
            DifferenceVersion = differenceVersion;
            Kind = kind;
            Name = name;
            ReferenceValue = referenceValue;
            DifferenceValue = differenceValue;
            Reference = reference;
            Difference = difference;
            Change = reference.HasValue && difference.HasValue ? difference.Value - reference.Value : (double?)null;
            SideIndicator = referenceValue == differenceValue ? "==" : referenceValue is null ? "=>" : differenceValue is null ? "<=" : "<>";
        }

        public string ReferenceGroupName { get; }
        public int ReferenceVersion { get; }
        public string DifferenceGroupName { get; }
        public int DifferenceVersion { get; }
        public VersionDifferenceKind Kind { get; }
        /// <summary>The metric, metadata key or metrics source kind; the property name otherwise.</summary>
        public string Name { get; }
        /// <summary>The reference version's value as text; null when it has none.</summary>
        public string? ReferenceValue { get; }
        public string? DifferenceValue { get; }
        /// <summary>For a metric: the reference version's value.</summary>
        public double? Reference { get; }
        /// <summary>For a metric: the difference version's value.</summary>
        public double? Difference { get; }
        /// <summary>For a metric: Difference − Reference; null when either has no value.</summary>
        public double? Change { get; }
        /// <summary>As Compare-Object says it: == equal, &lt;&gt; both differ, &lt;= only the reference has it, =&gt; only the difference has it.</summary>
        public string SideIndicator { get; }

        public override string ToString() => $"{Kind} {Name}: {ReferenceValue} {SideIndicator} {DifferenceValue}";
    }
}
