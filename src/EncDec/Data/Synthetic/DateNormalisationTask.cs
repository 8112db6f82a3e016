using System.Globalization;
using EncDec.Tensors;

namespace EncDec.Data.Synthetic;

/// <summary>
/// Date normalisation: a date written in one of the <see cref="DateFormat"/>s becomes ISO 8601, e.g.
/// <c>mar 3 rd 2 0 2 1</c> → <c>2 0 2 1 - 0 3 - 0 3</c>. Tokenisation: every digit is a token on both sides; month
/// names, their abbreviations, weekdays, ordinal suffixes (<c>st nd rd th</c>), <c>the</c>, <c>of</c>, <c>,</c>,
/// <c>/</c> and <c>-</c> are tokens; so the whole vocabulary is under 50 tokens. Dates are uniform over the days of
/// <see cref="FirstYear"/>..<see cref="LastYear"/> (leap days included), formats uniform over <see cref="DateFormat"/>.
/// </summary>
public sealed class DateNormalisationTask : ISyntheticTask
{
    private static readonly string[] Months =
        ["january", "february", "march", "april", "may", "june", "july", "august", "september", "october", "november", "december"];

    private static readonly string[] Weekdays = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"];

    private static readonly DateFormat[] Formats = Enum.GetValues<DateFormat>();

    private readonly int _firstDay;
    private readonly int _dayCount;

    /// <summary>A task drawing dates from 1 January <paramref name="firstYear"/> to 31 December <paramref name="lastYear"/>.</summary>
    /// <exception cref="ArgumentException">The years are outside 1..9999 or in the wrong order.</exception>
    public DateNormalisationTask(int firstYear = 1950, int lastYear = 2049)
    {
        if (firstYear < 1 || lastYear > 9999 || lastYear < firstYear)
            throw new ArgumentException($"date range {firstYear}..{lastYear} must lie in 1..9999 with first_year <= last_year", nameof(firstYear));
        (FirstYear, LastYear) = (firstYear, lastYear);
        _firstDay = new DateOnly(firstYear, 1, 1).DayNumber;
        _dayCount = new DateOnly(lastYear, 12, 31).DayNumber - _firstDay + 1;
    }

    /// <summary>The earliest year drawn.</summary>
    public int FirstYear { get; }

    /// <summary>The latest year drawn.</summary>
    public int LastYear { get; }

    /// <inheritdoc/>
    public string Name => "dates";

    /// <inheritdoc/>
    public string Description => $"normalise dates written in {Formats.Length} ways to ISO 8601, years {FirstYear}..{LastYear}";

    /// <inheritdoc/>
    public SyntheticPair Next(RandomGenerator random)
    {
        var date = DateOnly.FromDayNumber(_firstDay + random.NextInt(_dayCount));
        var format = Formats[random.NextInt(Formats.Length)];
        return Render(date, format);
    }

    /// <summary>The pair for <paramref name="date"/> written as <paramref name="format"/>.</summary>
    public static SyntheticPair Render(DateOnly date, DateFormat format)
    {
        string month = Months[date.Month - 1];
        string year = Digits(date.Year.ToString("D4", CultureInfo.InvariantCulture));
        string day = Digits(date.Day.ToString(CultureInfo.InvariantCulture));
        string ordinal = $"{day} {OrdinalSuffix(date.Day)}";
        string source = format switch
        {
            DateFormat.MonthDayYear => $"{month} {day} , {year}",
            DateFormat.DayMonthYear => $"{day} {month} {year}",
            DateFormat.Numeric => $"{Digits(date.Day.ToString("D2", CultureInfo.InvariantCulture))} / "
                + $"{Digits(date.Month.ToString("D2", CultureInfo.InvariantCulture))} / {year}",
            DateFormat.AbbreviatedOrdinal => $"{month[..3]} {ordinal} {year}",
            DateFormat.WeekdayMonthDayYear => $"{Weekdays[(int)date.DayOfWeek]} , {month} {day} , {year}",
            DateFormat.OrdinalOfMonth => $"the {ordinal} of {month} {year}",
            _ => throw new ArgumentOutOfRangeException(nameof(format), format, "unknown date format"),
        };
        return new SyntheticPair(source, Digits(date.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
    }

    /// <summary>English ordinal suffix: 1st 2nd 3rd 4th ... 11th 12th 13th ... 21st 22nd 23rd ... 31st.</summary>
    private static string OrdinalSuffix(int day) => (day % 100) is 11 or 12 or 13 ? "th" : (day % 10) switch
    {
        1 => "st",
        2 => "nd",
        3 => "rd",
        _ => "th",
    };

    private static string Digits(string text) => string.Join(' ', text.ToCharArray());
}
