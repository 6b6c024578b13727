using Microsoft.EntityFrameworkCore.Storage.ValueConversion;

namespace BlazorOs.Core.Data;

/// <summary>Stores UTC and reads back <see cref="DateTimeKind.Utc"/>, so comparisons and JSON agree everywhere.</summary>
internal sealed class UtcDateTimeConverter() : ValueConverter<DateTime, DateTime>(
    v => v.Kind == DateTimeKind.Utc ? v : v.ToUniversalTime(),
    v => DateTime.SpecifyKind(v, DateTimeKind.Utc));
