using ModelRegistry.Engine.Config;

namespace ModelRegistry.Tests.Config;

public class NamingTests
{
    [Theory]
    [InlineData("rc-fraud-detection")]
    [InlineData("a")]
    [InlineData("A1")]
    [InlineData("a--b")] // (-*[a-zA-Z0-9]) allows runs of hyphens
    [InlineData("x23456789012345678901234567890123456789012345678901234567890123")] // 63
    public void Valid_group_names(string name)
    {
        Assert.True(Naming.IsValidEntityName(name));
        Assert.Null(Naming.CheckGroupName(name));
    }

    [Theory]
    [InlineData("", "empty")]
    [InlineData("-a", "starting and ending")]
    [InlineData("a-", "starting and ending")]
    [InlineData("a_b", "letters")]
    [InlineData("a.b", "letters")]
    [InlineData("a b", "letters")]
    [InlineData("é", "letters")]
    [InlineData("ab\n", "letters")]
    [InlineData("x234567890123456789012345678901234567890123456789012345678901234", "at most 63")] // 64
    public void Invalid_group_names(string name, string containing)
    {
        Assert.False(Naming.IsValidEntityName(name));
        Assert.Contains(containing, Naming.CheckGroupName(name));
        Assert.False(Naming.IsValidEntityName(null));
    }

    [Theory]
    [InlineData("")]
    [InlineData("Models for risk-control/fraud-detection")]
    [InlineData("日本語 ✓ € + (x) 🚀 é")]
    public void Valid_descriptions(string description)
    {
        Assert.Null(Naming.CheckDescription(description));
        Assert.Null(Naming.CheckDescription(new string('d', 1024)));
    }

    [Theory]
    [InlineData("a\tb", "U+0009")]
    [InlineData("a\nb", "U+000A")]
    [InlineData("a\u0000", "U+0000")]
    public void Invalid_descriptions(string description, string containing)
    {
        Assert.Contains(containing, Naming.CheckDescription(description));
        Assert.Contains("1024", Naming.CheckDescription(new string('d', 1025)));
    }

    [Fact]
    public void A_lone_surrogate_is_not_a_valid_description()
    {
        // Built here: xunit cannot carry a lone surrogate through InlineData.
        Assert.Contains("U+D800", Naming.CheckDescription("bad " + (char)0xD800 + " surrogate"));
    }

    [Theory]
    [InlineData("ManagedBy")]
    [InlineData("a b_c.d:e/f=g+h-i@j")]
    [InlineData("チーム")]
    public void Valid_tag_keys_and_values(string text)
    {
        Assert.Null(Naming.CheckTagKey(text));
        Assert.Null(Naming.CheckTagValue(text));
        Assert.Null(Naming.CheckTagKey(new string('k', 128)));
        Assert.Null(Naming.CheckTagValue(new string('v', 256)));
        Assert.Null(Naming.CheckTagValue(""));
    }

    [Theory]
    [InlineData("a#b", "'#'")]
    [InlineData("a!b", "'!'")]
    [InlineData("a,b", "','")]
    [InlineData("a\tb", "U+0009")]
    [InlineData("✓", "'✓'")]
    public void Invalid_tag_keys_and_values(string text, string containing)
    {
        Assert.Contains(containing, Naming.CheckTagKey(text));
        Assert.Contains(containing, Naming.CheckTagValue(text));
    }

    [Fact]
    public void Tag_lengths_and_reserved_prefix()
    {
        Assert.Contains("empty", Naming.CheckTagKey(""));
        Assert.Contains("at most 128", Naming.CheckTagKey(new string('k', 129)));
        Assert.Contains("at most 256", Naming.CheckTagValue(new string('v', 257)));
        Assert.Contains("aws:", Naming.CheckTagKey("aws:createdBy"));
        Assert.Contains("aws:", Naming.CheckTagKey("AWS:x"));
    }
}
