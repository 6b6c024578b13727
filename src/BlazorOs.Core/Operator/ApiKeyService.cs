using System.Security.Cryptography;
using BlazorOs.Core.Data;
using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Operator;

/// <summary>A freshly made key; <see cref="Plaintext"/> is shown once and never stored.</summary>
public sealed record NewApiKey(ApiKey Key, string Plaintext);

/// <summary>Creates, verifies and revokes API keys.</summary>
public sealed class ApiKeyService(IDbContextFactory<BlazorOsDbContext> dbFactory, TimeProvider clock)
{
    /// <summary>Keys shorter than this are refused: they could be guessed.</summary>
    public const int MinimumLength = 16;

    public const string EnvironmentKeyName = "BLAZOROS_API_KEY";

    // Writing LastUsedAt on every request would turn each API read into a write; once a minute is enough.
    private static readonly TimeSpan UsageResolution = TimeSpan.FromMinutes(1);

    public async Task<NewApiKey> CreateAsync(string name, CancellationToken cancellationToken = default)
    {
        var trimmed = name?.Trim() ?? string.Empty;
        if (trimmed.Length is 0 or > ApiKey.NameMaxLength)
        {
            throw new ArgumentException($"An API key needs a name of 1 to {ApiKey.NameMaxLength} characters.", nameof(name));
        }

        var plaintext = "bos_" + Base64Url(RandomNumberGenerator.GetBytes(32));
        var key = ApiKey.From(trimmed, plaintext, clock.GetUtcNow().UtcDateTime);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        db.ApiKeys.Add(key);
        await db.SaveChangesAsync(cancellationToken);
        return new NewApiKey(key, plaintext);
    }

    /// <summary>Returns the active key matching <paramref name="plaintext"/>, or null.</summary>
    public async Task<ApiKey?> VerifyAsync(string plaintext, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrEmpty(plaintext) || plaintext.Length < MinimumLength || plaintext.Length > 512)
        {
            return null;
        }

        var hash = ApiKey.HashOf(plaintext);
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Hash == hash && k.RevokedAt == null, cancellationToken);
        if (key is null)
        {
            return null;
        }

        var now = clock.GetUtcNow().UtcDateTime;
        if (key.LastUsedAt is null || now - key.LastUsedAt >= UsageResolution)
        {
            key.MarkUsed(now);
            await db.SaveChangesAsync(cancellationToken);
        }

        return key;
    }

    public async Task<IReadOnlyList<ApiKey>> ListAsync(CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        return await db.ApiKeys.AsNoTracking().OrderByDescending(k => k.CreatedAt).ToListAsync(cancellationToken);
    }

    public async Task<bool> RevokeAsync(Guid id, CancellationToken cancellationToken = default)
    {
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var key = await db.ApiKeys.SingleOrDefaultAsync(k => k.Id == id, cancellationToken);
        if (key is null)
        {
            return false;
        }

        key.Revoke(clock.GetUtcNow().UtcDateTime);
        await db.SaveChangesAsync(cancellationToken);
        return true;
    }

    /// <summary>
    /// Makes the key from the environment the one active key of that name: a changed variable revokes the
    /// old key, so rotating it needs only a restart.
    /// </summary>
    public async Task EnsureEnvironmentKeyAsync(string plaintext, CancellationToken cancellationToken = default)
    {
        if (plaintext.Length < MinimumLength)
        {
            throw new ArgumentException(
                $"{EnvironmentKeyName} must be at least {MinimumLength} characters long; it is {plaintext.Length}.",
                nameof(plaintext));
        }

        var hash = ApiKey.HashOf(plaintext);
        var now = clock.GetUtcNow().UtcDateTime;
        await using var db = await dbFactory.CreateDbContextAsync(cancellationToken);
        var existing = await db.ApiKeys.Where(k => k.Name == EnvironmentKeyName && k.RevokedAt == null).ToListAsync(cancellationToken);
        if (existing.Any(k => k.Hash == hash))
        {
            return;
        }

        existing.ForEach(k => k.Revoke(now));
        var revokedSameKey = await db.ApiKeys.SingleOrDefaultAsync(k => k.Hash == hash, cancellationToken);
        if (revokedSameKey is not null)
        {
            // The operator revoked this exact key in Settings; the environment must not bring it back silently.
            throw new InvalidOperationException(
                $"{EnvironmentKeyName} holds a key that was revoked on {revokedSameKey.RevokedAt:u}. Set a new key.");
        }

        db.ApiKeys.Add(ApiKey.From(EnvironmentKeyName, plaintext, now));
        await db.SaveChangesAsync(cancellationToken);
    }

    private static string Base64Url(byte[] bytes) =>
        Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
