using BenchmarkDotNet.Running;

namespace EncDec.Bench;

/// <summary>
/// Runs the benchmarks of this assembly: <c>dotnet run -c Release --project bench/EncDec.Bench -- --filter '*'</c>
/// (or pick classes and methods interactively with no arguments).
/// </summary>
public static class Program
{
    /// <summary>Entry point: hands the arguments to BenchmarkDotNet's switcher.</summary>
    public static void Main(string[] args) => BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
}
