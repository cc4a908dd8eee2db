namespace Mesh.Consul;

/// <summary>Options shared by Consul reads.</summary>
public sealed record ConsulQueryOptions
{
    /// <summary>Gets a plain (non-blocking) read of the agent's datacenter.</summary>
    public static ConsulQueryOptions Default { get; } = new();

    /// <summary>
    /// Gets the index to block on: the read waits until the data's index passes it or <see cref="Wait"/> elapses.
    /// 0 reads at once.
    /// </summary>
    public ulong Index { get; init; }

    /// <summary>Gets how long a blocking read may wait; <see langword="null"/> uses the client's <see cref="ConsulClientOptions.BlockingWait"/>.</summary>
    public TimeSpan? Wait { get; init; }

    /// <summary>Gets the datacenter to read from; <see langword="null"/> uses the client's configured one.</summary>
    public string? Datacenter { get; init; }

    /// <summary>Gets a filter expression (Consul's <c>filter</c> parameter), passed through as-is.</summary>
    public string? Filter { get; init; }

    /// <summary>Returns options that block on <paramref name="index"/> for up to <paramref name="wait"/>.</summary>
    /// <param name="index">The last index seen.</param>
    /// <param name="wait">The longest wait, or <see langword="null"/> for the client's default.</param>
    public static ConsulQueryOptions Blocking(ulong index, TimeSpan? wait = null) => new() { Index = index, Wait = wait };
}
