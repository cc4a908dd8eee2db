namespace Mesh.Tests.Packaging;

/// <summary>What a dotnet command did: its exit code, its output (stdout and stderr interleaved) and how long it took.</summary>
internal sealed record DotnetResult(int ExitCode, string Output, TimeSpan Elapsed);
