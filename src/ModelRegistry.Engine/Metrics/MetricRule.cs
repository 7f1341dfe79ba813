using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using System.Text.RegularExpressions;

namespace ModelRegistry.Engine.Metrics
{
    /// <summary>
    /// An approval requirement on one metric: a metric name, one of &gt;= &gt; &lt;= &lt; == !=, a number ("auc &gt;= 0.90").
    /// Anything else is an error before any call. A missing metric fails its rule.
    /// </summary>
    public sealed class MetricRule
    {
        private const string NamePattern = @"[^\s<>=!,;]+";
        private const string OperatorPattern = @">=|<=|==|!=|>|<";
        private const string NumberPattern = @"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?";
        private static readonly Regex One = new Regex($@"\A\s*(?<name>{NamePattern})\s*(?<op>{OperatorPattern})\s*(?<num>{NumberPattern})\s*\z", RegexOptions.CultureInvariant);
        // A list (".env.shared": "auc>=0.9 f1>=0.8"): rules one after another, separated by spaces, commas or semicolons.
        private static readonly Regex Next = new Regex($@"\G[\s,;]*(?<name>{NamePattern})\s*(?<op>{OperatorPattern})\s*(?<num>{NumberPattern})(?=[\s,;]|\z)", RegexOptions.CultureInvariant);

        private MetricRule(string metric, ComparisonOperator op, double threshold)
        {
            Metric = metric;
            Operator = op;
            Threshold = threshold;
        }

        public string Metric { get; }
        public ComparisonOperator Operator { get; }
        public double Threshold { get; }

        public static MetricRule Parse(string text)
        {
            var m = One.Match(text ?? "");
            if (!m.Success) throw new ArgumentException(Problem(text));
            return From(m);
        }

        /// <summary>Rules from one text; an error names the part that is not a rule.</summary>
        public static IReadOnlyList<MetricRule> ParseList(string text)
        {
            var rules = new List<MetricRule>();
            var at = 0;
            text ??= "";
            while (true)
            {
                var m = Next.Match(text, at);
                if (!m.Success) break;
                rules.Add(From(m));
                at = m.Index + m.Length;
            }
            var rest = text.Substring(at).Trim(' ', '\t', ',', ';');
            if (rest.Length > 0)
                throw new ArgumentException(Problem(rest.Split(new[] { ' ', ',', ';' }, StringSplitOptions.RemoveEmptyEntries)[0]));
            if (rules.Count == 0)
                throw new ArgumentException("no rules: write them like 'auc>=0.9 f1>=0.8'");
            return rules;
        }

        private static MetricRule From(Match m)
        {
            var name = m.Groups["name"].Value;
            var nameProblem = MetricsSources.CheckMetricName(name);
            if (nameProblem != null) throw new ArgumentException($"rule '{m.Value.Trim()}': {nameProblem}");
            var threshold = double.Parse(m.Groups["num"].Value, NumberStyles.Float, CultureInfo.InvariantCulture);
            if (double.IsInfinity(threshold)) throw new ArgumentException($"rule '{m.Value.Trim()}': the number is out of range");
            return new MetricRule(name, Operators.First(o => o.Symbol == m.Groups["op"].Value).Op, threshold);
        }

        private static string Problem(string? text) =>
            $"'{text}' is not a rule: write a metric name, one of >= > <= < == !=, and a number, e.g. 'auc >= 0.90'";

        private static readonly (string Symbol, ComparisonOperator Op)[] Operators =
        {
            (">=", ComparisonOperator.GreaterOrEqual), (">", ComparisonOperator.Greater), ("<=", ComparisonOperator.LessOrEqual),
            ("<", ComparisonOperator.Less), ("==", ComparisonOperator.Equal), ("!=", ComparisonOperator.NotEqual),
        };

        public static string Symbol(ComparisonOperator op) => Operators.First(o => o.Op == op).Symbol;

        public bool Holds(double value) => Operator switch
        {
            ComparisonOperator.GreaterOrEqual => value >= Threshold,
            ComparisonOperator.Greater => value > Threshold,
            ComparisonOperator.LessOrEqual => value <= Threshold,
            ComparisonOperator.Less => value < Threshold,
            ComparisonOperator.Equal => value == Threshold,
            _ => value != Threshold,
        };

        /// <summary>This rule on a version's metrics (<see cref="MetricsReadout.Find(IReadOnlyList{ModelMetric}, string)"/> picks the value).</summary>
        public RequirementResult Evaluate(ModelVersion version, IReadOnlyList<ModelMetric> metrics)
        {
            var metric = MetricsReadout.Find(metrics, Metric);
            var actual = metric?.Value;
            var passed = actual.HasValue && Holds(actual.Value);
            var detail = metric is null ? $"no metric '{Metric}'"
                : actual is null ? $"{Metric} has no value in {metric.Source}"
                : $"{Metric} = {Format(actual.Value)}{(passed ? "" : $", needs {Symbol(Operator)} {Format(Threshold)}")}";
            return new RequirementResult(version.GroupName, version.Version, version.Arn, ToString(), Metric, Operator, Threshold,
                actual, metric?.Source, passed, detail);
        }

        public override string ToString() => $"{Metric} {Symbol(Operator)} {Format(Threshold)}";

        public static string Format(double value) => value.ToString("R", CultureInfo.InvariantCulture);
    }

    /// <summary>A set of rules judged together: the approval gate and Test-MRModelVersion.</summary>
    public static class Requirements
    {
        /// <summary>ErrorId reason of a refused approval: ModelRegistry.Conflict.RequirementNotMet.</summary>
        public const string NotMetReason = "RequirementNotMet";
        private const int MaxApprovalDescription = 1024;

        public static IReadOnlyList<RequirementResult> Evaluate(ModelVersion version, IReadOnlyList<ModelMetric> metrics, IReadOnlyList<MetricRule> rules) =>
            rules.Select(r => r.Evaluate(version, metrics)).ToList();

        /// <summary>What failed, naming every failing rule with the actual value; null when every rule held.</summary>
        public static string? FailureText(ModelVersion version, IReadOnlyList<RequirementResult> results)
        {
            var failed = results.Where(r => !r.Passed).ToList();
            if (failed.Count == 0) return null;
            return $"Version {version.Version} of '{version.GroupName}' does not meet the approval requirements: " +
                string.Join("; ", failed.Select(f => $"{f.Rule} failed ({f.Detail})"));
        }

        /// <summary>The approval description: the reason given, then the rules that held with their values
        /// ("Gate: auc = 0.93 (>= 0.9); f1 = 0.85 (>= 0.8)"), within SageMaker's 1,024 characters.</summary>
        public static string Describe(string? reason, IReadOnlyList<RequirementResult> held)
        {
            var gate = "Gate: " + string.Join("; ", held.Select(h => $"{h.Metric} = {MetricRule.Format(h.Actual ?? double.NaN)} ({MetricRule.Symbol(h.Operator)} {MetricRule.Format(h.Threshold)})"));
            var text = string.IsNullOrEmpty(reason) ? gate : reason + " | " + gate;
            return text.Length <= MaxApprovalDescription ? text : text.Substring(0, MaxApprovalDescription - 1) + "…";
        }

        /// <summary>The rules that held, as recorded by <see cref="Describe"/> in an approval description (for the audit report).</summary>
        public static IReadOnlyList<string> HeldRules(string? approvalDescription)
        {
            if (string.IsNullOrEmpty(approvalDescription)) return Array.Empty<string>();
            var at = approvalDescription!.IndexOf("Gate: ", StringComparison.Ordinal);
            if (at < 0) return Array.Empty<string>();
            var list = new List<string>();
            foreach (var part in approvalDescription.Substring(at + 6).Split(';'))
            {
                var m = Regex.Match(part, @"\A\s*(?<name>\S+) = (?<value>\S+) \((?<op>>=|<=|==|!=|>|<) (?<num>[^)]+)\)\s*\z");
                if (!m.Success) continue;
                // A hand-written description may look like a gate and not be one: only real rules count.
                try
                {
                    list.Add(MetricRule.Parse($"{m.Groups["name"].Value} {m.Groups["op"].Value} {m.Groups["num"].Value}").ToString());
                }
                catch (ArgumentException)
                {
                }
            }
            return list;
        }
    }
}
