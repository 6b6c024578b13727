using BlazorOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Intention;

/// <summary>What the operator asks for when stating a goal.</summary>
public sealed record NewGoal(string Title, GoalLevel Level, string? Description, DateOnly? TargetDate, Guid? ParentId);

/// <summary>States, lists and closes goals; one short-lived context per call.</summary>
public sealed class GoalService(IDbContextFactory<BlazorOsDbContext> dbFactory, TimeProvider clock)
{
    public async Task<IReadOnlyList<Goal>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Goals.AsNoTracking()
            .OrderBy(g => g.Level).ThenBy(g => g.Status).ThenBy(g => g.Title)
            .ToListAsync(cancellationToken);
    }

    public async Task<Goal> CreateAsync(NewGoal request, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        Goal? parent = null;
        if (request.ParentId is { } parentId)
        {
            parent = await db.Goals.SingleOrDefaultAsync(g => g.Id == parentId, cancellationToken)
                ?? throw new ArgumentException("The parent goal no longer exists.", nameof(request));
        }

        var goal = Goal.Create(request.Title, request.Level, clock.GetUtcNow().UtcDateTime, request.Description,
            request.TargetDate, parent);
        db.Goals.Add(goal);
        await db.SaveChangesAsync(cancellationToken);
        return goal;
    }

    public async Task SetStatusAsync(Guid id, GoalStatus status, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var goal = await db.Goals.SingleOrDefaultAsync(g => g.Id == id, cancellationToken)
            ?? throw new KeyNotFoundException($"Goal {id} does not exist.");
        var now = clock.GetUtcNow().UtcDateTime;
        switch (status)
        {
            case GoalStatus.Achieved:
                goal.Achieve(now);
                break;
            case GoalStatus.Dropped:
                goal.Drop(now);
                break;
            default:
                goal.Reopen(now);
                break;
        }

        await db.SaveChangesAsync(cancellationToken);
    }
}
