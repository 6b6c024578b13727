using System.Text;

namespace BlazorOs.Core.Memory;

/// <summary>
/// A recall query's filters — scope, the caller's readable scopes, subject, time — as SQL conditions on one table alias's
/// columns, shared by full-text recall and by recall by meaning (on the items and on the vectors' copies) so the two can
/// never disagree about what a reader may see. Values go through <c>parameter</c>; only names are spliced in.
/// </summary>
internal static class MemoryFilterSql
{
    /// <param name="parameter">Adds a value and returns its placeholder (<c>{0}</c> for EF's raw SQL, <c>@p0</c> for ADO).</param>
    /// <param name="subjectColumn">What the subject filter compares; null: the type has no subject and the filter is ignored.</param>
    public static void Append(StringBuilder where, MemoryQuery query, Func<object, string> parameter, string alias, string atColumn,
        string? subjectColumn)
    {
        var scope = $"{alias}.\"Scope\"";
        if (!string.IsNullOrEmpty(query.Scope))
        {
            where.Append($" AND {scope} = {parameter(query.Scope)}");
        }

        if (!query.Readable.IsAll)
        {
            // A family pattern "clients:*" allows "clients" itself and every "clients:…".
            var allowed = query.Readable.Names.Select(n => $"{scope} = {parameter(n)}")
                .Concat(query.Readable.Prefixes.SelectMany(p => new[]
                {
                    $"{scope} = {parameter(p[..^1])}",
                    $"substr({scope}, 1, {p.Length}) = {parameter(p)}",
                }))
                .ToList();
            where.Append(allowed.Count == 0 ? " AND 1 = 0" : $" AND ({string.Join(" OR ", allowed)})");
        }

        if (query.Subject is not null && subjectColumn is not null)
        {
            where.Append($" AND {alias}.\"{subjectColumn}\" = {parameter(query.Subject.Trim())}");
        }

        var at = $"{alias}.\"{atColumn}\"";
        if (query.Since is { } since)
        {
            where.Append($" AND {at} >= {parameter(since)}");
        }

        if (query.Until is { } until)
        {
            where.Append($" AND {at} < {parameter(until)}");
        }
    }
}
