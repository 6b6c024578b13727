using BlazorOs.Core.Activities;
using BlazorOs.Core.Data;
using BlazorOs.Core.Playbooks.Definition;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Playbooks;

/// <summary>A stored version: the playbook's id and the version number.</summary>
public sealed record PlaybookVersionRef(Guid Id, int Version);

/// <summary>What deleting a playbook did: deleted, or refused because runs refer to it (<see cref="Runs"/> of them).</summary>
public sealed record PlaybookDeletion(bool Deleted, int Runs);

/// <summary>The document was not saved; <see cref="Problems"/> lists everything wrong with it.</summary>
public sealed class PlaybookValidationException(IReadOnlyList<PlaybookProblem> problems)
    : Exception($"The playbook is not valid: {string.Join("; ", problems.Take(5))}{(problems.Count > 5 ? $" (and {problems.Count - 5} more)" : "")}")
{
    public IReadOnlyList<PlaybookProblem> Problems { get; } = problems;
}

/// <summary>
/// Imports, versions and exports playbook documents. Every save is validated in full first and nothing is written when
/// a problem is found; what is stored is the canonical JSON (<see cref="PlaybookDocument.ToJson"/>), so an export is
/// byte-for-byte what the engine runs.
/// </summary>
public sealed class PlaybookService(IDbContextFactory<BlazorOsDbContext> dbFactory, ActivityCatalog catalog, TimeProvider clock)
{
    private const int SaveAttempts = 3;

    /// <summary>Parses and validates without saving (the designer's live check).</summary>
    public PlaybookParseResult Validate(string json) => PlaybookDocument.Parse(json, catalog);

    /// <summary>A new playbook from a document, as version 1.</summary>
    public async Task<PlaybookVersionRef> ImportAsync(string json, CancellationToken cancellationToken = default)
    {
        var definition = Require(json);
        var now = clock.GetUtcNow().UtcDateTime;
        var playbook = Playbook.Create(definition.Name, now, definition.Description, definition.Delegation);
        var version = playbook.AddVersion(definition.Schema, PlaybookDocument.ToJson(definition), now);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.Playbooks.Add(playbook);
        await db.SaveChangesAsync(cancellationToken);
        return new PlaybookVersionRef(playbook.Id, version.Number);
    }

    /// <summary>
    /// The next version of a playbook; its name, description and delegation follow the document. Saving the same
    /// document as the latest version again stores nothing and returns that version. Throws
    /// <see cref="KeyNotFoundException"/> when the playbook does not exist.
    /// </summary>
    public async Task<PlaybookVersionRef> SaveVersionAsync(Guid id, string json, CancellationToken cancellationToken = default)
    {
        var definition = Require(json);
        var canonical = PlaybookDocument.ToJson(definition);
        var hash = PlaybookVersion.HashOf(canonical);
        for (var attempt = 1; ; attempt++)
        {
            await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
            var playbook = await db.Playbooks.SingleOrDefaultAsync(p => p.Id == id, cancellationToken)
                ?? throw new KeyNotFoundException($"Playbook {id} does not exist.");
            var latestHash = await db.PlaybookVersions.Where(v => v.PlaybookId == id && v.Number == playbook.LatestVersion)
                .Select(v => v.ContentHash).SingleOrDefaultAsync(cancellationToken);
            if (latestHash == hash)
            {
                return new PlaybookVersionRef(id, playbook.LatestVersion);
            }

            playbook.Describe(definition.Name, definition.Description, definition.Delegation);
            var version = playbook.AddVersion(definition.Schema, canonical, clock.GetUtcNow().UtcDateTime);
            try
            {
                await db.SaveChangesAsync(cancellationToken);
                return new PlaybookVersionRef(id, version.Number);
            }
            catch (DbUpdateException) when (attempt < SaveAttempts)
            {
                // Another save took this version number first (unique index): read again and take the next one.
            }
        }
    }

    /// <summary>A new playbook that starts by hand and ends at once: the smallest valid graph, to draw from.</summary>
    public Task<PlaybookVersionRef> CreateBlankAsync(string name, CancellationToken cancellationToken = default) =>
        ImportAsync(PlaybookDocument.ToJson(new PlaybookDefinition(PlaybookDefinition.SchemaV1, name, null, DelegationLevel.Approval, [], [],
            [
                new PlaybookNode("start", "trigger.manual", "Start", new NodePosition(0, 0), [], null, null),
                new PlaybookNode("done", "end", "Done", new NodePosition(280, 0), [], null, null),
            ],
            [new PlaybookEdge("start", PlaybookEdge.DefaultPort, "done")], null)), cancellationToken);

    /// <summary>A new playbook from the latest version of another, named "… (copy)". Throws <see cref="KeyNotFoundException"/>.</summary>
    public async Task<PlaybookVersionRef> DuplicateAsync(Guid id, CancellationToken cancellationToken = default)
    {
        var playbook = await GetAsync(id, cancellationToken) ?? throw new KeyNotFoundException($"Playbook {id} does not exist.");
        var latest = playbook.Versions.Single(v => v.Number == playbook.LatestVersion);
        var definition = Require(latest.Definition);
        var name = $"{definition.Name} (copy)";
        return await ImportAsync(PlaybookDocument.ToJson(definition with
        {
            Name = name.Length <= Playbook.NameMaxLength ? name : definition.Name,
        }), cancellationToken);
    }

    /// <summary>
    /// Deletes a playbook with its versions and schedule, unless runs refer to it: a run's record keeps the version it ran,
    /// so such a playbook stays. Throws <see cref="KeyNotFoundException"/> when it does not exist.
    /// </summary>
    public async Task<PlaybookDeletion> DeleteAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var playbook = await db.Playbooks.Include(p => p.Versions).SingleOrDefaultAsync(p => p.Id == id, cancellationToken)
            ?? throw new KeyNotFoundException($"Playbook {id} does not exist.");
        var runs = await db.Runs.CountAsync(r => r.PlaybookId == id, cancellationToken);
        if (runs > 0)
        {
            return new PlaybookDeletion(false, runs);
        }

        db.Playbooks.Remove(playbook);
        await db.SaveChangesAsync(cancellationToken);
        return new PlaybookDeletion(true, 0);
    }

    /// <summary>One playbook with its versions, or null.</summary>
    public async Task<Playbook?> GetAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Playbooks.AsNoTracking().Include(p => p.Versions).SingleOrDefaultAsync(p => p.Id == id, cancellationToken);
    }

    /// <summary>Every playbook by name, without versions.</summary>
    public async Task<IReadOnlyList<Playbook>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.Playbooks.AsNoTracking().OrderBy(p => p.Name).ThenBy(p => p.Id).ToListAsync(cancellationToken);
    }

    /// <summary>The stored (canonical) JSON of version <paramref name="number"/>, or null when there is no such version.</summary>
    public async Task<string?> GetVersionAsync(Guid id, int number, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.PlaybookVersions.AsNoTracking().Where(v => v.PlaybookId == id && v.Number == number)
            .Select(v => v.Definition).SingleOrDefaultAsync(cancellationToken);
    }

    /// <summary>
    /// The parsed definition of a version (by the version's own id), for the engine. Throws
    /// <see cref="KeyNotFoundException"/> when there is no such version, and <see cref="PlaybookValidationException"/>
    /// when the stored JSON no longer passes the current rules (a kind was removed, say).
    /// </summary>
    public async Task<PlaybookDefinition> GetDefinitionAsync(Guid versionId, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var json = await db.PlaybookVersions.AsNoTracking().Where(v => v.Id == versionId).Select(v => v.Definition)
            .SingleOrDefaultAsync(cancellationToken) ?? throw new KeyNotFoundException($"Playbook version {versionId} does not exist.");
        return Require(json);
    }

    private PlaybookDefinition Require(string json)
    {
        var result = PlaybookDocument.Parse(json, catalog);
        return result.Definition ?? throw new PlaybookValidationException(result.Problems);
    }
}
