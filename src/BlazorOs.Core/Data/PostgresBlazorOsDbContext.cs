using Microsoft.EntityFrameworkCore;

namespace BlazorOs.Core.Data;

/// <summary>
/// The same model on PostgreSQL. A type of its own only so that EF keeps its migrations apart from
/// SQLite's (column types differ); the app always works with <see cref="BlazorOsDbContext"/>.
/// </summary>
public sealed class PostgresBlazorOsDbContext(DbContextOptions<PostgresBlazorOsDbContext> options)
    : BlazorOsDbContext(options);
