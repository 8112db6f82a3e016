namespace EncDec.Cli.Bench;

/// <summary>A GEMM problem size: C (m x n) = A (m x k) * B (k x n).</summary>
public readonly record struct GemmShape(int M, int N, int K)
{
    /// <summary>Squares 256..2048, then the Transformer-base shapes of a 1920-token batch:
    /// attention projections (256 -> 256), FFN in (256 -> 1024), FFN out (1024 -> 256), vocabulary (256 -> 8000).</summary>
    public static GemmShape[] Defaults { get; } =
    [
        new(256, 256, 256), new(512, 512, 512), new(1024, 1024, 1024), new(2048, 2048, 2048),
        new(1920, 256, 256), new(1920, 1024, 256), new(1920, 256, 1024), new(1920, 8000, 256),
    ];

    /// <summary>Multiply-adds times two.</summary>
    public double Flops => 2.0 * M * N * K;

    /// <summary>Parses "N" (a square) or "MxNxK".</summary>
    public static bool TryParse(string text, out GemmShape shape)
    {
        shape = default;
        var parts = text.Split('x', 'X');
        var values = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], out values[i]) || values[i] < 1) return false;
        if (values.Length == 1) shape = new GemmShape(values[0], values[0], values[0]);
        else if (values.Length == 3) shape = new GemmShape(values[0], values[1], values[2]);
        else return false;
        return true;
    }
}
