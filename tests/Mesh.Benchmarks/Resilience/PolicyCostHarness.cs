using System.Diagnostics;
using System.Globalization;
using System.Text;
using Grpc.Core;
using Mesh.Resilience;

namespace Mesh.Benchmarks.Resilience;

/// <summary>
/// <c>policy-cost [calls] [target|all] [rounds]</c>: unary calls in a loop over an inner call that answers after the
/// wrapper awaits it (<see cref="PendingCallInvoker"/>), for <c>inner</c> (no wrapper), <c>floor</c>
/// (<see cref="MinimalWrapperInvoker"/>) and <c>mesh</c> (the default policy), printing ns and bytes per call. Under
/// <c>valgrind --tool=callgrind</c> two call counts give instructions per call, which do not move with the machine's
/// noise (tests/Mesh.Benchmarks/policy-instructions.sh); clock reads are system calls there and not counted.
/// </summary>
internal static class PolicyCostHarness
{
    private static readonly Marshaller<string> Utf8 = Marshallers.Create(Encoding.UTF8.GetBytes, Encoding.UTF8.GetString);
    private static readonly Method<string, string> Method = new(MethodType.Unary, "bench.Orders", "Get", Utf8, Utf8);

    public static int Run(string[] args)
    {
        var calls = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 3_000_000;
        var only = args.Length > 1 && args[1] is not ("" or "all") ? args[1] : null;
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
        var inner = new PendingCallInvoker();
        (string Name, CallInvoker Invoker)[] targets =
        [
            ("inner", inner),
            ("floor", new MinimalWrapperInvoker(inner)),
            ("mesh", inner.WithCallPolicy(new ServiceCallPolicy("orders", new CallPolicyOptions()))),
        ];
        if (only is not null && !targets.Any(t => t.Name == only))
        {
            Console.Error.WriteLine($"policy-cost: no target '{only}' (targets: inner, floor, mesh, all)");
            return 2;
        }

        for (var round = 0; round < rounds; round++)
        {
            foreach (var (name, invoker) in targets.Where(t => only is null || t.Name == only))
            {
                var allocated = GC.GetAllocatedBytesForCurrentThread();
                var clock = Stopwatch.StartNew();
                for (var i = 0; i < calls; i++)
                {
                    using var call = invoker.AsyncUnaryCall(Method, null, default, "request");
                    inner.Answer();
                    call.ResponseAsync.GetAwaiter().GetResult();
                }

                Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                    $"{name,-6} {clock.Elapsed.TotalNanoseconds / calls,7:0.0} ns/call {(GC.GetAllocatedBytesForCurrentThread() - allocated) / calls,5} B/call"));
            }
        }

        return 0;
    }
}
