using System.Security.Cryptography;
using System.Text;
using BlazorOs.Core.Settings;
using Microsoft.AspNetCore.Identity;

namespace BlazorOs.Web.Auth;

public enum PasswordCheck
{
    Ok = 0,
    TooShort = 1,
    Mismatch = 2,
}

/// <summary>
/// The single operator's password: hashed with ASP.NET Core Identity's hasher (PBKDF2) in the settings table.
/// Each sign-in cookie carries a stamp of the current hash, so changing the password signs out every other session.
/// </summary>
public sealed class OperatorAccount(SettingsStore settings)
{
    public const int MinimumPasswordLength = 10;
    public const string OperatorName = "operator";
    private const string HashKey = "operator.password-hash";

    private static readonly PasswordHasher<string> Hasher = new();

    // The hash changes only through this singleton, so it is cached after the first read.
    private volatile string? _hash;

    public async Task<bool> IsSetUpAsync(CancellationToken cancellationToken = default) =>
        await GetHashAsync(cancellationToken) is not null;

    public static PasswordCheck Check(string? password, string? confirmation) =>
        (password?.Length ?? 0) < MinimumPasswordLength ? PasswordCheck.TooShort
        : !string.Equals(password, confirmation, StringComparison.Ordinal) ? PasswordCheck.Mismatch
        : PasswordCheck.Ok;

    /// <summary>Sets the first password; false when one exists already (first writer wins).</summary>
    public async Task<bool> SetUpAsync(string password, CancellationToken cancellationToken = default)
    {
        RequireStrongEnough(password);
        var written = await settings.SetIfAbsentAsync(HashKey, Hasher.HashPassword(OperatorName, password), cancellationToken);
        _hash = null;
        return written;
    }

    public async Task<bool> VerifyAsync(string? password, CancellationToken cancellationToken = default)
    {
        var hash = await GetHashAsync(cancellationToken);
        if (hash is null || string.IsNullOrEmpty(password))
        {
            return false;
        }

        var result = Hasher.VerifyHashedPassword(OperatorName, hash, password);
        if (result == PasswordVerificationResult.SuccessRehashNeeded)
        {
            await StoreAsync(Hasher.HashPassword(OperatorName, password), cancellationToken);
        }

        return result != PasswordVerificationResult.Failed;
    }

    public async Task<bool> ChangeAsync(string currentPassword, string newPassword, CancellationToken cancellationToken = default)
    {
        RequireStrongEnough(newPassword);
        if (!await VerifyAsync(currentPassword, cancellationToken))
        {
            return false;
        }

        await StoreAsync(Hasher.HashPassword(OperatorName, newPassword), cancellationToken);
        return true;
    }

    /// <summary>Replaces the password without the old one: only from the server's own environment at start.</summary>
    public async Task ResetAsync(string newPassword, CancellationToken cancellationToken = default)
    {
        RequireStrongEnough(newPassword);
        await StoreAsync(Hasher.HashPassword(OperatorName, newPassword), cancellationToken);
    }

    /// <summary>A short fingerprint of the current hash, carried in the cookie; null before setup.</summary>
    public async Task<string?> GetStampAsync(CancellationToken cancellationToken = default) =>
        await GetHashAsync(cancellationToken) is { } hash
            ? Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(hash)))[..16]
            : null;

    private async Task StoreAsync(string hash, CancellationToken cancellationToken)
    {
        await settings.SetAsync(HashKey, hash, cancellationToken);
        _hash = hash;
    }

    private async Task<string?> GetHashAsync(CancellationToken cancellationToken) =>
        _hash ??= await settings.GetAsync(HashKey, cancellationToken);

    private static void RequireStrongEnough(string password)
    {
        if (password.Length < MinimumPasswordLength)
        {
            throw new ArgumentException($"The password needs at least {MinimumPasswordLength} characters.", nameof(password));
        }
    }
}
