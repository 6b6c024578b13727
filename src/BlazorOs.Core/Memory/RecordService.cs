using System.Text.Json.Nodes;
using BlazorOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Memory;

/// <summary>A record type as the operator defines it.</summary>
public sealed record RecordTypeInput(string Name, string Label, IReadOnlyList<RecordField> Fields);

/// <summary>
/// Record types (built-in and operator-defined) and the records that follow them. Every record write is checked against
/// its type, carries a provenance and is a <see cref="MemoryRevision"/>.
/// </summary>
public sealed class RecordService(IDbContextFactory<BlazorOsDbContext> dbFactory, TimeProvider clock)
{
    public async Task<IReadOnlyList<RecordType>> TypesAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.RecordTypes.AsNoTracking().OrderByDescending(t => t.IsBuiltIn).ThenBy(t => t.Name).ToListAsync(cancellationToken);
    }

    public async Task<RecordType?> TypeAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.RecordTypes.AsNoTracking().SingleOrDefaultAsync(t => t.Name == name, cancellationToken);
    }

    /// <summary>Defines a new type or redefines one (built-in types too: the operator may add fields to Contact).</summary>
    public async Task<RecordType> SaveTypeAsync(RecordTypeInput input, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var now = clock.GetUtcNow().UtcDateTime;
        var type = await db.RecordTypes.SingleOrDefaultAsync(t => t.Name == input.Name, cancellationToken);
        if (type is null)
        {
            type = RecordType.Define(input.Name, input.Label, input.Fields, now);
            db.RecordTypes.Add(type);
        }
        else
        {
            type.Redefine(input.Label, input.Fields, now);
        }

        await db.SaveChangesAsync(cancellationToken);
        return type;
    }

    /// <summary>Deletes an operator-defined type that has no records; false when it has records or is built in.</summary>
    public async Task<bool> DeleteTypeAsync(string name, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var type = await db.RecordTypes.SingleOrDefaultAsync(t => t.Name == name, cancellationToken);
        if (type is null || type.IsBuiltIn || await db.Records.AnyAsync(r => r.TypeId == type.Id, cancellationToken))
        {
            return false;
        }

        db.RecordTypes.Remove(type);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Checks the values against the type and writes the record. Throws <see cref="MemoryValidationException"/> naming
    /// every bad field (field names as the type names them), <see cref="KeyNotFoundException"/> for an unknown type.
    /// </summary>
    public async Task<MemoryRecord> AddAsync(string typeName, JsonObject values, string? scope, Provenance provenance,
        CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var type = await db.RecordTypes.AsNoTracking().SingleOrDefaultAsync(t => t.Name == typeName, cancellationToken)
            ?? throw new KeyNotFoundException($"There is no record type '{typeName}'.");
        var (record, revision) = MemoryRecord.Create(type, Checked(type, values, scope ??= Fact.DefaultScope), scope, provenance);
        db.Provenance.Add(provenance);
        db.Records.Add(record);
        db.MemoryRevisions.Add(revision);
        await db.SaveChangesAsync(cancellationToken);
        return record;
    }

    /// <summary>New values as the next revision (all values, not a patch); the same values store nothing.</summary>
    public async Task<MemoryRecord> ChangeAsync(Guid id, JsonObject values, Provenance provenance, string? reason = null,
        int? readRevision = null, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var record = await db.Records.Include(r => r.Type).Include(r => r.Provenance).SingleOrDefaultAsync(r => r.Id == id, cancellationToken)
            ?? throw new KeyNotFoundException($"Record {id} does not exist.");
        var normalized = Checked(record.Type!, values, record.Scope);
        if (readRevision is { } read && read != record.Revision)
        {
            throw new FactConflictException($"Record {id} is at revision {record.Revision}, not {read}: read it again and retry.");
        }

        if (record.Change(record.Type!, normalized, provenance, reason) is { } revision)
        {
            db.Provenance.Add(provenance);
            db.MemoryRevisions.Add(revision);
            await MemoryWrites.SaveRevisionAsync(db, dbFactory, "Record", id, revision.Number, cancellationToken);
        }

        return record;
    }

    public async Task<MemoryRecord?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Records.AsNoTracking().Include(r => r.Type).Include(r => r.Provenance).SingleOrDefaultAsync(r => r.Id == id, cancellationToken);
    }

    /// <summary>Records of one type by title, optionally of one scope.</summary>
    public async Task<IReadOnlyList<MemoryRecord>> ListAsync(string typeName, string? scope = null, int take = 100,
        CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Records.AsNoTracking().Include(r => r.Type).Include(r => r.Provenance)
            .Where(r => r.Type!.Name == typeName && (scope == null || r.Scope == scope))
            .OrderBy(r => r.Title).Take(Math.Clamp(take, 1, 100_000)).ToListAsync(cancellationToken);
    }

    /// <summary>
    /// Restores the values of revision <paramref name="toRevision"/> as the record's next revision, with the reason "Reverted
    /// to revision n: why". The old values are checked against the type as it is now (it may have been redefined since).
    /// Throws <see cref="KeyNotFoundException"/>, <see cref="MemoryValidationException"/> (<c>toRevision</c>, <c>reason</c>,
    /// or the fields the old values no longer satisfy) or <see cref="FactConflictException"/> (moved past
    /// <paramref name="expectedRevision"/>).
    /// </summary>
    public async Task<MemoryRecord> RevertAsync(Guid id, int toRevision, Provenance provenance, string? reason, int? expectedRevision = null,
        CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var record = await db.Records.Include(r => r.Type).Include(r => r.Provenance).SingleOrDefaultAsync(r => r.Id == id, cancellationToken)
            ?? throw new KeyNotFoundException($"Record {id} does not exist.");
        var target = await db.MemoryRevisions.AsNoTracking().SingleOrDefaultAsync(r => r.ItemId == id && r.Number == toRevision, cancellationToken);
        var why = MemoryReverts.Reason(toRevision, reason);
        MemoryReverts.Check("Record", id, record.Revision, toRevision, target is not null, target?.NewJson == record.ValuesJson, why,
            MemoryRevision.ReasonMaxLength, expectedRevision);
        var values = Checked(record.Type!, JsonNode.Parse(target!.NewJson)?.AsObject() ?? [], record.Scope);
        if (record.Change(record.Type!, values, provenance, why) is { } revision)
        {
            db.Provenance.Add(provenance);
            db.MemoryRevisions.Add(revision);
            await MemoryWrites.SaveRevisionAsync(db, dbFactory, "Record", id, revision.Number, cancellationToken);
        }

        return record;
    }

    /// <summary>One page of records by title (then id), of one type and scope or all; with how many there are in all.</summary>
    public async Task<(IReadOnlyList<MemoryRecord> Items, int Total)> PageAsync(string? typeName, string? scope, int page, int pageSize,
        CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var records = db.Records.Where(r => (typeName == null || r.Type!.Name == typeName) && (scope == null || r.Scope == scope));
        var total = await records.CountAsync(cancellationToken);
        var items = await records.AsNoTracking().Include(r => r.Type).Include(r => r.Provenance).OrderBy(r => r.Title).ThenBy(r => r.Id)
            .Skip(Math.Max(page, 0) * pageSize).Take(pageSize).ToListAsync(cancellationToken);
        return (items, total);
    }

    /// <summary>Oldest first, each with its provenance; null when the record does not exist.</summary>
    public async Task<IReadOnlyList<MemoryRevision>?> RevisionsAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Records.AnyAsync(r => r.Id == id, cancellationToken)
            ? await db.MemoryRevisions.AsNoTracking().Include(r => r.Provenance).Where(r => r.ItemId == id).OrderBy(r => r.Number)
                .ToListAsync(cancellationToken)
            : null;
    }

    private static JsonObject Checked(RecordType type, JsonObject values, string scope)
    {
        var (normalized, problems) = type.Validate(values);
        var all = problems.ToList();
        if (!MemoryScope.IsValid(scope))
        {
            all.Add(new MemoryProblem("scope", $"'{scope}' is not a scope: use {MemoryScope.FormatDescription}."));
        }

        return all.Count > 0 ? throw new MemoryValidationException(all) : normalized;
    }
}
