using EncDec.Models;
using EncDec.Tensors;

namespace EncDec.Tests.Models;

/// <summary>Tiny recurrent encoder-decoder pairs and batches shared by the Rnn* model tests.</summary>
internal static class RnnModelKit
{
    public const int Vocabulary = 11;

    /// <summary>Every named case the decoder tests run on.</summary>
    public static TheoryData<string> Cases =>
    [
        "None-Lstm-Init", "None-Gru-Init", "Bahdanau-Gru", "Bahdanau-Lstm-Init",
        "LuongDot-Lstm", "LuongGeneral-Gru", "LuongConcat-Lstm-NoFeed",
    ];

    /// <summary>Builds an evaluation-mode encoder and decoder for a named case.</summary>
    public static (RnnEncoder Encoder, RnnDecoder Decoder) Build(string name)
    {
        var (encoder, decoder) = name switch
        {
            // Bidirectional 2-layer LSTM into a 2-layer LSTM: the bridge maps 16 → 8.
            "None-Lstm-Init" => (Encoder(RnnCellType.Lstm, 2, true), Decoder(RnnCellType.Lstm, 2, RnnAttentionKind.None, init: true)),
            // Same widths: no bridge, the encoder's state is copied.
            "None-Gru-Init" => (Encoder(RnnCellType.Gru, 1, false), Decoder(RnnCellType.Gru, 1, RnnAttentionKind.None, init: true)),
            "Bahdanau-Gru" => (Encoder(RnnCellType.Gru, 1, true), Decoder(RnnCellType.Gru, 2, RnnAttentionKind.Bahdanau)),
            "Bahdanau-Lstm-Init" => (Encoder(RnnCellType.Lstm, 1, true), Decoder(RnnCellType.Lstm, 1, RnnAttentionKind.Bahdanau, init: true)),
            "LuongDot-Lstm" => (Encoder(RnnCellType.Lstm, 1, false), Decoder(RnnCellType.Lstm, 2, RnnAttentionKind.LuongDot)),
            "LuongGeneral-Gru" => (Encoder(RnnCellType.Gru, 2, true), Decoder(RnnCellType.Gru, 1, RnnAttentionKind.LuongGeneral)),
            "LuongConcat-Lstm-NoFeed" => (Encoder(RnnCellType.Lstm, 1, true), Decoder(RnnCellType.Lstm, 1, RnnAttentionKind.LuongConcat, feed: false)),
            _ => throw new ArgumentException($"unknown case {name}"),
        };
        var rng = new RandomGenerator(7);
        var built = (new RnnEncoder(encoder, rng), new RnnDecoder(decoder, encoder.OutputDim, rng));
        built.Item1.Eval();
        built.Item2.Eval();
        return built;
    }

    private static RnnEncoderConfig Encoder(RnnCellType cell, int layers, bool bidirectional) =>
        new(cell, EmbeddingDim: 8, HiddenSize: 8, Layers: layers, Bidirectional: bidirectional, Dropout: 0f, SourceVocabulary: Vocabulary);

    private static RnnDecoderConfig Decoder(RnnCellType cell, int layers, RnnAttentionKind attention, bool init = false, bool feed = true) =>
        new(cell, EmbeddingDim: 8, HiddenSize: 8, Layers: layers, Dropout: 0f, TargetVocabulary: Vocabulary,
            Attention: attention, InputFeeding: feed, InitFromEncoder: init);

    /// <summary>Source lengths of the standard batch (srcLen 5, right padded with id 0).</summary>
    public static readonly int[] SourceLengths = [5, 3, 1];

    /// <summary>(3, 5) source ids; <paramref name="padFill"/> goes where the padding is.</summary>
    public static IntTensor Source(int padFill = 0)
    {
        int[] ids =
        [
            3, 4, 5, 6, 7,
            8, 9, 10, padFill, padFill,
            4, padFill, padFill, padFill, padFill,
        ];
        return new IntTensor(ids, 3, 5);
    }

    /// <summary>(3, 4) teacher-forced target input, starting with the start token 1.</summary>
    public static IntTensor Target() => new([1, 5, 6, 7, 1, 8, 2, 0, 1, 3, 0, 0], 3, 4);

    /// <summary>(batch, srcLen) padding mask, 1 at padding, for the given lengths.</summary>
    public static Tensor PaddingMask(int length, params int[] lengths)
    {
        var values = new float[lengths.Length * length];
        for (int b = 0; b < lengths.Length; b++)
            for (int t = lengths[b]; t < length; t++) values[b * length + t] = 1f;
        return Tensor.FromArray(values, lengths.Length, length);
    }

    /// <summary>Column t of a (batch, len) id tensor, (batch).</summary>
    public static IntTensor Column(IntTensor ids, int t)
    {
        int batch = ids.Shape[0];
        var column = new int[batch];
        for (int b = 0; b < batch; b++) column[b] = ids[b, t];
        return new IntTensor(column, batch);
    }

    /// <summary>Rows <paramref name="rows"/> of a (batch) or (batch, len) id tensor, in that order (repeats allowed).</summary>
    public static IntTensor Rows(IntTensor ids, int[] rows)
    {
        int width = ids.Count / ids.Shape[0];
        var values = new int[rows.Length * width];
        for (int i = 0; i < rows.Length; i++) ids.AsSpan().Slice(rows[i] * width, width).CopyTo(values.AsSpan(i * width, width));
        return new IntTensor(values, ids.Rank == 1 ? [rows.Length] : [rows.Length, width]);
    }

    /// <summary>Largest absolute elementwise difference of two equally sized tensors.</summary>
    public static float MaxAbsDiff(Tensor a, Tensor b)
    {
        Assert.Equal(a.Shape.ToArray(), b.Shape.ToArray());
        var x = a.ToArray();
        var y = b.ToArray();
        float max = 0f;
        for (int i = 0; i < x.Length; i++) max = MathF.Max(max, MathF.Abs(x[i] - y[i]));
        return max;
    }
}
