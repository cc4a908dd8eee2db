using Microsoft.Extensions.Logging;

namespace Mesh.DependencyInjection.Internal;

/// <summary>Warns, once per key, about configured keys under <c>Mesh:</c> that no option reads.</summary>
internal sealed partial class MeshConfigurationReporter
{
    /// <summary>The log category of configuration warnings.</summary>
    public const string Category = "Mesh.Configuration";

    private readonly ILogger _logger;
    private readonly Lock _lock = new();
    private readonly HashSet<string> _reported = new(StringComparer.OrdinalIgnoreCase);

    public MeshConfigurationReporter(ILoggerFactory loggerFactory, IEnumerable<MeshSectionOwner> owners)
    {
        _logger = loggerFactory.CreateLogger(Category);
        OwnedElsewhere = owners.Select(owner => owner.Section).ToHashSet(StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Gets the sections under <c>Mesh:</c> that other components read (see <see cref="MeshSectionOwner"/>).</summary>
    public IReadOnlySet<string> OwnedElsewhere { get; }

    public void UnknownKey(string key, string nearest)
    {
        // Options are re-bound on every reload; a typo that stays is reported once.
        lock (_lock)
        {
            if (!_reported.Add(key))
            {
                return;
            }
        }

        Log.UnknownSetting(_logger, key, nearest);
    }

    private static partial class Log
    {
        [LoggerMessage(EventId = 6001, EventName = "UnknownSetting", Level = LogLevel.Warning,
            Message = "{Key} is not a Mesh setting and is ignored; the nearest known key is {Nearest}")]
        public static partial void UnknownSetting(ILogger logger, string key, string nearest);
    }
}
