namespace BlazorOs.Core.Intention;

/// <summary>The three horizons a goal can sit on; a goal's parent is always one level up.</summary>
public enum GoalLevel
{
    Strategic = 0,
    Tactical = 1,
    Operational = 2,
}

public enum GoalStatus
{
    Active = 0,
    Achieved = 1,
    Dropped = 2,
}

/// <summary>What the operator intends; playbooks and runs serve goals.</summary>
public sealed class Goal
{
    public const int TitleMaxLength = 200;

    private Goal(Guid id, string title, GoalLevel level, DateTime createdAt)
    {
        Id = id;
        Title = title;
        Level = level;
        CreatedAt = createdAt;
        UpdatedAt = createdAt;
    }

    public Guid Id { get; private set; }
    public string Title { get; private set; }
    public string? Description { get; private set; }
    public GoalLevel Level { get; private set; }
    public GoalStatus Status { get; private set; }
    public Guid? ParentId { get; private set; }
    public DateOnly? TargetDate { get; private set; }
    public DateTime CreatedAt { get; private set; }
    public DateTime UpdatedAt { get; private set; }

    public static Goal Create(string title, GoalLevel level, DateTime now, string? description = null,
        DateOnly? targetDate = null, Goal? parent = null)
    {
        var goal = new Goal(Guid.CreateVersion7(), RequireTitle(title), level, now)
        {
            Description = string.IsNullOrWhiteSpace(description) ? null : description.Trim(),
            TargetDate = targetDate,
        };
        if (parent is not null)
        {
            goal.AttachTo(parent);
        }

        return goal;
    }

    public void Achieve(DateTime now) => SetStatus(GoalStatus.Achieved, now);

    public void Drop(DateTime now) => SetStatus(GoalStatus.Dropped, now);

    public void Reopen(DateTime now) => SetStatus(GoalStatus.Active, now);

    private void AttachTo(Goal parent)
    {
        if ((int)parent.Level != (int)Level - 1)
        {
            throw new ArgumentException(
                $"A {Level} goal can only sit under a {(GoalLevel)Math.Max(0, (int)Level - 1)} goal, not a {parent.Level} one.",
                nameof(parent));
        }

        ParentId = parent.Id;
    }

    private void SetStatus(GoalStatus status, DateTime now)
    {
        Status = status;
        UpdatedAt = now;
    }

    private static string RequireTitle(string title)
    {
        var trimmed = title?.Trim() ?? string.Empty;
        if (trimmed.Length == 0)
        {
            throw new ArgumentException("A goal needs a title.", nameof(title));
        }

        if (trimmed.Length > TitleMaxLength)
        {
            throw new ArgumentException($"A goal title is at most {TitleMaxLength} characters.", nameof(title));
        }

        return trimmed;
    }
}
