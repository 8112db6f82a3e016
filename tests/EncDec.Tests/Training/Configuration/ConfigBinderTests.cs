using EncDec.Training.Configuration;

namespace EncDec.Tests.Training.Configuration;

public sealed class ConfigBinderTests
{
    public enum Colour { Red, DarkBlue }

    public sealed record Inner(int Count = 3, Colour Colour = Colour.Red, float? Rate = null)
    {
        public void Validate()
        {
            if (Count < 0) throw new ArgumentException($"count {Count} is negative");
        }
    }

    public sealed record Outer(string Name = "x", bool Flag = false, Inner? Section = null, ulong Seed = 1);

    public sealed record WithSection(Inner Section, string Name = "x", long Steps = 10);

    private static ConfigSettings Yaml(string text) => ConfigSettings.FromYaml(new StringReader(text), "run.yaml");

    [Fact]
    public void NestedYaml_BindsSectionsAndKeepsDefaults()
    {
        var bound = ConfigBinder.Bind<WithSection>(Yaml("name: demo\nsection:\n  count: 7\n  colour: dark-blue\n"));
        Assert.Equal("demo", bound.Name);
        Assert.Equal(10, bound.Steps);
        Assert.Equal(new Inner(7, Colour.DarkBlue), bound.Section);
    }

    [Fact]
    public void CommandLineOverride_WinsOverTheFile()
    {
        var settings = Yaml("steps: 10\nsection: { count: 7 }\n");
        settings.Override("section.count=9");
        settings.Override("section.rate=0.5");
        var bound = ConfigBinder.Bind<WithSection>(settings);
        Assert.Equal(9, bound.Section.Count);
        Assert.Equal(0.5f, bound.Section.Rate);
    }

    [Fact]
    public void UnknownKey_NamesTheKeyTheLineAndTheValidKeys()
    {
        var e = Assert.Throws<InvalidDataException>(() => ConfigBinder.Bind<WithSection>(Yaml("name: a\nsection:\n  cuont: 7\n")));
        Assert.Contains("run.yaml:3", e.Message);
        Assert.Contains("section.cuont", e.Message);
        Assert.Contains("section.count", e.Message);
    }

    [Fact]
    public void UnknownKey_IsNamedBeforeAnyValidation_SoATypoIsNotReportedAsTheMissingKey()
    {
        // Section would fail its Validate() (count -1), but the misspelt key is the mistake to report.
        var e = Assert.Throws<InvalidDataException>(() => ConfigBinder.Bind<WithSection>(Yaml("section:\n  count: -1\n  rat: 2\n")));
        Assert.Contains("unknown setting 'section.rat'", e.Message);
    }

    public sealed record Checked(int MaxTokens = 1)
    {
        public void Validate()
        {
            if (MaxTokens < 1) throw new ArgumentException($"Checked: MaxTokens {MaxTokens} must be at least 1", nameof(MaxTokens));
        }
    }

    public sealed record WithChecked(Checked Batching);

    [Fact]
    public void FailedValidation_SpeaksInTheKeysWritten_NotTheRecordsNames()
    {
        var e = Assert.Throws<InvalidDataException>(() => ConfigBinder.Bind<WithChecked>(Yaml("batching:\n  max_tokens: 0\n")));
        Assert.Equal("section 'batching': max_tokens 0 must be at least 1", e.Message);
    }

    [Fact]
    public void WrongType_NamesTheKeyAndTheExpectedType()
    {
        var e = Assert.Throws<InvalidDataException>(() => ConfigBinder.Bind<WithSection>(Yaml("steps: many\n")));
        Assert.Contains("steps", e.Message);
        Assert.Contains("integer", e.Message);
        var colour = Assert.Throws<InvalidDataException>(() => ConfigBinder.Bind<WithSection>(Yaml("section: { colour: green }\n")));
        Assert.Contains("dark-blue", colour.Message);
    }

    [Fact]
    public void FailedValidation_NamesTheSection()
    {
        var e = Assert.Throws<InvalidDataException>(() => ConfigBinder.Bind<WithSection>(Yaml("section: { count: -1 }\n")));
        Assert.Contains("section 'section'", e.Message);
        Assert.Contains("count -1 is negative", e.Message);
    }

    [Fact]
    public void MalformedYaml_AndLists_AreErrorsWithTheLine()
    {
        Assert.Contains("run.yaml:", Assert.Throws<InvalidDataException>(() => Yaml("a: [1, 2\n")).Message);
        Assert.Contains("not a list", Assert.Throws<InvalidDataException>(() => Yaml("a:\n  - 1\n")).Message);
        Assert.Contains("run.yaml:2", Assert.Throws<InvalidDataException>(() => Yaml("a: 1\na: 2\n")).Message);
    }

    [Fact]
    public void Keys_ListsEveryDottedKey()
    {
        Assert.Equal(["section.count", "section.colour", "section.rate", "name", "steps"], ConfigBinder.Keys(typeof(WithSection)));
    }

    [Theory]
    [InlineData("LearningRate", "learning_rate")]
    [InlineData("DModel", "d_model")]
    [InlineData("MaxTokens", "max_tokens")]
    [InlineData("EmaDecay", "ema_decay")]
    public void SnakeCase_FollowsTheFieldsSpelling(string name, string expected) => Assert.Equal(expected, ConfigBinder.SnakeCase(name));

    [Fact]
    public void BooleansAndNulls_Parse()
    {
        var settings = Yaml("flag: yes\nseed: 18446744073709551615\n");
        var bound = ConfigBinder.Bind<Outer>(settings);
        Assert.True(bound.Flag);
        Assert.Equal(ulong.MaxValue, bound.Seed);
    }
}
