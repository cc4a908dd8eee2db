using Mesh.Balancing.Internal;

namespace Mesh.Tests.Balancing;

public sealed class FailureWindowTests
{
    private const long Second = TimeSpan.TicksPerSecond;

    [Fact]
    public void Sum_CountsCallsAndFailuresInsideTheInterval()
    {
        var window = new FailureWindow(TimeSpan.FromSeconds(10), Second);
        window.Add(1 * Second, failure: true);
        window.Add(5 * Second, failure: false);
        window.Add(9 * Second, failure: true);

        Assert.Equal((3, 2), window.Sum(9 * Second));
    }

    [Fact]
    public void Sum_DropsBucketsOlderThanTheInterval()
    {
        var window = new FailureWindow(TimeSpan.FromSeconds(10), Second);
        window.Add(1 * Second, failure: true);
        window.Add(12 * Second, failure: false);

        Assert.Equal((1, 0), window.Sum(12 * Second));
    }

    [Fact]
    public void Add_ToABucketLeftFromAnEarlierLap_StartsItAgain()
    {
        var window = new FailureWindow(TimeSpan.FromSeconds(10), Second);
        window.Add(3 * Second, failure: true);
        window.Add(13 * Second, failure: false); // same slot, ten seconds later

        Assert.Equal((1, 0), window.Sum(13 * Second));
    }

    [Fact]
    public async Task Add_FromManyThreads_LosesNoCall()
    {
        var window = new FailureWindow(TimeSpan.FromSeconds(10), Second);

        await Task.WhenAll(Enumerable.Range(0, 4).Select(t => Task.Run(() =>
        {
            for (var i = 0; i < 10_000; i++)
            {
                window.Add(Second, failure: i % 2 == 0);
            }
        })));

        Assert.Equal((40_000, 20_000), window.Sum(Second));
    }
}
