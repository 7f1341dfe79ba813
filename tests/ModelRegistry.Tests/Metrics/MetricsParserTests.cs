using System.Text;
using ModelRegistry.Engine.Metrics;

namespace ModelRegistry.Tests.Metrics;

public sealed class MetricsParserTests
{
    private static IReadOnlyList<ParsedMetric> Parse(string json) => MetricsParser.Parse(Encoding.UTF8.GetBytes(json));

    private static ParsedMetric One(IReadOnlyList<ParsedMetric> metrics, string name) => Assert.Single(metrics, m => m.Name == name);

    [Fact]
    public void Binary_classification_statistics_give_value_and_standard_deviation_and_a_flattened_confusion_matrix()
    {
        var metrics = Parse("""
            {"version":0.0,"binary_classification_metrics":{
              "confusion_matrix":{"0":{"0":1180,"1":510},"1":{"0":268,"1":138}},
              "recall":{"value":0.34,"standard_deviation":0.006},
              "auc":{"value":0.93,"standard_deviation":0.01},
              "f1":{"value":0.26,"standard_deviation":"NaN"},
              "receiver_operating_characteristic_curve":{"false_positive_rates":[0.0,1.0],"true_positive_rates":[0.0,1.0]},
              "precision_recall_curve":{"precisions":[1.0],"recalls":[0.0]}}}
            """);
        var auc = One(metrics, "auc");
        Assert.Equal(0.93, auc.Value);
        Assert.Equal(0.01, auc.StandardDeviation);
        Assert.Equal(0.34, One(metrics, "recall").Value);
        Assert.Null(One(metrics, "f1").StandardDeviation);
        Assert.Equal(510, One(metrics, "confusion_matrix.0.1").Value);
        Assert.Equal(268, One(metrics, "confusion_matrix.1.0").Value);
        Assert.Null(One(metrics, "confusion_matrix.0.0").StandardDeviation);
        // Curves are lists of points, not one value: skipped.
        Assert.DoesNotContain(metrics, m => m.Name.Contains("curve"));
        Assert.Equal(7, metrics.Count);
    }

    [Fact]
    public void Multiclass_and_regression_statistics_are_read()
    {
        var multi = Parse("""
            {"multiclass_classification_metrics":{"accuracy":{"value":0.8,"standard_deviation":0.02},
              "weighted_f1":{"value":0.79},"confusion_matrix":{"cat":{"cat":5,"dog":1},"dog":{"cat":0,"dog":6}}}}
            """);
        Assert.Equal(0.8, One(multi, "accuracy").Value);
        Assert.Null(One(multi, "weighted_f1").StandardDeviation);
        Assert.Equal(1, One(multi, "confusion_matrix.cat.dog").Value);

        var regression = Parse("""{"regression_metrics":{"mse":{"value":"2.5","standard_deviation":0.1},"r2":{"value":null}}}""");
        Assert.Equal(2.5, One(regression, "mse").Value);
        Assert.Null(One(regression, "r2").Value);
    }

    [Fact]
    public void Constraints_give_thresholds_and_their_comparison()
    {
        var metrics = Parse("""{"version":0.0,"binary_classification_constraints":{"recall":{"threshold":0.5,"comparison_operator":"GreaterThanThreshold"}}}""");
        var recall = One(metrics, "recall");
        Assert.Equal(0.5, recall.Value);
        Assert.Equal("GreaterThanThreshold", recall.Comparison);
    }

    [Fact]
    public void Data_quality_bias_and_explainability_reports_are_read()
    {
        var data = Parse("""
            {"dataset":{"item_count":10},"features":[
              {"name":"age","inferred_type":"Integral","numerical_statistics":{"common":{"num_present":9,"num_missing":1},"mean":40.5,"sum":364.5,"std_dev":3.0,"min":18,"max":70}},
              {"name":"city","inferred_type":"String","string_statistics":{"common":{"num_present":10,"num_missing":0}}},
              {"name":"age2","completeness":1.0}]}
            """);
        Assert.Equal(40.5, One(data, "age.mean").Value);
        Assert.Equal(1, One(data, "age.num_missing").Value);
        Assert.Equal(0, One(data, "city.num_missing").Value);
        Assert.Equal(1.0, One(data, "age2.completeness").Value);

        var bias = Parse("""
            {"version":"1.0","post_training_bias_metrics":{"label":"fraud","facets":{"gender":[
              {"value_or_threshold":"0","metrics":[{"name":"DPPL","description":"d","value":-0.05},{"name":"DI","value":0.9}]}]}}}
            """);
        Assert.Equal(-0.05, One(bias, "DPPL.gender.0").Value);
        Assert.Equal(0.9, One(bias, "DI.gender.0").Value);

        var shap = Parse("""{"version":"1.0","explanations":{"kernel_shap":{"label0":{"global_shap_values":{"age":0.25,"income":0.5},"expected_value":0.3}}}}""");
        Assert.Equal(0.5, One(shap, "shap.label0.income").Value);
    }

    [Theory]
    [InlineData("nope", "not JSON")]
    [InlineData("[1,2]", "not an object")]
    [InlineData("""{"version":0.0,"something_else":{}}""", "not a SageMaker metrics file")]
    public void A_file_of_no_known_shape_is_an_error_saying_why(string content, string expected)
    {
        var e = Assert.Throws<FormatException>(() => Parse(content));
        Assert.Contains(expected, e.Message);
    }
}
