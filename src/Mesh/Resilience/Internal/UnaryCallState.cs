using System.Runtime.CompilerServices;
using Grpc.Core;

namespace Mesh.Resilience.Internal;

/// <summary>
/// What a policy-driven unary call's <see cref="AsyncUnaryCall{TResponse}"/> asks of it once started, behind delegates
/// that are not generic: the same four serve every call of every method, and reading them costs no generic-dictionary
/// lookup (static lambdas in the generic call class cost four per call, one per delegate). The state is always the
/// call itself (<see cref="UnaryCallBase{TRequest, TResponse}.Start"/> passes <c>this</c>), so it is not cast-checked.
/// </summary>
internal abstract class UnaryCallState
{
    protected static readonly Func<object, Task<Metadata>> HeadersCallback = static state => Unsafe.As<UnaryCallState>(state).GetHeadersAsync();

    protected static readonly Func<object, Status> StatusCallback = static state => Unsafe.As<UnaryCallState>(state).GetStatus();

    protected static readonly Func<object, Metadata> TrailersCallback = static state => Unsafe.As<UnaryCallState>(state).GetTrailers();

    protected static readonly Action<object> DisposeCallback = static state => Unsafe.As<UnaryCallState>(state).Dispose();

    protected abstract Task<Metadata> GetHeadersAsync();

    protected abstract Status GetStatus();

    protected abstract Metadata GetTrailers();

    protected abstract void Dispose();
}
