using System.Runtime.CompilerServices;

namespace EncDec.Kernels;

/// <summary>The one place kernels validate span lengths and overlap.</summary>
internal static class SpanChecks
{
    public static void SameLength(int expected, int actual, string what, [CallerMemberName] string kernel = "")
    {
        if (expected != actual)
            throw new ArgumentException($"{kernel}: {what} has length {actual}, expected {expected}");
    }

    /// <summary>Inputs may alias the output exactly (in place) but must not partially overlap it.</summary>
    public static void NoPartialOverlap(ReadOnlySpan<float> input, Span<float> output, [CallerMemberName] string kernel = "")
    {
        if (input.Overlaps(output, out int offset) && offset != 0)
            throw new ArgumentException($"{kernel}: input and output overlap at offset {offset}; only exact in-place use is allowed");
    }
}
