using BenchmarkDotNet.Running;
using Mesh.Benchmarks.Faults;
using Mesh.Benchmarks.Load;
using Mesh.Benchmarks.Propagation;
using Mesh.Benchmarks.Proxy;
using Mesh.Benchmarks.Resilience;

// `propagation [changes]` runs the discovery propagation harness, `load [options]` the closed-loop gRPC load
// harness, `faults [options]` the fault harness (`fault-instance` is one of its instance processes), `proxy [options]`
// the sidecar vs nginx/haproxy harness, `policy-cost [calls] [target]` the policy's cost per unary call in a loop;
// anything else goes to BenchmarkDotNet.
if (args.Length > 0 && args[0] == "propagation")
{
    return await PropagationHarness.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "load")
{
    return await LoadHarness.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "faults")
{
    return await FaultHarness.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "fault-instance")
{
    return await FaultInstance.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "proxy")
{
    return await ProxyHarness.RunAsync(args[1..]);
}

if (args.Length > 0 && args[0] == "policy-cost")
{
    return PolicyCostHarness.Run(args[1..]);
}

BenchmarkSwitcher.FromAssembly(typeof(PropagationHarness).Assembly).Run(args);
return 0;
