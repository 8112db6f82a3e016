using EncDec.Operations;
using EncDec.Tensors;

namespace EncDec.Nn;

/// <summary>
/// Fixed sinusoidal position encodings (Vaswani et al. 2017): PE(pos, 2i) = sin(pos / 10000^(2i/dim)),
/// PE(pos, 2i+1) = cos(pos / 10000^(2i/dim)) in the <see cref="SinusoidalLayout.Interleaved"/> layout;
/// <see cref="SinusoidalLayout"/> lists the other arrangements (Marian's, OpenNMT-tf's). The table (maxLength, dim) is computed once in double and stored as float; it has no parameters.
/// </summary>
public sealed class SinusoidalPositionalEmbedding : Module
{
    private readonly Tensor _table;   // (maxLength, dim)

    /// <summary>Precomputes the table.</summary>
    /// <param name="maxLength">Number of positions available (0 .. maxLength-1).</param>
    /// <param name="dim">Encoding size (the model's dModel).</param>
    /// <param name="layout">Column arrangement of sines and cosines.</param>
    public SinusoidalPositionalEmbedding(int maxLength, int dim, SinusoidalLayout layout = SinusoidalLayout.Interleaved)
    {
        if (maxLength <= 0 || dim <= 0)
            throw new ArgumentOutOfRangeException(nameof(maxLength),
                $"SinusoidalPositionalEmbedding: maxLength and dim must be positive, got ({maxLength}, {dim})");
        if (layout == SinusoidalLayout.OpenNmt && (dim < 4 || dim % 2 != 0))
            throw new ArgumentOutOfRangeException(nameof(dim),
                $"SinusoidalPositionalEmbedding: the OpenNmt layout needs an even dim of at least 4, got {dim}");
        MaxLength = maxLength;
        Dim = dim;
        Layout = layout;
        _table = Tensor.AllocateZeros([maxLength, dim], persistent: true);
        var values = _table.AsSpan();
        for (int pos = 0; pos < maxLength; pos++)
            for (int column = 0; column < dim; column++)
                values[pos * dim + column] = (float)Value(pos, column, dim, layout);
    }

    /// <summary>Number of positions available.</summary>
    public int MaxLength { get; }

    /// <summary>Encoding size.</summary>
    public int Dim { get; }

    /// <summary>Column arrangement.</summary>
    public SinusoidalLayout Layout { get; }

    /// <summary>The encodings of positions offset .. offset+length-1 (a view of the table, no gradient).</summary>
    /// <param name="length">Number of positions.</param>
    /// <param name="offset">First position, e.g. the number of tokens already decoded.</param>
    /// <returns>(length, dim)</returns>
    public Tensor Forward(int length, int offset = 0)
    {
        if (length < 0 || offset < 0 || offset + length > MaxLength)
            throw new ArgumentOutOfRangeException(nameof(length),
                $"SinusoidalPositionalEmbedding: positions {offset} .. {offset + length - 1} (length {length}, offset {offset}) exceed maxLength {MaxLength}");
        return _table.Narrow(0, offset, length);
    }

    private static double Value(int position, int column, int dim, SinusoidalLayout layout)
    {
        if (layout == SinusoidalLayout.OpenNmt) return OpenNmtValue(position, column, dim);
        int slot;        // index j in Vaswani's formula: even = sin, odd = cos
        if (layout == SinusoidalLayout.Interleaved) slot = column;
        else
        {
            int sines = (dim + 1) / 2;
            slot = column < sines ? 2 * column : 2 * (column - sines) + 1;
        }
        double angle = position / Math.Pow(10000.0, 2.0 * (slot / 2) / dim);
        return slot % 2 == 0 ? Math.Sin(angle) : Math.Cos(angle);
    }

    /// <summary>OpenNMT-tf's timing signal: log-spaced frequencies from 1 down to exactly 1/10000, positions from 1.</summary>
    private static double OpenNmtValue(int position, int column, int dim)
    {
        int half = dim / 2;
        int frequency = column % half;
        double angle = (position + 1) * Math.Exp(-frequency * Math.Log(10000.0) / (half - 1));
        return column < half ? Math.Sin(angle) : Math.Cos(angle);
    }
}
