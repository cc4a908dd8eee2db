using Microsoft.Extensions.Configuration;

namespace Mesh.DependencyInjection.Internal;

/// <summary>
/// Binds <see cref="MeshOptions"/> from the <c>Mesh</c> section through <see cref="TranslatingConfigurationSection"/>
/// (Consul durations, clear enum errors), then reports keys no option reads. Runs again on every configuration reload,
/// since the options are re-bound then.
/// </summary>
internal static class MeshConfigurationBinder
{
    public static void Bind(IConfigurationSection section, MeshOptions options, MeshConfigurationReporter? reporter)
    {
        var translator = new SettingTranslator();
        BindGenerated(new TranslatingConfigurationSection(section, string.Empty, translator), options);
        options.ConfigurationErrors.AddRange(translator.Errors);
        if (reporter is not null)
        {
            foreach (var (key, nearest) in MeshSettingSchema.FindUnknown(section, reporter.OwnedElsewhere))
            {
                reporter.UnknownKey(key, nearest);
            }
        }
    }

    /// <summary>The source-generated binder: EnableConfigurationBindingGenerator intercepts this call, so nothing reflects.</summary>
    public static void BindGenerated(IConfiguration configuration, MeshOptions options) => configuration.Bind(options);
}
