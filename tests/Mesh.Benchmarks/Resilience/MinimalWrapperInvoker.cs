using Grpc.Core;

namespace Mesh.Benchmarks.Resilience;

/// <summary>
/// The floor of any retrying wrapper: an async method that sends one attempt and awaits it, behind an
/// <see cref="AsyncUnaryCall{TResponse}"/> of its own. No policy at all; what the policy costs over it is its own.
/// </summary>
internal sealed class MinimalWrapperInvoker(CallInvoker inner) : UnaryOnlyCallInvoker
{
    public override AsyncUnaryCall<TResponse> AsyncUnaryCall<TRequest, TResponse>(Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request) =>
        new Call<TRequest, TResponse>(inner, method, host, options, request).Start();

    private sealed class Call<TRequest, TResponse>(CallInvoker inner, Method<TRequest, TResponse> method, string? host, CallOptions options, TRequest request)
        where TRequest : class
        where TResponse : class
    {
        private AsyncUnaryCall<TResponse>? _attempt;

        public AsyncUnaryCall<TResponse> Start() => new(
            RunAsync(),
            static state => ((Call<TRequest, TResponse>)state)._attempt!.ResponseHeadersAsync,
            static state => ((Call<TRequest, TResponse>)state)._attempt!.GetStatus(),
            static state => ((Call<TRequest, TResponse>)state)._attempt!.GetTrailers(),
            static state => ((Call<TRequest, TResponse>)state)._attempt?.Dispose(),
            this);

        private async Task<TResponse> RunAsync()
        {
            _attempt = inner.AsyncUnaryCall(method, host, options, request);
            return await _attempt.ResponseAsync.ConfigureAwait(false);
        }
    }
}
