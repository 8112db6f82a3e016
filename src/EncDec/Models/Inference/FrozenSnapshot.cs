namespace EncDec.Models.Inference;

/// <summary>A frozen form of a module, the checksum of the parameters it was built from and the precision it was built
/// at (a reference type, so replacing it is atomic when several threads decode with one model).</summary>
internal sealed record FrozenSnapshot<T>(UInt128 Checksum, InferencePrecision Precision, T Value)
{
    /// <summary>Whether this snapshot was built from parameters with <paramref name="checksum"/> at <paramref name="precision"/>.</summary>
    public bool Matches(UInt128 checksum, InferencePrecision precision) => Checksum == checksum && Precision == precision;
}
