namespace EncDec.Tensors;

/// <summary>
/// Everything a <see cref="RandomGenerator"/> needs to continue its sequence exactly: the four words of
/// xoshiro256** state and the spare normal deviate that Box–Muller produced but has not yet returned.
/// Store it in a checkpoint and restore it with <see cref="RandomGenerator.SetState"/> to resume training
/// with the same dropout masks and shuffles as an uninterrupted run.
/// </summary>
/// <param name="S0">xoshiro256** state word 0.</param>
/// <param name="S1">xoshiro256** state word 1.</param>
/// <param name="S2">xoshiro256** state word 2.</param>
/// <param name="S3">xoshiro256** state word 3.</param>
/// <param name="HasSpareNormal">Whether <paramref name="SpareNormal"/> holds a deviate not yet returned.</param>
/// <param name="SpareNormal">The cached second deviate of the last Box–Muller pair.</param>
public readonly record struct RandomGeneratorState(
    ulong S0, ulong S1, ulong S2, ulong S3, bool HasSpareNormal = false, double SpareNormal = 0.0);
