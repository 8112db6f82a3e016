namespace EncDec.Models.Inference;

/// <summary>A frozen form of a module and the checksum of the parameters it was built from (a reference type, so
/// replacing it is atomic when several threads decode with one model).</summary>
internal sealed record FrozenSnapshot<T>(UInt128 Checksum, T Value);
