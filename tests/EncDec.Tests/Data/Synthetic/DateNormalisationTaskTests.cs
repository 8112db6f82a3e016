using EncDec.Data.Synthetic;
using EncDec.Tensors;

namespace EncDec.Tests.Data.Synthetic;

public sealed class DateNormalisationTaskTests
{
    private static readonly DateOnly March3 = new(2021, 3, 3);

    [Theory]
    [InlineData(DateFormat.MonthDayYear, "march 3 , 2 0 2 1")]
    [InlineData(DateFormat.DayMonthYear, "3 march 2 0 2 1")]
    [InlineData(DateFormat.Numeric, "0 3 / 0 3 / 2 0 2 1")]
    [InlineData(DateFormat.AbbreviatedOrdinal, "mar 3 rd 2 0 2 1")]
    [InlineData(DateFormat.WeekdayMonthDayYear, "wednesday , march 3 , 2 0 2 1")]
    [InlineData(DateFormat.OrdinalOfMonth, "the 3 rd of march 2 0 2 1")]
    public void EachFormat_NormalisesToIso(DateFormat format, string source) =>
        Assert.Equal(new SyntheticPair(source, "2 0 2 1 - 0 3 - 0 3"), DateNormalisationTask.Render(March3, format));

    [Theory]
    [InlineData(1, "1 st")]
    [InlineData(2, "2 nd")]
    [InlineData(11, "1 1 th")]
    [InlineData(12, "1 2 th")]
    [InlineData(13, "1 3 th")]
    [InlineData(22, "2 2 nd")]
    [InlineData(31, "3 1 st")]
    public void Ordinals_FollowEnglish(int day, string expected) =>
        Assert.Equal($"jan {expected} 2 0 0 0", DateNormalisationTask.Render(new DateOnly(2000, 1, day), DateFormat.AbbreviatedOrdinal).Source);

    [Fact]
    public void Numeric_IsDayFirst() =>
        Assert.Equal("1 2 / 0 1 / 1 9 9 9", DateNormalisationTask.Render(new DateOnly(1999, 1, 12), DateFormat.Numeric).Source);

    [Fact]
    public void Weekday_IsTheRealOne() =>   // 29 February 2000 was a Tuesday
        Assert.StartsWith("tuesday , february 2 9 ,", DateNormalisationTask.Render(new DateOnly(2000, 2, 29), DateFormat.WeekdayMonthDayYear).Source);

    [Fact]
    public void Targets_ParseBackToTheDrawnRange_AndEveryFormatAppears()
    {
        var task = new DateNormalisationTask(1990, 1999);
        var random = new RandomGenerator(1);
        var pairs = Enumerable.Range(0, 3000).Select(_ => task.Next(random)).ToArray();
        foreach (var pair in pairs)
        {
            var date = DateOnly.ParseExact(pair.Target.Replace(" ", ""), "yyyy-MM-dd");
            Assert.InRange(date.Year, 1990, 1999);
        }
        Assert.Contains(pairs, p => p.Source.Contains('/'));
        Assert.Contains(pairs, p => p.Source.StartsWith("the ", StringComparison.Ordinal));
        Assert.True(pairs.SelectMany(p => (p.Source + " " + p.Target).Split(' ')).Distinct().Count() < 60);
    }
}
