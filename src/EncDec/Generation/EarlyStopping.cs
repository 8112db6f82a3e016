namespace EncDec.Generation;

/// <summary>
/// When beam search stops working on a sentence that already has beam-size finished hypotheses. Every choice stops a
/// sentence once no hypothesis is active or the maximum length is reached; they differ in how much they trust the
/// finished ones. Scores compared are the normalised ones (<see cref="Hypothesis.NormalisedScore"/>).
/// </summary>
public enum EarlyStopping
{
    /// <summary>As soon as beam-size hypotheses have finished (fairseq, Hugging Face <c>early_stopping=True</c>).
    /// Fastest; with a length penalty a longer active hypothesis might still have overtaken them.</summary>
    BeamFull,

    /// <summary>When beam-size hypotheses have finished and the best active one, normalised at its current length, is
    /// not better than the worst kept (Hugging Face's default). Exact without a length penalty, since log-probabilities
    /// only add negative terms; with one, an active hypothesis that grows may still have won.</summary>
    Heuristic,

    /// <summary>When beam-size hypotheses have finished and no active one can beat the worst kept whatever it emits up
    /// to the maximum length: its current sum (an upper bound on any continuation's) is normalised with the most
    /// favourable length in (current, max], and a coverage penalty is taken as 0, its upper bound. Never changes the
    /// result compared with running to the maximum length; costs the most steps.</summary>
    Exact,
}
