using EncDec.Tensors;

namespace EncDec.Tests.Tensors;

/// <summary>The pool's bound on idle blocks and its least-recently-rented eviction.</summary>
public sealed class StoragePoolBoundTests
{
    [Fact]
    public void IdleBlocks_StayUnderTheBound_AndTheLeastRecentlyRentedClassGoesFirst()
    {
        Exception? failure = null;
        const long bound = 4 * 10_000 * sizeof(float);
        var thread = new Thread(() =>
        {
            try { Scenario(); }
            catch (Exception e) { failure = e; }
        });
        thread.Start();
        thread.Join();
        if (failure is not null) throw new Xunit.Sdk.XunitException(failure.ToString());

        static void Scenario()
        {
            StoragePool.Trim();
            StoragePool.SetThreadLimit(bound);
            var old = StoragePool.Rent(10_000);          // class A, rented first
            var recent = StoragePool.Rent(14_000);       // class B
            var big = StoragePool.Rent(20_000);          // class C
            StoragePool.Return(old);
            StoragePool.Return(recent);
            StoragePool.Return(big);                     // over the bound: A (least recently rented) is released
            Assert.True(StoragePool.PooledFloats * sizeof(float) <= bound);
            Assert.Same(recent, StoragePool.Rent(14_000));
            Assert.Same(big, StoragePool.Rent(20_000));
            Assert.NotSame(old, StoragePool.Rent(10_000));
            StoragePool.Return(StoragePool.Rent(1_000_000));   // larger than the whole bound: not kept
            Assert.Equal(0, StoragePool.PooledFloats);
            StoragePool.SetThreadLimit(null);
        }
    }
}
