using System.Globalization;

namespace EncDec.Cli.Bench;

/// <summary>One measured size: EncDec's speed and, when OpenBLAS was found, its speed in the same run.</summary>
public sealed record GemmBenchResult(GemmShape Shape, int Threads, double Gflops, double? OpenBlasGflops)
{
    /// <summary>EncDec / OpenBLAS speed, when both were measured.</summary>
    public double? Ratio => OpenBlasGflops is > 0 ? Gflops / OpenBlasGflops : null;

    /// <summary>One JSON object: m, n, k, threads, gflops and, with OpenBLAS, openblas_gflops and ratio.</summary>
    public string ToJson()
    {
        var json = FormattableString.Invariant(
            $"{{\"m\":{Shape.M},\"n\":{Shape.N},\"k\":{Shape.K},\"threads\":{Threads},\"gflops\":{Gflops:F2}");
        if (OpenBlasGflops is { } blas)
            json += FormattableString.Invariant($",\"openblas_gflops\":{blas:F2},\"ratio\":{Ratio:F3}");
        return json + "}";
    }

    /// <summary>Header of the readable table.</summary>
    public static string TableHeader(bool withOpenBlas) =>
        withOpenBlas ? "     m      n      k  threads    GFLOP/s   OpenBLAS   ratio" : "     m      n      k  threads    GFLOP/s";

    /// <summary>One row of the readable table.</summary>
    public string ToTableRow()
    {
        var row = string.Format(CultureInfo.InvariantCulture, "{0,6} {1,6} {2,6} {3,8} {4,10:F1}", Shape.M, Shape.N, Shape.K, Threads, Gflops);
        if (OpenBlasGflops is { } blas) row += string.Format(CultureInfo.InvariantCulture, " {0,10:F1} {1,7:F2}", blas, Ratio);
        return row;
    }
}
