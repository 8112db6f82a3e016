namespace EncDec.Data.Synthetic;

/// <summary>
/// The written forms of a date that <see cref="DateNormalisationTask"/> produces, shown for 3 March 2021 before
/// tokenisation (on the source side every digit is a token of its own, so <c>2021</c> becomes <c>2 0 2 1</c>).
/// </summary>
public enum DateFormat
{
    /// <summary><c>march 3 , 2021</c></summary>
    MonthDayYear,

    /// <summary><c>3 march 2021</c></summary>
    DayMonthYear,

    /// <summary><c>03/03/2021</c>: day/month/year with two-digit day and month (the European order, never month first).</summary>
    Numeric,

    /// <summary><c>mar 3rd 2021</c>: three-letter month and an ordinal day.</summary>
    AbbreviatedOrdinal,

    /// <summary><c>wednesday , march 3 , 2021</c>: with the (correct) day of the week.</summary>
    WeekdayMonthDayYear,

    /// <summary><c>the 3rd of march 2021</c></summary>
    OrdinalOfMonth,
}
