using Sub2Api.Observability;

namespace Sub2Api.UnitTests.Observability;

/// <summary>Label values stay bounded whatever a client sends as its model; statuses never allocate a string.</summary>
public sealed class MetricLabelsTests
{
    [Theory]
    [InlineData("claude-sonnet-4-5", "claude-sonnet-4-5")]
    [InlineData("gpt-5.1", "gpt-5.1")]
    [InlineData("", MetricLabels.None)]
    [InlineData(null, MetricLabels.None)]
    [InlineData("model with spaces", MetricLabels.Other)]
    [InlineData("model\"quote", MetricLabels.Other)]
    [InlineData("模型", MetricLabels.Other)]
    public void Model_IsItsOwnLabelOnlyWhenPlain(string? model, string expected) =>
        Assert.Equal(expected, MetricLabels.Model(model));

    [Fact]
    public void Model_TooLong_IsOther() => Assert.Equal(MetricLabels.Other, MetricLabels.Model(new string('a', 101)));

    [Fact]
    public void Status_IsTheSameCachedString_AndOutOfRangeIsOther()
    {
        Assert.Equal("429", MetricLabels.Status(429));
        Assert.Same(MetricLabels.Status(200), MetricLabels.Status(200));
        Assert.Equal(MetricLabels.Other, MetricLabels.Status(600));
        Assert.Equal(MetricLabels.Other, MetricLabels.Status(-1));
    }
}
