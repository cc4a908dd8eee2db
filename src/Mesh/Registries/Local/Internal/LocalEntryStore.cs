using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Mesh.Registries.Local.Internal;

/// <summary>
/// The Local registry's files: <c>&lt;root&gt;/&lt;service&gt;/&lt;id&gt;.json</c>, written to a temporary file and
/// renamed over the old one so a reader sees the old entry or the new one, never half of one.
/// </summary>
internal sealed class LocalEntryStore
{
    public const string EntryExtension = ".json";
    private const string TempExtension = ".tmp";
    private const int MoveAttempts = 5;

    public LocalEntryStore(string root) => Root = Path.GetFullPath(root);

    /// <summary>Gets the registry's directory.</summary>
    public string Root { get; }

    public string ServiceDirectory(string service) => Path.Combine(Root, FileName(service));

    public string EntryPath(string service, string id) => Path.Combine(ServiceDirectory(service), FileName(id) + EntryExtension);

    /// <summary>Returns whether <paramref name="path"/> names an entry (not a temporary file).</summary>
    public static bool IsEntryFile(string? path) => path is not null && path.EndsWith(EntryExtension, StringComparison.Ordinal);

    public void Write(LocalEntry entry)
    {
        var directory = Directory.CreateDirectory(ServiceDirectory(entry.Service)).FullName;
        var target = EntryPath(entry.Service, entry.Id);
        // Hidden and not *.json, so watchers ignore it; unique, so two writers never share one.
        var temp = Path.Combine(directory, $".{FileName(entry.Id)}.{Guid.NewGuid():N}{TempExtension}");
        File.WriteAllBytes(temp, JsonSerializer.SerializeToUtf8Bytes(entry, LocalJsonContext.Default.LocalEntry));
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                File.Move(temp, target, overwrite: true);
                return;
            }
            catch (IOException) when (attempt < MoveAttempts)
            {
                // Windows refuses to replace a file another process has open without delete sharing; try again.
            }
            catch
            {
                TryDelete(temp);
                throw;
            }
        }
    }

    /// <summary>Reads one entry; <see langword="null"/> when the file is gone.</summary>
    /// <exception cref="JsonException">The file is not a valid entry.</exception>
    public static LocalEntry? Read(string path)
    {
        byte[] bytes;
        try
        {
            // Delete sharing lets the owner rename a new version over the file while we read this one.
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            bytes = new byte[stream.Length];
            stream.ReadExactly(bytes);
        }
        catch (FileNotFoundException)
        {
            return null;
        }
        catch (DirectoryNotFoundException)
        {
            return null;
        }

        var entry = JsonSerializer.Deserialize(bytes, LocalJsonContext.Default.LocalEntry)
            ?? throw new JsonException("The file holds null.");
        if (string.IsNullOrEmpty(entry.Id) || string.IsNullOrEmpty(entry.Service) || string.IsNullOrEmpty(entry.Address) || entry.Port is <= 0 or > 65535)
        {
            throw new JsonException("The entry lacks an id, a service, an address or a valid port.");
        }

        return entry;
    }

    /// <summary>Lists the entry files of <paramref name="service"/>; empty when the service has none.</summary>
    public IEnumerable<string> EntryFiles(string service)
    {
        var directory = ServiceDirectory(service);
        return Directory.Exists(directory) ? Directory.EnumerateFiles(directory, "*" + EntryExtension) : [];
    }

    public static bool TryDelete(string path)
    {
        try
        {
            File.Delete(path);
            return true;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>
    /// Maps a service name or instance id to a file name that is safe on every OS: letters, digits, '-', '_' and
    /// '.' stay; everything else (and a leading '.') becomes <c>%XX</c> of its UTF-8 bytes, so distinct names
    /// never collide.
    /// </summary>
    public static string FileName(string name)
    {
        var builder = new StringBuilder(name.Length);
        var bytes = Encoding.UTF8.GetBytes(name);
        for (var i = 0; i < bytes.Length; i++)
        {
            var b = bytes[i];
            var safe = b is (>= (byte)'a' and <= (byte)'z') or (>= (byte)'A' and <= (byte)'Z') or (>= (byte)'0' and <= (byte)'9')
                or (byte)'-' or (byte)'_' || (b == (byte)'.' && i > 0);
            if (safe)
            {
                builder.Append((char)b);
            }
            else
            {
                builder.Append('%').Append(b.ToString("X2", CultureInfo.InvariantCulture));
            }
        }

        return builder.ToString();
    }
}
