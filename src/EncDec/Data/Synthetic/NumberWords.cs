namespace EncDec.Data.Synthetic;

/// <summary>
/// Cardinal numbers 1..99 written out in English and in French (traditional spelling, as taught and printed before
/// and alongside the 1990 reform): hyphens inside compounds (dix-sept, quatre-vingt-deux), <c>et</c> without hyphens in
/// 21, 31, 41, 51, 61 and 71 (vingt et un, soixante et onze), none in 81 and 91 (quatre-vingt-un, quatre-vingt-onze),
/// quatre-vingts with an s only when nothing follows, and un agreeing as une with a feminine noun (vingt et une pommes,
/// quatre-vingt-une pommes). A word such as "vingt et un" is three tokens.
/// </summary>
public static class NumberWords
{
    /// <summary>The largest number written out.</summary>
    public const int Max = 99;

    private static readonly string[] EnglishUnits =
    [
        "", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
        "eleven", "twelve", "thirteen", "fourteen", "fifteen", "sixteen", "seventeen", "eighteen", "nineteen",
    ];

    private static readonly string[] EnglishTens = ["", "", "twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety"];

    private static readonly string[] FrenchUnits =
    [
        "", "un", "deux", "trois", "quatre", "cinq", "six", "sept", "huit", "neuf", "dix",
        "onze", "douze", "treize", "quatorze", "quinze", "seize", "dix-sept", "dix-huit", "dix-neuf",
    ];

    private static readonly string[] FrenchTens = ["", "", "vingt", "trente", "quarante", "cinquante", "soixante"];

    /// <summary>English words for <paramref name="number"/>: <c>one</c>, <c>twenty-one</c>, <c>ninety-nine</c> (one token each).</summary>
    public static string English(int number)
    {
        CheckRange(number);
        if (number < 20) return EnglishUnits[number];
        int unit = number % 10;
        return unit == 0 ? EnglishTens[number / 10] : $"{EnglishTens[number / 10]}-{EnglishUnits[unit]}";
    }

    /// <summary>French words for <paramref name="number"/> counting a noun of <paramref name="gender"/>.</summary>
    public static string French(int number, GrammaticalGender gender = GrammaticalGender.Masculine)
    {
        CheckRange(number);
        string words = MasculineFrench(number);
        // Only a final un agrees (vingt et une, quatre-vingt-une); un inside a word such as "vingt et un mille" never arises below 100.
        if (gender == GrammaticalGender.Feminine && (words == "un" || words.EndsWith(" un", StringComparison.Ordinal) || words.EndsWith("-un", StringComparison.Ordinal)))
            words += "e";
        return words;
    }

    private static string MasculineFrench(int number)
    {
        if (number < 20) return FrenchUnits[number];
        if (number < 70) return Compound(FrenchTens[number / 10], number % 10, andForOne: true);
        if (number < 80) return Compound("soixante", number - 60, andForOne: true);   // soixante-dix .. soixante-dix-neuf
        if (number == 80) return "quatre-vingts";
        return Compound("quatre-vingt", number - 80, andForOne: false);              // quatre-vingt-un .. quatre-vingt-dix-neuf
    }

    // tens + rest (rest 0..19): rest 1 (and 11 after soixante) takes "et" where andForOne, otherwise a hyphen.
    private static string Compound(string tens, int rest, bool andForOne)
    {
        if (rest == 0) return tens;
        if (andForOne && rest is 1 or 11) return $"{tens} et {FrenchUnits[rest]}";
        return $"{tens}-{FrenchUnits[rest]}";
    }

    private static void CheckRange(int number)
    {
        if (number is < 1 or > Max)
            throw new ArgumentOutOfRangeException(nameof(number), number, $"numbers are written out from 1 to {Max}");
    }
}
