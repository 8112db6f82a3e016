namespace EncDec.Text.Training;

/// <summary>
/// Byte-pair-encoding vocabulary training as SentencePiece 0.1.97's <c>bpe::Trainer::Train</c>: words start as
/// characters, and the most frequent adjacent pair of symbols is merged into a new symbol until the vocabulary is
/// full; the alphabet is appended after the merges. The i-th piece scores -i, so earlier merges win when encoding.
/// </summary>
/// <remarks>
/// <para>Bookkeeping as in SentencePiece: each pair symbol keeps the positions (word, left, right) where it occurs;
/// its frequency is cached and recomputed, dropping positions that no longer hold it, only after a merge beside one
/// of them reset it. The best pair is sought among "active" symbols only: the 5% most frequent pairs (at least
/// 1,000), re-chosen every 100 merges, plus every pair a merge has created since.</para>
/// <para>Ties go to the shorter piece, then to the smaller in code-point order. A piece reached twice by different
/// merges ("aa"+"a" and "a"+"aa") is kept once. Pairs that would not be valid pieces (<see cref="PieceValidator"/>)
/// are never formed.</para>
/// </remarks>
internal sealed class BpeTrainer
{
    private const int ActiveUpdateInterval = 100;
    private const int MinActiveSymbols = 1000;
    private const float TopFrequentRatio = 0.05f;

    private sealed class Symbol(int id, int[] chars, Symbol? left, Symbol? right)
    {
        public readonly int Id = id;
        public readonly int[] Chars = chars;
        public readonly Symbol? Left = left, Right = right;
        public readonly HashSet<ulong> Positions = [];
        public long Frequency;                        // 0: to be recomputed from Positions

        public bool IsPair => Left is not null;
    }

    private readonly List<(int[] Word, long Count)> words;
    private readonly Symbol?[][] symbols;             // symbols[word][i]: the symbol starting at character i, or null
    private readonly PieceValidator validator;
    private readonly Dictionary<int, Symbol> characters = [];
    private readonly Dictionary<(int Left, int Right), Symbol?> pairs = [];   // null: not a valid piece
    private readonly HashSet<Symbol> active = [];
    private int symbolCount;

    private BpeTrainer(TrainingCorpus corpus, PieceValidator validator)
    {
        this.validator = validator;
        words = WordCounter.Count(corpus.Sentences);
        var counts = corpus.Alphabet.ToDictionary(a => a.Char, a => a.Count);
        symbols = new Symbol?[words.Count][];
        for (int w = 0; w < words.Count; w++)
        {
            var word = words[w].Word;
            if (word.Length > ushort.MaxValue)
                throw new SubwordTrainingException($"a word of {word.Length} characters is too long for BPE training (at most {ushort.MaxValue})");
            symbols[w] = [.. word.Select(c => CharacterSymbol(c, counts))];
        }
    }

    /// <summary>The learned pieces with their scores: the merges in order, then the alphabet.</summary>
    /// <param name="corpus">The prepared training sentences.</param>
    /// <param name="validator">Which pieces may be formed.</param>
    /// <param name="pieceCount">How many pieces to learn, alphabet included.</param>
    public static List<(int[] Piece, float Score)> Train(TrainingCorpus corpus, PieceValidator validator, int pieceCount) =>
        new BpeTrainer(corpus, validator).Run(pieceCount - corpus.Alphabet.Count, corpus.Alphabet);

    private List<(int[] Piece, float Score)> Run(int mergeCount, List<(int Char, long Count)> alphabet)
    {
        for (int w = 0; w < symbols.Length; w++)
            for (int i = 1; i < symbols[w].Length; i++) AddPair(w, i - 1, i);

        var pieces = new List<(int[] Piece, float Score)>();
        var seen = new HashSet<int[]>(CodePoints.Comparer);
        while (pieces.Count < mergeCount)
        {
            if (pieces.Count % ActiveUpdateInterval == 0) UpdateActiveSymbols();
            var best = FindBest();
            if (best is null) break;                            // no pair left to merge
            if (seen.Add(best.Chars))                           // else the same text was reached by another merge
            {
                pieces.Add((best.Chars, -pieces.Count));
                Merge(best);
            }
            // Forgotten only now, so that the merge's own lookups of the pair still find it.
            pairs.Remove((best.Left!.Id, best.Right!.Id));
            active.Remove(best);
        }
        foreach (var (c, _) in alphabet) pieces.Add(([c], -pieces.Count));
        return pieces;
    }

    private Symbol? FindBest()
    {
        Symbol? best = null;
        foreach (var symbol in active)
        {
            ComputeFrequency(symbol);
            if (best is null || IsBetter(symbol, best)) best = symbol;
        }
        return best;
    }

    private static bool IsBetter(Symbol a, Symbol b) =>
        a.Frequency != b.Frequency ? a.Frequency > b.Frequency
        : a.Chars.Length != b.Chars.Length ? a.Chars.Length < b.Chars.Length
        : CodePoints.Comparer.Compare(a.Chars, b.Chars) < 0;

    // Replaces every occurrence of best's pair by best, left to right within a word, and updates the neighbours.
    private void Merge(Symbol best)
    {
        foreach (ulong position in best.Positions.Order())
        {
            var (w, left, right) = Decode(position);
            // Two overlapping occurrences ("a a a" for "aa"): the second lost its left symbol to the first.
            if (symbols[w][left] is null) continue;
            int next = NextIndex(w, right);
            int previous = PreviousIndex(w, left);
            ResetFrequency(w, previous, left, best);
            ResetFrequency(w, right, next, best);
            symbols[w][left] = best;
            symbols[w][right] = null;
            AddPair(w, previous, left);
            AddPair(w, left, next);
        }
    }

    private void UpdateActiveSymbols()
    {
        var candidates = pairs.Values.OfType<Symbol>().ToList();
        foreach (var symbol in candidates) ComputeFrequency(symbol);
        int cacheSize = characters.Count + candidates.Count;
        int size = Math.Min(Math.Max(MinActiveSymbols, (int)(cacheSize * TopFrequentRatio)), candidates.Count);
        active.Clear();
        foreach (var symbol in candidates.OrderByDescending(s => s.Frequency).ThenBy(s => s.Id).Take(size)) active.Add(symbol);
    }

    private void ComputeFrequency(Symbol symbol)
    {
        if (symbol.Frequency > 0) return;
        long frequency = 0;
        symbol.Positions.RemoveWhere(position =>
        {
            var (w, left, right) = Decode(position);
            if (symbols[w][left] != symbol.Left || symbols[w][right] != symbol.Right) return true;
            frequency += words[w].Count;
            return false;
        });
        symbol.Frequency = frequency;
    }

    private void AddPair(int w, int left, int right)
    {
        if (left < 0 || right < 0) return;
        var symbol = PairSymbol(symbols[w][left]!, symbols[w][right]!);
        if (symbol is null) return;
        active.Add(symbol);
        symbol.Positions.Add(Encode(w, left, right));
    }

    private void ResetFrequency(int w, int left, int right, Symbol best)
    {
        if (left < 0 || right < 0) return;
        var symbol = PairSymbol(symbols[w][left]!, symbols[w][right]!);
        if (symbol is not null && symbol != best) symbol.Frequency = 0;
    }

    private Symbol CharacterSymbol(int c, Dictionary<int, long> counts)
    {
        if (characters.TryGetValue(c, out var symbol)) return symbol;
        symbol = new Symbol(symbolCount++, [c], null, null) { Frequency = counts.GetValueOrDefault(c, 1) };
        characters.Add(c, symbol);
        return symbol;
    }

    private Symbol? PairSymbol(Symbol left, Symbol right)
    {
        if (pairs.TryGetValue((left.Id, right.Id), out var symbol)) return symbol;
        int[] chars = [.. left.Chars, .. right.Chars];
        symbol = validator.IsValid(chars) ? new Symbol(symbolCount++, chars, left, right) : null;
        pairs.Add((left.Id, right.Id), symbol);
        return symbol;
    }

    private int NextIndex(int w, int index)
    {
        var row = symbols[w];
        for (int i = index + 1; i < row.Length; i++) if (row[i] is not null) return i;
        return -1;
    }

    private int PreviousIndex(int w, int index)
    {
        var row = symbols[w];
        for (int i = index - 1; i >= 0; i--) if (row[i] is not null) return i;
        return -1;
    }

    private static ulong Encode(int w, int left, int right) => ((ulong)w << 32) | ((ulong)left << 16) | (uint)right;

    private static (int Word, int Left, int Right) Decode(ulong position) =>
        ((int)(position >> 32), (int)((position >> 16) & 0xFFFF), (int)(position & 0xFFFF));
}
