namespace EncDec.Models;

/// <summary>Which recurrent cell a recurrent encoder or decoder is built from.</summary>
public enum RnnCellType
{
    /// <summary>Long short-term memory: two states per layer, h and c.</summary>
    Lstm,

    /// <summary>Gated recurrent unit: one state per layer, h.</summary>
    Gru,
}
