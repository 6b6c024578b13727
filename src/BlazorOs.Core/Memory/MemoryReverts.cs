namespace BlazorOs.Core.Memory;

/// <summary>
/// The rules every revert follows, whatever the item: the target revision must exist and differ from what the item holds
/// now, the reason is stored as "Reverted to revision n: why", and a writer who read an older revision is refused.
/// </summary>
internal static class MemoryReverts
{
    public static string Reason(int toRevision, string? reason) => string.IsNullOrWhiteSpace(reason)
        ? $"Reverted to revision {toRevision}"
        : $"Reverted to revision {toRevision}: {reason.Trim()}";

    /// <summary>
    /// Throws <see cref="MemoryValidationException"/> (fields <c>toRevision</c>, <c>reason</c>) for a revert that cannot
    /// be done, then <see cref="FactConflictException"/> when the item moved past <paramref name="expectedRevision"/>.
    /// </summary>
    public static void Check(string what, Guid id, int current, int toRevision, bool targetExists, bool targetIsCurrent, string reason,
        int maxReasonLength, int? expectedRevision)
    {
        var problems = new List<MemoryProblem>();
        if (!targetExists)
        {
            problems.Add(new MemoryProblem("toRevision", $"{what} {id} has revisions 1 to {current}; there is no revision {toRevision}."));
        }
        else if (targetIsCurrent)
        {
            problems.Add(new MemoryProblem("toRevision", $"The {what.ToLowerInvariant()} already has the content of revision {toRevision}: nothing to revert."));
        }

        if (reason.Length > maxReasonLength)
        {
            problems.Add(new MemoryProblem("reason", $"A reason has at most {maxReasonLength - Reason(toRevision, null).Length - 2} characters."));
        }

        if (problems.Count > 0)
        {
            throw new MemoryValidationException(problems);
        }

        if (expectedRevision is { } read && read != current)
        {
            throw new FactConflictException($"{what} {id} is at revision {current}, not {read}: read it again and retry.");
        }
    }
}
