namespace Mesh.Demo;

/// <summary>How one call of a <see cref="CallLoop"/> ended, as the demo prints it.</summary>
/// <param name="Text">The tally line: <c>answered by a</c>, <c>failed (Unavailable: …)</c>.</param>
/// <param name="Failed">Whether the caller got an error.</param>
internal readonly record struct CallOutcome(string Text, bool Failed)
{
    public static CallOutcome AnsweredBy(string instance) => new($"answered by {instance}", Failed: false);

    public static CallOutcome Failure(string reason) => new($"failed ({reason})", Failed: true);
}
