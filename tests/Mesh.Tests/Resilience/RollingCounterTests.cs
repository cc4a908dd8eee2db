using Mesh.Resilience.Internal;
using Microsoft.Extensions.Time.Testing;

namespace Mesh.Tests.Resilience;

public sealed class RollingCounterTests
{
    [Fact]
    public async Task Increment_FromManyThreads_LosesNoCount()
    {
        var counter = new RollingCounter(new FakeTimeProvider(), TimeSpan.FromSeconds(10));

        await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                counter.Increment();
            }
        })));

        Assert.Equal(80_000, counter.Sum());
    }

    [Fact]
    public void Sum_AfterTheWindow_ForgetsOldBuckets()
    {
        var time = new FakeTimeProvider();
        var counter = new RollingCounter(time, TimeSpan.FromSeconds(10));

        counter.Increment();
        time.Advance(TimeSpan.FromSeconds(5));
        counter.Increment();
        Assert.Equal(2, counter.Sum());

        time.Advance(TimeSpan.FromSeconds(6));
        Assert.Equal(1, counter.Sum());

        time.Advance(TimeSpan.FromSeconds(5));
        Assert.Equal(0, counter.Sum());
    }
}
