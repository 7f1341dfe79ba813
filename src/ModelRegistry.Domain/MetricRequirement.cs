namespace ModelRegistry
{
    /// <summary>How a requirement compares a metric with its threshold (rule syntax: &gt;= &gt; &lt;= &lt; == !=).</summary>
    public enum ComparisonOperator
    {
        GreaterOrEqual,
        Greater,
        LessOrEqual,
        Less,
        Equal,
        NotEqual,
    }

    /// <summary>One approval requirement judged on one version (Test-MRModelVersion; the gate of Approve-MRModelVersion -Require).</summary>
    public sealed class RequirementResult
    {
        public RequirementResult(string groupName, int version, string modelVersionArn, string rule, string metric,
            ComparisonOperator @operator, double threshold, double? actual, MetricsSourceKind? source, bool passed, string detail)
        {
            GroupName = groupName;
            Version = version;
            ModelVersionArn = modelVersionArn;
            Rule = rule;
            Metric = metric;
            Operator = @operator;
            Threshold = threshold;
            Actual = actual;
            Source = source;
            Passed = passed;
            Detail = detail;
        }

        public string GroupName { get; }
        public int Version { get; }
        public string ModelVersionArn { get; }
        /// <summary>The rule as written canonically, e.g. "auc &gt;= 0.9".</summary>
        public string Rule { get; }
        public string Metric { get; }
        public ComparisonOperator Operator { get; }
        public double Threshold { get; }
        /// <summary>The version's value of the metric; null when it has none (the rule then fails).</summary>
        public double? Actual { get; }
        /// <summary>Where the value came from; null when the metric is missing.</summary>
        public MetricsSourceKind? Source { get; }
        public bool Passed { get; }
        /// <summary>What was judged, e.g. "auc = 0.71, needs &gt;= 0.9" or "no metric 'auc'".</summary>
        public string Detail { get; }

        public override string ToString() => $"{Rule}: {(Passed ? "held" : "failed")} ({Detail})";
    }
}
