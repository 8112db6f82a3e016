using EncDec.Kernels;

namespace EncDec.Tests.Kernels;

public class SimdPathTests
{
    [Fact]
    public void Force_AboveWhatTheCpuSupports_IsClampedToSupported()
    {
        // On a CPU without AVX-512 this asks for a path it cannot run; everywhere, (SimdLevel)3 is one.
        using (SimdPath.Force(SimdLevel.Avx512))
            Assert.Equal(SimdPath.Supported >= SimdLevel.Avx512 ? SimdLevel.Avx512 : SimdPath.Supported, SimdPath.Current);
        using (SimdPath.Force((SimdLevel)3))
            Assert.Equal(SimdPath.Supported, SimdPath.Current);
        Assert.Equal(SimdPath.Supported, SimdPath.Clamp(SimdLevel.Avx512));
    }

    [Fact]
    public void Force_RestoresThePreviousPathWhenDisposed()
    {
        var before = SimdPath.Current;
        using (SimdPath.Force(SimdLevel.Scalar))
        {
            Assert.Equal(SimdLevel.Scalar, SimdPath.Current);
            using (SimdPath.Force(SimdLevel.Avx512)) Assert.Equal(SimdPath.Clamp(SimdLevel.Avx512), SimdPath.Current);
            Assert.Equal(SimdLevel.Scalar, SimdPath.Current);
        }
        Assert.Equal(before, SimdPath.Current);
    }

    [Fact]
    public void Available_ListsEveryPathUpToSupported_NarrowestFirst()
    {
        var expected = Enumerable.Range(0, (int)SimdPath.Supported + 1).Select(i => (SimdLevel)i);
        Assert.Equal(expected, SimdPath.Available);
    }
}
