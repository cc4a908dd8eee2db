using Mesh.Balancing;
using static Mesh.Tests.Balancing.EndpointGroupBuilder;

namespace Mesh.Tests.Balancing;

public sealed class OutlierDetectorTests
{
    private readonly EndpointGroupBuilder _builder = new();

    [Fact]
    public void ConsecutiveFailures_ReachingTheThreshold_EjectsForTheBaseTime()
    {
        var (_, endpoints) = _builder.Build(3);

        Fail(endpoints[0], 4);
        Assert.False(endpoints[0].IsEjected);
        Fail(endpoints[0]);

        Assert.True(endpoints[0].IsEjected);
        var ejection = Assert.Single(_builder.Ejected);
        Assert.Equal("orders-0", ejection.Endpoint.Id);
        Assert.Equal(EjectionReason.ConsecutiveFailures, ejection.Reason);
        Assert.Equal(TimeSpan.FromSeconds(30), ejection.EjectionTime);
        Assert.Equal(1, _builder.Monitor.GetEjectedCount("orders"));
    }

    [Fact]
    public void Success_BetweenFailures_ResetsTheConsecutiveCount()
    {
        var (_, endpoints) = _builder.Build(3);

        Fail(endpoints[0], 4);
        Call(endpoints[0]);
        Fail(endpoints[0], 4);

        Assert.False(endpoints[0].IsEjected);
    }

    [Fact]
    public void Cancellation_CountsNeitherWay()
    {
        var (_, endpoints) = _builder.Build(3);

        Fail(endpoints[0], 4);
        Call(endpoints[0], new OperationCanceledException());
        Fail(endpoints[0]);

        Assert.True(endpoints[0].IsEjected);
    }

    [Fact]
    public void FailureRate_HalfOfTenCallsFail_Ejects()
    {
        var (_, endpoints) = _builder.Build(3);

        for (var i = 0; i < 5; i++)
        {
            Call(endpoints[0]);
            Fail(endpoints[0]);
        }

        Assert.True(endpoints[0].IsEjected);
        Assert.Equal(EjectionReason.FailureRate, Assert.Single(_builder.Ejected).Reason);
    }

    [Fact]
    public void FailureRate_OldCallsLeaveTheInterval()
    {
        var (_, endpoints) = _builder.Build(3);

        for (var i = 0; i < 4; i++)
        {
            Call(endpoints[0]);
            Fail(endpoints[0]);
        }

        _builder.Time.Advance(TimeSpan.FromSeconds(11)); // the eight calls above are now outside the 10 s interval
        Call(endpoints[0]);
        Fail(endpoints[0]);

        Assert.False(endpoints[0].IsEjected);
    }

    [Fact]
    public void Return_AfterTheEjectionTime_RaisesReturnedAndRejectsOnTheFirstFailure()
    {
        var (_, endpoints) = _builder.Build(3);
        Fail(endpoints[0], 5);

        _builder.Time.Advance(TimeSpan.FromSeconds(29));
        Assert.True(endpoints[0].IsEjected);
        _builder.Time.Advance(TimeSpan.FromSeconds(1));
        Assert.False(endpoints[0].IsEjected);
        Assert.Equal("orders-0", Assert.Single(_builder.Returned).Endpoint.Id);

        Fail(endpoints[0]);

        Assert.True(endpoints[0].IsEjected);
        Assert.Equal(EjectionReason.FailedAfterReturn, _builder.Ejected[^1].Reason);
        Assert.Equal(TimeSpan.FromSeconds(60), _builder.Ejected[^1].EjectionTime);
    }

    [Fact]
    public void Return_FollowedBySuccess_EndsProbation()
    {
        var (_, endpoints) = _builder.Build(3);
        Fail(endpoints[0], 5);
        _builder.Time.Advance(TimeSpan.FromSeconds(30));

        Call(endpoints[0]);
        Fail(endpoints[0], 4);

        Assert.False(endpoints[0].IsEjected);
    }

    [Fact]
    public void EjectionTime_GrowsWithRepeatEjections_UpToTheMaximum()
    {
        _builder.Options.OutlierDetection.MaxEjectionTime = TimeSpan.FromSeconds(100);
        var (_, endpoints) = _builder.Build(3);

        var times = new List<TimeSpan>();
        for (var i = 0; i < 5; i++)
        {
            Fail(endpoints[0], 5);
            times.Add(_builder.Ejected[^1].EjectionTime);
            _builder.Time.Advance(_builder.Ejected[^1].EjectionTime);
        }

        Assert.Equal([30, 60, 90, 100, 100], times.Select(t => t.TotalSeconds));
    }

    [Fact]
    public void EjectionMultiplier_DecaysAfterHealthyTime()
    {
        var (_, endpoints) = _builder.Build(3);
        Fail(endpoints[0], 5);
        _builder.Time.Advance(TimeSpan.FromSeconds(30));
        Fail(endpoints[0]); // on probation: second ejection, 60 s
        _builder.Time.Advance(TimeSpan.FromSeconds(60));
        Call(endpoints[0]);

        _builder.Time.Advance(TimeSpan.FromSeconds(60)); // two healthy base times forgive both past ejections
        Fail(endpoints[0], 5);

        Assert.Equal([30, 60, 30], _builder.Ejected.Select(e => e.EjectionTime.TotalSeconds));
    }

    [Fact]
    public void MaxEjectionPercent_CapsHowManyAreEjectedAtOnce()
    {
        var (_, endpoints) = _builder.Build(4);

        foreach (var endpoint in endpoints)
        {
            Fail(endpoint, 5);
        }

        Assert.Equal(2, endpoints.Count(e => e.IsEjected)); // 50% of 4
        Assert.Equal(2, _builder.Monitor.GetSnapshot().Single().EjectedCount);
    }

    [Fact]
    public void MaxEjectionPercent_OneInstance_IsNeverEjected()
    {
        _builder.Options.OutlierDetection.MaxEjectionPercent = 100;
        var (_, endpoints) = _builder.Build(1);

        Fail(endpoints[0], 20);

        Assert.False(endpoints[0].IsEjected);
    }

    [Fact]
    public void Detach_EjectedInstance_FreesItsShareOfTheCap()
    {
        var (group, endpoints) = _builder.Build(3);
        Fail(endpoints[0], 5);
        Fail(endpoints[1], 5);
        Assert.False(endpoints[1].IsEjected); // 50% of 3 is one

        group.Detector.Detach(endpoints[0]);
        group.SetMembers([endpoints[1], endpoints[2], endpoints[0]]);
        Fail(endpoints[1]);

        Assert.True(endpoints[1].IsEjected);
        Assert.Equal(1, group.Detector.EjectedCount);
    }

    [Fact]
    public void StatusFailure_ReportedByTheHandler_IsCountedOnceAsAFailure()
    {
        var (_, endpoints) = _builder.Build(3);

        for (var i = 0; i < 5; i++)
        {
            var tracker = endpoints[0].Rent().SubchannelCallTracker!;
            tracker.Start();
            endpoints[0].OnStatusFailure(); // the handler sees grpc-status in the headers first
            tracker.Complete(new Grpc.Net.Client.Balancer.CompletionContext());
        }

        Assert.True(endpoints[0].IsEjected);
    }

    [Fact]
    public void Disabled_NeverEjects()
    {
        _builder.Options.OutlierDetection.Enabled = false;
        var (_, endpoints) = _builder.Build(3, Mesh.Balancing.LoadBalancerKind.PowerOfTwoChoices);

        Fail(endpoints[0], 50);

        Assert.False(endpoints[0].IsEjected);
        Assert.Empty(_builder.Ejected);
    }

    [Fact]
    public void EventHandler_Throwing_DoesNotBreakTheCall()
    {
        var (_, endpoints) = _builder.Build(3);
        _builder.Monitor.EndpointEjected += (_, _) => throw new InvalidOperationException("subscriber bug");

        Fail(endpoints[0], 5);

        Assert.True(endpoints[0].IsEjected);
    }
}
