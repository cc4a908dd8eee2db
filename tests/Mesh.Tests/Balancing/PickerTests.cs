using Grpc.Net.Client.Balancer;
using Mesh.Balancing;
using Mesh.Balancing.Internal;
using static Mesh.Tests.Balancing.EndpointGroupBuilder;

namespace Mesh.Tests.Balancing;

public sealed class PickerTests
{
    private readonly EndpointGroupBuilder _builder = new();

    [Fact]
    public void RoundRobin_SkippingAnEjectedInstance_StaysEvenOverTheRest()
    {
        var (_, endpoints) = _builder.Build(3);
        Fail(endpoints[0], 5);
        var picker = new RoundRobinPicker(endpoints, [], start: 0);

        var counts = Enumerable.Range(0, 300).Select(_ => picker.Choose()).CountBy(e => e.Endpoint.Id).ToDictionary();

        Assert.False(counts.ContainsKey("orders-0"));
        Assert.Equal(150, counts["orders-1"]);
        Assert.Equal(150, counts["orders-2"]);
    }

    [Fact]
    public void PowerOfTwoChoices_PrefersTheCheaperInstance()
    {
        var (_, endpoints) = _builder.Build(2, LoadBalancerKind.PowerOfTwoChoices);
        endpoints[1].Latency.Observe(TimeSpan.FromMilliseconds(50).Ticks, _builder.Time.GetTimestamp());
        var picker = new PowerOfTwoChoicesPicker(endpoints, [], _builder.Time);

        Assert.All(Enumerable.Range(0, 50), _ => Assert.Same(endpoints[0], picker.Choose()));
    }

    [Fact]
    public void PowerOfTwoChoices_EqualLatency_PrefersFewerCallsInFlight()
    {
        var (_, endpoints) = _builder.Build(2, LoadBalancerKind.PowerOfTwoChoices);
        endpoints[0].Rent().SubchannelCallTracker!.Start(); // one call in flight, never completed
        var picker = new PowerOfTwoChoicesPicker(endpoints, [], _builder.Time);

        Assert.All(Enumerable.Range(0, 50), _ => Assert.Same(endpoints[1], picker.Choose()));
    }

    [Fact]
    public void PowerOfTwoChoices_OneSlowAnswer_InstanceIsAskedAgainWithinTheHorizon()
    {
        var (_, endpoints) = _builder.Build(2, LoadBalancerKind.PowerOfTwoChoices);
        var (fast, slow) = (endpoints[0], endpoints[1]);
        Answer(slow, TimeSpan.FromMilliseconds(200));
        var picker = new PowerOfTwoChoicesPicker(endpoints, [], _builder.Time);

        // Sequential calls every 25 ms, 1 ms each: the fast instance takes them until the slow one's estimate goes stale.
        var firstRetry = TimeSpan.Zero;
        for (var elapsed = TimeSpan.Zero; elapsed < TimeSpan.FromSeconds(2) && firstRetry == TimeSpan.Zero; elapsed += TimeSpan.FromMilliseconds(25))
        {
            var chosen = picker.Choose();
            firstRetry = ReferenceEquals(chosen, slow) ? elapsed : TimeSpan.Zero;
            Answer((SubchannelEndpointState)chosen, TimeSpan.FromMilliseconds(1));
            _builder.Time.Advance(TimeSpan.FromMilliseconds(24));
        }

        Assert.InRange(firstRetry, TimeSpan.FromMilliseconds(900), TimeSpan.FromSeconds(1));
        Assert.InRange(slow.Latency.Estimate(_builder.Time.GetTimestamp()), 0, TimeSpan.FromMilliseconds(1).Ticks); // its fast answer counted
    }

    [Fact]
    public void PowerOfTwoChoices_StaleInstanceBeingRetried_DrawsNoMoreCallsUntilItAnswers()
    {
        var (_, endpoints) = _builder.Build(2, LoadBalancerKind.PowerOfTwoChoices);
        var (fast, slow) = (endpoints[0], endpoints[1]);
        Answer(slow, TimeSpan.FromMilliseconds(200));
        Answer(fast, TimeSpan.FromMilliseconds(1));
        _builder.Time.Advance(TimeSpan.FromMilliseconds(999));
        var picker = new PowerOfTwoChoicesPicker(endpoints, [], _builder.Time);
        Assert.Same(slow, picker.Choose());
        slow.Rent().SubchannelCallTracker!.Start(); // the retry, slow to answer

        // Its estimate would keep falling towards zero while the retry is out; it holds, so calls keep going elsewhere.
        for (var i = 0; i < 20; i++)
        {
            _builder.Time.Advance(TimeSpan.FromMilliseconds(5));
            Assert.Same(fast, picker.Choose());
            Answer(fast, TimeSpan.FromMilliseconds(1));
        }
    }

    [Fact]
    public void PowerOfTwoChoices_NeverPicksAnEjectedInstance()
    {
        _builder.Options.OutlierDetection.MaxEjectionPercent = 90;
        var (_, endpoints) = _builder.Build(10, LoadBalancerKind.PowerOfTwoChoices);
        for (var i = 0; i < 9; i++)
        {
            Fail(endpoints[i], 5);
        }

        var picker = new PowerOfTwoChoicesPicker(endpoints, [], _builder.Time);

        Assert.All(Enumerable.Range(0, 200), _ => Assert.Same(endpoints[9], picker.Choose()));
    }

    [Theory]
    [InlineData(LoadBalancerKind.RoundRobin)]
    [InlineData(LoadBalancerKind.PowerOfTwoChoices)]
    public void PreferTag_SomeInstancesCarryIt_PicksOnlyThem(LoadBalancerKind kind)
    {
        var (_, endpoints) = _builder.Build(4, kind, i => i < 2 ? ["zone-a"] : ["zone-b"]);
        var picker = Picker(kind, endpoints, "zone-a");

        var chosen = Enumerable.Range(0, 200).Select(_ => Choose(picker)).Select(e => e.Endpoint.Id).ToHashSet();

        Assert.Equal(["orders-0", "orders-1"], chosen.Order());
    }

    [Theory]
    [InlineData(LoadBalancerKind.RoundRobin)]
    [InlineData(LoadBalancerKind.PowerOfTwoChoices)]
    public void PreferTag_TaggedInstanceEjected_FallsBackToAll(LoadBalancerKind kind)
    {
        var (_, endpoints) = _builder.Build(3, kind, i => i == 0 ? ["zone-a"] : []);
        Fail(endpoints[0], 5);
        var picker = Picker(kind, endpoints, "zone-a");

        var chosen = Enumerable.Range(0, 200).Select(_ => Choose(picker)).Select(e => e.Endpoint.Id).ToHashSet();

        Assert.Equal(["orders-1", "orders-2"], chosen.Order());
    }

    [Theory]
    [InlineData(LoadBalancerKind.RoundRobin, 3)]
    [InlineData(LoadBalancerKind.RoundRobin, 100)]
    [InlineData(LoadBalancerKind.PowerOfTwoChoices, 3)]
    [InlineData(LoadBalancerKind.PowerOfTwoChoices, 100)]
    public void PickAndTrack_AfterWarmUp_AllocatesNothing(LoadBalancerKind kind, int count)
    {
        var (_, endpoints) = _builder.Build(count, kind);
        SubchannelPicker picker = new MeshPicker((EndpointPicker)Picker(kind, endpoints, null));
        var context = new PickContext();
        var completion = new CompletionContext();
        for (var i = 0; i < 1000; i++)
        {
            PickAndTrack(picker, context, completion);
        }

        // The fewest bytes of three runs of 10,000 picks: a per-pick allocation shows in every run, while the runtime
        // now and then allocates a few bytes on the test's thread by itself (seen once: 112 B, tiering).
        var fewest = long.MaxValue;
        for (var run = 0; run < 3 && fewest > 0; run++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            for (var i = 0; i < 10_000; i++)
            {
                PickAndTrack(picker, context, completion);
            }

            fewest = Math.Min(fewest, GC.GetAllocatedBytesForCurrentThread() - before);
        }

        Assert.Equal(0, fewest);
    }

    [Fact]
    public void PowerOfTwoChoices_StaleInstanceBeingRetried_DoesNotDrawAConcurrentBurst()
    {
        var (_, endpoints) = _builder.Build(2, LoadBalancerKind.PowerOfTwoChoices);
        var (fast, slow) = (endpoints[0], endpoints[1]);
        Answer(slow, TimeSpan.FromMilliseconds(200));
        Answer(fast, TimeSpan.FromMilliseconds(1));
        _builder.Time.Advance(TimeSpan.FromSeconds(2));
        Answer(fast, TimeSpan.FromMilliseconds(1));
        var picker = new PowerOfTwoChoicesPicker(endpoints, [], _builder.Time);

        var toSlow = 0;
        for (var i = 0; i < 20; i++)
        {
            var chosen = picker.Choose();
            toSlow += ReferenceEquals(chosen, slow) ? 1 : 0;
            ((SubchannelEndpointState)chosen).Rent().SubchannelCallTracker!.Start();
            _builder.Time.Advance(TimeSpan.FromMicroseconds(10));
        }

        Assert.True(toSlow <= 2, $"{toSlow} of 20 concurrent calls went to the instance being retried");
    }

    /// <summary>Runs one call on <paramref name="endpoint"/> that takes <paramref name="latency"/> of the fake clock.</summary>
    private void Answer(SubchannelEndpointState endpoint, TimeSpan latency)
    {
        var tracker = endpoint.Rent().SubchannelCallTracker!;
        tracker.Start();
        _builder.Time.Advance(latency);
        tracker.Complete(new CompletionContext());
    }

    private static void PickAndTrack(SubchannelPicker picker, PickContext context, CompletionContext completion)
    {
        var tracker = picker.Pick(context).SubchannelCallTracker!;
        tracker.Start();
        tracker.Complete(completion);
    }

    private object Picker(LoadBalancerKind kind, EndpointState[] endpoints, string? tag)
    {
        EndpointState[] preferred = tag is null ? [] : [.. endpoints.Where(e => e.HasTag(tag))];
        return kind == LoadBalancerKind.RoundRobin
            ? new RoundRobinPicker(endpoints, preferred, start: 0)
            : new PowerOfTwoChoicesPicker(endpoints, preferred, _builder.Time);
    }

    private static EndpointState Choose(object picker) =>
        picker is RoundRobinPicker roundRobin ? roundRobin.Choose() : ((PowerOfTwoChoicesPicker)picker).Choose();
}
