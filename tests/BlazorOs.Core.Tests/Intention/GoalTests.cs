using BlazorOs.Core.Intention;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Tests.Intention;

public sealed class GoalTests
{
    [Fact]
    public async Task A_goal_hierarchy_round_trips()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var strategic = Goal.Create("  Grow recurring revenue  ", GoalLevel.Strategic, store.Now, "ARR to 120k", new DateOnly(2027, 12, 31));
        var tactical = Goal.Create("Launch the consulting package", GoalLevel.Tactical, store.Now, parent: strategic);
        var operational = Goal.Create("Send ten proposals", GoalLevel.Operational, store.Now, description: "   ", parent: tactical);
        store.Clock.Advance(TimeSpan.FromDays(3));
        operational.Achieve(store.Now);
        await using (var db = store.NewContext())
        {
            db.Goals.AddRange(strategic, tactical, operational);
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using var read = store.NewContext();
        var goals = await read.Goals.ToDictionaryAsync(g => g.Id, TestContext.Current.CancellationToken);

        var top = goals[strategic.Id];
        Assert.Equal(("Grow recurring revenue", "ARR to 120k", GoalLevel.Strategic, (Guid?)null, new DateOnly(2027, 12, 31)),
            (top.Title, top.Description, top.Level, top.ParentId, top.TargetDate));
        Assert.Equal(strategic.Id, goals[tactical.Id].ParentId);
        Assert.Equal(tactical.Id, goals[operational.Id].ParentId);
        Assert.Null(goals[operational.Id].Description);
        Assert.Equal(GoalStatus.Achieved, goals[operational.Id].Status);
        Assert.Equal(TempStore.Start.UtcDateTime, goals[operational.Id].CreatedAt);
        Assert.Equal(store.Now, goals[operational.Id].UpdatedAt);
        Assert.Equal(DateTimeKind.Utc, goals[operational.Id].UpdatedAt.Kind);
        Assert.Equal("Achieved", await store.ScalarAsync("SELECT Status FROM Goals WHERE Title = 'Send ten proposals';"));
        Assert.Equal("Operational", await store.ScalarAsync("SELECT Level FROM Goals WHERE Title = 'Send ten proposals';"));
    }

    [Theory]
    [InlineData(GoalLevel.Strategic, GoalLevel.Strategic)]
    [InlineData(GoalLevel.Strategic, GoalLevel.Operational)]
    [InlineData(GoalLevel.Tactical, GoalLevel.Tactical)]
    [InlineData(GoalLevel.Tactical, GoalLevel.Strategic)]
    [InlineData(GoalLevel.Operational, GoalLevel.Strategic)]
    [InlineData(GoalLevel.Operational, GoalLevel.Tactical)]
    public void A_goal_sits_exactly_one_level_below_its_parent(GoalLevel parentLevel, GoalLevel childLevel)
    {
        var parent = Goal.Create("Parent", parentLevel, TempStore.Start.UtcDateTime);

        var ex = Assert.Throws<ArgumentException>(() => Goal.Create("Child", childLevel, TempStore.Start.UtcDateTime, parent: parent));

        Assert.Equal("parent", ex.ParamName);
    }

    [Fact]
    public async Task A_goal_with_sub_goals_cannot_be_deleted()
    {
        await using var store = await TempStore.CreateMigratedAsync();
        var parent = Goal.Create("Parent", GoalLevel.Strategic, store.Now);
        await using (var db = store.NewContext())
        {
            db.Goals.AddRange(parent, Goal.Create("Child", GoalLevel.Tactical, store.Now, parent: parent));
            await db.SaveChangesAsync(TestContext.Current.CancellationToken);
        }

        await using var delete = store.NewContext();
        delete.Goals.Remove(await delete.Goals.SingleAsync(g => g.Id == parent.Id, TestContext.Current.CancellationToken));
        await Assert.ThrowsAsync<DbUpdateException>(() => delete.SaveChangesAsync(TestContext.Current.CancellationToken));
        Assert.Equal(2L, await store.ScalarAsync("SELECT count(*) FROM Goals;"));
    }
}
