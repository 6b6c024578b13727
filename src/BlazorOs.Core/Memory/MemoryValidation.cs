namespace BlazorOs.Core.Memory;

/// <summary>What is wrong with one field of a memory request; <see cref="Field"/> is named as the client sends it.</summary>
public sealed record MemoryProblem(string Field, string Message)
{
    public override string ToString() => $"{Field}: {Message}";
}

/// <summary>Nothing was read or written; <see cref="Problems"/> lists every field that is wrong.</summary>
public sealed class MemoryValidationException(IReadOnlyList<MemoryProblem> problems)
    : Exception(string.Join("; ", problems))
{
    public IReadOnlyList<MemoryProblem> Problems { get; } = problems;
}

/// <summary>The fact changed after the writer read it (another revision was stored first).</summary>
public sealed class FactConflictException(string message, Exception? innerException = null) : Exception(message, innerException);
