using EncDec.Tensors;

namespace EncDec.Tests.Models;

/// <summary>
/// Shared data helpers for the memorisation tests: special ids, seeded random sentences, right-padded
/// sources with their padding mask, teacher-forcing input/output pairs, and teacher-forced token error counts.
/// </summary>
internal static class MemorisationData
{
    /// <summary>The padding, begin-of-sentence and end-of-sentence ids; content tokens start at 3.</summary>
    public const int Pad = 0, Bos = 1, Eos = 2;

    /// <summary>A sentence of <paramref name="minLength"/>..<paramref name="maxLength"/> (inclusive) content tokens
    /// drawn from [3, <paramref name="vocabulary"/>): one draw for the length, then one per token.</summary>
    public static int[] RandomSentence(Random random, int minLength, int maxLength, int vocabulary) =>
        Enumerable.Range(0, random.Next(minLength, maxLength + 1)).Select(_ => random.Next(Eos + 1, vocabulary)).ToArray();

    /// <summary>Right-padded (rows, longest) ids and the (rows, longest) padding mask, 1 at padding.</summary>
    public static (IntTensor Ids, Tensor Mask) PadSources(int[][] sentences)
    {
        int length = sentences.Max(s => s.Length);
        var ids = new int[sentences.Length * length];
        var mask = new float[ids.Length];
        for (int b = 0; b < sentences.Length; b++)
            for (int t = 0; t < length; t++)
            {
                bool real = t < sentences[b].Length;
                ids[b * length + t] = real ? sentences[b][t] : Pad;
                mask[b * length + t] = real ? 0f : 1f;
            }
        return (new IntTensor(ids, sentences.Length, length), Tensor.FromArray(mask, sentences.Length, length));
    }

    /// <summary>Input [BOS, y…] and output [y…, EOS], both right padded to the longest sentence plus one.</summary>
    public static (IntTensor Input, IntTensor Output) TeacherForcing(int[][] sentences)
    {
        int length = sentences.Max(s => s.Length) + 1;
        var input = new int[sentences.Length * length];
        var output = new int[input.Length];
        for (int b = 0; b < sentences.Length; b++)
        {
            sentences[b].Prepend(Bos).ToArray().CopyTo(input, b * length);
            sentences[b].Append(Eos).ToArray().CopyTo(output, b * length);
        }
        return (new IntTensor(input, sentences.Length, length), new IntTensor(output, sentences.Length, length));
    }

    /// <summary>Index of the largest value; the first one on ties.</summary>
    public static int ArgMax(ReadOnlySpan<float> row)
    {
        int best = 0;
        for (int v = 1; v < row.Length; v++) if (row[v] > row[best]) best = v;
        return best;
    }

    /// <summary>Non-pad positions where the argmax of (…, vocab) <paramref name="logits"/> differs from the target.</summary>
    public static int TokenErrors(Tensor logits, IntTensor targets)
    {
        int vocabulary = logits.Shape[^1];
        var values = logits.ToArray();
        var expected = targets.AsSpan();
        int errors = 0;
        for (int i = 0; i < expected.Length; i++)
        {
            if (expected[i] == Pad) continue;
            if (ArgMax(values.AsSpan(i * vocabulary, vocabulary)) != expected[i]) errors++;
        }
        return errors;
    }
}
