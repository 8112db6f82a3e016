using BenchmarkDotNet.Attributes;
using EncDec.Kernels;

namespace EncDec.Bench;

/// <summary>
/// <see cref="Gemm.Multiply(bool,bool,int,int,int,float,ReadOnlySpan{float},int,ReadOnlySpan{float},int,float,Span{float},int)"/>
/// on a square and on the Transformer shapes, plain and with B transposed (as in Q * K^T); the memory
/// diagnoser confirms that a warm call allocates nothing. For OpenBLAS comparisons use
/// <c>encdec bench gemm</c>.
/// </summary>
[MemoryDiagnoser]
public class GemmBenchmarks
{
    private float[] _a = [], _b = [], _c = [];
    private int _m, _n, _k;

    /// <summary>m x n x k.</summary>
    [Params("512x512x512", "1920x1024x256", "1920x256x1024")]
    public string Shape { get; set; } = "";

    /// <summary>B stored as (n, k) instead of (k, n).</summary>
    [Params(false, true)]
    public bool TransposeB { get; set; }

    /// <summary>Allocates and fills the operands.</summary>
    [GlobalSetup]
    public void Setup()
    {
        var sizes = Shape.Split('x').Select(int.Parse).ToArray();
        (_m, _n, _k) = (sizes[0], sizes[1], sizes[2]);
        var random = new Random(1);
        _a = Enumerable.Range(0, _m * _k).Select(_ => random.NextSingle() - 0.5f).ToArray();
        _b = Enumerable.Range(0, _k * _n).Select(_ => random.NextSingle() - 0.5f).ToArray();
        _c = new float[_m * _n];
    }

    /// <summary>C = A * B (or A * B^T).</summary>
    [Benchmark]
    public void Multiply() =>
        Gemm.Multiply(false, TransposeB, _m, _n, _k, 1f, _a, _k, _b, TransposeB ? _k : _n, 0f, _c, _n);
}
